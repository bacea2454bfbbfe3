"""The stored form of a matrix of unit vectors: each row as signed bytes with its own scale.

Layout: ``rows`` little-endian float32 scales, then ``rows × dims`` signed bytes (260 B a row
for the static model, 388 B for the encoder). Cosines computed from it differ from full
precision by well under 0.01."""

from __future__ import annotations

import numpy as np

from parley.core.meaning.encoder import ENCODER_DIMS
from parley.core.meaning.model import DIMS, Matrix

_SCALE = np.dtype("<f4")


def pack(matrix: Matrix, dims: int = DIMS) -> bytes:
    """Bytes for a (rows × dims) matrix."""
    if matrix.ndim != 2 or matrix.shape[1] != dims:
        raise ValueError(f"expected rows of {dims} values, got shape {matrix.shape}")
    scales = np.abs(matrix).max(axis=1) / 127.0
    scales[scales == 0] = 1.0
    quantised = np.clip(np.rint(matrix / scales[:, None]), -127, 127).astype(np.int8)
    return bytes(scales.astype(_SCALE).tobytes()) + bytes(quantised.tobytes())


def unpack(data: bytes, rows: int, dims: int = DIMS) -> Matrix | None:
    """The matrix back, as float32; None when the bytes do not hold ``rows`` rows."""
    if len(data) != rows * (dims + _SCALE.itemsize):
        return None
    split = rows * _SCALE.itemsize
    scales = np.frombuffer(data, dtype=_SCALE, count=rows)
    quantised = np.frombuffer(data, dtype=np.int8, offset=split).reshape(rows, dims)
    return np.asarray(quantised * scales[:, None], dtype=np.float32)


def pack_encodings(matrix: Matrix) -> bytes:
    """Bytes for the encoder's (rows × 384) matrix."""
    return pack(matrix, ENCODER_DIMS)


def unpack_encodings(data: bytes, rows: int) -> Matrix | None:
    """The encoder's matrix back; None when the bytes do not hold ``rows`` rows."""
    return unpack(data, rows, ENCODER_DIMS)
