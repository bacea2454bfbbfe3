"""The foundation's commands, through the core: help, article list/show/use/add, summary."""

from __future__ import annotations

from parley.cli.app import open_services
from parley.core.models import Request, Role
from parley.core.registry import run_line
from parley.store import audit
from tests.conftest import ARTICLES, Ask, Stores

EXAMPLE_ID = "peru-illegal-immigration"


async def test_help_lists_every_command_and_explains_one(ask: Ask, services) -> None:  # type: ignore[no-untyped-def]
    reply = await ask("/help")
    assert reply.data["commands"] == [c.name for c in services.registry]
    article_help = reply.sections[0].text
    assert "`/article use <id>`" in article_help and "(moderator)" in article_help
    one = await ask("/help article use")
    assert one.title == "Help: /article use"
    assert "Only moderators can use it." in one.sections[0].text
    missing = await ask("/help sumary")
    assert missing.kind == "not_found" and "`/summary`" in missing.text


async def test_summary_of_the_example_article(ask: Ask) -> None:
    reply = await ask("/summary")
    assert reply.kind == "answer"
    assert reply.title == "Peru Shuts Down Illegal Immigration: Will Others Follow?"
    assert reply.text.startswith("Opinion · By Paul Baker · BreakingCentral · 8 April 2025\n")
    assert reply.data["article"] == EXAMPLE_ID and reply.data["kind"] == "opinion"


async def test_example_article_is_active_in_every_channel(ask: Ask) -> None:
    for channel in ("general", "random", "news"):
        reply = await ask("/article list", channel=channel)
        assert reply.data["articles"][0] == {
            "id": EXAMPLE_ID, "title": "Peru Shuts Down Illegal Immigration: Will Others Follow?",
            "outlet": "BreakingCentral", "author": "Paul Baker", "published": "2025-04-08",
            "active": True}


async def test_default_active_article_can_be_turned_off(stores: Stores) -> None:
    settings = stores.settings(stores.fresh(), parley_default_active_article=False)
    async with open_services(settings) as services:
        reply = await run_line(services.registry, "/summary", Request(command="x"), services)
        assert reply.kind == "not_found" and "/article use" in reply.text


async def test_moderator_adds_and_uses_an_article_in_one_channel(ask: Ask, services) -> None:  # type: ignore[no-untyped-def]
    text = (ARTICLES / "minimum-wage-opinion.txt").read_text()
    added = await ask(f"/article add {text}", role=Role.MODERATOR)
    assert added.title == "Article added" and added.data["created"] is True
    article_id = added.data["id"]
    again = await ask(f"/article add {text}", role=Role.MODERATOR)
    assert again.title == "Already here" and again.data["id"] == article_id

    used = await ask(f"/article use {article_id}", role=Role.MODERATOR, channel="labor")
    assert used.kind == "info" and article_id in used.text
    assert (await ask("/summary", channel="labor")).title == "It's Time to Stop Starving Workers"
    assert (await ask("/summary", channel="general")).data["article"] == EXAMPLE_ID

    entries = await audit.recent(services.db)
    assert [(e.action, e.target, e.role) for e in entries[:2]] == [
        ("article.use", article_id, "moderator"), ("article.add", article_id, "moderator")]


async def test_article_use_accepts_an_unambiguous_fragment(ask: Ask) -> None:
    reply = await ask("/article use illegal-imm", role=Role.MODERATOR)
    assert reply.kind == "info" and reply.data["id"] == EXAMPLE_ID
    missing = await ask("/article use nothing-like-this", role=Role.MODERATOR)
    assert missing.kind == "not_found" and "/article list" in missing.text


async def test_article_show_and_paging(ask: Ask) -> None:
    shown = await ask("/article show")
    assert shown.data["sections"][0] == "A Line in the Sand"
    assert any(s.title == "Origin" and "BreakingCentral" in s.text for s in shown.sections)
    assert (await ask("/article list 2")).kind == "not_found"
    assert (await ask("/article list zero")).kind == "usage"


async def test_bad_input_changes_nothing(ask: Ask, services) -> None:  # type: ignore[no-untyped-def]
    hostile = ["/article use ' OR 1=1 --", "/article use \"; DROP TABLE articles; --\"",
               "/article use " + "x" * 5000, "/article add \x00\x01\x02", "/article add   ",
               "/summary extra words", "/help " + "q" * 500]
    for line in hostile:
        reply = await ask(line, role=Role.ADMIN)
        assert reply.is_error, line
        assert len(reply.text) < 400
    assert (await ask("/article list")).data["total"] == 1
    assert await audit.recent(services.db) == []
