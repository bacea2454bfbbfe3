"""Matching a reviewed claim to an article's claims: same figure and actor, same words, or the
same meaning in other words (the sentence-embedding model that /fact uses)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz

from parley.core.analysis.entities import extract_entities, first_word
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


@dataclass(frozen=True)
class Reviewed:
    """What every comparison of one text needs from it, made once rather than once a claim:
    its wording, its static vector, its figures, and its names both ways its first word reads
    (``extract_entities`` consults the claim's names only to decide that word)."""

    folded: str
    vector: npt.NDArray[np.float32]
    figures: list[Figure]
    first: str  # the text's first word as a name would be spelt, "" without one
    as_name: list[str]  # its names when that first word is one of the claim's names
    plain: list[str]  # its names otherwise

    def entities(self, known: set[str]) -> list[str]:
        return self.as_name if self.first and self.first in known else self.plain


def reviewed(text: str, vector: npt.NDArray[np.float32] | None = None,
             figures: list[Figure] | None = None) -> Reviewed:
    """``text`` prepared for :func:`score`: ``vector`` is its static vector and ``figures``
    its figures when the caller has them already (one call of ``embed`` for many texts; a
    message's claim read once)."""
    first = first_word(text)
    plain = extract_entities(text, None)
    return Reviewed(fold(text), embed([text])[0] if vector is None else vector,
                    extract_figures(text) if figures is None else figures, first,
                    extract_entities(text, {first}) if first else plain, plain)


def score(said: Reviewed, claim: ClaimLike, claim_vector: npt.NDArray[np.float32]) -> float:
    """0..1: how surely the prepared text states the same claim as ``claim`` (whose static
    vector is ``claim_vector``)."""
    wording = fuzz.token_set_ratio(said.folded, fold(claim.text)) / 100
    meaning = float(similarity(said.vector, claim_vector))
    if meaning >= SAME_MEANING:
        wording = max(wording, meaning)
    if wording * 100 >= NEAR_IDENTICAL:
        return 1.0
    known = set(claim.entities)
    entities = {e.lower() for e in said.entities(known)}
    shared_entity = bool(entities & {e.lower() for e in claim.entities})
    if same_figure(said.figures, claim.figures) and (
            shared_entity or not claim.entities or wording >= SAME_FIGURE_WORDING):
        return max(0.9, wording)
    return wording * (0.8 if said.figures and not same_figure(said.figures, claim.figures)
                      else 1.0)


def match_score(reviewed_: str, claim: ClaimLike) -> float:
    """0..1: how surely ``reviewed_`` states the same claim as ``claim``."""
    vectors = embed([reviewed_, claim.text])
    return score(reviewed(reviewed_, vectors[0]), claim, vectors[1])


def nearest(reviewed_: str, claims: Sequence[ClaimLike],
            vectors: npt.NDArray[np.float32] | None = None,
            figures: list[Figure] | None = None) -> tuple[int, float] | None:
    """Index and score of the claim closest to ``reviewed_`` by :func:`match_score`, if any
    (the text is read once; ``vectors``: the claims' static vectors, one row a claim, when
    the caller holds them, else every claim is embedded here in one call; ``figures``: the
    text's, when the caller read them)."""
    if not claims:
        return None
    if vectors is None or len(vectors) != len(claims):
        vectors = embed([c.text for c in claims])
    said = reviewed(reviewed_, figures=figures)
    value, index = max((score(said, c, vectors[i]), i) for i, c in enumerate(claims))
    return index, value


def best_match(reviewed: str, claims: Sequence[ClaimLike]) -> tuple[int, float] | None:
    """Index and score of the claim that ``reviewed`` states, if one matches well enough."""
    found = nearest(reviewed, claims)
    return found if found is not None and found[1] >= MATCH_THRESHOLD else None
