"""Sentence meaning, offline: ``embed(texts)`` gives unit vectors, ``similarity`` compares them.

The model is a static distillation of all-MiniLM-L6-v2 (a token → vector table, mean-pooled),
shipped in ``parley/core/data/meaning`` and run with ``tokenizers`` and numpy: no network, no
PyTorch. /fact, claim matching and counterpoint topics all use this one API::

    from parley.core.meaning import embed, similarity
    vectors = embed(["kids taken from their parents", "children separated"])  # (2, DIMS)
    similarity(vectors[0], vectors[1])  # cosine, -1..1
"""

from parley.core.meaning.model import DIMS, MODEL_ID, embed, similarity

__all__ = ["DIMS", "MODEL_ID", "embed", "similarity"]
