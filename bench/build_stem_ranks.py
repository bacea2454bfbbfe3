"""Builds ``parley/core/data/wordvectors/stem_ranks.txt`` (offline): each stem's best frequency
rank among the shipped GloVe words, so coverage's term weights need no stemming at start."""

from __future__ import annotations

from pathlib import Path

from parley.core.analysis.tokens import stem

FOLDER = Path(__file__).resolve().parent.parent / "parley" / "core" / "data" / "wordvectors"


def main() -> None:
    ranks: dict[str, int] = {}
    for rank, word in enumerate((FOLDER / "words.txt").read_text(encoding="utf-8").split()):
        ranks.setdefault(stem(word), rank)
    lines = [f"{s} {r}" for s, r in ranks.items()]
    (FOLDER / "stem_ranks.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} stems")


if __name__ == "__main__":
    main()
