"""Passage meaning vectors for coverage matching: the one place to switch embedding models."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from parley.core.analysis.tokens import words
from parley.core.analysis.wordvectors import DIMS, sentence_vector

Vectors = npt.NDArray[np.float32]
VECTOR_DIMS = DIMS


def embed(texts: list[str]) -> Vectors:
    """Unit-length meaning vectors, one row a text (zeros where no word is known).

    Today the mean GloVe vector; sentence embeddings (issue #19) replace this one body."""
    out = np.zeros((len(texts), VECTOR_DIMS), dtype=np.float32)
    for i, text in enumerate(texts):
        vector = sentence_vector(words(text))
        if vector is not None:
            out[i] = vector
    return out
