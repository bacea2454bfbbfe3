"""Sentence meaning as the unit mean of GloVe word vectors (6B, 50-d, PDDL), read from core/data."""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable
from functools import cache
from importlib import resources

from parley.core.analysis.tokens import STOPWORDS, words

DIMS = 50
SCALES = struct.Struct(f"<{DIMS}f")  # the head of vectors.bin: each dimension's scale


@cache
def _table() -> tuple[dict[str, int], memoryview, tuple[float, ...]]:
    """Word → row, the signed-byte matrix and each dimension's scale (built by
    ``bench/build_wordvectors.py``); loaded on first use, about 3 MB."""
    folder = resources.files("parley.core.data") / "wordvectors"
    vocab = (folder / "words.txt").read_text(encoding="utf-8").split()
    data = (folder / "vectors.bin").read_bytes()
    scales = SCALES.unpack(data[:SCALES.size])
    matrix = memoryview(data)[SCALES.size:].cast("b")
    if len(matrix) != len(vocab) * DIMS:
        raise ValueError("parley/core/data/wordvectors: words.txt and vectors.bin disagree")
    return {w: i for i, w in enumerate(vocab)}, matrix, scales


_FIELD = struct.Struct(f"<{DIMS}I")
_BIAS = 128  # lifts a signed byte into an unsigned field


@cache  # at most one entry a word of the table
def _packed(row: int) -> int:
    """A word's vector as one integer with a 32-bit field per dimension: adding the integers of
    several words adds their vectors field by field in one operation (no numpy at run time).
    A field would overflow only past 16 million words, far beyond the largest article."""
    matrix = _table()[1]
    return int.from_bytes(_FIELD.pack(*(v + _BIAS for v in matrix[row * DIMS:(row + 1) * DIMS])),
                          "little")


def sentence_vector(tokens: Iterable[str]) -> list[float] | None:
    """Unit-length mean of the vectors of the content words in ``tokens`` (folded words, as
    ``tokens.words`` gives them); None when no content word is in the table."""
    rows, _, scales = _table()
    total = count = 0
    for token in tokens:
        row = rows.get(token)
        if row is not None and token not in STOPWORDS:
            total += _packed(row)
            count += 1
    if not count:
        return None
    offset = count * _BIAS
    fields = _FIELD.unpack(total.to_bytes(_FIELD.size, "little"))
    scaled = [(f - offset) * s for f, s in zip(fields, scales, strict=True)]
    norm = math.sqrt(sum(x * x for x in scaled))
    return [x / norm for x in scaled] if norm else None


VectorMemo = dict[str, list[float] | None]


def text_vector(text: str, memo: VectorMemo | None = None) -> list[float] | None:
    """``sentence_vector`` of a text's words, kept in ``memo`` (one per article analysed) so the
    check-worthiness model and the sentence scores share one vector per sentence."""
    if memo is not None and text in memo:
        return memo[text]
    vector = sentence_vector(words(text))
    if memo is not None:
        memo[text] = vector
    return vector
