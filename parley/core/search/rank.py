"""Scoring a candidate sentence against a question: concept coverage, BM25, answer type, and
the fusion of that lexical score with the meaning's cosine."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from parley.core.analysis.entities import extract_entities
from parley.core.analysis.figures import extract_figures
from parley.core.analysis.tokens import content_stems, is_question, stem, words
from parley.core.meaning.encoder import QuestionVector
from parley.core.meaning.layers import FACT_ENCODER_ID
from parley.core.search.query import Query

COVERAGE_WEIGHT, BM25_WEIGHT, TYPE_WEIGHT, CLAIM_WEIGHT = 0.65, 0.2, 0.15, 0.05
MIN_COVERAGE = 0.34  # below this, a sentence does not answer the question
# Covers most of the question: a knowledge-base check worth showing, a claim a topic pack answers.
STRONG_COVERAGE = 0.6
UNSEEN_IMPORTANCE = 0.5
ANSWER_KINDS = {"amount": {"money", "count", "percent"}, "count": {"count"},
                "percent": {"percent"}, "time": {"date", "year"}}
TIME_UNITS = frozenset("year years month months week weeks day days decade decades".split())
PEOPLE = frozenset("""people drivers households workers residents voters families members
businesses owners consumers taxpayers students migrants immigrants citizens critics
supporters officials leaders""".split())
TYPE_RELIEF = 0.25
FIGURE_TYPES = frozenset({"amount", "count", "percent", "duration"})
NO_FIGURE_PENALTY = 0.75
NAME_PART = 0.5  # a sentence with the asked kind of answer may cover a little less


BM25_K1, BM25_B = 1.2, 0.75


def bm25(query: Query, sentence: SentenceFeatures, idf: dict[str, float], avg_length: float
         ) -> float:
    """Okapi BM25 of the sentence for the query's terms (weighted by why each is asked),
    with the article's own IDF and average sentence length."""
    counts = sentence.counts
    norm = BM25_K1 * (1 - BM25_B + BM25_B * len(sentence.stems) / max(avg_length, 1.0))
    total = 0.0
    for term in query.terms:
        tf = min(counts.get(s, 0) for s in term.stems)
        if tf:
            total += term.weight * max(idf.get(s, 0.0) for s in term.stems) * (
                tf * (BM25_K1 + 1) / (tf + norm))
    return total


def idf_table(texts: Sequence[str]) -> dict[str, float]:
    """Inverse document frequency of each stem across the article's sentences."""
    df = Counter(s for t in texts for s in set(content_stems(t)))
    n = len(texts)
    return {s: math.log((n + 1) / (c + 1)) + 1 for s, c in df.items()}


def contains(sentence: SentenceFeatures, phrase: tuple[str, ...]) -> bool:
    """Whether the sentence has the phrase's stems, consecutively."""
    if len(phrase) == 1:
        return phrase[0] in sentence.counts
    if not all(p in sentence.counts for p in phrase):
        return False
    stems, n = sentence.stems, len(phrase)
    return any(stems[i:i + n] == phrase for i in range(len(stems) - n + 1))


@dataclass(frozen=True)
class SentenceFeatures:
    """What ranking needs of a sentence, computed once per article."""

    stems: tuple[str, ...]
    counts: dict[str, int]  # how often each stem occurs
    in_names: frozenset[str]  # stems found only inside multi-word names ("world" in World Bank)
    figure_kinds: frozenset[str]
    has_duration: bool
    has_entity: bool
    has_people: bool
    question: bool  # the sentence asks ("What's keeping hiring at a ho-hum pace?"): no answer


@lru_cache(maxsize=16384)
def sentence_features(text: str) -> SentenceFeatures:
    stems = content_stems(text)
    entities = extract_entities(text)
    named = Counter(stem(w) for e in entities if " " in e for w in words(e))
    everywhere = Counter(stems)
    figures = extract_figures(text)
    return SentenceFeatures(
        stems=tuple(stems), counts=dict(everywhere),
        in_names=frozenset(s for s, n in named.items() if everywhere.get(s, 0) <= n),
        figure_kinds=frozenset(f.kind for f in figures),
        has_duration=any(f.kind == "count" and f.unit in TIME_UNITS for f in figures),
        has_entity=bool(entities), has_people=bool(set(words(text)) & PEOPLE),
        question=is_question(text))


def coverage(query: Query, sentence: SentenceFeatures, idf: dict[str, float],
             weights: dict[int, float] | None = None) -> float:
    """Share of the question's concepts the sentence covers, rarer concepts counting more.

    A word found only inside a longer name counts half: "world" in "World Bank" is not about
    the world."""
    importance = weights if weights is not None else concept_weights(query, idf)
    best: dict[int, float] = {}
    for term in query.terms:
        if contains(sentence, term.stems):
            weight = term.weight * (NAME_PART if len(term.stems) == 1
                                    and term.stems[0] in sentence.in_names else 1.0)
            if weight > best.get(term.concept, 0.0):
                best[term.concept] = weight
    total = sum(importance.values())
    return sum(importance[c] * best.get(c, 0.0) for c in importance) / total if total else 0.0


def concept_weights(query: Query, idf: dict[str, float], rarest: float | None = None
                    ) -> dict[int, float]:
    """How much each of the question's concepts weighs in this article; a caller scoring many
    candidates for one question computes this once and passes it to :func:`coverage`
    (``rarest``: ``idf``'s highest value, if the caller keeps it)."""
    importance: dict[int, float] = {}
    if rarest is None:
        rarest = max(idf.values(), default=1.0)
    for term in query.terms:
        # A concept weighs as much as its rarest word the article uses. A word the article never
        # uses cannot tell its sentences apart, so it weighs little, unless it is a name: an
        # article that never mentions Mongolia cannot answer a question about Mongolia.
        seen = [idf[s] for s in term.stems if s in idf]
        weight = max(seen) if seen else (rarest if term.name else UNSEEN_IMPORTANCE)
        importance[term.concept] = max(importance.get(term.concept, 0.0), weight)
    return importance


def missing_names(query: Query, idf: dict[str, float]) -> list[str]:
    """Names in the question that the article never mentions, in any of their forms."""
    seen: dict[int, bool] = {}
    asked: dict[int, str] = {}
    for term in query.terms:
        if term.name:
            seen[term.concept] = seen.get(term.concept, False) or all(s in idf for s in term.stems)
            if term.origin == "asked":
                asked[term.concept] = " ".join(term.words)
    return [asked.get(c, "") for c, found in seen.items() if not found]


def answers_type(query: Query, sentence: SentenceFeatures) -> bool:
    """Whether the sentence carries the kind of answer the question asks for."""
    if query.type in ANSWER_KINDS:
        return bool(sentence.figure_kinds & ANSWER_KINDS[query.type])
    if query.type == "duration":
        return sentence.has_duration
    if query.type == "person":
        return sentence.has_entity or sentence.has_people
    if query.type == "place":
        return sentence.has_entity
    return False


@dataclass(frozen=True)
class Fusion:
    """How the lexical score and the meaning's cosine combine (chosen on public data by
    ``bench/tune_fusion.py``; see docs/facts.md)."""

    weight: float  # the cosine's weight beside the lexical score (0..1)
    answers: float  # a cosine this high answers even with no words in common ("nothing answers"
    #                 below it unless the words cover the question)
    vector_candidates: int  # the nearest sentences in meaning joining the lexical candidates
    floor: float  # … when at least this near; and no sentence farther than this answers
    # The sentence encoder's cosine (all-MiniLM-L6-v2 itself), where the article's sentences
    # have been encoded: its weight beside the others, and a cosine that answers on its own.
    # Where the encoder's cosine is known, a sentence the words cover needs at least
    # ``encoder_floor`` of it too (the static model's own ``floor`` still applies).
    encoder_weight: float = 0.0
    encoder_answers: float = 2.0
    encoder_floor: float = -2.0


# The static part chosen by ``python -m bench.tune_fusion``, the encoder's by ``… --encoder``.
FUSION = Fusion(weight=0.45, answers=0.525, vector_candidates=8, floor=0.25)
ENCODER_FUSION = Fusion(weight=0.15, answers=0.525, vector_candidates=8, floor=0.25,
                        encoder_weight=0.4, encoder_answers=0.45, encoder_floor=0.15)
LEXICAL_ONLY = Fusion(weight=0.0, answers=2.0, vector_candidates=0, floor=-2.0)
# /fact's own question graph (5 layers and the map, ``meaning/layers.py``): its cosines run
# lower than the whole graph's, so the encoder's part is ``ENCODER_FUSION``'s read on cosines
# standardised to the whole graph's, expressed on the raw ones (weight 0.4 × a, thresholds
# (t − b) / a), fitted with the graph on SQuAD's tuning quarter (``bench.question_layers
# --fusion``; docs/facts.md).
FACT_FUSION = Fusion(weight=0.15, answers=0.525, vector_candidates=8, floor=0.25,
                     encoder_weight=0.682, encoder_answers=0.3195, encoder_floor=0.1435)


def fusion_of(question: QuestionVector) -> Fusion:
    """The fusion chosen for the graph that made the question's vector: ``FACT_FUSION`` for
    ``/fact``'s own, ``ENCODER_FUSION`` for the whole graph's (``/check``'s messages)."""
    return FACT_FUSION if question.graph == FACT_ENCODER_ID else ENCODER_FUSION


def fused(fusion: Fusion, query: Query, lexical: float, similarity: float, typed: bool,
          encoded: float | None = None) -> float:
    """The hybrid score: lexical plus the weighted cosines (the static model's, and the
    encoder's where there is one), which a "how much/many" question discounts like the lexical
    score when the sentence has no figure."""
    meaning = fusion.weight * max(similarity, 0.0)
    if encoded is not None:
        meaning += fusion.encoder_weight * max(encoded, 0.0)
    if query.type in FIGURE_TYPES and not typed:
        meaning *= NO_FIGURE_PENALTY
    return round(lexical + meaning, 4)


def answers(fusion: Fusion, cov: float, typed: bool, similarity: float,
            encoded: float | None = None) -> bool:
    """Whether a sentence answers at all: its words cover the question and its meaning is not
    far off, or its meaning is close (by the static model, or by the encoder)."""
    if encoded is None:
        return (relevant(cov, typed) and similarity >= fusion.floor) or similarity >= fusion.answers
    return ((relevant(cov, typed) and similarity >= fusion.floor
             and encoded >= fusion.encoder_floor)
            or similarity >= fusion.answers or encoded >= fusion.encoder_answers)


def relevant(cov: float, typed: bool) -> bool:
    """Whether a sentence answers the question at all."""
    return cov >= MIN_COVERAGE or (typed and cov >= TYPE_RELIEF)


def score(query: Query, sentence: SentenceFeatures, idf: dict[str, float], bm25_share: float,
          claim_score: float | None, weights: dict[int, float] | None = None
          ) -> tuple[float, float, bool]:
    """(score, coverage, answers the asked type) of one candidate; score is 0..1; ``weights``
    are :func:`concept_weights` of the query, if already computed."""
    cov = coverage(query, sentence, idf, weights)
    typed = answers_type(query, sentence)
    return combined(query, cov, bm25_share, typed, claim_score), round(cov, 4), typed


def combined(query: Query, cov: float, bm25_share: float, typed: bool,
             claim_score: float | None) -> float:
    """The lexical score (0..1) from a candidate's coverage, BM25 share, answer type and claim
    strength."""
    total = (COVERAGE_WEIGHT * cov + BM25_WEIGHT * bm25_share + TYPE_WEIGHT * typed
             + CLAIM_WEIGHT * (claim_score or 0.0))
    if query.type in FIGURE_TYPES and not typed:
        total *= NO_FIGURE_PENALTY  # "how much/many/fast/long" wants a figure in the answer
    return round(total, 4)
