"""Matching a member's message to known fact checks and to the article's claims: which claims
the message makes, and for each the closest checks, scored 0..1 (pure functions)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from parley.core.analysis.claims import assess
from parley.core.analysis.entities import extract_entities
from parley.core.analysis.figures import Figure, extract_figures
from parley.core.analysis.sentences import split_paragraphs, split_sentences
from parley.core.analysis.tokens import STOPWORDS, fold, words
from parley.core.factcheck.matching import ClaimLike, nearest, same_figure

MAX_CLAIMS = 5  # a message's claims checked, best first
MAX_TERMS = 64  # words of a message sent to full-text search
MATCH_THRESHOLD = 0.6  # an article claim below this is "not the same claim"
# A pasted post: links (and picture links), an embedded tweet's date line, and hashtags and
# @handles whose words are glued together ("#BorderWall", "@IlhanMN").
LINK = re.compile(r"https?://\S+|pic\.twitter\.com/\S+|\bwww\.\S+")
POSTED_ON = re.compile(r"\(@\w+\)\s*[A-Z][a-z]+ \d{1,2}, \d{4}\s*$")
TAG = re.compile(r"[#@](\w+)")
CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|(?<=[A-Za-z])(?=[0-9])")
# A candidate sharing less wording than this is not compared by figures and actors (the costly
# part): the same figure in otherwise different words is not the same claim.
FIGURE_GATE = 0.35


@dataclass(frozen=True)
class Probe:
    """One claim of a member's message, as the matchers compare it."""

    text: str
    figures: list[Figure] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)


def probe(text: str) -> Probe:
    return Probe(text, extract_figures(text), extract_entities(text))


def message_claims(text: str) -> list[Probe]:
    """The checkable claims a message makes, the most check-worthy first; a message with none
    the analysis engine recognises is checked as it stands (a short message often is one)."""
    sentences = [s for p in split_paragraphs(text) for s in split_sentences(p)]
    found = [c for i, s in enumerate(sentences) if (c := assess(i, s, None, None))]
    found.sort(key=lambda c: -c.score)
    if not found:
        return [probe(text)] if search_terms(text) else []
    return [Probe(c.text, c.figures, c.entities) for c in found[:MAX_CLAIMS]]


def clean_message(text: str) -> str:
    """What a message says, without what only a feed adds: links and the date line go; a
    hashtag or handle is kept and also split into its words (emoji carry no searchable word
    and are ignored by the tokeniser anyway)."""
    text = POSTED_ON.sub(" ", LINK.sub(" ", text))
    return TAG.sub(lambda m: f"{m.group(1)} {CAMEL.sub(' ', m.group(1))}"
                   if m.group(0)[0] == "#" else CAMEL.sub(" ", m.group(1)), text)


def search_terms(text: str) -> list[str]:
    """The words of a claim worth searching for, in order, without repeats."""
    return list(dict.fromkeys(w.removesuffix("'s") for w in words(text)
                              if w not in STOPWORDS and len(w) > 1))[:MAX_TERMS]


class Weights(NamedTuple):
    """How the ranking score mixes its three signals (chosen on the CLEF 2020 train tweets)."""

    lexical: float  # full-text relevance, relative to the best candidate's
    meaning: float  # cosine of the message's and the claim's sentence vectors
    wording: float  # rapidfuzz token-set similarity with the claim or its headline


# The ranking without vectors (by words alone: the first check after start, or before an
# import's vectors are made); chosen on the CLEF 2020 train tweets with meaning weighted too.
WEIGHTS = Weights(0.75, 2.0, 0.5)


class Fusion(NamedTuple):
    """Reciprocal-rank fusion of the full-text order and the order by meaning: a candidate
    scores ``lexical / (k + its full-text rank) + meaning / (k + its rank by cosine)``."""

    lexical: float
    meaning: float
    k: int


# Chosen by five-fold cross-validation on the 800 CLEF 2020 train tweets, against the weighted
# mean above (``python -m bench.claim_matching --tune``); the dev tweets never choose anything.
# The two orders count alike; the wording overlap added nothing once ranks are fused. k = 5:
# every fold and all of train chose it (CV MAP@5 0.899; k = 10, the exploration's pick, 0.896
# on train); the weighted mean's CV 0.879 (issue #21, session 9).
FUSION = Fusion(1.0, 1.0, 5)
# One of the ranking's best is shown as a match only when it is this sure: the lowest
# threshold at which what /check shows first is right ≥ 90 % of the time on the train tweets
# (0.917 there, 504 of 800 answered); below it /check says no fact check matches. The ranking
# score cannot say it: its full-text part is relative to the best candidate's.
SHOW_THRESHOLD = 0.6


def sureness(meaning: float | None, wording_: float) -> float:
    """0..1, absolute: how surely a candidate states the message's claim, whatever else the
    knowledge base holds: the encoder's cosine, or (without vectors) the wording's overlap."""
    return wording_ if meaning is None else meaning


def wording(message: str, claim: str, title: str = "") -> float:
    """0..1: how much of the wording ``message`` shares with a fact check's claim or headline."""
    said = fold(message)
    best = fuzz.token_set_ratio(fold(claim), said) / 100
    if title:
        best = max(best, fuzz.token_set_ratio(fold(title), said) / 100 * 0.95)
    return best


def fuse(lexical: float, meaning: float, wording_: float, weights: Weights = WEIGHTS) -> float:
    """The ranking score: the weighted mean of the three signals, 0..1."""
    total = weights.lexical + weights.meaning + weights.wording
    value = (weights.lexical * lexical + weights.meaning * max(0.0, meaning)
             + weights.wording * wording_)
    return round(value / total, 4) if total > 0 else 0.0


def reciprocal_rank(lexical: Sequence[int], meaning: Sequence[int], fusion: Fusion = FUSION
                    ) -> dict[int, float]:
    """Each candidate's fused score, 0..1 (1: first in both orders), from the two orders of
    ids, best first; a candidate missing from one order gets nothing from it."""
    top = (fusion.lexical + fusion.meaning) / (fusion.k + 1)
    out: dict[int, float] = {}
    for weight, order in ((fusion.lexical, lexical), (fusion.meaning, meaning)):
        for rank, key in enumerate(order, start=1):
            out[key] = out.get(key, 0.0) + weight / (fusion.k + rank)
    return {key: round(value / top, 4) if top > 0 else 0.0 for key, value in out.items()}


def contradicts(message: ClaimLike, claim: str) -> bool:
    """The message states a figure and the claim states others, none of them the message's:
    not the same claim, however close the words (the figures and actors comparison)."""
    if not message.figures:
        return False
    theirs = extract_figures(claim)
    return bool(theirs) and not same_figure(message.figures, theirs)


def closest(message: ClaimLike, claims: Sequence[ClaimLike],
            vectors: npt.NDArray[np.float32] | None = None) -> tuple[int, float] | None:
    """Index and score of the article claim closest to the message's claim, if any
    (``vectors``: the claims' static vectors, when held)."""
    found = nearest(message.text, claims, vectors, message.figures)
    return None if found is None else (found[0], round(found[1], 4))
