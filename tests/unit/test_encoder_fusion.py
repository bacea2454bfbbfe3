"""The integer graph's fusions: attention and GELU found where they are, left alone where not."""

from __future__ import annotations

from collections import Counter
from typing import Any

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from parley.core.meaning import fusion, graph
from parley.core.meaning.encoder import (
    FAST_BATCH,
    Encoder,
    _graph,
    _session,
    encode_fast,
    question_encoder,
)
from tests.unit.test_encoder import QUESTIONS, SENTENCES


def _model(nodes: list[Any], inputs: list[str], output: str,
           constants: dict[str, float] | None = None) -> Any:
    values = [helper.make_tensor_value_info(name, TensorProto.FLOAT, [2, 3]) for name in inputs]
    tensors = [numpy_helper.from_array(np.array(v, dtype=np.float32), k)
               for k, v in (constants or {}).items()]
    return helper.make_graph(nodes, "g", values,
                             [helper.make_tensor_value_info(output, TensorProto.FLOAT, [2, 3])],
                             tensors)


def test_an_erf_gelu_is_found_and_a_look_alike_is_not() -> None:
    constants = {"root2": 2 ** 0.5, "one": 1.0, "half": 0.5}
    gelu = [helper.make_node("Div", ["x", "root2"], ["d"]),
            helper.make_node("Erf", ["d"], ["e"]),
            helper.make_node("Add", ["e", "one"], ["a"]),
            helper.make_node("Mul", ["half", "a"], ["h"]),
            helper.make_node("Mul", ["x", "h"], ["y"])]
    assert list(fusion.gelus(_model(gelu, ["x"], "y", constants))) == [fusion.Gelu("x", "y")]
    # The last Mul by another tensor than the Div's input: not a GELU, left as it is.
    other = [*gelu[:4], helper.make_node("Mul", ["z", "h"], ["y"])]
    assert list(fusion.gelus(_model(other, ["x", "z"], "y", constants))) == []


def test_a_softmax_outside_an_attention_is_left_alone() -> None:
    nodes = [helper.make_node("Add", ["x", "z"], ["s"]),
             helper.make_node("Softmax", ["s"], ["y"], axis=-1)]
    assert list(fusion.attentions(_model(nodes, ["x", "z"], "y"))) == []


def test_the_question_graph_runs_fused_kernels_and_gives_the_unfused_graphs_vectors() -> None:
    fused = onnx.load_from_string(graph.integer(_graph()))
    ops = Counter(n.op_type for n in fused.graph.node)
    assert ops["MultiHeadAttention"] == 6 and ops["Gelu"] == 6
    assert ops["DynamicQuantizeMatMul"] == 24  # six layers: QKV as one, output, two feed-forward
    assert not ops["Softmax"] and not ops["Erf"] and not ops["MatMul"] and not ops["Transpose"]
    unfused = Encoder(question_encoder().tokenizer, _session(graph.integer(_graph(), False)))
    for question in QUESTIONS:  # alone: the same hidden states but for the sums' order
        ids = np.array([unfused.tokenizer.encode(question).ids], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": np.ones_like(ids),
                 "token_type_ids": np.zeros_like(ids)}
        a = unfused.session.run(None, feeds)[0].ravel()
        b = question_encoder().session.run(None, feeds)[0].ravel()
        assert float(a @ b / np.linalg.norm(a) / np.linalg.norm(b)) > 0.9999, question
    # Batched, the padding's rows (which differ) share the batch's one activation scale.
    texts = [*SENTENCES, *QUESTIONS]
    rows = (unfused.encode(texts, FAST_BATCH) * encode_fast(texts)).sum(axis=1)
    assert rows.min() > 0.99, rows
