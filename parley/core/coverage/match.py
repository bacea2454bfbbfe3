"""Matching two coverage profiles: are they on the same topic or event, which passage of one
addresses each main point of the other, and how (agreeing, adding context, disputing, unclear)."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

from parley.core.coverage.profile import Passage, Profile

Stance = Literal["agreeing", "adding context", "disputing", "unclear"]
CANDIDATES = 20  # related articles a new article is matched against, best first
# the least topic similarity (``topic_similarity``, a link's score) a linked article needs to
# be shown as on the same topic: the least bar whose shown articles were on the article's topic
# for 90 % on the tune half's labels (python -m bench.coverage_topics); only links at it are
# given a passage nearest the points (``index.link_pair``: none other is ever quoted)
TOPIC_MIN = 0.26
EVENT_MIN = 0.45  # …and, within EVENT_DAYS and sharing EVENT_ENTITIES names, the same event
EVENT_DAYS = 3
EVENT_ENTITIES = 2
POINT_MIN = 0.45  # the least a passage may score and still address a point (static vectors)
POINT_MIN_ENCODED = 0.42  # …when both articles' passages carry the encoder's vectors
POINT_DAYS = 31  # …published at most this many days from the point's article
UNDATED_MIN = 0.85  # …or, when either date is unknown, nearly the same sentence
SPECIFIC_MIN = 2.0  # the least specific weight (``specificity``) a passage must share
# the editor's checks (``pair_checks``), chosen by leave-one-topic-out on hand-judged tune
# pairs (python -m bench.coverage_judged cv): within NEAR_DAYS, NEAR_WORDS of the point's
# specific weight shared in the event's own words (not names); further (up to POINT_DAYS),
# only nearly the same sentence (a score of FAR_MIN)
NEAR_DAYS = 10
NEAR_WORDS = 2.5
FAR_MIN = 0.6
CLAIM_STEMS = 5  # content stems outside names a passage needs to say something of its own
AGREE_OVERLAP, AGREE_COSINE = 0.6, 0.85
CONTEXT_OVERLAP = 0.3
DISPUTE_OVERLAP = 0.2
YEAR = re.compile(r"(?:19|20)\d\d")


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


def topic_similarity(a: Profile, b: Profile) -> float:
    """Whether two articles are on the same topic, decided on the whole articles: the cosine of
    their topic terms (``Profile.topic``, unit weights), 0 when either has none."""
    small, large = (a.topic, b.topic) if len(a.topic) <= len(b.topic) else (b.topic, a.topic)
    return round(sum(w * large[t] for t, w in small.items() if t in large), 4)


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


def specificity(profiles: Sequence[Profile]) -> dict[str, float]:
    """How specific each stem and name is among an article and its candidates (a local inverse
    document frequency): words all of them use are the topic ("tariff" among trade articles),
    the rare ones the point ("Hoeven", "superdelegates"). A store too small to fill the
    candidates counts as if the missing ones lacked every word, so a weight does not depend on
    how many articles happen to be stored yet."""
    counts = Counter(k for profile in profiles for k in profile.vocabulary())
    n = max(len(profiles), CANDIDATES + 1)
    return {k: math.log((n + 1) / (df + 0.5)) for k, df in counts.items()}


def within(a: Profile, b: Profile, days: int) -> bool:
    """Whether both are dated and published at most ``days`` apart."""
    apart = _days_apart(a, b)
    return apart is not None and apart <= days


def _days_apart(a: Profile, b: Profile) -> int | None:
    if a.published is None or b.published is None:
        return None
    return abs((a.published - b.published).days)


def keyed_weights(point: Passage, weights: Mapping[str, float]) -> dict[str, float]:
    """The point's stems and names with how specific each is."""
    return {k: weights.get(k, 0.0) for k in (*point.stems, *point.entities)}


def shared_weight(keyed: Mapping[str, float], passage: Passage | set[str]) -> float:
    """How much of the point's specific weight the passage shares."""
    keys = passage if isinstance(passage, set) else set(passage.stems) | set(passage.entities)
    return sum(w for k, w in keyed.items() if k in keys)


@dataclass(frozen=True)
class PairFeatures:
    """What ``match_points`` weighs for one point of ``a`` and one passage of ``b``."""

    shared: float
    share: float
    static: float
    encoder: float | None


def pair_features(a: Profile, b: Profile, weights: Mapping[str, float], i: int, j: int
                  ) -> PairFeatures:
    """The features of the ``i``-th passage of ``a`` (a point) against the ``j``-th of ``b``."""
    keyed = keyed_weights(a.passages[i], weights)
    shared = shared_weight(keyed, b.passages[j])
    encoder = float(a.encodings[i] @ b.encodings[j]) \
        if a.encodings is not None and b.encodings is not None else None
    return PairFeatures(shared=shared, share=shared / max(1e-9, sum(keyed.values())),
                        static=float(a.passage_vectors[i] @ b.passage_vectors[j]),
                        encoder=encoder)


@dataclass(frozen=True)
class PairChecks:
    """What a careful editor checks of one point and one passage besides the score: the named
    actors both name, how much of the point's specific weight is the event's own words (not
    names), the days between the articles, and whether the passage says something of its own."""

    score: float
    share: float
    cosine: float
    shared_names: int
    event_words: float
    days_apart: int | None
    claim: bool

    def as_dict(self) -> dict[str, float | int | bool | None]:
        return {"score": round(self.score, 4), "share": round(self.share, 4),
                "cosine": round(self.cosine, 4), "shared_names": self.shared_names,
                "event_words": round(self.event_words, 3), "days_apart": self.days_apart,
                "claim": self.claim}


def _name_words(passage: Passage) -> set[str]:
    return {w for e in passage.entities for w in e[2:].split()}


def says_something(passage: Passage) -> bool:
    """A claim rather than furniture: at least ``CLAIM_STEMS`` content stems that are not part
    of a name (a list of senators, "That's according to the Giffords Law Center" are not)."""
    names = _name_words(passage)
    own = [s for s in passage.stems if not any(n.startswith(s) for n in names)]
    return len(own) >= CLAIM_STEMS


def _event_words(keyed: Mapping[str, float], keys: set[str]) -> float:
    """The point's specific weight the passage shares in words, not names."""
    return sum(w for k, w in keyed.items() if k in keys and not k.startswith("e:"))


def point_score(share: float, cosine: float) -> float:
    """How well a passage addresses a point: half the share of the point's specific weight it
    has too, half the two sentences' meaning cosine."""
    return 0.5 * share + 0.5 * cosine


def pair_checks(a: Profile, b: Profile, weights: Mapping[str, float], i: int, j: int
                ) -> PairChecks:
    """The editor's checks of the ``i``-th passage of ``a`` (a point) against the ``j``-th of
    ``b``, with the score ``match_points`` gives the pair."""
    point, passage = a.passages[i], b.passages[j]
    keyed = keyed_weights(point, weights)
    total = max(1e-9, sum(keyed.values()))
    keys = set(passage.stems) | set(passage.entities)
    shared = shared_weight(keyed, keys)
    words = _event_words(keyed, keys)
    cosine = float(a.encodings[i] @ b.encodings[j]) if a.encodings is not None \
        and b.encodings is not None else float(a.passage_vectors[i] @ b.passage_vectors[j])
    return PairChecks(score=point_score(shared / total, cosine), share=shared / total,
                      cosine=cosine,
                      shared_names=len(set(point.entities) & set(passage.entities)),
                      event_words=words, days_apart=_days_apart(a, b),
                      claim=says_something(passage))


def match_points(a: Profile, b: Profile, weights: Mapping[str, float],
                 claims: Sequence[bool] | None = None) -> list[PointMatch]:
    """For each main point of ``a``, the passage of ``b`` that addresses the same point, if one
    does: half the share of the point's specific words (``weights``) the passage has too, half
    the two sentences' meaning cosine (the encoder's when both articles have been encoded, else
    the static model's, each with its own ``POINT_MIN``), at least ``SPECIFIC_MIN`` of
    specific weight shared, the passage a claim of its own (``says_something``), and published
    within ``NEAR_DAYS`` of each other with ``NEAR_WORDS`` of the event's own words shared, or
    within ``POINT_DAYS`` scoring ``FAR_MIN`` (or, when a date is unknown, nearly the same
    sentence). The rule and its thresholds were chosen on hand-judged pairs of half the public
    AllSides topics and reported on the other half (docs/coverage.md). ``claims``:
    ``says_something`` of each of ``b``'s passages, when the caller has them."""
    if not b.passages or not a.passages:
        return []
    days = _days_apart(a, b)
    encoded = a.encodings is not None and b.encodings is not None
    floor = UNDATED_MIN if days is None else POINT_MIN_ENCODED if encoded else POINT_MIN
    if days is not None and days > POINT_DAYS:
        return []
    out = []
    sims = a.passage_vectors @ b.passage_vectors.T  # the static model's: stance reads these
    meant = a.encodings @ b.encodings.T if a.encodings is not None and b.encodings is not None \
        else sims
    b_keys = [set(p.stems) | set(p.entities) for p in b.passages]
    claims = [says_something(p) for p in b.passages] if claims is None else claims
    near = days is not None and days <= NEAR_DAYS
    for position in a.points:
        i = a.passage_at(position)
        if i is None:
            continue
        point = a.passages[i]
        keyed = keyed_weights(point, weights)
        total = sum(keyed.values())
        if total <= 0:
            continue
        best: tuple[float, int, float] | None = None
        for j, keys in enumerate(b_keys):
            shared = shared_weight(keyed, keys)
            if shared < SPECIFIC_MIN or not claims[j]:
                continue
            share = shared / total
            score = point_score(share, float(meant[i, j]))
            if days is not None and score < FAR_MIN and not (
                    near and _event_words(keyed, keys) >= NEAR_WORDS):
                continue  # a month apart, or sharing names but not the event's words
            if best is None or score > best[0]:
                best = (score, j, share)
        if best is not None and best[0] >= floor:
            score, j, share = best
            out.append(PointMatch(point=position, passage=b.passages[j].position,
                                  score=round(score, 4),
                                  stance=stance(point, b.passages[j], share, float(sims[i, j]))))
    return out


def _figure_keys(passage: Passage) -> set[str]:
    """The passage's figures that can tie it to a point: not years, not single digits."""
    return {"#" + f for f in passage.figures if len(f) > 1 and not YEAR.fullmatch(f)}


def nearest_passage(a: Profile, b: Profile, weights: Mapping[str, float],
                    claims: Sequence[bool] | None = None, least: float | None = None
                    ) -> PointMatch | None:
    """The passage of ``b`` nearest any main point of ``a``, whatever their dates, for the
    broader-topic section (which quotes it rather than ``b``'s own top claim): the score of
    ``match_points`` (half the share of the point's specific words and names it has, half the
    meaning cosine, the encoder's when both are encoded), a shared figure weighing as a word only
    the two articles use. It must say something of its own (``claims``: ``says_something`` of
    each of ``b``'s passages, when the caller has them), share ``SPECIFIC_MIN`` of that weight
    and reach the same ``POINT_MIN`` as a point's passage; else None (the article is on the
    topic, not on this point; ``least``, when given, replaces that bar). The stance reads the
    static cosine, as ``match_points``."""
    if not a.passages or not b.passages:
        return None
    rows = [i for i in (a.passage_at(p) for p in a.points) if i is not None]
    figure = math.log((CANDIDATES + 2) / 2.5)  # ``specificity`` of a word two articles share
    keyed = [keyed_weights(a.passages[i], weights)
             | dict.fromkeys(_figure_keys(a.passages[i]), figure) for i in rows]
    vocabulary = {k: n for n, k in enumerate(sorted({k for kw in keyed for k in kw}))}
    if not vocabulary:
        return None
    point_weights = np.zeros((len(rows), len(vocabulary)))
    for r, kw in enumerate(keyed):
        for k, w in kw.items():
            point_weights[r, vocabulary[k]] = w
    totals = point_weights.sum(axis=1)
    has = np.zeros((len(b.passages), len(vocabulary)))
    for j, p in enumerate(b.passages):
        for k in (*p.stems, *p.entities, *_figure_keys(p)):
            n = vocabulary.get(k)
            if n is not None:
                has[j, n] = 1.0
    shared = point_weights @ has.T  # points × passages
    claims = [says_something(p) for p in b.passages] if claims is None else claims
    sims = a.passage_vectors[rows] @ b.passage_vectors.T
    encoded = a.encodings is not None and b.encodings is not None
    meant = a.encodings[rows] @ b.encodings.T \
        if a.encodings is not None and b.encodings is not None else sims
    share = shared / np.maximum(totals, 1e-9)[:, None]
    score = 0.5 * share + 0.5 * meant
    allowed = (shared >= SPECIFIC_MIN) & np.asarray(claims, dtype=bool)[None, :] \
        & (totals > 0)[:, None]
    if not allowed.any():
        return None
    score = np.where(allowed, score, -np.inf)
    at_row, j = (int(x) for x in np.unravel_index(int(np.argmax(score)), score.shape))
    best = float(score[at_row, j])
    if best < ((POINT_MIN_ENCODED if encoded else POINT_MIN) if least is None else least):
        return None
    point = a.passages[rows[at_row]]
    return PointMatch(point=point.position, passage=b.passages[j].position,
                      score=round(best, 4), stance=stance(point, b.passages[j],
                                                          float(share[at_row, j]),
                                                          float(sims[at_row, j])))
