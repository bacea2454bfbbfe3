"""Builds ``parley/core/data/outlets/leanings.json`` from the public AllSides crawl (offline).

Each outlet's leaning is the AllSides rating its articles carry in
``../shared/eval/corpus/*.jsonl`` and ``../shared/eval/articles/SOURCES.json``; its domains are
the hosts of its articles' addresses (a host two outlets of different leanings share, such as
one newspaper's news and opinion desks, is left out: the outlet name decides there).
"""

from __future__ import annotations

import json
from collections import defaultdict
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


def build() -> dict[str, object]:
    leanings: dict[str, set[str]] = defaultdict(set)
    hosts: dict[str, set[str]] = defaultdict(set)
    for outlet, leaning, url in _rows():
        leanings[outlet].add(leaning)
        if host(url):
            hosts[host(url)].add(outlet)
    outlets = {o: sorted(ls)[0] for o, ls in sorted(leanings.items()) if len(ls) == 1}
    domains = {h: next(iter(os)) for h, os in sorted(hosts.items())
               if len({outlets.get(o) for o in os}) == 1 and len(os) == 1
               and next(iter(os)) in outlets}
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
