"""Matching a member's message to known fact checks and to the article's claims: which claims
the message makes, and for each the closest checks, scored 0..1 (pure functions)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from rapidfuzz import fuzz

from parley.core.analysis.claims import assess
from parley.core.analysis.entities import extract_entities
from parley.core.analysis.figures import Figure, extract_figures
from parley.core.analysis.sentences import split_paragraphs, split_sentences
from parley.core.analysis.tokens import STOPWORDS, fold, words
from parley.core.factcheck.matching import ClaimLike, match_score

MAX_CLAIMS = 5  # a message's claims checked, best first
MAX_TERMS = 24  # words of a claim sent to full-text search
MATCH_THRESHOLD = 0.6  # below this, a check is not said to be about the message's claim
# The final score mixes the wording's similarity with the candidate's full-text relevance
# (relative to the best candidate's); the weight was chosen on the CLEF 2020 training tweets
# (bench/claim_matching.py --tune), never on the dev tweets.
WORDING_WEIGHT = 0.25
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


def search_terms(text: str) -> list[str]:
    """The words of a claim worth searching for, in order, without repeats."""
    return list(dict.fromkeys(w.removesuffix("'s") for w in words(text)
                              if w not in STOPWORDS and len(w) > 1))[:MAX_TERMS]


def similarity(message: ClaimLike, claim: str, title: str = "") -> float:
    """0..1: how surely ``claim`` (a fact check's claim, with its headline) states what the
    message's claim states. This is the one matcher /check uses: a better one (meaning as well
    as words) replaces this function alone."""
    wording = fuzz.token_set_ratio(fold(claim), fold(message.text)) / 100
    best = match_score(claim, message) if wording >= FIGURE_GATE else wording
    if title:
        best = max(best, fuzz.token_set_ratio(fold(title), fold(message.text)) / 100 * 0.95)
    return best


def combined(wording: float, relevance: float, best_relevance: float,
             weight: float = WORDING_WEIGHT) -> float:
    """The ranking score: wording similarity and relative full-text relevance together."""
    lexical = relevance / best_relevance if best_relevance > 0 else 0.0
    return round(weight * wording + (1 - weight) * lexical, 4)


def closest(message: ClaimLike, claims: Sequence[ClaimLike]) -> tuple[int, float] | None:
    """Index and score of the article claim closest to the message's claim, if any."""
    scored = [(match_score(message.text, c), i) for i, c in enumerate(claims)]
    if not scored:
        return None
    value, index = max(scored)
    return index, round(value, 4)
