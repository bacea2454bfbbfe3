"""Reading the CLEF 2019 CheckThat! Task 1 data and scoring a ranking by mean average precision."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
CLEF = EVAL / "checkworthiness" / "clef2019-task1"


@dataclass(frozen=True)
class Line:
    speaker: str
    text: str
    label: int


def read_debate(path: Path) -> list[Line]:
    out = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        parts = raw.rstrip("\r").split("\t")
        if len(parts) == 4:
            out.append(Line(parts[1], parts[2], int(parts[3])))
    return out


def split(name: str) -> dict[str, list[Line]]:
    """``training`` or ``test_annotated``: each debate's lines, by file name."""
    return {p.name: read_debate(p) for p in sorted((CLEF / name).glob("*.tsv"))}


def average_precision(labels: list[int], scores: list[float]) -> float:
    ranked = sorted(zip(scores, labels, strict=True), key=lambda p: -p[0])
    hits, total = 0, 0.0
    for rank, (_, label) in enumerate(ranked, start=1):
        if label:
            hits += 1
            total += hits / rank
    return total / max(1, sum(labels))


def mean_average_precision(debates: dict[str, list[Line]],
                           score: Callable[[list[Line]], list[float]]) -> float:
    aps = [average_precision([x.label for x in lines], score(lines)) for lines in debates.values()]
    return sum(aps) / len(aps)
