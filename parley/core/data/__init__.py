"""Data shipped with Parley: the example article, word lists and (later) lexicons and packs."""

from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def load_words(name: str) -> frozenset[str]:
    """The words of ``words/<name>.txt``, lower-cased; ``#`` starts a comment line."""
    text = (resources.files(__name__) / "words" / f"{name}.txt").read_text(encoding="utf-8")
    return frozenset(
        w.lower() for line in text.splitlines() if not line.lstrip().startswith("#")
        for w in line.split()
    )
