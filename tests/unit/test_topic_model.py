"""The news-topic model tried for "same topic" (bench/topic_model.py): its file round-trips, its
predictions are deterministic probabilities, and "other" or a weak best is no named topic."""

from __future__ import annotations

import numpy as np

from bench.topic_model import (
    OTHER,
    TopicModel,
    decode,
    features,
    load,
    named_topic,
    predict,
    shared_topic,
)
from bench.train_topics import encode


def small_model() -> TopicModel:
    classes = ("guns", "other", "trade")
    weights = np.array([[4.0, -1.0, -1.0],   # gun
                        [-1.0, -1.0, 4.0],   # tariff
                        [0.0, 0.0, 0.0]],    # noise: no weight, dropped when encoded
                       dtype=np.float32)
    return TopicModel(classes=classes, index={"gun": 0, "tariff": 1, "noise": 2},
                      weights=weights, bias=np.array([0.0, 0.5, 0.0], dtype=np.float32))


def test_the_file_round_trips_in_float16_without_stems_of_no_weight() -> None:
    model = decode(encode(small_model(), {"about": "test"}))
    assert model.classes == ("guns", "other", "trade")
    assert set(model.index) == {"gun", "tariff"}
    assert np.allclose(model.weights[model.index["tariff"]], [-1.0, -1.0, 4.0])


def test_predictions_are_deterministic_probabilities() -> None:
    model = small_model()
    first = predict({"gun": 2.0, "unknown": 1.0}, model)
    assert first == predict({"unknown": 1.0, "gun": 2.0}, model)
    assert abs(sum(first) - 1.0) < 1e-3
    assert max(first) == first[0]  # guns
    assert features({"a": 3.0, "b": 4.0}) == {"a": 0.6, "b": 0.8}


def test_other_or_a_weak_best_is_no_named_topic() -> None:
    model = small_model()
    nothing_known = predict({"unknown": 1.0}, model)
    assert model.classes[int(np.argmax(nothing_known))] == OTHER
    assert named_topic(nothing_known, 0.5, model) is None
    guns = predict({"gun": 1.0}, model)
    assert named_topic(guns, 0.5, model) == "guns"
    assert named_topic(guns, 0.99, model) is None
    assert named_topic((), 0.5, model) is None


def test_shared_topic_counts_named_topics_only() -> None:
    model = small_model()
    assert shared_topic((0.0, 1.0, 0.0), (0.0, 1.0, 0.0), model) == 0.0  # both "other"
    assert abs(shared_topic((0.5, 0.0, 0.5), (1.0, 0.0, 0.0), model) - 0.5) < 1e-9
    assert shared_topic((), (1.0, 0.0, 0.0), model) == 0.0


def test_the_committed_model_knows_the_tune_halfs_topics_and_other() -> None:
    model = load()
    # fitted on the tune half only (bench.coverage.halves): the report half's topics are
    # unseen, never a class
    assert set(model.classes) == {"economy_and_jobs", "elections", "foreign_policy",
                                  "healthcare", "trade", OTHER}
    assert model.weights.shape == (len(model.index), len(model.classes))


def test_the_bench_rule_scores_a_shared_named_topic_only() -> None:
    from bench.coverage_topics import shared

    known = np.array([True, False, True])  # guns, other, trade
    probs = np.array([[0.8, 0.1, 0.1],    # guns
                      [0.6, 0.3, 0.1],    # guns, less sure
                      [0.1, 0.8, 0.1]])   # other
    product = shared(probs, probs, known, confident=False)
    assert abs(product[0, 1] - (0.8 * 0.6 + 0.1 * 0.1)) < 1e-9
    confident = shared(probs, probs, known, confident=True)
    assert confident[0, 1] == 0.6  # the lesser of the two best probabilities
    assert confident[2, 2] == 0.0  # "other" is never a shared topic
    assert confident[0, 2] == 0.0
