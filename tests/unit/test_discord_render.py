"""Discord embeds: within Discord's limits, paged, and long text split in order."""

from __future__ import annotations

import json

from parley.adapters.discord.render import DESCRIPTION, FIELD_VALUE, FIELDS, TOTAL, pages
from parley.core.models import Reply, ReplySection
from parley.core.text import split_to_fit


def test_split_keeps_order_and_limits() -> None:
    text = "short first line\n" + "word " * 60 + "\nlast line"
    parts = split_to_fit(text, 100)
    assert all(len(p) <= 100 for p in parts)
    assert parts[0].startswith("short first line") and parts[-1].endswith("last line")
    assert " ".join(" ".join(parts).split()) == " ".join(text.split())


def test_long_replies_page_within_discord_limits() -> None:
    reply = Reply(title="T" * 300, text="x " * 5000,
                  sections=[ReplySection(title=f"S{i}", text="y " * 800) for i in range(40)])
    out = pages(reply)
    assert len(out) > 1
    for page in out:
        assert len(page.title) <= 256 and len(page.description) <= DESCRIPTION
        assert len(page.fields) <= FIELDS and page.size() <= TOTAL
        assert all(len(value) <= FIELD_VALUE for _, value in page.fields)


def test_members_text_and_sources_never_render_as_markdown_or_masked_links() -> None:
    from parley.core.models import Reply, ReplySection, Source
    from parley.core.text import member_text

    spoof = "[https://peru.gob.pe/informe](https://evil.example/phish) **loud** ||hidden||"
    reply = Reply(title=f"Fact: {member_text(spoof)}", text=f"**Ours** {member_text(spoof)}",
                  sections=[ReplySection(title="Digest", text=f"• {member_text(spoof)}")],
                  sources=[Source(title="Ministry report", url="https://evil.example/phish")])
    embeds = [p.embed() for p in pages(reply)]
    raw = json.dumps(embeds, ensure_ascii=False)
    assert "](https://evil" not in raw and "[https://peru" not in raw
    assert "**loud**" not in raw and "||hidden||" not in raw
    assert "**Ours**" in raw
    assert "Ministry report — <https://evil.example/phish>" in raw  # shown, not masked
    assert "\ue000" not in raw
