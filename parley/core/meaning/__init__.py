"""Sentence meaning, offline: the static ``embed`` (fast) and the real encoder ``encode``.

``embed`` is a static distillation of all-MiniLM-L6-v2 (a token → vector table, mean-pooled,
256-d) run with ``tokenizers`` and numpy. ``encode`` is all-MiniLM-L6-v2 itself (384-d), run by
onnxruntime (imported on first use); it is CPU work of milliseconds a sentence, so it belongs in
a thread or the worker pool, never on the event loop. No network, no PyTorch::

    from parley.core.meaning import embed, encode, encode_one, similarity
    vectors = embed(["kids taken from their parents", "children separated"])  # (2, DIMS)
    better = encode(["kids taken from their parents", "children separated"])  # (2, ENCODER_DIMS)
    similarity(better[0], better[1])  # cosine, -1..1
    asked = encode_question("how many kids?")  # (ENCODER_DIMS,), the faster graph, for lookups
    claims = encode_fast(["kids taken from their parents"])  # the faster graph, batched
"""

from parley.core.meaning.encoder import (
    ENCODER_DIMS,
    ENCODER_ID,
    FAST_ENCODER_ID,
    EncoderUnavailable,
    encode,
    encode_fast,
    encode_one,
    encode_question,
)
from parley.core.meaning.model import DIMS, MODEL_ID, embed, similarity

__all__ = [
    "DIMS", "ENCODER_DIMS", "ENCODER_ID", "FAST_ENCODER_ID", "MODEL_ID", "EncoderUnavailable",
    "embed", "encode", "encode_fast", "encode_one", "encode_question", "similarity",
]
