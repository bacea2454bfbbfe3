"""Builds ``parley/core/data/outlets/leanings.json`` from the public AllSides crawl (offline).

Each outlet's leaning is the AllSides rating its articles carry in
``../shared/eval/corpus/*.jsonl`` and ``../shared/eval/articles/SOURCES.json``; its domains are
the hosts of its articles' addresses (a host several outlets share goes to its publisher, the
outlet carrying most of its articles, when most of them are of that outlet's leaning; otherwise
it is left out and the outlet name decides).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
EVAL = REPO.parent / "shared" / "eval"
TARGET = REPO / "parley" / "core" / "data" / "outlets" / "leanings.json"


def _rows() -> list[tuple[str, str, str]]:
    rows = []
    for name in ("topics.jsonl", "kind.jsonl"):
        for line in (EVAL / "corpus" / name).read_text(encoding="utf-8").splitlines():
            item = json.loads(line)
            rows.append((item["outlet"], item["leaning"], item.get("url") or ""))
    for item in json.loads((EVAL / "articles" / "SOURCES.json").read_text(encoding="utf-8")):
        rows.append((item["source"], item["bias"], item.get("url") or ""))
    return rows


def host(url: str) -> str:
    name = (urlsplit(url).hostname or "").lower()
    return name.removeprefix("www.")


def publisher(carried: Counter[str], outlets: dict[str, str]) -> str | None:
    """The outlet a host stands for: the one carrying most of its articles (at least two), when
    the articles of that outlet's leaning are most of the host's (cnn.com carries CNN and its
    guest columnists; a paper's columnist is not its publisher)."""
    ranked = sorted(carried.items(), key=lambda item: (-item[1], item[0]))
    name, count = ranked[0]
    if name not in outlets or (len(ranked) > 1 and count < 2):
        return None
    same = sum(n for o, n in carried.items() if outlets.get(o) == outlets[name])
    return name if 2 * same > sum(carried.values()) else None


def build() -> dict[str, object]:
    leanings: dict[str, set[str]] = defaultdict(set)
    hosts: dict[str, Counter[str]] = defaultdict(Counter)
    for outlet, leaning, url in _rows():
        leanings[outlet].add(leaning)
        if host(url):
            hosts[host(url)][outlet] += 1
    outlets = {o: sorted(ls)[0] for o, ls in sorted(leanings.items()) if len(ls) == 1}
    domains = {h: name for h, carried in sorted(hosts.items())
               if (name := publisher(carried, outlets)) is not None}
    return {"source": "AllSides media bias ratings, as carried by the AllSides crawl in "
                      "github.com/ramybaly/Article-Bias-Prediction",
            "outlets": outlets, "domains": domains}


def main() -> None:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(json.dumps(build(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    table = json.loads(TARGET.read_text(encoding="utf-8"))
    print(f"wrote {TARGET.relative_to(REPO)}: {len(table['outlets'])} outlets, "
          f"{len(table['domains'])} domains")


if __name__ == "__main__":
    main()
