"""The shipped static embedding model: tokenise, look up each token's vector, mean-pool."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib import resources

import numpy as np
import numpy.typing as npt
from tokenizers import Tokenizer

from parley.core.analysis.tokens import fold

Matrix = npt.NDArray[np.float32]  # rows of unit vectors
Vector = npt.NDArray[np.float32]

MAX_TOKENS = 256  # a sentence longer than this is judged by its first 256 tokens
MODEL_ID = "minilm-l6-v2-static-256-int8"  # stored vectors made by another model are refilled
DIMS = 256
# The tokenizer's own pre-split (BERT: runs of letters and digits, each other mark alone); each
# piece is word-pieced by the tokenizer once and remembered, which is several times faster than
# running the tokenizer over every sentence.
_PIECE = re.compile(r"[^\W_]+|[^\w\s]|_")
WORD_CACHE = 65536


class StaticModel:
    """A token → vector table (int8, one scale a row) and the tokenizer that indexes it."""

    def __init__(self, tokenizer: Tokenizer, vectors: npt.NDArray[np.int8],
                 scales: npt.NDArray[np.float32], model_id: str) -> None:
        if vectors.shape[0] != scales.shape[0]:
            raise ValueError("meaning model: vectors and scales disagree")
        self.tokenizer = tokenizer
        self.vectors = vectors
        self.scales = scales
        self.id = model_id
        self.dims = int(vectors.shape[1])
        self._ids = lru_cache(maxsize=WORD_CACHE)(self._word_ids)

    def _word_ids(self, word: str) -> tuple[int, ...]:
        return tuple(self.tokenizer.encode(word, add_special_tokens=False).ids)

    def token_ids(self, text: str) -> list[int]:
        """The word-piece ids of a text, at most ``MAX_TOKENS``."""
        out: list[int] = []
        for piece in _PIECE.findall(fold(text)):
            out += self._ids(piece)
            if len(out) >= MAX_TOKENS:
                return out[:MAX_TOKENS]
        return out

    def embed(self, texts: Sequence[str]) -> Matrix:
        """One unit-length row per text; a text with no known token gets a zero row."""
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        if not texts:
            return out
        ids = [self.token_ids(t) for t in texts]
        lengths = np.fromiter((len(i) for i in ids), dtype=np.int64, count=len(ids))
        flat = np.fromiter((t for i in ids for t in i), dtype=np.int64, count=int(lengths.sum()))
        if not flat.size:
            return out
        rows = self.vectors[flat].astype(np.float32) * self.scales[flat, None]
        filled = lengths > 0
        starts = np.concatenate(([0], np.cumsum(lengths)[:-1]))[filled]
        sums = np.add.reduceat(rows, starts, axis=0)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        out[filled] = sums / np.maximum(norms, 1e-12)
        return out


@cache
def model() -> StaticModel:
    """The shipped model, loaded on first use (about 5 MB; see ``data/meaning/SOURCE.md``)."""
    folder = resources.files("parley.core.data") / "meaning"
    meta = json.loads((folder / "model.json").read_text(encoding="utf-8"))
    with (folder / "vectors.npz").open("rb") as handle, np.load(handle) as arrays:
        vectors, scales = arrays["vectors"], arrays["scales"]
    tokenizer = Tokenizer.from_str((folder / "tokenizer.json").read_text(encoding="utf-8"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    if meta["id"] != MODEL_ID or vectors.shape[1] != DIMS:
        raise ValueError(f"parley/core/data/meaning holds {meta['id']}, not {MODEL_ID}")
    return StaticModel(tokenizer, vectors, scales, MODEL_ID)


def embed(texts: Sequence[str]) -> Matrix:
    """Unit vectors (``len(texts)`` × ``DIMS``, float32) for texts, by the shipped model."""
    return model().embed(texts)


def similarity(a: npt.NDArray[np.floating], b: npt.NDArray[np.floating]) -> npt.NDArray[np.float32]:
    """Cosine similarity of unit vectors: a vector and a vector give a scalar array, a matrix
    (n × DIMS) and a vector give n scores, two matrices give the n × m table."""
    return np.asarray(np.asarray(a, np.float32) @ np.asarray(b, np.float32).T, np.float32)
