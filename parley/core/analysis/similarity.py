"""Sentence similarity: sparse TF-IDF vectors over content stems, their cosine, and LexRank.

The N×N cosine matrix is never built: :class:`Similarity` keeps only the sparse vectors (memory
linear in the words of the article) and answers one pair at a time, or a product with a vector
(``V (Vᵀ x)``) for LexRank's power iteration.
"""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import numpy.typing as npt

from parley.core.analysis.tokens import content_stems

Matrix = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class Similarity:
    """Pairwise cosine similarity of texts (zero diagonal), held as sparse TF-IDF rows."""

    def __init__(self, rows: list[dict[int, float]], vocabulary: int) -> None:
        self.rows = rows
        self.n = len(rows)
        self.vocabulary = max(1, vocabulary)
        counts = [len(r) for r in rows]
        self._row_of: IntArray = np.repeat(np.arange(self.n, dtype=np.int64), counts)
        self._term: IntArray = np.fromiter((t for r in rows for t in r), np.int64,
                                           sum(counts))
        self._weight: Matrix = np.fromiter((w for r in rows for w in r.values()), np.float64,
                                           sum(counts))
        self._self = np.array([sum(w * w for w in r.values()) for r in rows], dtype=np.float64)

    @property
    def shape(self) -> tuple[int, int]:
        return (self.n, self.n)

    def __getitem__(self, pair: tuple[int, int]) -> float:
        i, j = pair
        if i == j:
            return 0.0
        a, b = self.rows[i], self.rows[j]
        if len(a) > len(b):
            a, b = b, a
        return float(sum(w * b[t] for t, w in a.items() if t in b))

    def matvec(self, x: Matrix) -> Matrix:
        """``sim @ x`` without the matrix: ``V (Vᵀ x)`` minus the diagonal."""
        by_term = np.bincount(self._term, weights=self._weight * x[self._row_of],
                              minlength=self.vocabulary)
        out = np.bincount(self._row_of, weights=self._weight * by_term[self._term],
                          minlength=self.n)
        result: Matrix = out - self._self * x
        return result

    def dense(self) -> Matrix:
        """The full matrix (for small inputs and tests only)."""
        return np.array([[self[i, j] for j in range(self.n)] for i in range(self.n)])


def tfidf_rows(texts: list[str]) -> tuple[list[dict[int, float]], int]:
    """L2-normalised TF-IDF vectors (sublinear tf, smoothed idf), as sparse rows."""
    docs = [Counter(content_stems(t)) for t in texts]
    vocab: dict[str, int] = {}
    for doc in docs:
        for term in doc:
            vocab.setdefault(term, len(vocab))
    df = Counter(term for doc in docs for term in doc)
    n = len(texts)
    rows: list[dict[int, float]] = []
    for doc in docs:
        row = {vocab[term]: (1 + math.log(tf)) * (math.log((1 + n) / (1 + df[term])) + 1)
               for term, tf in doc.items()}
        norm = math.sqrt(sum(w * w for w in row.values())) or 1.0
        rows.append({t: w / norm for t, w in row.items()})
    return rows, len(vocab)


def cosine_matrix(texts: list[str]) -> Similarity:
    """Pairwise cosine similarity of the texts, with a zero diagonal (sparse, never N×N)."""
    rows, vocabulary = tfidf_rows(texts)
    return Similarity(rows, vocabulary)


def lexrank(sim: Similarity, damping: float = 0.85, iterations: int = 50) -> Matrix:
    """Continuous LexRank: the stationary importance of each sentence in the similarity graph."""
    n = sim.n
    if n == 0:
        return np.zeros(0)
    rows = sim.matvec(np.ones(n))
    rows[rows == 0] = 1.0
    scores = np.full(n, 1.0 / n)
    for _ in range(iterations):
        # transitionᵀ @ scores, with transition = sim / rows and sim symmetric
        updated = (1 - damping) / n + damping * sim.matvec(scores / rows)
        if np.abs(updated - scores).sum() < 1e-8:
            scores = updated
            break
        scores = updated
    result: Matrix = scores / scores.max() if scores.max() > 0 else scores
    return result
