"""Sentence encodings for benchmarks, cached in a file outside the repository (keyed by the
encoder's id and each text's sha256), so tuning runs in minutes instead of re-embedding the
10,373 CLEF claims every time. ``PARLEY_BENCH_CACHE`` (default ``$XDG_CACHE_HOME/parley-bench``
or ``~/.cache/parley-bench``) names the folder; ``--fresh`` in a bench, or deleting the folder,
reproduces every vector from scratch."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

Matrix = npt.NDArray[np.float32]


def folder() -> Path:
    """Where the cache lives (created on first write)."""
    named = os.environ.get("PARLEY_BENCH_CACHE")
    if named:
        return Path(named)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "parley-bench"


def key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EncodingCache:
    """One encoder's vectors by text hash, read once and written back after new encodings."""

    def __init__(self, encoder_id: str, where: Path | None = None) -> None:
        self.encoder_id = encoder_id
        self.path = (where or folder()) / f"{encoder_id}.npz"
        self.rows: dict[str, int] = {}
        self.matrix: Matrix = np.zeros((0, 0), dtype=np.float32)
        if self.path.exists():
            with np.load(self.path) as stored:
                self.matrix = np.asarray(stored["vectors"], dtype=np.float32)
                self.rows = {str(k): i for i, k in enumerate(stored["keys"])}

    def encode(self, texts: Sequence[str], fresh: bool = False) -> Matrix:
        """The encoder's vectors of ``texts``: cached ones read, the rest encoded (by the
        integer graph's ``encode_fast`` for its id, else by ``encode``) and kept."""
        from parley.core.meaning import FAST_ENCODER_ID, encode, encode_fast

        keys = [key(t) for t in texts]
        todo = sorted({k: t for k, t in zip(keys, texts, strict=True)
                       if fresh or k not in self.rows}.items())
        if todo:
            made = (encode_fast if self.encoder_id == FAST_ENCODER_ID else encode)(
                [t for _, t in todo])
            if not self.matrix.size:
                self.matrix = np.zeros((0, made.shape[1]), dtype=np.float32)
            start = len(self.matrix)
            self.matrix = np.vstack([self.matrix, made])
            self.rows.update({k: start + i for i, (k, _) in enumerate(todo)})
            self._save()
        return self.matrix[[self.rows[k] for k in keys]] if keys else self.matrix[:0]

    def _save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        ordered = sorted(self.rows.items(), key=lambda kv: kv[1])
        partial = self.path.with_suffix(".tmp.npz")
        np.savez(partial, keys=np.array([k for k, _ in ordered]),
                 vectors=self.matrix[[i for _, i in ordered]])
        partial.replace(self.path)
