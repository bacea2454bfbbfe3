"""Reply → Block Kit: escaped mrkdwn (no reply can ping anyone), split within Slack's limits."""

from __future__ import annotations

import re
from typing import Any

from parley.core.models import Reply
from parley.core.text import render_member_text, split_to_fit

MAX_BLOCKS = 50
MAX_SECTION = 3000
MAX_HEADER = 150
MAX_BUTTON_TEXT = 75
MAX_CONTEXT_ELEMENTS = 10
MAX_FALLBACK = 300
ACTION_PREFIX = "parley_action_"
Block = dict[str, Any]


def escape(text: str) -> str:
    """Slack's three control characters, so ``<!channel>`` or ``<@U1>`` stays inert text."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# mrkdwn has no escape character: a member's formatting characters become look-alikes.
_INERT = str.maketrans({"*": "∗", "_": "ˍ", "~": "∼", "`": "ˋ"})


def literal(text: str) -> str:
    """A member's text as inert mrkdwn: escaped, with no bold, italic, strike or code."""
    return escape(text).translate(_INERT)


def plain(text: str) -> str:
    """Reply text with member spans made inert, then escaped (the core's markup kept)."""
    spans: list[str] = []

    def hold(member: str) -> str:
        spans.append(literal(member))
        return f"\ue002{len(spans) - 1}\ue003"

    held = escape(render_member_text(text, hold))
    return re.sub("\ue002(\\d+)\ue003", lambda m: spans[int(m[1])], held)


def mrkdwn(text: str) -> str:
    """The core's light Markdown as Slack mrkdwn, escaped first; members' words stay literal."""
    spans: list[str] = []

    def hold(member: str) -> str:
        spans.append(literal(member))
        return f"\ue002{len(spans) - 1}\ue003"

    held = re.sub(r"\*\*(.+?)\*\*", r"*\1*", escape(render_member_text(text, hold)))
    return re.sub("\ue002(\\d+)\ue003", lambda m: spans[int(m[1])], held)


def _link(title: str, url: str | None) -> str:
    """A source's title and its plain, visible address (never a masked link)."""
    shown = plain(title)
    if url and re.fullmatch(r"https?://[^\s<>|]+", url):
        return f"{shown} — <{url}>"
    return shown


def _section(text: str) -> list[Block]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": c}}
            for c in split_to_fit(text, MAX_SECTION)]


def blocks_for(reply: Reply) -> list[Block]:
    """Every block of the reply, before splitting into messages."""
    blocks: list[Block] = []
    if reply.title:
        # plain_text is not parsed for mentions, but no mention syntax survives here either.
        title = render_member_text(reply.title, lambda t: t.translate(_INERT))
        title = title.replace("<", "‹").replace(">", "›")
        title = title if len(title) <= MAX_HEADER else title[:MAX_HEADER - 1] + "…"
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": title}})
    if reply.text:
        blocks += _section(mrkdwn(reply.text))
    for section in reply.sections:
        blocks += _section(f"*{plain(section.title)}*\n{mrkdwn(section.text)}")
    if reply.sources:
        links = [_link(s.title, s.url) for s in reply.sources]
        for i in range(0, len(links), MAX_CONTEXT_ELEMENTS):
            blocks.append({"type": "context", "elements": [
                {"type": "mrkdwn", "text": split_to_fit(link, MAX_SECTION)[0]}
                for link in links[i:i + MAX_CONTEXT_ELEMENTS]]})
    if reply.actions:
        blocks.append({"type": "actions", "elements": [
            {"type": "button", "action_id": f"{ACTION_PREFIX}{i}", "value": a.command[:2000],
             "text": {"type": "plain_text", "text": a.label[:MAX_BUTTON_TEXT]},
             **({"style": "primary"} if a.style == "primary" else
                {"style": "danger"} if a.style == "danger" else {})}
            for i, a in enumerate(reply.actions[:25])]})
    return blocks


def fallback_text(reply: Reply) -> str:
    """The plain text Slack shows in notifications."""
    text = render_member_text(reply.title or reply.text, lambda t: t.translate(_INERT))
    return escape(text if len(text) <= MAX_FALLBACK else text[:MAX_FALLBACK - 1] + "…")


def messages(reply: Reply) -> list[dict[str, Any]]:
    """The reply as one or more messages of at most 50 blocks each."""
    blocks = blocks_for(reply) or _section(escape("(no answer)"))
    response_type = "ephemeral" if reply.ephemeral else "in_channel"
    return [{"blocks": blocks[i:i + MAX_BLOCKS], "text": fallback_text(reply),
             "response_type": response_type} for i in range(0, len(blocks), MAX_BLOCKS)]
