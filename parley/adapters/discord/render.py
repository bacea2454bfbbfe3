"""Reply → Discord embeds within Discord's limits, paged when long, and button rows."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from parley.core.models import Reply
from parley.core.text import render_member_text, split_to_fit

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


def _link(title: str, url: str | None) -> str:
    """A source as its title and its plain, visible address: never a masked link, so the
    address shown is the address followed."""
    clean = escape(render_member_text(title, lambda t: t))
    if url and url.startswith(("http://", "https://")) and not re.search(r"[\s<>]", url):
        return f"{clean} — <{url}>"
    return clean


def pages(reply: Reply) -> list[Page]:
    """The reply as embeds, each within Discord's limits (title, description, fields, total)."""
    colour = ERROR_COLOUR if reply.is_error else COLOURS[reply.status]
    title = literal(reply.title or ("Parley" if not reply.is_error else "Sorry"))
    title = title if len(title) <= TITLE else title[:TITLE - 1] + "…"
    fields: list[tuple[str, str]] = []
    for section in reply.sections:
        for i, part in enumerate(_cut(literal(section.text), FIELD_VALUE)):
            heading = literal(section.title)
            name = heading if i == 0 else f"{heading} (cont.)"
            fields.append((name[:FIELD_NAME], part or "—"))
    if reply.sources:
        lines = "\n".join(f"• {_link(s.title, s.url)}" for s in reply.sources)
        fields += [("Sources" if i == 0 else "Sources (cont.)", part)
                   for i, part in enumerate(_cut(lines, FIELD_VALUE))]
    descriptions = _cut(literal(reply.text), DESCRIPTION) if reply.text else [""]
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
