"""Reply → Block Kit: escaped mrkdwn (no reply can ping anyone), split within Slack's limits."""

from __future__ import annotations

import re
from typing import Any

from parley.core.models import Reply
from parley.core.text import split_to_fit

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


def mrkdwn(text: str) -> str:
    """The core's light Markdown as Slack mrkdwn, escaped first."""
    return re.sub(r"\*\*(.+?)\*\*", r"*\1*", escape(text))


def _link(title: str, url: str | None) -> str:
    if url and re.fullmatch(r"https?://[^\s<>|]+", url):
        return f"<{url}|{escape(title).replace('|', '¦')}>"
    return escape(title)


def _section(text: str) -> list[Block]:
    return [{"type": "section", "text": {"type": "mrkdwn", "text": c}}
            for c in split_to_fit(text, MAX_SECTION)]


def blocks_for(reply: Reply) -> list[Block]:
    """Every block of the reply, before splitting into messages."""
    blocks: list[Block] = []
    if reply.title:
        # plain_text is not parsed for mentions, but no mention syntax survives here either.
        title = reply.title.replace("<", "‹").replace(">", "›")
        title = title if len(title) <= MAX_HEADER else title[:MAX_HEADER - 1] + "…"
        blocks.append({"type": "header", "text": {"type": "plain_text", "text": title}})
    if reply.text:
        blocks += _section(mrkdwn(reply.text))
    for section in reply.sections:
        blocks += _section(f"*{escape(section.title)}*\n{mrkdwn(section.text)}")
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
    text = reply.title or reply.text
    return escape(text if len(text) <= MAX_FALLBACK else text[:MAX_FALLBACK - 1] + "…")


def messages(reply: Reply) -> list[dict[str, Any]]:
    """The reply as one or more messages of at most 50 blocks each."""
    blocks = blocks_for(reply) or _section(escape("(no answer)"))
    response_type = "ephemeral" if reply.ephemeral else "in_channel"
    return [{"blocks": blocks[i:i + MAX_BLOCKS], "text": fallback_text(reply),
             "response_type": response_type} for i in range(0, len(blocks), MAX_BLOCKS)]
