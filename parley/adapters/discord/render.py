"""Reply → Discord embeds within Discord's limits, paged when long, and button rows."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from parley.core.models import Reply
from parley.core.text import MEMBER_SPAN, member_text, render_member_text, split_to_fit

TITLE, DESCRIPTION, FIELDS, FIELD_NAME, FIELD_VALUE, TOTAL = 256, 4096, 25, 256, 1024, 6000
COLOURS = {"neutral": 0x5865F2, "good": 0x2E7D32, "warning": 0xF9A825, "bad": 0xC62828}
ERROR_COLOUR = 0x757575
CUSTOM_ID_PREFIX = "parley:"
MAX_CUSTOM_ID = 100


@dataclass
class Page:
    """One embed's worth of a reply."""

    title: str
    description: str = ""
    fields: list[tuple[str, str]] = field(default_factory=list)
    colour: int = COLOURS["neutral"]
    image: str | None = None  # an attached picture's file name, shown in the embed

    def size(self) -> int:
        return len(self.title) + len(self.description) + sum(len(n) + len(v)
                                                             for n, v in self.fields)

    def embed(self) -> dict[str, Any]:
        out: dict[str, Any] = {"title": self.title, "color": self.colour, "type": "rich"}
        if self.description:
            out["description"] = self.description
        if self.fields:
            out["fields"] = [{"name": n, "value": v, "inline": False} for n, v in self.fields]
        if self.image:
            out["image"] = {"url": f"attachment://{self.image}"}
        return out


def _cut(text: str, limit: int) -> list[str]:
    return split_to_fit(text, limit) or [""]


_MARKDOWN = re.compile(r"([\\*_~`|>\[\]()#:<@!-])")


def escape(text: str) -> str:
    """A member's text as literal Discord Markdown: every markup character backslashed."""
    return _MARKDOWN.sub(r"\\\1", text)


def literal(text: str) -> str:
    """Reply text with each member span escaped (the core's own markup is kept)."""
    return render_member_text(text, escape)


Mentions = Callable[[str], str]


def _unchanged(text: str) -> str:
    return text


def command_mentions(paths: Mapping[str, str]) -> Mentions:
    """A rewrite of every ``/command`` the core's own text names (``/article use``) into the
    path Discord files it under (``/mod article use``); a member's words are left as typed.
    ``paths`` maps each registry name to its Discord path (``commands.paths``).

    A one-word name that is also its family's (``/counterpoint``, filed as ``/counterpoint
    find``) is rewritten only where it is a command: in code (```/counterpoint```) or followed
    by its parameters (``/counterpoint [topic]``); bare, it names the family (help's headings).
    """
    if all(name == path for name, path in paths.items()):
        return _unchanged
    # Every name, longest first, so "/counterpoint add" is never read as "/counterpoint".
    names = "|".join(re.escape(n) for n in sorted(paths, key=len, reverse=True))
    mention = re.compile(f"(?<![\\w/])/({names})(?![\\w-])")

    def one(m: re.Match[str]) -> str:
        name, text = m[1], m.string
        is_command = (" " in name or text[m.start() - 1:m.start()] == "`"
                      or text[m.end():m.end() + 2] in (" <", " ["))
        return "/" + paths[name] if is_command else m[0]

    def core(text: str) -> str:
        return mention.sub(one, text)

    def rewrite(text: str) -> str:
        if "/" not in text:
            return text
        parts = MEMBER_SPAN.split(text)  # outside, member, outside, member, …, outside
        return "".join(core(part) if i % 2 == 0 else member_text(part)
                       for i, part in enumerate(parts))

    return rewrite


def _link(title: str, url: str | None) -> str:
    """A source as its title and its plain, visible address: never a masked link, so the
    address shown is the address followed."""
    clean = escape(render_member_text(title, lambda t: t))
    if url and url.startswith(("http://", "https://")) and not re.search(r"[\s<>]", url):
        return f"{clean} — <{url}>"
    return clean


def pages(reply: Reply, mentions: Mentions | None = None) -> list[Page]:
    """The reply as embeds, each within Discord's limits (title, description, fields, total);
    ``mentions`` rewrites the commands the text names (:func:`command_mentions`; none: left
    as written)."""
    mentions = mentions or _unchanged
    colour = ERROR_COLOUR if reply.is_error else COLOURS[reply.status]
    title = literal(mentions(reply.title or ("Parley" if not reply.is_error else "Sorry")))
    title = title if len(title) <= TITLE else title[:TITLE - 1] + "…"
    fields: list[tuple[str, str]] = []
    for section in reply.sections:
        heading = literal(mentions(section.title))
        for i, part in enumerate(_cut(literal(mentions(section.text)), FIELD_VALUE)):
            name = heading if i == 0 else f"{heading} (cont.)"
            fields.append((name[:FIELD_NAME], part or "—"))
    if reply.sources:
        lines = "\n".join(f"• {_link(s.title, s.url)}" for s in reply.sources)
        fields += [("Sources" if i == 0 else "Sources (cont.)", part)
                   for i, part in enumerate(_cut(lines, FIELD_VALUE))]
    descriptions = _cut(literal(mentions(reply.text)), DESCRIPTION) if reply.text else [""]
    out = [Page(title=title, description=d, colour=colour) for d in descriptions]
    page = out[-1]
    for name, value in fields:
        if len(page.fields) >= FIELDS or page.size() + len(name) + len(value) > TOTAL:
            page = Page(title=title[:TITLE - 12] + " (continued)", colour=colour)
            out.append(page)
        page.fields.append((name, value))
    if reply.pictures:  # the first picture inside the first embed; the others attached below
        out[0].image = reply.pictures[0].name
    return out


def buttons(reply: Reply) -> list[dict[str, Any]]:
    """The reply's actions as one row of buttons whose custom id carries the command."""
    styles = {"primary": 1, "secondary": 2, "danger": 4}
    row = [{"type": 2, "style": styles[a.style], "label": a.label[:80],
            "custom_id": CUSTOM_ID_PREFIX + a.command}
           for a in reply.actions[:5] if len(CUSTOM_ID_PREFIX + a.command) <= MAX_CUSTOM_ID]
    return [{"type": 1, "components": row}] if row else []
