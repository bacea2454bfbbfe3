"""The integer graph for questions: integer matmuls with their biases, fused attention and GELU.

Over the package's own int8 weights (nothing is re-quantised): each weight ``MatMul`` and the
bias ``Add`` after it become one ``DynamicQuantizeMatMul`` (onnxruntime's contrib kernel: the
activations quantised to uint8 per call, the weights shifted to uint8 with zero point 128, which
is exact for int8 and cannot saturate the u8×u8 AVX2 kernel). Each layer's query, key and value
projections read the same input, so they become one matmul over the three weights side by side
(the same numbers: the input's quantisation was already shared) feeding one
``MultiHeadAttention`` (12 heads, the keys' padding masked, the projections' biases added
inside it); each erf GELU becomes one ``Gelu``. Where a subgraph is not of the expected shape
(``fusion.py``) it stays as it was, its matmuls still integer. The cost, measured per node:
``docs/facts.md``.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from parley.core.meaning import fusion

HEADS = 12  # all-MiniLM-L6-v2: 12 heads of 32 over its 384 dimensions
ZERO_POINT = "parley_zero_point_128"
MASK = "parley_key_mask"

Model = Any  # onnx.ModelProto
Weights = dict[str, tuple[str, str]]  # a weight's float name → (int8 weight, its scale)


class _Rewrite:
    """The new initializers a rewrite adds, each made once."""

    def __init__(self, tensors: dict[str, Any]) -> None:
        self.tensors = tensors
        self.added: list[Any] = []

    def add(self, name: str, values: np.ndarray[Any, Any]) -> str:
        from onnx import numpy_helper

        if name not in self.tensors:
            self.tensors[name] = numpy_helper.from_array(values, name)
            self.added.append(self.tensors[name])
        return name

    def array(self, name: str) -> np.ndarray[Any, Any]:
        from onnx import numpy_helper

        return np.asarray(numpy_helper.to_array(self.tensors[name]))

    def unsigned(self, name: str, weights: list[np.ndarray[Any, Any]]) -> str:
        """int8 weights side by side, shifted to uint8 (zero point 128)."""
        shifted = np.concatenate(weights, axis=1).astype(np.int16) + 128
        return self.add(name, shifted.astype(np.uint8))


def _matmul(x: str, weight: str, scale: str, bias: str | None, out: str, name: str) -> Any:
    from onnx import helper

    inputs = [x, weight, scale, ZERO_POINT, *([bias] if bias else [])]
    return helper.make_node("DynamicQuantizeMatMul", inputs, [out], name=name,
                            domain="com.microsoft")


def _attention(att: fusion.Attention, weights: Weights, made: _Rewrite) -> list[Any]:
    """One matmul for the three projections, split, then one ``MultiHeadAttention``."""
    from onnx import helper

    base = f"{att.output}_qkv"
    int8 = [weights[w] for w in att.weights]
    weight = made.unsigned(f"{base}_w", [made.array(w) for w, _ in int8])
    scale = made.add(f"{base}_s", np.concatenate(
        [made.array(s).reshape(-1) for _, s in int8]).astype(np.float32))
    bias = made.add(f"{base}_b", np.concatenate([made.array(b) for b in att.biases]))
    return [_matmul(att.input, weight, scale, None, f"{base}_y", f"{base}_mm"),
            helper.make_node("Split", [f"{base}_y"], [f"{base}_{p}" for p in "qkv"], axis=-1,
                             name=f"{base}_split"),
            helper.make_node("MultiHeadAttention",
                             [f"{base}_q", f"{base}_k", f"{base}_v", bias, MASK], [att.output],
                             name=f"{base}_mha", domain="com.microsoft", num_heads=HEADS)]


def _fused(graph: Any, weights: Weights, made: _Rewrite) -> None:
    """Attention and GELU subgraphs replaced by their fused kernels (the old nodes are left for
    the caller's prune: nothing reads them any more)."""
    from onnx import TensorProto, helper

    replacing: dict[str, list[Any]] = {}  # an output → the nodes that now make it
    for att in fusion.attentions(graph):
        if all(w in weights for w in att.weights) and all(b in made.tensors for b in att.biases):
            replacing[att.output] = _attention(att, weights, made)
    for gelu in fusion.gelus(graph):
        replacing[gelu.output] = [helper.make_node("Gelu", [gelu.input], [gelu.output],
                                                   name=f"{gelu.output}_gelu",
                                                   domain="com.microsoft")]
    if not replacing:
        return
    nodes: list[Any] = [helper.make_node("Cast", ["attention_mask"], [MASK], name=MASK,
                                         to=TensorProto.INT32)]
    for node in graph.node:
        new = replacing.get(node.output[0]) if len(node.output) == 1 else None
        nodes.extend(new if new is not None else [node])
    del graph.node[:]
    graph.node.extend(nodes)


def _integer(graph: Any, weights: Weights, made: _Rewrite) -> None:
    """Every weight ``MatMul`` left a ``DynamicQuantizeMatMul``, the bias ``Add`` after it
    folded in."""
    readers: dict[str, list[Any]] = {}
    for node in graph.node:
        for name in node.input:
            readers.setdefault(name, []).append(node)
    nodes: list[Any] = []
    folded: set[str] = set()
    for node in graph.node:
        if node.output[0] in folded:
            continue
        if node.op_type != "MatMul" or node.input[1] not in weights:
            nodes.append(node)
            continue
        weight, scale = weights[node.input[1]]
        after = readers.get(node.output[0], [])
        bias, out = None, node.output[0]
        if (len(after) == 1 and after[0].op_type == "Add" and after[0].input[0] == out
                and after[0].input[1] in made.tensors):
            bias, out = after[0].input[1], after[0].output[0]
            folded.add(out)
        nodes.append(_matmul(node.input[0], made.unsigned(f"{weight}_u8", [made.array(weight)]),
                             made.add(f"{scale}_n", made.array(scale).reshape(-1)), bias, out,
                             f"{node.name or out}_dq"))
    del graph.node[:]
    graph.node.extend(nodes)


def rewrite(model: Model, weights: Weights, tensors: dict[str, Any], fused: bool = True) -> None:
    """Make ``model`` (its tables already rewritten) the integer graph, in place; ``weights``
    are the packaged graph's dequantised weights (``graph._dequantised``), ``tensors`` its
    initializers by name; ``fused=False`` keeps attention and GELU as exported."""
    from onnx import helper

    from parley.core.meaning.graph import prune

    made = _Rewrite(tensors)
    made.add(ZERO_POINT, np.array(128, dtype=np.uint8))
    if fused:
        _fused(model.graph, weights, made)
        prune(model.graph)  # the replaced subgraphs, before their matmuls are made integer
    _integer(model.graph, weights, made)
    model.graph.initializer.extend(made.added)
    model.opset_import.append(helper.make_opsetid("com.microsoft", 1))
