"""Matching two coverage profiles: are they on the same topic or event, which passage of one
addresses each main point of the other, and how (agreeing, adding context, disputing, unclear)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from parley.core.coverage.profile import Passage, Profile, term_weight

Stance = Literal["agreeing", "adding context", "disputing", "unclear"]
CANDIDATES = 20  # related articles a new article is matched against, best first
EVENT_MIN = 0.45  # …and, within EVENT_DAYS and sharing EVENT_ENTITIES names, the same event
EVENT_DAYS = 3
EVENT_ENTITIES = 2
POINT_MIN = 0.30  # the least a passage may score and still address a point
SHOW_MIN = 0.65  # the least a passage's score plus its article's relation score to be shown
AGREE_OVERLAP, AGREE_COSINE = 0.6, 0.93
CONTEXT_OVERLAP = 0.3
DISPUTE_OVERLAP = 0.2


@dataclass(frozen=True)
class Relation:
    """How one article's profile relates to another's."""

    score: float
    same_event: bool


@dataclass(frozen=True)
class PointMatch:
    point: int  # sentence position in the first article
    passage: int  # sentence position in the second
    score: float
    stance: Stance


def _overlap(a: dict[str, float], b: dict[str, float]) -> float:
    """Weighted share of the smaller term set that the other has too."""
    shared = sum(min(w, b[t]) for t, w in a.items() if t in b)
    return shared / max(1e-9, min(sum(a.values()), sum(b.values())))


def _cosine(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.dot(a.ravel(), b.ravel()))


def relate(a: Profile, b: Profile) -> Relation:
    """Same topic from shared weighted terms and names and the articles' meaning vectors; the
    same event when also close in date and sharing names."""
    lexical = _overlap(a.terms, b.terms)
    meaning = max(0.0, (_cosine(a.vector, b.vector) - 0.8) / 0.2)
    score = round(0.7 * lexical + 0.3 * meaning, 4)
    shared_names = len(set(a.entities) & set(b.entities))
    close = a.published is not None and b.published is not None and \
        abs((a.published - b.published).days) <= EVENT_DAYS
    return Relation(score=score, same_event=score >= EVENT_MIN and close
                    and shared_names >= EVENT_ENTITIES)


def _stem_overlap(point: Passage, passage: Passage) -> float:
    weights = {s: term_weight(s) for s in point.stems}
    total = sum(weights.values())
    shared = sum(w for s, w in weights.items() if s in set(passage.stems))
    return shared / total if total else 0.0


def stance(point: Passage, passage: Passage, overlap: float, cosine: float) -> Stance:
    """Disputing only on explicit words of dispute; agreeing only when it says nearly the same
    thing with the same polarity; adding context when it brings figures or names the point lacks;
    otherwise unclear, rather than a guess."""
    if passage.disputes and not point.disputes and overlap >= DISPUTE_OVERLAP:
        return "disputing"
    figures_clash = bool(point.figures) and bool(passage.figures) and \
        not set(point.figures) & set(passage.figures)
    if overlap >= AGREE_OVERLAP and cosine >= AGREE_COSINE and point.negated == passage.negated \
            and not passage.disputes and not figures_clash:
        return "agreeing"
    new_facts = set(passage.figures) - set(point.figures) or \
        set(passage.entities) - set(point.entities)
    if overlap >= CONTEXT_OVERLAP and new_facts and not passage.disputes:
        return "adding context"
    return "unclear"


def match_points(a: Profile, b: Profile, relation: float = 0.0) -> list[PointMatch]:
    """For each main point of ``a``, the passage of ``b`` that best addresses it, if any does:
    shared weighted words, meaning, shared names and figures together. A match's score adds the
    two articles' relation score, so a passage from an article on the same topic ranks higher;
    the thresholds were chosen on the public AllSides corpus (docs/coverage.md)."""
    if not b.passages:
        return []
    out = []
    sims = a.passage_vectors @ b.passage_vectors.T if len(a.passages) else None
    b_entities = [set(p.entities) for p in b.passages]
    for position in a.points:
        i = a.passage_at(position)
        if i is None or sims is None:
            continue
        point = a.passages[i]
        best: tuple[float, int, float, float] | None = None
        for j, passage in enumerate(b.passages):
            overlap = _stem_overlap(point, passage)
            if overlap < 0.15:
                continue
            cosine = float(sims[i, j])
            names = len(set(point.entities) & b_entities[j])
            figures = len(set(point.figures) & set(passage.figures))
            score = (0.55 * overlap + 0.3 * max(0.0, (cosine - 0.6) / 0.4)
                     + 0.1 * min(1.0, names / 2) + 0.05 * min(1.0, figures))
            if best is None or score > best[0]:
                best = (score, j, overlap, cosine)
        if best is not None and best[0] >= POINT_MIN and best[0] + relation >= SHOW_MIN:
            score, j, overlap, cosine = best
            out.append(PointMatch(point=position, passage=b.passages[j].position,
                                  score=round(score + relation, 4),
                                  stance=stance(point, b.passages[j], overlap, cosine)))
    return out
