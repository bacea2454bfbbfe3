"""Learned sentence scores: how biased a sentence's wording is, and whether it voices the writer's
opinion rather than reporting.

Two logistic models over the same small, interpretable features (``FEATURES``): the lexicon's
marks by category, the sentence's voice and the mean GloVe direction of its words. Their weights
live in ``parley/core/data/sentence_bias.json``, fitted offline by ``bench/train_bias.py`` with
cross-validation on BABE SG2; nothing is learned at run time, and no sentence or word of BABE is
shipped: only one weight per feature.
"""

from __future__ import annotations

import json
import math
import operator
import re
from functools import cache
from importlib import resources

from parley.core.analysis.lexicon import Mark
from parley.core.analysis.rhetoric import EVALUATIVE, quoted
from parley.core.analysis.saying import REPORTING_OR_STATED, alternation
from parley.core.analysis.tokens import fold, is_question, words
from parley.core.analysis.wordvectors import DIMS, VectorMemo, text_vector

CATEGORIES = ("pejorative", "opponent_label", "absolute", "strawman", "charged")
_PRESCRIPTIVE = re.compile(r"\b(?:should|must|ought to|need to|needs to|it's time|let's|has to|"
                           r"have to)\b")
_REPORTING = re.compile(rf"\b{alternation(REPORTING_OR_STATED)}\b")
FIRST = frozenset("i me my we our us".split())
SECOND = frozenset("you your".split())
HEDGES = frozenset("perhaps maybe arguably likely probably apparently seemingly supposedly "
                   "reportedly allegedly".split())
INTENSIFIERS = frozenset("very really truly extremely utterly totally absolutely completely "
                         "so such even just simply literally incredibly deeply".split())

FEATURES: dict[str, str] = {
    **{f"l:{c}": f"lexicon marks of category {c} in the writer's voice (up to 3)"
       for c in CATEGORIES},
    "l:quoted": "lexicon marks inside quotation marks (someone else's words)",
    "h:evaluative": "an evaluative word (good, wrong, crucial, failed)",
    "h:prescriptive": "should, must, it's time, let's",
    "h:reporting": "said, told, according to",
    "h:first": "I, we, our",
    "h:second": "you, your",
    "h:hedge": "perhaps, arguably, allegedly",
    "h:intensifier": "very, utterly, even, simply",
    "h:quote": "holds a quotation",
    "h:question": "a question",
    "h:exclamation": "an exclamation",
    "h:length": "length in words, log-scaled",
    **{f"e:{i}": "a dimension of the mean GloVe vector" for i in range(DIMS)},
}


def features(sentence: str, marks: list[Mark], memo: VectorMemo | None = None
             ) -> dict[str, float]:
    """The sentence's features (``FEATURES``), given its lexicon marks."""
    feats = hand_features(sentence, marks)
    vector = text_vector(sentence, memo)
    if vector is not None:
        feats.update({f"e:{i}": x for i, x in enumerate(vector) if x})
    return feats


def hand_features(sentence: str, marks: list[Mark]) -> dict[str, float]:
    """The features of ``FEATURES`` other than the GloVe dimensions."""
    tokens = words(sentence)
    token_set = set(tokens)
    folded = fold(sentence)
    feats: dict[str, float] = {}
    quoted_marks = 0
    for m in marks:
        if quoted(sentence, m.text):
            quoted_marks += 1
        elif m.category in CATEGORIES:
            feats[f"l:{m.category}"] = min(3.0, feats.get(f"l:{m.category}", 0.0) + 1.0)
    feats["l:quoted"] = float(min(3, quoted_marks))
    feats["h:evaluative"] = float(bool(token_set & EVALUATIVE))
    feats["h:prescriptive"] = float(bool(_PRESCRIPTIVE.search(folded)))
    feats["h:reporting"] = float(bool(_REPORTING.search(folded)))
    feats["h:first"] = float(bool(token_set & FIRST))
    feats["h:second"] = float(bool(token_set & SECOND))
    feats["h:hedge"] = float(bool(token_set & HEDGES))
    feats["h:intensifier"] = float(bool(token_set & INTENSIFIERS))
    feats["h:quote"] = float(any(q in sentence for q in '"“”'))
    feats["h:question"] = float(is_question(sentence))
    feats["h:exclamation"] = float(sentence.rstrip(" \"'”’)").endswith("!"))
    feats["h:length"] = math.log1p(len(tokens)) / 3.0
    return {k: v for k, v in feats.items() if v}


@cache
def _models() -> dict[str, tuple[float, dict[str, float], float]]:
    data = json.loads((resources.files("parley.core.data") / "sentence_bias.json")
                      .read_text(encoding="utf-8"))
    return {name: (float(m["bias"]), {k: float(v) for k, v in m["weights"].items()},
                   float(m["threshold"])) for name, m in data["models"].items()}


@cache
def _dimension_weights(name: str) -> tuple[float, ...]:
    weights = _models()[name][1]
    return tuple(weights.get(f"e:{i}", 0.0) for i in range(DIMS))


def _squash(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def _probability(name: str, feats: dict[str, float]) -> float:
    bias, weights, _ = _models()[name]
    return _squash(bias + sum(weights.get(k, 0.0) * v for k, v in feats.items()))


def _fast_probability(name: str, hand: dict[str, float], vector: list[float] | None) -> float:
    """``_probability`` of ``features``, with the GloVe dimensions as one dot product rather
    than fifty named features."""
    bias, weights, _ = _models()[name]
    z = bias + sum(weights.get(k, 0.0) * v for k, v in hand.items())
    if vector is not None:
        z += sum(map(operator.mul, _dimension_weights(name), vector))
    return _squash(z)


def threshold(name: str) -> float:
    """The cross-validated decision threshold of the ``bias`` or ``opinion`` model."""
    return _models()[name][2]


def bias_probability(sentence: str, marks: list[Mark]) -> float:
    """How likely experts would call the sentence's wording biased (BABE's ``label_bias``)."""
    return _probability("bias", features(sentence, marks))


def opinion_probability(sentence: str, marks: list[Mark]) -> float:
    """How likely the sentence voices the writer's opinion, wholly or in part (BABE's
    ``label_opinion``), rather than being entirely factual."""
    return _probability("opinion", features(sentence, marks))


def sentence_scores(sentence: str, marks: list[Mark], memo: VectorMemo | None = None
                    ) -> tuple[float, float]:
    """Both probabilities, bias and opinion, from one pass over the sentence's features."""
    hand = hand_features(sentence, marks)
    vector = text_vector(sentence, memo)
    return _fast_probability("bias", hand, vector), _fast_probability("opinion", hand, vector)
