"""The news-topic model tried for "same topic" (issue #20): an article's probabilities over the
ten AllSides topics of the coverage corpus and "other", from its weighted content stems, read
with numpy from ``bench/topic_model.json`` (built by ``python -m bench.train_topics``). Not
adopted (docs/coverage.md, "A news-topic model, tried"), so it lives with the benchmarks, not in
the package."""

from __future__ import annotations

import base64
import json
import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

OTHER = "other"
MODEL_FILE = Path(__file__).with_name("topic_model.json")


@dataclass(frozen=True)
class TopicModel:
    """A multinomial logistic model over unit-length weighted stems."""

    classes: tuple[str, ...]
    index: dict[str, int]  # stem → row of ``weights``
    weights: np.ndarray  # stems × classes, float32
    bias: np.ndarray  # classes, float32

    def known(self) -> np.ndarray:
        """A mask of the classes that are a named topic (not "other")."""
        return np.array([c != OTHER for c in self.classes], dtype=bool)


def features(weighted: dict[str, float]) -> dict[str, float]:
    """The model's input: the article's weighted stems (``profile.weighted_stems``) scaled to
    unit length (so long and short articles compare)."""
    norm = math.sqrt(sum(w * w for w in weighted.values())) or 1.0
    return {s: w / norm for s, w in weighted.items()}


def decode(body: dict[str, object]) -> TopicModel:
    """A model from the shipped file's JSON (weights as base64 little-endian float16)."""
    classes = tuple(str(c) for c in body["classes"])  # type: ignore[attr-defined]
    stems = [str(s) for s in body["stems"]]  # type: ignore[attr-defined]
    raw = base64.b64decode(str(body["weights"]))
    weights = np.frombuffer(raw, dtype="<f2").astype(np.float32).reshape(len(stems), len(classes))
    bias = np.array(body["bias"], dtype=np.float32)
    return TopicModel(classes=classes, index={s: i for i, s in enumerate(stems)},
                      weights=weights, bias=bias)


@cache
def load() -> TopicModel:
    """The committed model (``bench/topic_model.json``), read once."""
    return decode(json.loads(MODEL_FILE.read_text(encoding="utf-8")))


def predict(weighted: dict[str, float], model: TopicModel | None = None) -> tuple[float, ...]:
    """The article's probability of each of the model's classes (pure and deterministic)."""
    model = load() if model is None else model
    logits = model.bias.astype(np.float64)
    for stem, value in features(weighted).items():
        row = model.index.get(stem)
        if row is not None:
            logits = logits + value * model.weights[row]
    logits = logits - logits.max()
    probs = np.exp(logits)
    probs /= probs.sum()
    return tuple(round(float(p), 4) for p in probs)


def shared_topic(a: tuple[float, ...], b: tuple[float, ...],
                 model: TopicModel | None = None) -> float:
    """The probability two articles share a named topic: Σ over the named topics of
    p_A(k)·p_B(k); 0 when either has no prediction (a profile from before the model)."""
    if not a or not b:
        return 0.0
    model = load() if model is None else model
    if len(a) != len(model.classes) or len(b) != len(model.classes):
        return 0.0
    mask = model.known()
    return float(np.dot(np.asarray(a)[mask], np.asarray(b)[mask]))


def named_topic(probs: tuple[float, ...], least: float,
                model: TopicModel | None = None) -> str | None:
    """The article's named topic when the model gives it at least ``least``; None (topic
    unknown) when its best is "other" or below that."""
    if not probs:
        return None
    model = load() if model is None else model
    if len(probs) != len(model.classes):
        return None
    best = int(np.argmax(probs))
    if model.classes[best] == OTHER or probs[best] < least:
        return None
    return model.classes[best]
