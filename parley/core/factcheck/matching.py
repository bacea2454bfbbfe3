"""Matching a reviewed claim to an article's claims: same figure and actor, same words, or the
same meaning in other words (the sentence-embedding model that /fact uses)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from rapidfuzz import fuzz

from parley.core.analysis.entities import extract_entities
from parley.core.analysis.figures import Figure, extract_figures
from parley.core.analysis.tokens import fold
from parley.core.meaning import embed, similarity

NEAR_IDENTICAL = 90.0  # token-set similarity that counts as the same wording
MATCH_THRESHOLD = 0.6
SAME_FIGURE_WORDING = 0.5  # with the same figure, this much shared wording is the same claim
# A cosine this high is a paraphrase ("kids taken from parents" / "children separated"): it counts
# as much shared wording. Below it the static model's cosine says "same topic", not "same claim".
SAME_MEANING = 0.8


class ClaimLike(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def figures(self) -> list[Figure]: ...
    @property
    def entities(self) -> list[str]: ...


def same_figure(a: Sequence[Figure], b: Sequence[Figure]) -> bool:
    """Whether the two lists share a figure (same kind, same value)."""
    keyed = {(f.kind, round(f.value, 6)) for f in a}
    return any((f.kind, round(f.value, 6)) in keyed for f in b)


def match_score(reviewed: str, claim: ClaimLike) -> float:
    """0..1: how surely ``reviewed`` states the same claim as ``claim``."""
    wording = fuzz.token_set_ratio(fold(reviewed), fold(claim.text)) / 100
    reviewed_vector, claim_vector = embed([reviewed, claim.text])
    meaning = float(similarity(reviewed_vector, claim_vector))
    if meaning >= SAME_MEANING:
        wording = max(wording, meaning)
    if wording * 100 >= NEAR_IDENTICAL:
        return 1.0
    figures = extract_figures(reviewed)
    entities = {e.lower() for e in extract_entities(reviewed, set(claim.entities))}
    shared_entity = bool(entities & {e.lower() for e in claim.entities})
    if same_figure(figures, claim.figures) and (
            shared_entity or not claim.entities or wording >= SAME_FIGURE_WORDING):
        return max(0.9, wording)
    return wording * (0.8 if figures and not same_figure(figures, claim.figures) else 1.0)


def nearest(reviewed: str, claims: Sequence[ClaimLike]) -> tuple[int, float] | None:
    """Index and score of the claim closest to ``reviewed`` by :func:`match_score`, if any."""
    scored = [(match_score(reviewed, c), i) for i, c in enumerate(claims)]
    if not scored:
        return None
    score, index = max(scored)
    return index, score


def best_match(reviewed: str, claims: Sequence[ClaimLike]) -> tuple[int, float] | None:
    """Index and score of the claim that ``reviewed`` states, if one matches well enough."""
    found = nearest(reviewed, claims)
    return found if found is not None and found[1] >= MATCH_THRESHOLD else None
