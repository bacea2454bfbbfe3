"""Small text helpers shared by the core: cleaning user input and shortening for display."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

# Invisible or look-alike-blank characters that are not format (Cf) characters: Hangul fillers,
# the combining grapheme joiner, Khmer inherent vowels, Mongolian variation selectors, musical
# formatting marks, and the whole tag block (most of it unassigned, so not Cf either).
_INVISIBLE = re.compile("[\u034f\u115f\u1160\u17b4\u17b5\u180b-\u180f\u3164\uffa0"
                        "\U0001d173-\U0001d17a\U000e0000-\U000e007f]")
_LINE_SEPARATORS = re.compile("[\u2028\u2029\x85]")
# Control, format (zero-width, bidi, soft hyphen, tags), surrogate and private-use characters.
_DROPPED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})
# In ASCII the only dropped characters are the controls (Cc) other than newline and tab.
_ASCII_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def clean_input(text: str) -> str:
    """Drop control, format (zero-width, bidi, soft hyphen, tag), filler and private-use
    characters; Unicode line separators become spaces; newlines and tabs stay."""
    if text.isascii():  # most input: one regular-expression pass instead of one per character
        return _ASCII_CONTROLS.sub("", text)
    text = _INVISIBLE.sub("", _LINE_SEPARATORS.sub(" ", text))
    return "".join(
        ch for ch in text
        if ch in "\n\t" or unicodedata.category(ch) not in _DROPPED_CATEGORIES
    )


# A member's own words inside a reply are fenced by these two private-use characters (which
# clean_input strips from every input, so no member can forge one); each renderer escapes what
# is between them for its platform (Discord Markdown, Slack mrkdwn) and drops the fences.
MEMBER_OPEN, MEMBER_CLOSE = "\ue000", "\ue001"
MEMBER_SPAN = re.compile(f"{MEMBER_OPEN}(.*?){MEMBER_CLOSE}", re.S)


def member_text(text: str) -> str:
    """A member's text, marked to be shown literally (never as markup) by every renderer."""
    return f"{MEMBER_OPEN}{text}{MEMBER_CLOSE}"


def render_member_text(text: str, escape: Callable[[str], str]) -> str:
    """Apply a platform's ``escape`` to every marked span and drop the marks (stray ones too)."""
    if MEMBER_OPEN not in text and MEMBER_CLOSE not in text:
        return text  # no member's words in it (most text): nothing to escape or drop
    out = MEMBER_SPAN.sub(lambda m: escape(m[1]), text)
    return out.replace(MEMBER_OPEN, "").replace(MEMBER_CLOSE, "")


def shorten(text: str, limit: int) -> str:
    """Cut text at a word boundary so it fits in ``limit`` characters, ending with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: max(1, limit - 1)].rsplit(" ", 1)[0].rstrip(",;:.-")
    return cut + "…"


def normalise_space(text: str) -> str:
    """Collapse runs of whitespace to single spaces."""
    return " ".join(text.split())


def _pieces(line: str, limit: int) -> list[str]:
    """A line cut at spaces (or hard, for a long word) into pieces of at most ``limit``."""
    pieces = []
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit + 1)
        cut = cut if cut > 0 else limit
        pieces.append(line[:cut].rstrip())
        line = line[cut:].lstrip()
    return [*pieces, line]


def split_to_fit(text: str, limit: int) -> list[str]:
    """Split at line breaks (or spaces) so every piece fits the limit, packing lines greedily
    and keeping their order (for platform limits on message parts)."""
    if len(text) <= limit and not text.startswith("\n"):  # most texts: what _packed gives
        return [text] if text.strip() else []
    return _packed(text, limit)


def _packed(text: str, limit: int) -> list[str]:
    """:func:`split_to_fit`'s packing: leading empty lines dropped, pieces with nothing but
    spaces left out."""
    out: list[str] = []
    current = ""
    for line in text.split("\n"):
        for piece in _pieces(line, limit):
            candidate = f"{current}\n{piece}" if current else piece
            if len(candidate) <= limit:
                current = candidate
            else:
                out.append(current)
                current = piece
    if current.strip():
        out.append(current)
    return [c for c in out if c.strip()]


_MARKUP = str.maketrans({"*": None, "_": " ", "~": None, "`": "'", "|": "¦", "[": "(",
                         "]": ")", "<": "‹", ">": "›", "@": "＠", "#": "＃", "&": "+"})


def inert(text: str) -> str:
    """A member's text as a reply may quote it: no Markdown or mrkdwn markup, no mention or
    link syntax on any platform, one line."""
    return normalise_space(clean_input(text).translate(_MARKUP))
