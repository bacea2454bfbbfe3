"""Hostile inputs and the checks every rendered reply must pass, shared by the property tests
(through the core and the renderers) and the adapter tests (through real Slack and Discord)."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from parley.adapters.console import render_terminal
from parley.adapters.discord.render import buttons, pages
from parley.adapters.slack.render import messages
from parley.core.models import Reply

MENTIONS = ["@everyone", "@here", "<@123456789012345678>", "<@!123456789012345678>", "<@&42>",
            "<#123456789012345678>", "<!channel>", "<!here>", "<!everyone>", "<!subteam^S012AB>",
            "<@U0123ABCD>", "<@U0123ABCD|bob>", "<!date^1392734382^{date}|x>"]
MARKUP = ["**bold** __under__ ~~strike~~ `code` ```block``` > quote || spoiler ||",
          "[click me](https://evil.example/x)", "<https://evil.example|click me>",
          "*bold* _italic_ ~strike~ &amp; &lt; &gt;", "# Heading\n- item\n1. item"]
INVISIBLE = ["\x00\x07\x1b[31mred\x1b[0m", "zero\u200bwidth\u200c\u200d\ufeff", "\u202eevil\u202c",
             "\u2066isolate\u2069", "\u200f\u061c\u2028\u2029", "line\r\nbreak\rcarriage",
             "tag\U000e0041\U000e0042\U000e007f soft\u00adhyphen \u3164\u115f\u1160cgj\u034f"]
FTS5 = ['trade" OR "x', "NEAR(trade billion, 2)", "trade*", "^trade", "text:trade", "(((",
        "AND OR NOT", '"unterminated', "-trade", "{text}: trade"]
SQLISH = ["'; DROP TABLE articles; --", "1 OR 1=1", "%_\\", "\" OR \"\"=\"", "NULL", "0x00"]
URLS = ["http://", "https://", "https://[::1", "javascript:alert(1)", "file:///etc/passwd",
        "https://exa mple.org", "ftp://example.org/x", "https://" + "a" * 3000 + ".example"]
LONG = ["a" * 10_000, "🙂" * 3000, "word " * 2000, "\n" * 500]
CORPUS = [*MENTIONS, *MARKUP, *INVISIBLE, *FTS5, *SQLISH, *URLS, *LONG]

# Characters no reply may carry: C0/C1 controls (but newline and tab), zero-width and bidi ones.
_FORBIDDEN = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u061c\u00ad\u2028\u2029"
                        "\u3164\u115f\u1160\u034f\U000e0000-\U000e007f]")
SLACK_PING = re.compile(r"<[!@#]")

SLACK_LIMITS = {"blocks": 50, "section": 3000, "header": 150, "button_text": 75,
                "button_value": 2000, "context_elements": 10, "context_text": 3000,
                "action_id": 255, "fallback": 40_000}
DISCORD_LIMITS = {"title": 256, "description": 4096, "fields": 25, "field_name": 256,
                  "field_value": 1024, "total": 6000, "embeds": 10, "buttons": 5,
                  "custom_id": 100, "label": 80}


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _clean(text: str, where: str) -> None:
    bad = [ch for ch in text if (unicodedata.category(ch) == "Cc" and ch not in "\n\t")
           or _FORBIDDEN.match(ch)]
    assert not bad, f"{where} carries {[hex(ord(c)) for c in bad][:5]}"


def check_reply(reply: Reply) -> None:
    """The core's reply: well-formed, not a crash, nothing invisible in it."""
    # Pictures travel beside the JSON form (adapters attach them), so they are checked apart.
    assert Reply.model_validate(reply.model_dump()) == reply.model_copy(update={"pictures": []})
    for picture in reply.pictures:
        assert picture.data.startswith(b"\x89PNG") and picture.width > 0 and picture.height > 0
        assert picture.alt.strip()
        _clean(picture.alt, "alt text")
    assert reply.title != "Something went wrong", reply.text  # a handler raised: a bug
    assert reply.title or reply.text or reply.sections
    for text in _strings(reply.model_dump(exclude={"data"})):
        _clean(text, "reply")


def check_slack_message(message: dict[str, Any]) -> None:
    """One Slack message: Block Kit within Slack's documented limits, no mention syntax."""
    assert len(message["blocks"]) <= SLACK_LIMITS["blocks"]
    assert 0 < len(message["text"]) <= SLACK_LIMITS["fallback"]
    for block in message["blocks"]:
        kind = block["type"]
        if kind == "section":
            assert 0 < len(block["text"]["text"]) <= SLACK_LIMITS["section"]
        elif kind == "header":
            assert 0 < len(block["text"]["text"]) <= SLACK_LIMITS["header"]
        elif kind == "context":
            assert 0 < len(block["elements"]) <= SLACK_LIMITS["context_elements"]
            assert all(0 < len(e["text"]) <= SLACK_LIMITS["context_text"]
                       for e in block["elements"])
        elif kind == "actions":
            for button in block["elements"]:
                assert 0 < len(button["text"]["text"]) <= SLACK_LIMITS["button_text"]
                assert len(button["value"]) <= SLACK_LIMITS["button_value"]
                assert len(button["action_id"]) <= SLACK_LIMITS["action_id"]
        else:
            raise AssertionError(f"unexpected block {kind}")
    for text in _strings(message):
        assert not SLACK_PING.search(text), text[:200]
        _clean(text, "slack")


def check_slack(reply: Reply) -> None:
    for message in messages(reply):
        check_slack_message(message)


def check_discord_message(data: dict[str, Any]) -> None:
    """One Discord message body: embeds and buttons within Discord's documented limits."""
    embeds = data.get("embeds") or []
    assert 0 < len(embeds) <= DISCORD_LIMITS["embeds"]
    for embed in embeds:
        assert 0 < len(embed["title"]) <= DISCORD_LIMITS["title"]
        assert len(embed.get("description", "")) <= DISCORD_LIMITS["description"]
        fields = embed.get("fields", [])
        assert len(fields) <= DISCORD_LIMITS["fields"]
        assert all(0 < len(f["name"]) <= DISCORD_LIMITS["field_name"] and
                   0 < len(f["value"]) <= DISCORD_LIMITS["field_value"] for f in fields)
        total = len(embed["title"]) + len(embed.get("description", "")) + sum(
            len(f["name"]) + len(f["value"]) for f in fields)
        assert total <= DISCORD_LIMITS["total"]
        for text in _strings(embed):
            _clean(text, "discord")
    for row in data.get("components") or []:
        assert len(row["components"]) <= DISCORD_LIMITS["buttons"]
        for button in row["components"]:
            assert len(button["custom_id"]) <= DISCORD_LIMITS["custom_id"]
            assert 0 < len(button["label"]) <= DISCORD_LIMITS["label"]


def check_discord(reply: Reply) -> None:
    check_discord_message({"embeds": [p.embed() for p in pages(reply)][:1],
                           "components": buttons(reply)})
    for page in pages(reply)[1:]:  # later pages are sent one by one, on "More"
        check_discord_message({"embeds": [page.embed()]})


def check_console(reply: Reply) -> None:
    text = render_terminal(reply)
    assert text.strip()
    _clean(text, "console")


def check_everywhere(reply: Reply) -> None:
    check_reply(reply)
    check_slack(reply)
    check_discord(reply)
    check_console(reply)
