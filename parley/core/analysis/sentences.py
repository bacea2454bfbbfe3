"""Sentence segmentation that survives abbreviations, initials, decimals, money and quotes."""

from __future__ import annotations

import re

from parley.core.data import load_words

# Words that end with a period but rarely end a sentence when a capitalised word follows.
ABBREVIATIONS = load_words("abbreviations")

# After a dotted acronym such as "U.S." a sentence only ends if one of these starts the next.
SENTENCE_STARTERS = load_words("sentence_starters")

_BOUNDARY = re.compile(r"([.!?…]+)([\"'”’)\]]*)(\s+)")
_OPENERS = "\"'“‘([¿¡"
_DOTTED_ACRONYM = re.compile(r"(?:\b|^)(?:[A-Za-z]\.){2,}$")
_INITIAL = re.compile(r"(?:^|[\s(])[A-Z]\.$")
# Abbreviations of "number" ("No. 5"): before anything but a figure, "no." is the word itself
# ("The answer was no. Move on.").
_NUMBER_WORDS = frozenset({"no", "nos"})


def _word_before(text: str, end: int) -> str:
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    return text[start:end]


def _starts_sentence(following: str) -> bool:
    stripped = following.lstrip(_OPENERS)
    if not stripped:
        return False
    first = stripped[0]
    return first.isupper() or first.isdigit() or (first in "$£€" and len(stripped) > 1)


def _is_boundary(text: str, match: re.Match[str]) -> bool:
    punct = match.group(1)
    following = text[match.end():match.end() + 40]
    if not _starts_sentence(following):
        return False
    if punct != ".":
        return True
    token = _word_before(text, match.start(1) + 1)  # includes the final period
    # "Oct. 31-Nov. 2": the abbreviation is the part after a dash or a slash.
    bare = re.split(r"[-–/]", token.rstrip(".").lstrip(_OPENERS).lower())[-1]
    next_word = re.split(r"[\s,;:]", following.lstrip(_OPENERS), maxsplit=1)[0].lower()
    if _DOTTED_ACRONYM.search(token):
        return next_word in SENTENCE_STARTERS
    if bare in _NUMBER_WORDS and not match.group(2):
        return not following.lstrip(_OPENERS + "#")[:1].isdigit()
    if bare in ABBREVIATIONS and not match.group(2):
        return False
    return not _INITIAL.search(" " + token)


_SPACE_BEFORE_PUNCT = re.compile(r"\s+([,.;:!?])(?=\s|$)")


def split_sentences(paragraph: str) -> list[str]:
    """Split one paragraph of prose into sentences, keeping their original wording."""
    text = _SPACE_BEFORE_PUNCT.sub(r"\1", " ".join(paragraph.split()))
    if not text:
        return []
    out: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if _is_boundary(text, match):
            end = match.end(2)
            out.append(text[start:end].strip())
            start = match.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return [s for s in out if s]


def split_paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks, with single newlines inside a block joined."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n").replace("\r", "\n"))
    return [" ".join(b.split()) for b in blocks if b.strip()]
