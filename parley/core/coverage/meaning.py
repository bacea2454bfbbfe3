"""Meaning vectors for coverage matching: the one place to switch embedding models."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from parley.core import meaning
from parley.core.analysis.tokens import words
from parley.core.analysis.wordvectors import DIMS, sentence_vector

Vectors = npt.NDArray[np.float32]
VECTOR_DIMS = DIMS  # the whole-article topic vector
PASSAGE_MODEL = meaning.MODEL_ID  # stored profiles made with another model are re-indexed


def embed(texts: list[str]) -> Vectors:
    """Unit-length passage meaning vectors, one row a text: the same meaning as /fact
    (``parley.core.meaning``), so a point and a passage are compared as a question and a
    sentence are."""
    return meaning.embed(texts)


def topic_vector(text: str) -> Vectors:
    """The whole article's topic as one 1 × d unit row (mean GloVe vector; zeros when no word is
    known): candidates are ranked by it, and the thresholds of ``match.relate`` were set on it."""
    out = np.zeros((1, VECTOR_DIMS), dtype=np.float32)
    vector = sentence_vector(words(text))
    if vector is not None:
        out[0] = vector
    return out
