"""Sentence similarity: TF-IDF vectors over content stems and their cosine matrix."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import numpy.typing as npt

from parley.core.analysis.tokens import content_stems

Matrix = npt.NDArray[np.float64]


def tfidf_matrix(texts: list[str]) -> Matrix:
    """Rows are L2-normalised TF-IDF vectors (sublinear tf, smoothed idf) of the texts."""
    docs = [Counter(content_stems(t)) for t in texts]
    vocab: dict[str, int] = {}
    for doc in docs:
        for term in doc:
            vocab.setdefault(term, len(vocab))
    df = Counter(term for doc in docs for term in doc)
    n = len(texts)
    matrix = np.zeros((n, max(1, len(vocab))))
    for i, doc in enumerate(docs):
        for term, tf in doc.items():
            matrix[i, vocab[term]] = (1 + math.log(tf)) * (math.log((1 + n) / (1 + df[term])) + 1)
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    result: Matrix = matrix / norms
    return result


def cosine_matrix(texts: list[str]) -> Matrix:
    """Pairwise cosine similarity of the texts, with a zero diagonal."""
    vectors = tfidf_matrix(texts)
    sim: Matrix = vectors @ vectors.T
    np.fill_diagonal(sim, 0.0)
    return sim


def lexrank(sim: Matrix, damping: float = 0.85, iterations: int = 50) -> Matrix:
    """Continuous LexRank: the stationary importance of each sentence in the similarity graph."""
    n = sim.shape[0]
    if n == 0:
        return np.zeros(0)
    rows = sim.sum(axis=1, keepdims=True)
    rows[rows == 0] = 1.0
    transition = sim / rows
    scores = np.full(n, 1.0 / n)
    for _ in range(iterations):
        updated = (1 - damping) / n + damping * (transition.T @ scores)
        if np.abs(updated - scores).sum() < 1e-8:
            scores = updated
            break
        scores = updated
    result: Matrix = scores / scores.max() if scores.max() > 0 else scores
    return result
