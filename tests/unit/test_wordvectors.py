"""The shipped word vectors: a unit mean over content words, where like meanings lie close."""

from __future__ import annotations

import math

from parley.core.analysis.checkworthiness import (
    EMBEDDING_SCALE,
    MEANING_FEATURES,
    meaning_features,
    model,
)
from parley.core.analysis.tokens import words
from parley.core.analysis.wordvectors import DIMS, sentence_vector


def vector(text: str) -> list[float]:
    v = sentence_vector(words(text))
    assert v is not None
    return v


def cosine(a: str, b: str) -> float:
    return sum(x * y for x, y in zip(vector(a), vector(b), strict=True))


def test_a_sentence_vector_has_unit_length() -> None:
    v = vector("Exports of copper rose sharply last year.")
    assert len(v) == DIMS
    assert math.isclose(math.sqrt(sum(x * x for x in v)), 1.0, rel_tol=1e-9)


def test_like_meanings_lie_closer_than_unlike_ones() -> None:
    trade = "Tariffs on imported steel"
    assert cosine(trade, "Duties on foreign goods") > cosine(trade, "The football match ended")
    assert cosine("The senator voted against the bill", "Lawmakers rejected the legislation") \
        > cosine("The senator voted against the bill", "A recipe for apple pie")


def test_stopwords_and_unknown_words_carry_no_meaning() -> None:
    assert vector("the tariffs") == vector("tariffs")
    assert vector("tariffs qzxv") == vector("tariffs")
    assert sentence_vector(words("it is what it is")) is None
    assert sentence_vector(words("qzxv wqpt")) is None
    assert sentence_vector([]) is None
    assert meaning_features("it is what it is") == {}


def test_the_model_weighs_every_meaning_dimension() -> None:
    _, weights = model()
    feats = meaning_features("Exports of copper rose sharply last year.")
    assert len(MEANING_FEATURES) == DIMS
    assert set(feats) == set(MEANING_FEATURES) <= set(weights)
    assert math.isclose(math.sqrt(sum(x * x for x in feats.values())), EMBEDDING_SCALE)
