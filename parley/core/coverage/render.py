"""How other coverage reads in a reply: outlet, leaning, date, the quote and its address."""

from __future__ import annotations

from collections.abc import Sequence

from parley.core.coverage.find import BroaderCoverage, OtherCoverage, Passage
from parley.core.models import Source
from parley.core.text import shorten

STANCE_LABELS = {"agreeing": "agrees", "adding context": "adds context",
                 "disputing": "disputes it", "unclear": "relation unclear"}
LEANING_ICONS = {"left": "◀", "center": "◆", "right": "▶", "unrated": "○"}
SOURCE_NOTE = ("Leanings: AllSides media bias ratings (CC BY-NC 4.0) as moderators adjusted "
               "them; passages are quoted from stored articles, never written by Parley.")


BROADER_NOTE = ("_Same topic only: not found to address the article's points, so each is "
                "quoted by its own main point._")


def day(c: Passage) -> str:
    return f"{c.published.day} {c.published:%B %Y}" if c.published else "undated"


def _quoted(c: Passage, relation: str) -> str:
    head = (f"{LEANING_ICONS.get(c.leaning, '○')} **{shorten(c.outlet, 60)}** · {c.leaning} · "
            f"{day(c)} · _{relation}_")
    lines = [head, f"> {shorten(c.text, 400)}"]
    lines.append(f"— “{shorten(c.title, 120)}”" + (f" {c.url}" if c.url else ""))
    return "\n".join(lines)


def render_passage(c: OtherCoverage) -> str:
    return _quoted(c, STANCE_LABELS.get(c.stance, "relation unclear"))


def passage_sources(items: Sequence[Passage]) -> list[Source]:
    """One source per quoted article, in the order first quoted."""
    seen: dict[str, Source] = {}
    for c in items:
        seen.setdefault(c.article, Source(title=shorten(f"{c.outlet}: {c.title}", 200),
                                          url=c.url))
    return list(seen.values())


def render_broader(c: BroaderCoverage) -> str:
    return _quoted(c, "same topic, not matched to this event")
