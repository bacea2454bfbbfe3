"""An article's coverage profile, built once at ingestion: topic terms, entities, points and
passages with their meaning vectors and the features that tell how a passage relates to a point."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date
from functools import cache
from importlib import resources

from parley.core.analysis.boilerplate import is_boilerplate
from parley.core.analysis.entities import extract_entities, proper_nouns
from parley.core.analysis.standalone import not_prose
from parley.core.analysis.tokens import STOPWORDS, content_stems, fold, words
from parley.core.coverage.leanings import outlet_of
from parley.core.coverage.meaning import Vectors, embed, topic_vector
from parley.core.models import ParsedArticle
from parley.store.articles import sentence_id

# 12: no passage is page text (a chart's legend, a heading, a link line), a lone bracket or
#     dash is no word, no two points say the same words;
# 10: each link's passage nearest the points (``match.nearest_passage``); 8: the topic terms
# (same topic decided by the articles' term cosine); 6: eight main points;
# 4: the editor's checks; bump by 2 when matching changes
PROFILE_VERSION = 12
ENCODED_VERSION = PROFILE_VERSION + 1  # the same profile, matched again with the encoder's vectors
TOP_TERMS = 30
# the stems kept for the article's topic (``topic_terms``): 60 had the most same-topic coverage
# at 90 % topic precision on the tune half (python -m bench.coverage_topics)
TOPIC_TERMS = 60
TOP_ENTITIES = 12
MAIN_POINTS = 8
MIN_WORDS, MAX_WORDS = 8, 80
ENTITY_WEIGHT = 1.5
DISPUTE = re.compile(
    r"\b(?:no evidence|not true|falsely|false|untrue|misleading|disputed?|disputes|den(?:y|ies|ied)"
    r"|contrary to|refuted?|debunked?|wrongly|exaggerat\w+|inaccurate|rejected|rejects"
    r"|contradict\w*|challenged|critics (?:say|said|argue)|opponents (?:say|said|argue)"
    r"|not supported|unsupported|no support|isn't|wasn't|aren't|did not|does not|do not|has not"
    r"|have not)\b", re.I)
NEGATION = re.compile(r"\b(?:not|no|never|n't|neither|nor)\b", re.I)
NUMBER = re.compile(r"\d[\d,.]*")


@dataclass(frozen=True)
class Passage:
    """A sentence of the article that may address a point, by its position, with its features."""

    position: int
    sentence: str  # the stored sentence's id
    stems: tuple[str, ...]
    entities: tuple[str, ...]
    figures: tuple[str, ...]
    disputes: bool
    negated: bool


@dataclass(frozen=True)
class Profile:
    """What coverage matching knows about one article."""

    outlet: str  # folded, to tell other outlets from the article's own
    terms: dict[str, float]
    entities: tuple[str, ...]
    published: date | None
    points: tuple[int, ...]  # positions (in passages) of the article's main claims
    passages: tuple[Passage, ...]
    vector: Vectors  # the whole article's topic, 1 × d
    passage_vectors: Vectors  # one row a passage, parley.core.meaning's static vectors
    # one row a passage by the sentence encoder, once the article's encodings have arrived
    encodings: Vectors | None = None
    # the article's ``TOPIC_TERMS`` heaviest stems, weights of unit length (``topic_terms``)
    topic: dict[str, float] = field(default_factory=dict)

    def vocabulary(self) -> set[str]:
        """Every stem and name its passages use (for how specific a word is among candidates)."""
        return {k for p in self.passages for k in (*p.stems, *p.entities)}

    def passage_at(self, position: int) -> int | None:
        for i, p in enumerate(self.passages):
            if p.position == position:
                return i
        return None


@cache
def _ranks() -> dict[str, int]:
    """Each stem's best frequency rank among the shipped GloVe words (ordered by frequency),
    precomputed by ``python -m bench.build_stem_ranks`` so nothing is stemmed at start."""
    text = (resources.files("parley.core.data") / "wordvectors" / "stem_ranks.txt").read_text(
        encoding="utf-8")
    pairs = (line.rsplit(" ", 1) for line in text.splitlines() if line)
    return {term: int(rank) for term, rank in pairs}


def term_weight(term: str) -> float:
    """Rarer words weigh more: log rank among 48k words, in (0, 1]; unknown words weigh 1."""
    rank = _ranks().get(term)
    if rank is None:
        return 1.0
    return max(0.05, math.log(2 + rank) / math.log(2 + len(_ranks())))


def entity_key(name: str) -> str:
    return "e:" + " ".join(words(name))


def _figures(text: str) -> tuple[str, ...]:
    return tuple(sorted({n.rstrip(".,") for n in NUMBER.findall(text)}))


def passage_features(position: int, sentence: str, text: str, known: set[str]) -> Passage:
    stems = tuple(sorted({s for s in content_stems(text) if not s[0].isdigit()}))
    entities = tuple(sorted({entity_key(e) for e in extract_entities(text, known)}))
    return Passage(position=position, sentence=sentence, stems=stems, entities=entities,
                   figures=_figures(text), disputes=bool(DISPUTE.search(text)),
                   negated=bool(NEGATION.search(text)))


def weighted_stems(title: str, texts: list[str]) -> dict[str, float]:
    """Each content stem of the article: sublinear term frequency × its rarity weight."""
    counts = Counter(s for t in [title, *texts] for s in content_stems(t)
                     if not s[0].isdigit() and s not in STOPWORDS)
    return {t: (1 + math.log(n)) * term_weight(t) for t, n in counts.items()}


def topic_terms(weighted: dict[str, float], top: int = TOPIC_TERMS) -> dict[str, float]:
    """The ``top`` heaviest stems, their weights scaled to unit length, so the dot product of two
    articles' topic terms is their cosine (``match.topic_similarity``)."""
    kept = sorted(weighted.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
    norm = math.sqrt(sum(w * w for _, w in kept)) or 1.0
    return {t: round(w / norm, 5) for t, w in kept}


def is_passage(text: str) -> bool:
    """A sentence that may address another article's point: 8–80 words of prose (a lone
    bracket or dash is no word), not page furniture (a caption, a credit, a pointer) nor page
    text (a chart's legend, a heading, a link)."""
    counted = sum(1 for piece in text.split() if any(c.isalnum() for c in piece))
    return (MIN_WORDS <= counted <= MAX_WORDS and not is_boilerplate(text)
            and not not_prose(text))


def distinct_points(positions: list[int], texts: list[str]) -> list[int]:
    """The first ``MAIN_POINTS`` of ``positions`` (best first), each saying other words than
    those before it: a sentence the page repeats is one point, not two."""
    points: list[int] = []
    said: set[str] = set()
    for position in positions:
        key = " ".join(words(texts[position]))
        if position in points or key in said:
            continue
        points.append(position)
        said.add(key)
        if len(points) == MAIN_POINTS:
            break
    return points


def build(article_id: str, parsed: ParsedArticle, claim_scores: dict[int, float]) -> Profile:
    """The profile of one parsed article, given its claims' scores by sentence position (pure
    and deterministic)."""
    texts = [s.text for sec in parsed.sections for s in sec.sentences]
    ids = [sentence_id(article_id, i, j) for i, sec in enumerate(parsed.sections)
           for j in range(len(sec.sentences))]
    known = proper_nouns(texts)
    chosen = [i for i, t in enumerate(texts) if is_passage(t)]
    passages = tuple(passage_features(i, ids[i], texts[i], known) for i in chosen)
    ranked = sorted(claim_scores.items(), key=lambda kv: (-kv[1], kv[0]))
    in_passages = {p.position for p in passages}
    # its claims first; where they are few, the opening passages state the article's point
    by_claim = [position for position, _ in ranked if position in in_passages]
    points = distinct_points([*by_claim, *(p.position for p in passages)], texts)
    weighted = weighted_stems(parsed.title, texts)
    terms = dict(sorted(weighted.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_TERMS])
    names = Counter(entity_key(e) for t in texts for e in extract_entities(t, known))
    entities = tuple(e for e, _ in sorted(names.items(), key=lambda kv: (-kv[1], kv[0]))
                     if e != "e:")[:TOP_ENTITIES]
    for name in entities:
        terms[name] = ENTITY_WEIGHT
    body = " ".join([parsed.title, *texts])
    vectors = embed([texts[p.position] for p in passages])
    return Profile(outlet=fold(outlet_of(parsed.outlet, parsed.url)), terms=terms,
                   entities=entities, published=parsed.published,
                   points=tuple(sorted(set(points))), passages=passages, vector=topic_vector(body),
                   passage_vectors=vectors, topic=topic_terms(weighted))


def with_encodings(profile: Profile, sentences: Vectors | None) -> Profile:
    """The profile with its passages' rows of the article's encoder vectors (one row a stored
    sentence, in order); unchanged when there are none or they do not fit its sentences."""
    if sentences is None or not profile.passages:
        return profile
    rows = [p.position for p in profile.passages]
    if max(rows) >= sentences.shape[0]:
        return profile
    return replace(profile, encodings=sentences[rows])
