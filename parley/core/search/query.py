"""A member's question as weighted search terms: content words, synonyms, typo fixes, its type."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache, lru_cache
from importlib import resources
from typing import Literal

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from parley.core.analysis.tokens import STOPWORDS, fold, stem, words
from parley.core.lru import LRU

QuestionType = Literal["amount", "count", "percent", "duration", "time", "person", "place",
                       "other"]
MIN_TYPO_LENGTH = 5  # shorter words have too many one-edit neighbours ("near" → "year")
# A vocabulary's words by their length: a word of length L is within k edits only of words of
# length L−k..L+k, so the typo search compares those alone (the same fixes, fewer comparisons).
WordsByLength = Mapping[int, tuple[str, ...]]
RELATED_WEIGHT = 0.5
SYNONYM_WEIGHT = 0.9
MEANING_WEIGHT = 0.9  # times the cosine, for a word the meaning model finds near an asked one
MAX_TERMS = 40
QUESTION_WORDS = frozenset("""what whats which who whom whose when where why how much many
does do did is are was were can could would will should tell show find know explain say said
claim claims article author about really true between there any thing things get got go went
exactly actually happen happened mentioned mention""".split())
_TYPES: list[tuple[QuestionType, re.Pattern[str]]] = [
    ("percent", re.compile(r"\b(?:what|which) (?:percent(?:age)?|share|proportion|rate)\b|"
                           r"\bhow fast\b|\bby how much\b|\bpercent")),
    ("amount", re.compile(r"\bhow much\b|\bhow big\b|\bhow large\b|\bwhat (?:is|was) the "
                          r"(?:value|amount|cost|price|size|total)\b|\bworth\b")),
    ("count", re.compile(r"\bhow many\b|\bnumber of\b")),
    ("duration", re.compile(r"\bhow long\b|\bhow old\b|\bfor how many (?:years|months)\b")),
    ("time", re.compile(r"\bwhen\b|\bwhat (?:year|date|day|month)\b|\bsince when\b")),
    ("person", re.compile(r"\bwho\b|\bwhose\b|\bwhich (?:official|minister|person|leader)\b")),
    ("place", re.compile(r"\bwhere\b|\bwhich (?:countries|country|city|border|region)\b")),
]


@dataclass(frozen=True)
class Term:
    """A word or phrase to look for, how much it counts, and why it is in the query."""

    words: tuple[str, ...]  # folded surface words, for the full-text index
    stems: tuple[str, ...]  # their stems, matched consecutively when scoring
    weight: float
    origin: Literal["asked", "synonym", "related", "typo", "meaning"]
    concept: int  # terms of one concept (a word and its expansions) share this number
    name: bool = False  # capitalised in the question: a name the article must mention


@dataclass(frozen=True)
class Query:
    text: str
    type: QuestionType
    terms: tuple[Term, ...]
    fixes: tuple[tuple[str, str], ...] = ()  # (misspelt word, the article's word) pairs

    def meaning_text(self) -> str:
        """The question with its typos fixed, for the meaning model (which misspellings fool)."""
        if not self.fixes:
            return self.text
        fixed = dict(self.fixes)
        return " ".join(fixed.get(w, w) for w in words(self.text))

    def phrases(self) -> list[tuple[str, ...]]:
        return list(dict.fromkeys(t.words for t in self.terms))


def question_type(text: str) -> QuestionType:
    folded = fold(text)
    for kind, pattern in _TYPES:
        if pattern.search(folded):
            return kind
    return "other"


@dataclass(frozen=True)
class Thesaurus:
    """Phrase groups: each phrase maps to the stems of its group's other members."""

    same: dict[str, tuple[str, ...]]  # phrase → the other phrases of its groups
    related: dict[str, tuple[str, ...]]
    max_phrase: int
    known: frozenset[str]  # every phrase of either kind
    starts: frozenset[str]  # the first words of the phrases of more than one word


def _phrase_key(phrase: str) -> str:
    return " ".join(words(phrase))


def content_words(phrase: str) -> tuple[str, ...]:
    return tuple(w for w in phrase.split() if w not in STOPWORDS and len(w) > 1)


@cache
def thesaurus() -> Thesaurus:
    data = tomllib.loads((resources.files("parley.core.data") / "synonyms.toml").read_text("utf-8"))
    maps: dict[str, dict[str, tuple[str, ...]]] = {"same": {}, "related": {}}
    longest = 1
    for kind in ("same", "related"):
        for group in data.get(kind, []):
            for phrase in group:
                key = _phrase_key(phrase)
                longest = max(longest, len(key.split()))
                others = [_phrase_key(p) for p in group if _phrase_key(p) != key]
                maps[kind][key] = tuple(dict.fromkeys(maps[kind].get(key, ()) + tuple(others)))
    known = frozenset(maps["same"]) | frozenset(maps["related"])
    return Thesaurus(maps["same"], maps["related"], longest, known,
                     frozenset(k.split()[0] for k in known if " " in k))


def _fixable(word: str, vocabulary: frozenset[str]) -> bool:
    """Whether a word may be a misspelling of one of the article's: long enough, all letters,
    and not the article's own."""
    return len(word) >= MIN_TYPO_LENGTH and word not in vocabulary and word.isalpha()


def by_length(vocabulary: Iterable[str]) -> dict[int, tuple[str, ...]]:
    """The words grouped by their length (each group sorted), for :func:`build_query`."""
    groups: dict[int, list[str]] = {}
    for w in vocabulary:
        groups.setdefault(len(w), []).append(w)
    return {n: tuple(sorted(group)) for n, group in groups.items()}


def typo_limit(word: str) -> int:
    """The edits a misspelling may differ by: one, two for long words."""
    return 1 if len(word) < 7 else 2


def _correct(word: str, vocabulary: frozenset[str], lengths: WordsByLength | None = None
             ) -> str | None:
    """The article's word nearest a misspelt one (one edit, two for long words), if any;
    ``lengths`` is ``vocabulary`` :func:`by_length` (made here when not given)."""
    if not _fixable(word, vocabulary):
        return None
    limit = typo_limit(word)
    if lengths is None:
        lengths = by_length(vocabulary)
    best: tuple[int, str] | None = None
    # one search a length (cheaper than joining the lengths into one list first)
    for n in range(len(word) - limit, len(word) + limit + 1):
        group = lengths.get(n)
        if not group:
            continue
        for found, distance, _ in process.extract(word, group, scorer=Levenshtein.distance,
                                                  score_cutoff=limit, limit=None):
            # the nearest, ties broken by the word itself: the answer never depends on order
            if best is None or (distance, found) < best:
                best = (int(distance), found)
    return best[1] if best is not None else None


@lru_cache(maxsize=16384)
def _term(phrase: str, weight: float, origin: str, concept: int) -> Term | None:
    """The term a phrase makes (terms are immutable, and the thesaurus's phrases recur in
    question after question: each is made once)."""
    kept = content_words(phrase)
    if not kept:
        return None
    return Term(kept, tuple(stem(w) for w in kept), weight, origin, concept)  # type: ignore[arg-type]


@lru_cache(maxsize=8192)
def _expansions(phrase: str, concept: int) -> tuple[Term | None, ...]:
    """The terms a phrase adds by the thesaurus: its synonyms', then its related phrases'."""
    lex = thesaurus()
    return (tuple(_term(p, SYNONYM_WEIGHT, "synonym", concept) for p in lex.same.get(phrase, ()))
            + tuple(_term(p, RELATED_WEIGHT, "related", concept)
                    for p in lex.related.get(phrase, ())))


def _phrase_at(tokens: list[str], i: int, lex: Thesaurus) -> tuple[int, str]:
    """(size, phrase) of the longest phrase the thesaurus knows at ``tokens[i]`` ("200th
    anniversary", "money put into"), or the word itself."""
    if tokens[i] in lex.starts:
        for size in range(min(lex.max_phrase, len(tokens) - i), 1, -1):
            phrase = " ".join(tokens[i:i + size])
            if phrase in lex.known:
                return size, phrase
    return 1, tokens[i]


def _names(text: str) -> set[str]:
    """Folded words capitalised in the question other than its first word: names."""
    found = [w.strip("“”\"'()?!.,;:") for w in text.split()[1:]]
    return {fold(w).removesuffix("'s") for w in found if w[:1].isupper()}


def _fix(word: str, vocabulary: frozenset[str], corrections: LRU[str, str] | None,
         lengths: WordsByLength | None) -> str | None:
    """:func:`_correct`, remembered in ``corrections`` (word → its fix, or "" for none; only
    words that may be misspellings are looked up and kept)."""
    if corrections is None or not _fixable(word, vocabulary):
        return _correct(word, vocabulary, lengths)
    return corrections.made(word, lambda: _correct(word, vocabulary, lengths) or "") or None


def build_query(text: str, vocabulary: frozenset[str] = frozenset(),
                published: date | None = None, corrections: LRU[str, str] | None = None,
                lengths: WordsByLength | None = None) -> Query:
    """Weighted terms for a question; ``vocabulary`` is the article's words, for typo fixes
    (``corrections``: the article's own memo of them, and ``lengths`` its words
    :func:`by_length`, both kept by its index), and ``published`` resolves "last year" in the
    question to the year it meant then."""
    tokens = [w.removesuffix("'s") for w in words(text)]
    kind = question_type(text)
    lex = thesaurus()
    terms: list[Term | None] = []
    concept = 0
    i = 0
    offsets = {"last": -1, "this": 0, "next": 1}
    fixes: list[tuple[str, str]] = []
    while i < len(tokens) and len(terms) < MAX_TERMS:
        if published is not None and tokens[i] in offsets and tokens[i + 1:i + 2] == ["year"]:
            # "last year" in a question means the year before the article was published.
            year = str(published.year + offsets[tokens[i]])
            terms += [_term(f"{tokens[i]} year", 1.0, "asked", concept),
                      _term(year, 1.0, "synonym", concept)]
            i, concept = i + 2, concept + 1
            continue
        size, phrase = _phrase_at(tokens, i, lex)
        i += size
        if size == 1 and (phrase in STOPWORDS or phrase in QUESTION_WORDS or len(phrase) < 2):
            continue
        fixed = (None if size > 1 or phrase in lex.known
                 else _fix(phrase, vocabulary, corrections, lengths))
        if fixed is not None:
            terms.append(_term(fixed, 0.9, "typo", concept))
            fixes.append((phrase, fixed))
            phrase = fixed
        else:
            terms.append(_term(phrase, 1.0, "asked", concept))
        terms += _expansions(phrase, concept)
        concept += 1
    names = _names(text)
    named = {t.concept for t in terms if t is not None and t.origin == "asked"
             and " ".join(t.words) in names}
    terms = [t if t is None or t.concept not in named else
             Term(t.words, t.stems, t.weight, t.origin, t.concept, name=True) for t in terms]
    best: dict[tuple[str, ...], Term] = {}
    for t in terms:  # one entry per phrase, keeping its strongest reason
        if t is not None and (t.stems not in best or t.weight > best[t.stems].weight):
            best[t.stems] = t
    return Query(text=text, type=kind, terms=tuple(best.values()), fixes=tuple(fixes))


def with_neighbours(query: Query, neighbours: dict[str, list[tuple[str, float]]]) -> Query:
    """The query plus, for each single asked word, the article's words nearest it in meaning
    (``neighbours``: asked word → (article word, cosine)), as weaker terms of the same concept:
    "kids" finds "children" without a synonym table entry."""
    have = {t.stems for t in query.terms}
    extra = []
    for term in query.terms:
        if term.origin != "asked" or term.name or len(term.words) != 1:
            continue
        for word, cosine in neighbours.get(term.words[0], ()):
            # made afresh: each neighbour's weight is its own cosine, so remembering them would
            # only push the thesaurus's recurring terms out of the cache
            found = _term.__wrapped__(word, round(MEANING_WEIGHT * cosine, 4), "meaning",
                                      term.concept)
            if found is not None and found.stems not in have:
                have.add(found.stems)
                extra.append(found)
    return Query(text=query.text, type=query.type, terms=query.terms + tuple(extra),
                 fixes=query.fixes)
