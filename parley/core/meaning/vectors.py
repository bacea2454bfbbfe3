"""The stored form of a matrix of unit vectors: each row as signed bytes with its own scale.

Layout: ``rows`` little-endian float32 scales, then ``rows × DIMS`` signed bytes (260 B a row).
Cosines computed from it differ from full precision by well under 0.01."""

from __future__ import annotations

import numpy as np

from parley.core.meaning.model import DIMS, Matrix

_SCALE = np.dtype("<f4")


def pack(matrix: Matrix) -> bytes:
    """Bytes for a (rows × DIMS) matrix."""
    if matrix.ndim != 2 or matrix.shape[1] != DIMS:
        raise ValueError(f"expected rows of {DIMS} values, got shape {matrix.shape}")
    scales = np.abs(matrix).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    quantised = np.clip(np.rint(matrix / scales[:, None]), -127, 127).astype(np.int8)
    return bytes(scales.astype(_SCALE).tobytes()) + bytes(quantised.tobytes())


def unpack(data: bytes, rows: int) -> Matrix | None:
    """The matrix back, as float32; None when the bytes do not hold ``rows`` rows."""
    if len(data) != rows * (DIMS + _SCALE.itemsize):
        return None
    split = rows * _SCALE.itemsize
    scales = np.frombuffer(data, dtype=_SCALE, count=rows)
    quantised = np.frombuffer(data, dtype=np.int8, offset=split).reshape(rows, DIMS)
    return np.asarray(quantised * scales[:, None], dtype=np.float32)
