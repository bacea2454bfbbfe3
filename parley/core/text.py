"""Small text helpers shared by the core: cleaning user input and shortening for display."""

from __future__ import annotations

import re
import unicodedata

_ZERO_WIDTH_AND_BIDI = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u061c\u180e]")


def clean_input(text: str) -> str:
    """Drop control, zero-width and bidi-override characters; keep newlines and tabs."""
    text = _ZERO_WIDTH_AND_BIDI.sub("", text)
    return "".join(
        ch for ch in text if ch in "\n\t" or unicodedata.category(ch) not in ("Cc", "Cs", "Co")
    )


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
