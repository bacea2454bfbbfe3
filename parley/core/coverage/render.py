"""How other coverage reads in a reply: outlet, leaning, date, the quote and its address."""

from __future__ import annotations

from collections.abc import Sequence

from parley.core.coverage.find import BroaderCoverage, OtherCoverage, Quoted
from parley.core.models import Source
from parley.core.text import shorten

STANCE_LABELS = {"agreeing": "agrees", "adding context": "adds context",
                 "disputing": "disputes it", "unclear": "relation unclear"}
LEANING_ICONS = {"left": "◀", "center": "◆", "right": "▶", "unrated": "○"}
SOURCE_NOTE = ("Leanings: AllSides media bias ratings (CC BY-NC 4.0) as moderators adjusted "
               "them; passages are quoted from stored articles, never written by Parley.")


BROADER_NOTE = ("_Same topic only: not found to address the article's points on this event. "
                "Each is quoted by its passage nearest one of the article's points, when one is "
                "near enough; otherwise by its own main claim, as coverage of the topic, not of "
                "this point._")
TOPIC_ONLY = "coverage of the topic, not of this point"
BROADER_RELATION = "same topic, not matched to this event"


def day(c: Quoted) -> str:
    return f"{c.published.day} {c.published:%B %Y}" if c.published else "undated"


def whose_point(quoted: bool, speaker: str | None) -> str:
    """What precedes the article's point where it sits inside someone's quotation: their words,
    not the article's."""
    if not quoted:
        return ""
    return (f"the article's quotation of {shorten(speaker, 80)}, " if speaker
            else "a quotation in the article, ")


def _quoted(c: Quoted, relation: str, text: str | None, lead: str | None = None) -> str:
    """The article's head line (outlet, leaning, date, ``relation``), ``lead`` (what the quote
    answers), ``text`` quoted, then its headline and address, with whose words ``text`` is when
    it is someone's quotation there."""
    head = (f"{LEANING_ICONS.get(c.leaning, '○')} **{shorten(c.outlet, 60)}** · {c.leaning} · "
            f"{day(c)} · _{relation}_")
    lines = [head, *([lead] if lead is not None else [])]
    whose = ""
    if text is not None:
        lines.append(f"> {shorten(text, 400)}")
        if c.quoted:  # someone's words inside the article, not the outlet's
            whose = (f"{shorten(c.speaker, 80)}, quoted in " if c.speaker
                     else "a quotation in ")
    lines.append(f"— {whose}“{shorten(c.title, 120)}”" + (f" {c.url}" if c.url else ""))
    return "\n".join(lines)


def render_passage(c: OtherCoverage) -> str:
    return _quoted(c, STANCE_LABELS.get(c.stance, "relation unclear"), c.text)


def passage_sources(items: Sequence[Quoted]) -> list[Source]:
    """One source per quoted article, in the order first quoted."""
    seen: dict[str, Source] = {}
    for c in items:
        seen.setdefault(c.article, Source(title=shorten(f"{c.outlet}: {c.title}", 200),
                                          url=c.url))
    return list(seen.values())


def render_broader(c: BroaderCoverage) -> str:
    """Its passage nearest one of the article's points, marked as on-point ones are; or, with
    none near enough, its own main claim, said to be coverage of the topic only."""
    if c.text is None or c.point_text is None:
        return _quoted(c, f"{BROADER_RELATION} · {TOPIC_ONLY}", c.main_claim,
                       f"Its {'main claim, in words it quotes' if c.quoted else 'own main claim'}"
                       ", not an answer to the article's points:" if c.main_claim else None)
    point = whose_point(c.point_quoted, c.point_speaker) or "the article's "
    return _quoted(c, f"{BROADER_RELATION} · "
                      f"{STANCE_LABELS.get(c.stance or 'unclear', 'relation unclear')}",
                   c.text, f"On {point}“{shorten(c.point_text, 160)}”:")
