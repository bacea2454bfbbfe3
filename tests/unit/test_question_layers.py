"""The truncated question graphs and the ridge map of ``bench/question_layers.py`` (issue #19)."""

from __future__ import annotations

import numpy as np
import pytest

from bench.question_layers import fit, mapped, truncate
from bench.tune_fusion import Row


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


def _rows(seed: int, n: int = 60, low: float = -0.1, discounted: float = 0.2) -> list[Row]:
    rng = np.random.default_rng(seed)
    rows: list[Row] = []
    for i in range(n):
        k = int(rng.integers(0, 6))  # some rows have no candidate at all
        gold = np.zeros(k, dtype=bool)
        if k:
            gold[int(rng.integers(0, k))] = True
        rows.append(Row(rng.uniform(0, 1, k), rng.uniform(-0.2, 0.9, k), rng.uniform(size=k) < 0.6,
                        np.where(rng.uniform(size=k) < discounted, 0.5, 1.0), gold,
                        i % 11 == 0, rng.uniform(low, 0.9, k)))
    return rows


def test_the_vectorised_count_is_tune_fusions_count_for_every_fusion_tried() -> None:
    from bench import tune_fusion as tf
    from bench.question_layers import Flat
    from parley.core.search.rank import Fusion

    rows = _rows(3)
    flat = Flat(rows)
    for w, u, e, ef in [(0.15, 0.4, 0.45, 0.15), (0.0, 1.0, 0.3, -2.0), (0.45, 0.1, 2.0, 0.2)]:
        f = Fusion(w, 0.525, 8, 0.25, u, e, ef)
        assert flat.top1(f) == tf.top1(rows, w, 0.525, 0.25, u, e, ef)
        assert flat.false(f) == tf.false_answers(rows, 0.525, 0.25, e, ef)


def test_a_fusion_read_on_rescaled_cosines_answers_and_ranks_as_its_raw_equivalent() -> None:
    from dataclasses import replace

    from bench.question_layers import Flat, standardise
    from parley.core.search.rank import ENCODER_FUSION

    a, b = 1.7, -0.1
    # Cosines above -b/a (no clipping differs) and no figure discount: the same answers exactly.
    rows = _rows(5, 200, low=0.06, discounted=0.0)
    rescaled = Flat([replace(r, encoded=a * r.encoded + b) for r in rows])
    raw = Flat(rows)
    moved = standardise((a, b), ENCODER_FUSION)
    assert moved.encoder_answers < ENCODER_FUSION.encoder_answers
    np.testing.assert_array_equal(rescaled.ok(ENCODER_FUSION), raw.ok(moved))
    assert rescaled.top1(ENCODER_FUSION) == raw.top1(moved) > 0
