"""Which sentences belong to a quotation that runs over more than one sentence."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from itertools import groupby

OPENING = "“"
CLOSING = "”"
STRAIGHT = '"'
_BEFORE_OPENING = frozenset(" \t\n([{—–-")


def _marks(text: str) -> Iterator[bool]:
    """The text's double quotation marks in order, True for an opening one. A straight mark opens
    where a word follows it and none comes right before it (`said, "We`), and closes otherwise."""
    for i, ch in enumerate(text):
        if ch == OPENING:
            yield True
        elif ch == CLOSING:
            yield False
        elif ch == STRAIGHT:
            after = text[i + 1:i + 2]
            yield (i == 0 or text[i - 1] in _BEFORE_OPENING) and after != "" and not after.isspace()


def _opens_with_mark(text: str) -> bool:
    text = text.lstrip()
    return text[:1] in (OPENING, STRAIGHT) and next(_marks(text))


def _paragraph(texts: Sequence[str], continued: bool) -> list[bool]:
    """One paragraph's sentences; ``continued`` when the next paragraph opens with a quotation
    mark, the convention for a quotation that goes on into it."""
    out = [False] * len(texts)
    start: int | None = None  # the sentence where the open quotation began
    for i, text in enumerate(texts):
        for opening in _marks(text):
            if opening == (start is not None):
                return [False] * len(texts)  # marks out of order: a raw crawl's, trust none
            if opening:
                start = i
            else:
                assert start is not None
                if i > start:
                    out[start:i + 1] = [True] * (i + 1 - start)
                start = None
    if start is not None and continued:
        out[start:] = [True] * (len(texts) - start)
    return out


def in_long_quotations(sentences: Sequence[str], paragraphs: Sequence[object]) -> list[bool]:
    """For each sentence, whether it is part of someone's quoted words that run past it: between
    a quotation's opening mark in one sentence and its closing mark in a later one ("“We have all
    this momentum. Even if Bernie is elected, change will not come swiftly. …”": the middle
    sentence has no quotation marks, and is still theirs).

    A quotation never runs past its paragraph unless the next paragraph opens with a quotation
    mark, as the convention is for one that goes on; a quotation left open otherwise, or marks out
    of order (two openings running), are a raw crawl's stray marks, and mark nothing."""
    rows = list(zip(sentences, paragraphs, strict=True))
    groups = [[text for text, _ in group] for _, group in groupby(rows, key=lambda r: r[1])]
    out: list[bool] = []
    for n, texts in enumerate(groups):
        following = groups[n + 1][0] if n + 1 < len(groups) else ""
        out += _paragraph(texts, _opens_with_mark(following))
    return out
