"""Block Kit rendering: escaping, Slack's limits, splitting, buttons and sources; acks first."""

from __future__ import annotations

import json

from parley.adapters.slack.render import MAX_BLOCKS, MAX_SECTION, escape, messages, mrkdwn
from parley.core.models import Action, Reply, ReplySection, Source
from parley.core.text import split_to_fit


def test_escaping_defuses_mentions_and_links() -> None:
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"
    assert mrkdwn("**bold** <x>") == "*bold* &lt;x&gt;"
    reply = Reply(title="<!here> title", text="<!everyone> <https://evil|click>",
                  sections=[ReplySection(title="<@U2>", text="<!subteam^S1>")],
                  sources=[Source(title="<!channel>", url="https://ok.example/a"),
                           Source(title="x", url="javascript:alert(1)")])
    raw = json.dumps(messages(reply), ensure_ascii=False)
    for mention in ("<!here>", "<!everyone>", "<@U2>", "<!subteam", "<!channel>", "<https://evil"):
        assert mention not in raw
    assert "&lt;!channel&gt; — <https://ok.example/a>" in raw  # the address shown, not masked
    assert "<javascript" not in raw


def test_long_answers_split_within_limits() -> None:
    sections = [ReplySection(title=f"Part {i}", text="word " * 700) for i in range(60)]
    reply = Reply(title="T" * 400, text="x" * 7000, sections=sections,
                  actions=[Action(label="L" * 100, command="/rate cp1 helpful")])
    out = messages(reply)
    assert len(out) > 1
    for message in out:
        assert len(message["blocks"]) <= MAX_BLOCKS
        for block in message["blocks"]:
            if block["type"] == "section":
                assert len(block["text"]["text"]) <= MAX_SECTION
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= 150
            if block["type"] == "actions":
                assert len(block["elements"][0]["text"]["text"]) <= 75
    assert all(len(c) <= 100 for c in split_to_fit("a " * 500, 100))


def test_ephemeral_and_in_channel() -> None:
    assert messages(Reply(text="hi", ephemeral=True))[0]["response_type"] == "ephemeral"
    assert messages(Reply(text="hi"))[0]["response_type"] == "in_channel"
    assert messages(Reply())[0]["blocks"]  # never an empty message


async def test_answers_wait_for_pending_acks_but_not_forever() -> None:
    import asyncio
    import time

    from parley.core.inflight import InFlight

    acks = InFlight()
    started = time.perf_counter()
    assert await acks.settled(0.3)  # nothing pending: at once
    assert time.perf_counter() - started < 0.05
    acks.enter()
    asyncio.get_running_loop().call_later(0.1, acks.leave)
    started = time.perf_counter()
    assert await acks.settled(0.3)  # released when the pending ack is sent
    assert 0.08 < time.perf_counter() - started < 0.25
    acks.enter()  # an ack that never finishes does not hold answers back for good
    started = time.perf_counter()
    assert not await acks.settled(0.3)
    assert 0.25 < time.perf_counter() - started < 0.6


def test_members_text_renders_as_literal_mrkdwn_digests_included() -> None:
    from parley.core.text import member_text

    hostile = "*bold* _italic_ ~strike~ `code` <https://evil.example|peru.gob.pe>"
    reply = Reply(title=f"Fact: {member_text(hostile)}", text=f"**Ours** {member_text(hostile)}",
                  sections=[ReplySection(title="Digest", text=f"• {member_text(hostile)}")])
    raw = json.dumps(messages(reply), ensure_ascii=False)
    for markup in ("*bold*", "_italic_", "~strike~", "`code`", "<https://evil"):
        assert markup not in raw, markup
    assert "*Ours*" in raw  # Parley's own markup still renders
    assert "\ue000" not in raw and "\ue001" not in raw
