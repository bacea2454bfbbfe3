"""``/fact``'s question graph: the integer graph cut after 5 of its 6 layers, through a linear map.

Chosen on SQuAD dev's tuning quarter by cross-validation (``bench/question_layers.py``,
``docs/facts.md``): the integer question graph (``graph.integer``) ends after its fifth layer
(:func:`truncate`), and its mean-pooled output goes through a ridge map (384 × 384 and a bias,
``data/meaning/question_map.npz``, fitted on the tuning quarter's questions and CLEF 2020's
train tweets) onto the exact graph's space, where the articles' sentence vectors live; then
made unit. Its cosines run lower than the whole graph's, so it is ranked with a fusion of its
own (``rank.FACT_FUSION``). The session is built in memory on first use, like the others.
"""

from __future__ import annotations

import hashlib
from importlib import resources
from typing import Any

import numpy as np
import numpy.typing as npt

from parley.core.meaning.encoder import (
    ENCODER_DIMS,
    Encoder,
    EncoderUnavailable,
    Feeds,
    Hidden,
    Matrix,
    _graph,
    _session,
    _tokenizer,
    _trim,
)
from parley.core.meaning.graph import Graph, prune

LAYERS = 5
MAP_FILE = "question_map.npz"
# The shipped map's sha256 (``data/meaning/SOURCE.md``): a different file is refused.
MAP_SHA256 = "750dff817a2ea61bf844951b07249f17f06ccfa1ce4676b77568a53459298bea"
# Its id: the integer graph's, the layers kept and the map's first hex digits (vectors of one
# graph are only compared with the fusion chosen for it).
FACT_ENCODER_ID = f"all-minilm-l6-v2-onnx-int8-fused-l{LAYERS}-map-{MAP_SHA256[:8]}"


class MapUnsound(ValueError):
    """The question map's file is not the one Parley ships (its sha256 or its arrays differ)."""


def truncate(graph: Graph, layers: int) -> None:
    """Make the graph end after its first ``layers`` transformer layers: the output is that
    layer's closing ``LayerNormalization`` (the graph's first one normalises the embeddings,
    then each layer has two), the later layers pruned away."""
    norms = [n.output[0] for n in graph.node if n.op_type == "LayerNormalization"]
    if layers < 1 or 2 * layers >= len(norms):
        raise ValueError(f"cannot keep {layers} of the graph's {(len(norms) - 1) // 2} layers")
    graph.output[0].name = norms[2 * layers]
    prune(graph)


def truncated_graph(data: bytes, layers: int) -> bytes:
    """The integer graph of the packaged graph ``data``, cut after ``layers`` layers."""
    try:
        import onnx

        from parley.core.meaning import graph
    except ImportError as error:
        raise EncoderUnavailable("pip install onnx") from error
    model = onnx.load_from_string(graph.integer(data))
    truncate(model.graph, layers)
    return bytes(model.SerializeToString())


def map_bytes() -> bytes:
    return (resources.files("parley.core.data") / "meaning" / MAP_FILE).read_bytes()


def load_map(data: bytes, sha256: str = MAP_SHA256
             ) -> tuple[npt.NDArray[np.float32], npt.NDArray[np.float32]]:
    """The map's weight (384 × 384) and bias (384) as float32, from the file's bytes;
    :class:`MapUnsound` when its sha256 or its arrays are not what Parley expects."""
    found = hashlib.sha256(data).hexdigest()
    if found != sha256:
        raise MapUnsound(f"{MAP_FILE} has sha256 {found}, not {sha256}: reinstall Parley")
    import io

    with np.load(io.BytesIO(data)) as saved:
        if "weight" not in saved or "bias" not in saved or "layers" not in saved:
            raise MapUnsound(f"{MAP_FILE} lacks its weight, bias or layers")
        weight = np.asarray(saved["weight"], dtype=np.float32)
        bias = np.asarray(saved["bias"], dtype=np.float32)
        layers = int(saved["layers"])
    if weight.shape != (ENCODER_DIMS, ENCODER_DIMS) or bias.shape != (ENCODER_DIMS,):
        raise MapUnsound(f"{MAP_FILE} holds a {weight.shape} map and a {bias.shape} bias, "
                         f"not ({ENCODER_DIMS}, {ENCODER_DIMS}) and ({ENCODER_DIMS},)")
    if layers != LAYERS:
        raise MapUnsound(f"{MAP_FILE} was fitted for {layers} layers, not {LAYERS}")
    return weight, bias


def mapped(pooled: npt.NDArray[Any], weight: npt.NDArray[np.float32],
           bias: npt.NDArray[np.float32]) -> Matrix:
    """Pooled rows through the map (float32), then unit again."""
    out = np.asarray(pooled, dtype=np.float32) @ weight + bias
    norms = np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-12)
    return np.asarray(out / norms, dtype=np.float32)


class MappedEncoder(Encoder):
    """A truncated graph's encoder whose pooled unit rows go through the map."""

    def __init__(self, base: Encoder, weight: npt.NDArray[np.float32],
                 bias: npt.NDArray[np.float32], id: str) -> None:
        super().__init__(base.tokenizer, base.session, id)
        self.weight, self.bias = weight, bias

    def pool(self, hidden: Hidden, feeds: Feeds) -> Matrix:
        return mapped(super().pool(hidden, feeds), self.weight, self.bias)


def load() -> MappedEncoder:
    """``/fact``'s question encoder: the map checked, then the 5-layer session built in memory
    (about 1 s of CPU; its own onnxruntime session, ~45 MB beside the others)."""
    weight, bias = load_map(map_bytes())
    session = _session(truncated_graph(_graph(), LAYERS))
    _trim()
    return MappedEncoder(Encoder(_tokenizer(), session, FACT_ENCODER_ID), weight, bias,
                         FACT_ENCODER_ID)
