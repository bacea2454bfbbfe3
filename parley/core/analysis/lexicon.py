"""The loaded-language lexicon: categories of terms from TOML files, compiled for matching."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from parley.core.analysis.tokens import fold, stem


class LexiconError(Exception):
    """A lexicon file is malformed; the message names the file and the problem."""


class Mark(BaseModel):
    """One lexicon term found in a sentence (offsets into the sentence)."""

    category: str
    term: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Category:
    name: str
    description: str
    weight: float
    terms: tuple[str, ...]


_TOKEN = re.compile(r"[\w'’]+")


@dataclass(frozen=True)
class _Term:
    category: str
    term: str
    parts: tuple[str, ...]
    wildcard: bool  # the last part is a prefix


ORDINARY = ""  # the "category" of an ordinary phrase: matched like a term, never marked
SEEN_WORDS = 65536  # words whose inflected term is remembered (as many as stems are)
_UNSEEN = _Term("", "", (), False)


@dataclass
class Lexicon:
    """Categories and an index of their terms by first word, for fast matching.

    ``ordinary`` phrases hold a term in its everyday sense ("the right direction"): being longer,
    they win the match where they occur, and are not marked."""

    categories: dict[str, Category]
    ordinary: tuple[str, ...] = ()
    _exact: dict[str, list[_Term]] = field(default_factory=dict, repr=False)
    _prefixed: dict[str, list[_Term]] = field(default_factory=dict, repr=False)  # by 3 letters
    _stemmed: dict[str, _Term] = field(default_factory=dict, repr=False)  # one word, inflected
    _forms: dict[str, _Term] = field(default_factory=dict, repr=False)  # derived forms, exact
    _seen: dict[str, _Term | None] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        entries = [(cat.name, term) for cat in self.categories.values() for term in cat.terms]
        for category, term in [*entries, *((ORDINARY, phrase) for phrase in self.ordinary)]:
            folded = fold(term.strip())
            wildcard = folded.endswith("*")
            parts = tuple(p for p in re.split(r"[\s-]+", folded.rstrip("*")) if p)
            if not parts:
                continue
            entry = _Term(category, term, parts, wildcard)
            if wildcard and len(parts) == 1:
                self._prefixed.setdefault(parts[0][:3], []).append(entry)
            else:
                self._exact.setdefault(parts[0], []).append(entry)
            if len(parts) == 1 and category != ORDINARY:
                self._stemmed.setdefault(stem(parts[0]), entry)
                if category != CHARGED:  # derived forms of hand-listed terms only
                    for form in derived_forms(parts[0]):
                        self._forms.setdefault(form, entry)
        for same_start in self._exact.values():
            same_start.sort(key=lambda t: -len(t.parts))  # longest phrase first

    def find(self, sentence: str) -> list[Mark]:
        """Every term in the sentence, the longest at each place, no overlaps, in order."""
        folded = fold(sentence)
        if len(folded) != len(sentence):  # accents changed lengths: match on the raw text
            folded = sentence.lower()
        tokens = [(m.group(0).replace("’", "'"), m.start(), m.end())
                  for m in _TOKEN.finditer(folded)]
        marks: list[Mark] = []
        i = 0
        while i < len(tokens):
            word = tokens[i][0]
            if word not in self._exact and word[:3] not in self._prefixed:
                term = self._inflected(word)
                if term is not None and self._free(folded, tokens[i]):
                    start, end = tokens[i][1], tokens[i][2]
                    marks.append(Mark(category=term.category, term=term.term, start=start,
                                      end=end, text=sentence[start:end]))
                i += 1  # most words start no term: skip them without a call
                continue
            found = self._match_at(folded, tokens, i)
            if found is None:
                term = self._inflected(word)
                if term is not None and self._free(folded, tokens[i]):
                    start, end = tokens[i][1], tokens[i][2]
                    marks.append(Mark(category=term.category, term=term.term, start=start,
                                      end=end, text=sentence[start:end]))
                i += 1
                continue
            term, last = found
            start, end = tokens[i][1], tokens[last][2]
            if term.category != ORDINARY:
                marks.append(Mark(category=term.category, term=term.term, start=start, end=end,
                                  text=sentence[start:end]))
            i = last + 1
        return marks

    def _inflected(self, word: str) -> _Term | None:
        """The one-word term this word is a form of (alarmists, alarmism for alarmist*)."""
        if len(word) <= 3:
            return None
        # Most words are no term: each is looked up once, not at every use (one dict read, safe
        # beside another thread's clear).
        seen = self._seen.get(word, _UNSEEN)
        if seen is not _UNSEEN:
            return seen
        if len(self._seen) >= SEEN_WORDS:
            self._seen.clear()
        term = self._forms.get(word) or self._stemmed.get(stem(word))
        if term is not None and term.category == CHARGED and not _inflection(word, term.parts[0]):
            term = None  # a derived list's word reaches its inflections only: "sunny" is not
            #              "Sunni", nor "calculating" "calculations"
        self._seen[word] = term
        return term

    @staticmethod
    def _free(text: str, token: tuple[str, int, int]) -> bool:
        """A whole word: not inside a hyphenated word ("always-on")."""
        return (token[1] == 0 or text[token[1] - 1] not in "-'") and _free_end(text, token[2])

    def _match_at(self, text: str, tokens: list[tuple[str, int, int]], i: int
                  ) -> tuple[_Term, int] | None:
        word, start, _ = tokens[i]
        if start > 0 and text[start - 1] in "-'":
            return None  # inside a hyphenated word: "always-on" is not "always"
        for term in self._exact.get(word, ()):
            last = i + len(term.parts) - 1
            if last >= len(tokens):
                continue
            # The word comparison first: it rejects most candidates, and the gap check costs more.
            ok = all((tokens[i + k][0] == part or (term.wildcard and k == len(term.parts) - 1
                                                   and tokens[i + k][0].startswith(part)))
                     and _joined(text, tokens[i + k - 1], tokens[i + k])
                     for k, part in enumerate(term.parts) if k > 0)
            if ok and _free_end(text, tokens[last][2]):
                return term, last
        for term in self._prefixed.get(word[:3], ()):
            if word.startswith(term.parts[0]) and _free_end(text, tokens[i][2]):
                return term, i
        return None

    def weight(self, category: str) -> float:
        return self.categories[category].weight

    def terms(self) -> int:
        return sum(len(c.terms) for c in self.categories.values())


_DERIVED = (("ism", ("ist", "ists", "istic", "isms")), ("ist", ("ism", "ists", "istic")),
            ("ists", ("ism", "ist")), ("ous", ("ously", "ousness")), ("ful", ("fully",)))


def derived_forms(word: str) -> set[str]:
    """The words derived from a one-word term that its stem does not reach (alarmism for
    alarmist, furiously for furious), matched as written so that "alarm" is not one of them."""
    forms: set[str] = set()
    for ending, others in _DERIVED:
        if word.endswith(ending):
            forms.update(word[:-len(ending)] + other for other in others)
    return forms


def _joined(text: str, left: tuple[str, int, int], right: tuple[str, int, int]) -> bool:
    """Two words of a phrase: separated only by spaces or a hyphen."""
    gap = text[left[2]:right[1]]
    return bool(gap) and all(ch.isspace() or ch == "-" for ch in gap)


def _free_end(text: str, end: int) -> bool:
    return end >= len(text) or text[end] != "-"


def _read(text: str, origin: str) -> dict[str, Any]:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise LexiconError(f"{origin}: not valid TOML ({exc})") from None
    categories = data.get("categories")
    if not isinstance(categories, dict):
        raise LexiconError(f"{origin}: expected [categories.<name>] tables")
    for name, body in categories.items():
        if not isinstance(body, dict) or not _phrases(body.get("terms", [])):
            raise LexiconError(f"{origin}: category {name!r} needs a list of non-empty terms")
    if not _phrases(data.get("ordinary", [])):
        raise LexiconError(f"{origin}: ordinary needs a list of non-empty phrases")
    return data


def _phrases(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(t, str) and t.strip() for t in value)


def build_lexicon(*sources: tuple[str, str]) -> Lexicon:
    """Merge lexicon files (text, origin) in order; later files add terms to categories."""
    merged: dict[str, Category] = {}
    ordinary: list[str] = []
    for text, origin in sources:
        data = _read(text, origin)
        ordinary += [str(p) for p in data.get("ordinary", [])]
        for name, body in data["categories"].items():
            old = merged.get(name)
            terms = tuple(dict.fromkeys([*(old.terms if old else ()),
                                         *(str(t) for t in body.get("terms", []))]))
            merged[name] = Category(
                name=name,
                description=str(body.get("description", old.description if old else name)),
                weight=float(body.get("weight", old.weight if old else 1.0)),
                terms=terms,
            )
    return Lexicon(merged, tuple(dict.fromkeys(ordinary)))


CHARGED = "charged"
CHARGED_WEIGHT = 0.5  # a word of strong sentiment weighs half a hand-listed loaded word


def _bases(word: str) -> set[str]:
    """What a word may be an inflection of: itself without -s, -es, -ies, -ed, -d, -ing (with a
    dropped "e" or a doubled consonant put back)."""
    out = {word}
    for suffix, back in (("ies", "y"), ("es", ""), ("s", ""), ("ied", "y"), ("ed", ""),
                         ("ed", "e"), ("d", ""), ("ing", ""), ("ing", "e")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            base = word[: len(word) - len(suffix)] + back
            out.add(base)
            if not back and len(base) > 3 and base[-1] == base[-2]:
                out.add(base[:-1])  # "rebelled" → "rebel"
    return out


def _inflection(word: str, term: str) -> bool:
    """Whether two words are inflections of one another ("denounced", "denounce"), not words
    derived from one stem ("precisely", "precise")."""
    if word.endswith("ly") or term.endswith("ly"):
        return True  # an adverb and its adjective share their charge ("dramatically")
    return bool(_bases(word) & _bases(term))


def charged_words() -> list[str]:
    """The derived word list (``charged_words.txt``, built by ``bench/build_lexicon.py`` from
    VADER and Pattern; see ``SOURCE.md``)."""
    text = (resources.files("parley.core.data") / "charged_words.txt").read_text(encoding="utf-8")
    return [line.split("\t", 1)[0] for line in text.splitlines()
            if line.strip() and not line.startswith("#")]


def _charged_source() -> tuple[str, str]:
    terms = ", ".join(f'"{w}"' for w in charged_words())
    return (f'[categories.{CHARGED}]\ndescription = "Words of strong sentiment or judgement, from '
            f'public lexicons"\nweight = {CHARGED_WEIGHT}\nterms = [{terms}]\n', "charged words")


@cache
def load_lexicon(extra: Path | None = None) -> Lexicon:
    """The bundled lexicon and derived word list, plus a moderator's file if one is named."""
    bundled = (resources.files("parley.core.data") / "lexicon.toml").read_text(encoding="utf-8")
    sources = [(bundled, "bundled lexicon"), _charged_source()]
    if extra is not None:
        try:
            sources.append((extra.read_text(encoding="utf-8"), str(extra)))
        except OSError as exc:
            raise LexiconError(f"{extra}: cannot read ({exc.strerror})") from None
    return build_lexicon(*sources)
