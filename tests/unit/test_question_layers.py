"""The truncated question graphs and the ridge map of ``bench/question_layers.py`` (issue #19)."""

from __future__ import annotations

import numpy as np
import pytest

from bench.question_layers import fit, mapped, truncate


def test_a_graph_cut_after_its_layers_ends_where_they_end_and_keeps_no_later_layer() -> None:
    import onnx

    from parley.core.meaning import graph
    from parley.core.meaning.encoder import _graph

    whole = onnx.load_from_string(graph.integer(_graph()))
    kept: dict[int, onnx.ModelProto] = {}
    for layers in (6, 4):
        kept[layers] = onnx.ModelProto()
        kept[layers].CopyFrom(whole)
        truncate(kept[layers].graph, layers)
    assert kept[6].graph.output[0].name == "last_hidden_state"  # all six: the graph as it was
    assert len(kept[6].graph.node) == len(whole.graph.node)
    norms = [n.output[0] for n in whole.graph.node if n.op_type == "LayerNormalization"]
    assert kept[4].graph.output[0].name == norms[8]  # the embeddings', then two a layer
    attentions = [n for n in kept[4].graph.node if n.op_type == "MultiHeadAttention"]
    assert len(attentions) == 4
    for layers in (0, 7):
        with pytest.raises(ValueError):
            truncate(whole.graph, layers)


def test_the_map_recovers_a_linear_relation_and_ridge_shrinks_it() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(400, 16))
    w, b = rng.normal(size=(16, 16)), rng.normal(size=16)
    found_w, found_b = fit(x, x @ w + b, 0.0)
    np.testing.assert_allclose(found_w, w, atol=1e-8)
    np.testing.assert_allclose(found_b, b, atol=1e-8)
    shrunk, _ = fit(x, x @ w + b, 1e4)
    assert np.linalg.norm(shrunk) < 0.5 * np.linalg.norm(w)
    rows = mapped(x, w, b)
    np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
