"""/counterpoint, /counterpoint add and hide, and /rate, through the core and a real store."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from parley.cli.app import open_services
from parley.core.counterpoints.packs import apply_packs
from parley.core.counterpoints.refit import Refitter, refit_now
from parley.core.ingest.pipeline import ingest_bytes, ingest_path
from parley.core.models import Reply, Request, Role
from parley.core.registry import run_line
from parley.core.services import Services
from parley.store import audit, counterpoints
from tests.conftest import ARTICLES, Ask, Stores

NOW = datetime(2025, 5, 1, tzinfo=UTC)
SOURCE = "https://www.ssrc.org/border-battles"


async def test_border_question_gets_displacement_first_with_sources(ask: Ask) -> None:
    reply = await ask("/counterpoint does militarizing a border reduce crossings")
    first = reply.data["hits"][0]
    assert "crossings" in first["text"] and "smugglers" in first["text"]
    assert any("Gathmann" in s for s in first["sources"])
    assert first["answers"]["id"].endswith("#c19") and first["status"] == "curated"
    assert {"id", "text", "answers", "status", "sources"} <= set(first)
    assert reply.actions[0].command == f"/rate {first['id']} helpful"


async def test_no_topic_lists_main_arguments_each_with_a_counterpoint(ask: Ask) -> None:
    reply = await ask("/counterpoint")
    answered = [h["answers"]["id"] for h in reply.data["hits"] if h["answers"]]
    assert len(set(answered)) >= 5
    assert len(reply.sections) == len(set(answered))
    assert any(h["article_view"].startswith("Contrast that with the hand-wringing")
               for h in reply.data["hits"])


async def test_claim_id_and_unknown_topic(ask: Ask) -> None:
    by_claim = await ask("/counterpoint c12")
    assert {h["answers"]["id"] for h in by_claim.data["hits"]} == {
        "peru-illegal-immigration#c12"}
    nothing = await ask("/counterpoint the price of tea in Mongolia")
    assert nothing.kind == "not_found" and "/counterpoint add" in nothing.text


async def test_member_adds_a_counterpoint_that_awaits_ratings(ask: Ask) -> None:
    text = ("Official trade statistics put two-way trade between the two countries nearer "
            "twenty-two billion dollars in recent years.")
    added = await ask(f"/counterpoint add c24 {text} https://www.census.gov/foreign-trade")
    assert added.title == "Counterpoint added"
    reply = await ask("/counterpoint c24")
    mine = next(h for h in reply.data["hits"] if h["id"] == added.data["id"])
    assert mine["status"] == "needs more ratings" and mine["origin"] == "community"


async def test_bad_contributions_change_nothing(ask: Ask, services: Services) -> None:
    before = len(await counterpoints.for_article(services.db, "peru-illegal-immigration"))
    for line in ("/counterpoint add c24 Too short here. https://e.org",
                 "/counterpoint add c24 Enough words are here but the source is missing entirely",
                 "/counterpoint add c999 Enough words are here to state a fair other side. "
                 "https://e.org",
                 "/counterpoint add c24 The naysayers are dead wrong about the whole trade "
                 "figure and always were. https://e.org"):
        reply = await ask(line)
        assert reply.is_error, line
    assert len(await counterpoints.for_article(services.db, "peru-illegal-immigration")) == before


async def test_hide_is_for_moderators_audited_and_final(ask: Ask, services: Services) -> None:
    assert (await ask("/counterpoint hide cp1 off topic")).kind == "denied"
    hidden = await ask("/counterpoint hide cp1 duplicates cp7", role=Role.MODERATOR)
    assert hidden.kind == "info"
    for line in ("/counterpoint", "/counterpoint border enforcement", "/counterpoint c19"):
        assert all(h["id"] != "cp1" for h in (await ask(line)).data["hits"])
    assert (await ask("/rate cp1 helpful")).kind == "not_found"
    entry = (await audit.recent(services.db))[0]
    assert (entry.action, entry.target, entry.detail) == (
        "counterpoint.hide", "cp1", {"reason": "duplicates cp7"})


async def test_one_rating_per_member_and_none_for_authors(ask: Ask, services: Services) -> None:
    first = await ask("/rate cp2 helpful")
    again = await ask("/rate cp2 somewhat")
    assert first.data["replaced"] is False and again.data["replaced"] is True
    assert await counterpoints.all_ratings(services.db) == [("console:w1:u1", 2, 0.5)]
    text = "Official figures for nearby years put bilateral trade closer to twenty-two billion."
    added = await ask(f"/counterpoint add c24 {text} {SOURCE}")
    own = await ask(f"/rate {added.data['id']} helpful")
    assert own.kind == "error" and "your own" in own.text
    assert (await ask("/rate cp2 amazing")).kind == "usage"


async def _as(services: Services, user: str, line: str) -> Reply:
    base = Request(platform="slack", workspace="T1", channel="c", user=user, command="help")
    return await run_line(services.registry, line, base, services)


async def test_two_camps_through_the_commands_and_a_restart(stores: Stores) -> None:
    # 128 ratings in one channel within seconds: a flood by design, so no rate limits here
    settings = stores.settings(parley_rate_channel_per_minute=0,
                               parley_rate_contributions_per_minute=0)
    async with open_services(settings) as services:
        author = "author"
        text = ("Official figures for nearby years put two-way trade nearer twenty-two billion "
                "dollars a year.")
        one_sided = (await _as(services, author, f"/counterpoint add c24 {text} {SOURCE}"))
        shared = (await _as(services, author, f"/counterpoint add c25 The six point six billion "
                            f"figure matches no official investment statistic. {SOURCE}"))
        a_camp, b_camp = [f"a{i}" for i in range(8)], [f"b{i}" for i in range(8)]
        for user in a_camp + b_camp:
            # The camps split on the curated items, which defines the viewpoint axis…
            likes, dislikes = ("helpful", "not-helpful")[::1 if user[0] == "a" else -1]
            for cp in ("cp1", "cp3", "cp5"):
                await _as(services, user, f"/rate {cp} {likes}")
            for cp in ("cp2", "cp4", "cp6"):
                await _as(services, user, f"/rate {cp} {dislikes}")
            # …one contribution pleases one camp only, the other pleases both.
            await _as(services, user, f"/rate {one_sided.data['id']} "
                      f"{'helpful' if user[0] == 'a' else 'not-helpful'}")
            await _as(services, user, f"/rate {shared.data['id']} helpful")
    # Ratings survive a restart; the pending refit ran at shutdown.
    async with open_services(settings) as services:
        assert len(await counterpoints.all_ratings(services.db)) == 16 * 8
        one = await counterpoints.get(services.db, int(one_sided.data["id"][2:]))
        both = await counterpoints.get(services.db, int(shared.data["id"][2:]))
        assert one is not None and both is not None
        assert (one.status, both.status) == ("needs more ratings", "helpful")
        await refit_now(services.db, services.workers, NOW, 0.40)
        again = await counterpoints.get(services.db, int(shared.data["id"][2:]))
        assert again is not None and (again.intercept, again.factor) == (both.intercept,
                                                                         both.factor)
        reply = await _as(services, "someone", "/counterpoint c25")
        assert reply.data["hits"][0]["status"] == "rated helpful"
        # A workspace that sets a higher bar reads the same scores with it; others keep theirs.
        admin = Request(platform="slack", workspace="T1", channel="c", user="boss",
                        role=Role.ADMIN, command="help")
        assert (await run_line(services.registry, "/settings set helpful-intercept 0.99",
                               admin, services)).kind == "info"
        strict = await _as(services, "someone", "/counterpoint c25")
        assert strict.data["hits"][0]["status"] == "needs more ratings"
        elsewhere = Request(platform="slack", workspace="T2", channel="c", user="x",
                            command="help")
        other = await run_line(services.registry, "/counterpoint c25", elsewhere, services)
        assert other.data["hits"][0]["status"] == "rated helpful"


async def _rated(services: Services, raters: tuple[str, ...]) -> None:
    """Ratings stored directly, so the bot's own refitter is not involved."""
    first = (await counterpoints.for_article(services.db, "peru-illegal-immigration"))[0]
    async with services.db.transaction() as conn:
        for rater in raters:
            await counterpoints.rate_in(conn, first.id, rater, 1.0, NOW)


async def test_shutdown_lets_a_refit_already_running_finish(services: Services) -> None:
    await _rated(services, ("a", "b"))
    later = datetime(2025, 6, 1, tzinfo=UTC)
    refitter = Refitter(services.db, services.workers, lambda: later, 0.40, delay=0.01)
    async with services.db.transaction() as conn:  # the refit fits, then waits here to save
        if services.db.dialect == "postgresql":  # SQLite's one writer blocks it by itself
            await conn.execute("LOCK TABLE counterpoint_scores IN EXCLUSIVE MODE")
        refitter.request()
        await asyncio.sleep(0.3)
        shutting_down = asyncio.create_task(refitter.flush())
        await asyncio.sleep(0.05)
        assert not shutting_down.done()  # flush waits for the running refit…
    await asyncio.wait_for(shutting_down, 10)
    rows = await services.db.fetchall("SELECT fitted_at FROM counterpoint_scores")
    assert rows and {r["fitted_at"] for r in rows} == {later.isoformat()}  # …which saved


async def test_shutdown_runs_a_pending_refit_without_waiting_out_the_delay(
        services: Services) -> None:
    await _rated(services, ("a",))
    later = datetime(2025, 6, 2, tzinfo=UTC)
    refitter = Refitter(services.db, services.workers, lambda: later, 0.40, delay=3600)
    refitter.request()
    await asyncio.wait_for(refitter.flush(), 10)
    rows = await services.db.fetchall("SELECT fitted_at FROM counterpoint_scores")
    assert rows and {r["fitted_at"] for r in rows} == {later.isoformat()}


async def test_topic_pack_applies_to_other_articles_on_the_subject(services: Services) -> None:
    text = ("Wall Funding Vote\n\nPublished: June 3, 2024\n\nThe state deployed troops along the "
            "border in March. Officials said crossings fell by 30% at the main checkpoints. "
            "Smugglers moved to desert routes, according to local police.\n")
    result = await ingest_bytes(services.db, services.workers, text.encode(), NOW)
    await apply_packs(services.db, result.article.id, NOW)
    items = await counterpoints.for_article(services.db, result.article.id)
    assert {c.key for c in items} == {"enforcement-displacement", "smuggling-markets"}
    assert all(c.origin == "topic" for c in items)
    bridge = await ingest_path(services.db, services.workers,
                               ARTICLES / "harbor-bridge-news.html", NOW)
    assert await apply_packs(services.db, bridge.article.id, NOW) == 0
    assert await apply_packs(services.db, result.article.id, NOW) == 0  # applied once only


async def test_topic_pack_skips_an_article_that_only_mentions_the_subject(
        services: Services) -> None:
    text = ("Caravan Reaches Tapachula\n\nPublished: October 22, 2018\n\nAbout 7,000 migrants "
            "walked into the Mexican town of Tapachula on Sunday, officials said. Aid groups "
            "handed out water near the border checkpoints. The senator's bill would add 25 "
            "billion dollars for border security and settle the status of young migrants.\n")
    result = await ingest_bytes(services.db, services.workers, text.encode(), NOW)
    assert await apply_packs(services.db, result.article.id, NOW) == 0
    assert await counterpoints.for_article(services.db, result.article.id) == []


async def test_forget_me_deletes_ratings_and_anonymises_or_removes(ask: Ask,
                                                                   services: Services) -> None:
    text = "Official figures for nearby years put bilateral trade closer to twenty-two billion."
    mine = await ask(f"/counterpoint add c24 {text} {SOURCE}")
    await ask("/rate cp2 helpful")
    await ask("/counterpoint hide cp3 duplicate", role=Role.MODERATOR)
    reply = await ask("/forget-me")
    assert reply.data == {"ratings": 1, "contributions": 1, "mode": "anonymised"}
    cp = await counterpoints.get(services.db, int(mine.data["id"][2:]))
    assert cp is not None and cp.author == "a former member" and cp.text == text
    assert await counterpoints.all_ratings(services.db) == []
    await ask(f"/counterpoint add c24 {text} {SOURCE}", channel="c9")
    removed = await ask("/forget-me remove")
    assert removed.data["contributions"] == 1  # only the one still carrying the member's name
    assert [e.action for e in await audit.recent(services.db)] == ["counterpoint.hide"]


async def test_an_anonymised_author_still_cannot_rate_their_own_counterpoint(
        ask: Ask, services: Services) -> None:
    text = "Official figures for nearby years put bilateral trade closer to twenty-two billion."
    mine = await ask(f"/counterpoint add c24 {text} {SOURCE}")
    ref = mine.data["id"]
    assert (await ask("/forget-me anonymise")).data["contributions"] == 1
    cp = await counterpoints.get(services.db, int(ref[2:]))
    assert cp is not None and cp.author == "a former member"
    assert cp.author_proof and "u1" not in cp.author_proof  # a keyed hash, not the name
    refused = await ask(f"/rate {ref} helpful")
    assert refused.kind == "error" and "your own counterpoint" in refused.text
    assert await counterpoints.all_ratings(services.db) == []
    other = await ask(f"/rate {ref} helpful", channel="general", platform="slack")
    assert other.kind == "info"  # someone else (another identity) may rate it


@pytest.mark.sqlite_only("the pairing is in memory: the store does not change it")
async def test_hits_without_the_article_views_are_the_same_hits(ask: Ask,
                                                                services: Services) -> None:
    from parley.core.counterpoints.find import find

    await ask("/counterpoint")  # the example article, its packs applied
    article = "peru-illegal-immigration"
    paired = await find(services.db, article, None, NOW)
    plain = await find(services.db, article, None, NOW, views=False)
    assert any(h.article_view for h in paired)
    assert [h.id for h in plain] == [h.id for h in paired]
    assert not any(h.article_view for h in plain)
