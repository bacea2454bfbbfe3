"""The repositories on both backends: SQLite and a real PostgreSQL mean the same thing (ids,
numbers, times, LIKE, reserved words, full-text search, claims and their leases)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from parley.cli.app import open_services
from parley.core import cluster
from parley.core.factcheck.claimreview import Review
from parley.core.ingest.pipeline import ingest_path
from parley.core.models import Request, Role
from parley.core.registry import run_line
from parley.core.settings import Settings
from parley.core.workers import Workers
from parley.store import (
    analysis,
    articles,
    audit,
    config,
    counterpoints,
    digests,
    factchecks,
    leases,
)
from parley.store import search as fts
from parley.store.db import Database, bundled_migrations
from parley.store.postgres import numbered
from tests.conftest import ARTICLES, make_settings

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
MOD = Request(platform="console", workspace="w", channel="c1", user="mod", role=Role.MODERATOR,
              command="digest")


def test_every_sqlite_migration_has_its_postgresql_twin() -> None:
    sqlite = [(m.version, m.name) for m in bundled_migrations("sqlite")]
    postgres = [(m.version, m.name) for m in bundled_migrations("postgresql")]
    assert sqlite == postgres
    folder = resources.files("parley.store.migrations")
    assert "Adding a migration" in (folder / "__init__.py").read_text(encoding="utf-8")


def test_placeholders_are_numbered_outside_quotes_only() -> None:
    assert numbered("SELECT ? , '?', \"a?\" FROM t WHERE x LIKE ? ESCAPE '\\'") == \
        "SELECT $1 , '?', \"a?\" FROM t WHERE x LIKE $2 ESCAPE '\\'"


async def test_migrated_once_even_when_many_processes_open_at_once(backend: str) -> None:
    opened = await asyncio.gather(*(Database.open(backend) for _ in range(4)))
    try:
        rows = await opened[0].fetchall("SELECT version FROM schema_version ORDER BY version")
        assert [r["version"] for r in rows] == [m.version for m in bundled_migrations()]
    finally:
        for db in opened:
            await db.close()


async def test_ids_autonumber_from_one(db: Database) -> None:
    async with db.transaction() as conn:
        first = await digests.add_in(conn, MOD, None, "0 9 * * *", "daily", "UTC", NOW, NOW)
        second = await digests.add_in(conn, MOD, None, "0 9 * * *", "daily", "UTC", NOW, NOW)
        check = await factchecks.add_in(conn, None, Review(claim_reviewed="x", status="false"),
                                        "import", NOW)
    assert (first, second, check) == (1, 2, 1)


async def test_a_stored_article_reads_back_the_same(db: Database, workers: Workers) -> None:
    result = await ingest_path(db, workers, ARTICLES / "minimum-wage-opinion.txt", NOW)
    article = result.article
    again = await articles.get(db, article.id)
    assert again == article and again.ingested_at == NOW
    # numbers are 8-byte on both (PostgreSQL's REAL would round them)
    await db.write("UPDATE articles SET heat = ? WHERE id = ?", (0.1234567890123, article.id))
    stored = await articles.get(db, article.id)
    assert stored is not None and stored.heat == 0.1234567890123
    # LIKE ignores case on both, and a LIKE wildcard in the text is literal
    assert await articles.ids_matching(db, article.id.upper()[:6]) == [article.id]
    assert await articles.ids_matching(db, "%") == []
    # "end" is a reserved word in PostgreSQL: the loaded terms' spans still save and load
    marks = await analysis.marks(db, article.id)
    assert marks and all(m.text for m in marks)
    claims = await analysis.claims(db, article.id)
    kind = claims[0].types[0]
    typed = await analysis.claims(db, article.id, kind)
    assert typed and all(kind in c.types for c in typed)
    assert await analysis.claims(db, article.id, kind[:-1]) == []  # a whole name, not a prefix
    # a sentence's paragraph with the paragraphs either side, in reading order
    every = await articles.sentences(db, article.id)
    middle = next(s for s in every if s.paragraph > 0 and s.paragraph < every[-1].paragraph)
    near = (await articles.around(db, [middle.id, "nobody#s0.0"]))
    assert list(near) == [middle.id]
    assert near[middle.id] == [s for s in every if s.section == middle.section
                               and abs(s.paragraph - middle.paragraph) <= 1]
    assert await articles.delete(db, article.id) is True
    assert await articles.delete(db, article.id) is False


async def test_the_channel_article_comes_from_the_most_specific_scope(db: Database,
                                                                   workers: Workers) -> None:
    result = await ingest_path(db, workers, ARTICLES / "minimum-wage-opinion.txt", NOW)
    await config.set_value(db, "global", "", "active_article", result.article.id, NOW)
    found = await articles.named_by_setting(db, "active_article", "console", "w", "c1")
    assert found is not None and found.id == result.article.id
    await config.set_value(db, "channel", config.channel_scope_id("console", "w", "c1"),
                           "active_article", "no-such-article", NOW)
    assert await articles.named_by_setting(db, "active_article", "console", "w", "c1") is None
    assert await config.get_value(db, "active_article", "console", "w", "c2") == \
        result.article.id


async def test_knowledge_base_search_stems_and_ranks(db: Database) -> None:
    async with db.transaction() as conn:
        for text in ("The minimum wage raises prices for everyone",
                     "Bridges in the harbor are unsafe",
                     "Raising wages cost jobs in every state"):
            await factchecks.add_in(conn, None, Review(claim_reviewed=text, status="misleading"),
                                    "import", NOW)
    found = await fts.knowledge_candidates(db, [["wages"], ["job"]])
    assert next(f.review.claim_reviewed for f in found) == \
        "Raising wages cost jobs in every state"
    assert {f.review.claim_reviewed for f in found} == {
        "Raising wages cost jobs in every state", "The minimum wage raises prices for everyone"}
    assert await fts.knowledge_candidates(db, [['"); DROP TABLE fact_checks; --']]) == []
    assert await fts.similar_checks(db, ["bridge"], "other", 5) == [2]


async def test_a_large_knowledge_base_is_searched_off_the_loop_with_the_same_answers(
        db: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    async with db.transaction() as conn:
        for text in ("The minimum wage raises prices for everyone",
                     "Raising wages cost jobs in every state", "Bridges in the harbor are unsafe"):
            await factchecks.add_in(conn, None, Review(claim_reviewed=text, status="misleading"),
                                    "import", NOW)
    assert await fts.knowledge_size(db) == 3
    on_loop = await fts.knowledge_candidates(db, [["wages"], ["job"]], limit=5)
    probes: list[str] = []
    read = db.read

    async def counted(sql: str, params: Any = ()) -> Any:
        probes.append(sql)
        return await read(sql, params)

    monkeypatch.setattr(db, "read", counted)
    monkeypatch.setattr(fts, "LOOP_KNOWLEDGE", 2)  # three entries are now "large"
    off_loop = await fts.knowledge_candidates(db, [["wages"], ["job"]], limit=6)
    assert [f.id for f in off_loop] == [f.id for f in on_loop] and len(on_loop) == 2
    assert not any("knowledge_fts MATCH" in sql for sql in probes)  # not a loop probe
    async with db.transaction() as conn:
        await factchecks.add_in(conn, None, Review(claim_reviewed="Wages rose", status="supported"),
                                "import", NOW)
    assert await fts.knowledge_size(db) == 4  # read again once a fact check changes


async def test_latest_verdict_wins(db: Database, workers: Workers) -> None:
    result = await ingest_path(db, workers, ARTICLES / "minimum-wage-opinion.txt", NOW)
    claim = (await analysis.claims(db, result.article.id))[0]
    async with db.transaction() as conn:
        await factchecks.add_in(conn, claim.id, Review(claim_reviewed="a", status="false"),
                                "moderator", NOW)
        await factchecks.add_in(conn, claim.id, Review(claim_reviewed="a", status="supported"),
                                "moderator", NOW + timedelta(minutes=1))
    latest = await factchecks.latest(db, [claim.id])
    assert latest[claim.id].review.status == "supported"
    assert len(await factchecks.history(db, claim.id)) == 2


async def test_counterpoints_ratings_and_forgetting(db: Database) -> None:
    async with db.transaction() as conn:
        cp = await counterpoints.add_in(conn, article_id=None, claim_id=None, topic="t",
                                        text="other side", evidence="", sources=[],
                                        origin="community", author="u9", at=NOW)
        assert await counterpoints.rate_in(conn, cp, "r1", 0.5, NOW) is False
        assert await counterpoints.rate_in(conn, cp, "r1", 1.0, NOW) is True
    assert await counterpoints.all_ratings(db) == [("r1", cp, 1.0)]
    await counterpoints.save_scores(db, [(cp, 0.41, -0.2, 1, "helpful")], NOW)
    stored = await counterpoints.get(db, cp)
    assert stored is not None and stored.intercept == 0.41 and stored.status == "helpful"
    assert await counterpoints.forget_rater(db, "r1", False) == (1, 0)
    assert await counterpoints.forget_rater(db, "u9", True) == (0, 1)


async def test_a_digest_slot_is_claimed_once_and_its_lease_expires(db: Database) -> None:
    async with db.transaction() as conn:
        sub = await digests.add_in(conn, MOD, None, "0 9 * * *", "daily", "UTC", NOW, NOW)
    lease = NOW + timedelta(minutes=5)
    assert await digests.claim(db, sub, NOW, "a", NOW, lease) is True
    assert await digests.claim(db, sub, NOW, "b", NOW, lease) is False
    assert await digests.claim(db, sub, NOW, "b", lease, lease + timedelta(minutes=5)) is True
    following = NOW + timedelta(days=1)
    await digests.delivered(db, sub, NOW, "m1", NOW, following)
    assert await digests.claim(db, sub, NOW, "c", following, following) is False
    moved = await digests.get(db, sub)
    assert moved is not None and moved.next_run_at == following and moved.last_sent_at == NOW
    assert await digests.deliveries(db, sub) == [(NOW.isoformat(), "sent", 2)]


async def test_many_slots_are_claimed_in_one_statement_as_each_would_be(db: Database) -> None:
    async with db.transaction() as conn:
        subs = [await digests.add_in(conn, MOD, None, "0 9 * * *", "daily", "UTC", NOW, NOW)
                for _ in range(3)]
    lease = NOW + timedelta(minutes=5)
    assert await digests.claim(db, subs[0], NOW, "other", NOW, lease) is True  # held
    await digests.claim(db, subs[1], NOW, "a", NOW, NOW)  # a lease already run out
    claimed = await digests.claim_many(db, [(s, NOW) for s in subs], "a", NOW, lease)
    assert claimed == {subs[1]: 2, subs[2]: 1}  # the held one left out; attempts counted
    await digests.delivered(db, subs[2], NOW, "m", NOW, NOW + timedelta(days=1))
    later = lease + timedelta(seconds=1)
    again = await digests.claim_many(db, [(s, NOW) for s in subs], "b", later,
                                     later + timedelta(minutes=5))
    assert again == {subs[0]: 2, subs[1]: 3}  # the sent one never again
    assert await digests.claim_many(db, [], "b", later, later) == {}


async def test_a_setting_for_many_channels_reads_as_one_channel_would(db: Database) -> None:
    ids = [config.channel_scope_id("console", "w", c) for c in ("c1", "c2")]
    assert await config.values_for_channels(db, "pictures", "console", "w", ["c1", "c2"]) == {}
    await config.set_value(db, "channel", ids[0], "pictures", False, NOW)
    got = await config.values_for_channels(db, "pictures", "console", "w", ["c1", "c2", "c3"])
    assert got == {"c1": False}
    await config.set_value(db, "global", "", "pictures", True, NOW)
    await config.set_value(db, "workspace", config.workspace_scope_id("console", "w"),
                           "pictures", "ws", NOW)
    got = await config.values_for_channels(db, "pictures", "console", "w", ["c1", "c2"])
    assert got == {"c1": False, "c2": "ws"}
    for channel in ("c1", "c2", "c3"):
        one = await config.get_value(db, "pictures", "console", "w", channel)
        many = await config.values_for_channels(db, "pictures", "console", "w", [channel])
        assert many.get(channel) == one


async def test_a_transaction_rolls_back_whole(db: Database) -> None:
    try:
        async with db.transaction() as conn:
            await audit.record(conn, MOD, "x", "t", {}, NOW)
            raise RuntimeError("stop")
    except RuntimeError:
        pass
    assert await audit.recent(db) == []


async def _answers(settings: Settings) -> list[dict[str, object]]:
    async with open_services(settings) as services:
        services.clock = lambda: NOW
        base = Request(platform="console", workspace="w", channel="c", user="u",
                       role=Role.MODERATOR, command="help")
        lines = ["/summary", "/claims", "/fact how many people crossed the border",
                 "/counterpoint", "/rhetoric", "/digest daily 09:00", "/article list"]
        return [(await run_line(services.registry, line, base, services)).model_dump()
                for line in lines]


async def test_commands_answer_the_same_on_both_backends(tmp_path: Path, pg_url: str) -> None:
    on_sqlite = await _answers(make_settings(tmp_path))
    on_postgres = await _answers(make_settings(tmp_path, parley_database_url=pg_url))
    assert all(a["kind"] != "error" for a in on_sqlite)
    assert on_sqlite == on_postgres


async def test_a_lease_has_one_holder_until_it_expires(db: Database) -> None:
    later = NOW + timedelta(minutes=2)
    assert await leases.acquire(db, "refit", "a", NOW, later) is True
    assert await leases.acquire(db, "refit", "b", NOW, later) is False
    assert await leases.acquire(db, "refit", "a", NOW, later) is True  # renewed by its holder
    assert await leases.holder(db, "refit", NOW) == "a"
    assert await leases.acquire(db, "refit", "b", later, later + timedelta(minutes=2)) is True
    await leases.release(db, "refit", "a")  # not a's any more: nothing happens
    assert await leases.holder(db, "refit", later) == "b"


async def test_overlapping_score_saves_leave_the_later_fit(backend: str) -> None:
    one, two = await Database.open(backend), await Database.open(backend)
    try:
        async with one.transaction() as conn:
            cp = await counterpoints.add_in(conn, article_id=None, claim_id=None, topic="",
                                            text="x", evidence="", sources=[],
                                            origin="community", author="u", at=NOW)
        later = NOW + timedelta(seconds=1)
        await asyncio.gather(counterpoints.save_scores(one, [(cp, 0.1, 0.0, 1, "a")], NOW),
                             counterpoints.save_scores(two, [(cp, 0.2, 0.0, 1, "b")], later))
        rows = await one.fetchall("SELECT counterpoint_id FROM counterpoint_scores")
        assert [r["counterpoint_id"] for r in rows] == [cp]  # one row, no unique violation
    finally:
        await one.close()
        await two.close()


async def test_identify_turns_are_paced_across_processes(db: Database) -> None:
    ticks = iter(NOW + timedelta(seconds=s) for s in range(100))
    clock = lambda: next(ticks)  # noqa: E731
    every = timedelta(seconds=5)
    await cluster.identify_turn(db, 0, clock, every, poll_s=0)  # at 0 s
    await cluster.identify_turn(db, 1, clock, every, poll_s=0)  # another bucket, at 1 s
    await cluster.identify_turn(db, 0, clock, every, poll_s=0)  # waits for the window
    assert next(ticks) == NOW + timedelta(seconds=6)  # 2, 3, 4 refused; 5 granted


async def test_a_member_is_throttled_alike_on_both_backends(tmp_path: Path, backend: str) -> None:
    where = {"parley_database_url": backend} if backend.startswith("postgresql") else {}
    settings = make_settings(tmp_path, parley_rate_member_per_minute=2, **where)
    async with open_services(settings) as services:
        base = Request(platform="console", workspace="w", channel="c", user="u",
                       role=Role.MEMBER, command="help")
        replies = [await run_line(services.registry, "/help", base, services) for _ in range(3)]
        moderator = await run_line(services.registry, "/help",
                                   base.model_copy(update={"role": Role.MODERATOR}), services)
    assert [r.title == "Slow down" for r in replies] == [False, False, True]
    assert "2 a minute from you" in replies[2].text and moderator.title != "Slow down"
