"""Word tokens, stems and content words: the shared vocabulary of every analysis function."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

import snowballstemmer

from parley.core.data import load_words

STOPWORDS = load_words("stopwords")
# A dotted acronym ("u.s.") is one word; so is a number with its decimals ("6.6", "1,120").
WORD = re.compile(r"(?:[a-z]\.){2,}|[a-z0-9]+(?:'[a-z]+)?(?:[.,][0-9]+)*")
_stemmer = snowballstemmer.stemmer("english")


_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


@lru_cache(maxsize=16384)
def fold(text: str) -> str:
    """Lower-case, unify quotes and strip accents (keeping length where text has none)."""
    text = text.translate(_QUOTES)
    if not text.isascii():
        decomposed = unicodedata.normalize("NFKD", text)
        if len(decomposed) != len(text):
            text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return text.lower()


@lru_cache(maxsize=16384)
def _words(text: str) -> tuple[str, ...]:
    return tuple(WORD.findall(fold(text)))


def words(text: str) -> list[str]:
    """The words of a text, folded: ``"U.S. investment topped $6.6bn"`` → u, s, investment, …."""
    return list(_words(text))


def joined_words(pieces: Sequence[str]) -> list[str]:
    """``words(" ".join(pieces))``, read from each piece's cached words where that gives the same:
    when the joined text is NFKD-normal no piece's folding depends on the others (no word spans a
    space), so an article's body is not tokenised a second time."""
    joined = " ".join(pieces)
    if not unicodedata.is_normalized("NFKD", joined):
        return words(joined)
    return [w for piece in pieces for w in _words(piece)]


def is_question(text: str) -> bool:
    """Whether the sentence asks: it ends on a question mark, inside its closing quotation or
    bracket or not."""
    return text.rstrip(" \"'”’)").endswith("?")


# A past tense that the stemmer takes for another verb: "found" (of "find") is not "founded".
_PAST_OF = {"found": "find"}


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    return _PAST_OF.get(word) or str(_stemmer.stemWord(word))


def content_stems(text: str) -> list[str]:
    """Stems of the words that carry meaning (no stopwords, no one-letter words)."""
    out = []
    for w in words(text):
        w = w.removesuffix("'s")
        if w not in STOPWORDS and len(w) > 1:
            out.append(stem(w))
    return out
