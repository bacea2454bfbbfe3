"""The repositories added since the store became backend-neutral, on both backends: handled
requests, check requests (a reserved word for a column), requests for the other side, sentence
vectors, feeds and their item claims, shared and saved rate-limit buckets, the author salt,
exports and the hot-path read."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from parley.core.factcheck.claimreview import Review
from parley.core.models import Request, Role
from parley.core.ratelimit import SharedBuckets
from parley.core.workers import Workers
from parley.store import (
    checks,
    counterpoints,
    exports,
    factchecks,
    feeds,
    handled,
    meaning,
    ratelimits,
    requests,
)
from parley.store.db import Database
from tests.conftest import ARTICLES

NOW = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
ASKER = Request(platform="console", workspace="w", channel="c1", user="u1", role=Role.MEMBER,
                command="check")


async def _article(db: Database, workers: Workers) -> str:
    from parley.core.ingest.pipeline import ingest_path

    return (await ingest_path(db, workers, ARTICLES / "minimum-wage-opinion.txt", NOW)).article.id


async def test_a_platform_request_recorded_is_seen_within_its_window(db: Database) -> None:
    assert not await handled.seen_since(db, "slack:cmd:1", 40.0)
    await handled.record_many(db, [("slack:cmd:1", 100.0)])
    assert await handled.seen_since(db, "slack:cmd:1", 40.0)  # a replay within the window
    assert not await handled.seen_since(db, "slack:cmd:1", 140.0)  # past it: new again


async def test_handled_requests_recorded_in_batches_are_read_back_by_prefix(db: Database) -> None:
    await handled.record_many(db, [("discord:1", 100.0), ("discord:2", 150.0),
                                   ("slack:x", 150.0)])
    await handled.record_many(db, [("discord:1", 90.0), ("discord:3", 200.0)])  # keeps 100
    assert await handled.recent(db, "discord:", 120.0) == [("discord:2", 150.0),
                                                          ("discord:3", 200.0)]
    assert await handled.prune(db, 160.0, "discord:") == 2  # the slack key is another kind's
    assert await handled.recent(db, "slack:", 0.0) == [("slack:x", 150.0)]


async def test_check_requests_queue_askers_and_answers(db: Database) -> None:
    first = await checks.draft(db, "wages rose", "Wages rose 5%", ASKER, NOW)
    assert await checks.draft(db, "wages rose", "Wages rose 5%", ASKER, NOW) == first
    assert await checks.ask(db, first, ASKER, NOW)
    assert not await checks.ask(db, first, ASKER, NOW)  # the same member, once
    other = ASKER.model_copy(update={"user": "u2", "channel": "c2"})
    assert await checks.ask(db, first, other, NOW + timedelta(seconds=1))
    queued = await checks.queue(db)
    assert [(q.id, q.asked) for q in queued] == [(first, 2)]
    assert await checks.requesters(db, first) == [("console", "w", "c1", "u1"),
                                                  ("console", "w", "c2", "u2")]
    async with db.transaction() as conn:
        check_id = await factchecks.add_in(conn, None, Review(claim_reviewed="Wages rose 5%",
                                                              status="false"), "moderator", NOW)
        await checks.answer_in(conn, first, check_id, NOW)
    assert await checks.queue(db) == []
    told = await checks.untold(db, ASKER)
    assert [(r.id, c.id) for r, c in told] == [(first, check_id)]
    await checks.mark_told(db, [first], ASKER, NOW)
    assert await checks.untold(db, ASKER) == []
    assert len(await checks.untold(db, other)) == 1


async def test_requests_for_the_other_side_open_and_are_answered(db: Database,
                                                                 workers: Workers) -> None:
    article_id = await _article(db, workers)
    claim = (await db.fetchall("SELECT id FROM claims WHERE article_id = ? ORDER BY id",
                               (article_id,)))[0]["id"]
    async with db.transaction() as conn:
        assert await requests.add_in(conn, ASKER, "u1", article_id, claim, NOW)
        assert not await requests.add_in(conn, ASKER, "u1", article_id, claim, NOW)
        assert await requests.add_in(conn, ASKER, "u2", article_id, claim, NOW)
    opened = await requests.open_requests(db, article_id)
    assert [(o.claim_id, o.asked) for o in opened] == [(claim, 2)]
    async with db.transaction() as conn:
        cp = await counterpoints.add_in(conn, article_id=article_id, claim_id=claim, topic="t",
                                        text="The other side", evidence="", sources=[],
                                        origin="community", author="u3", at=NOW)
        assert await requests.answer_in(conn, claim, cp, NOW + timedelta(hours=2)) == 2
    assert await requests.open_requests(db) == []
    opened_n, waited, waiting = (await requests.waits_for(db, "console", "w", ["c1"], None,
                                                          NOW + timedelta(hours=3)))["c1"]
    assert (opened_n, waited, waiting) == (2, [2.0, 2.0], [])


async def test_sentence_vectors_round_trip_as_bytes(db: Database, workers: Workers) -> None:
    article_id = await _article(db, workers)
    packed = bytes(range(256)) * 3
    await meaning.save_vectors(db, article_id, "test-model", 3, packed)
    assert await meaning.vectors(db, article_id, "test-model") == (3, packed)
    assert await meaning.vectors(db, article_id, "other-model") is None
    assert article_id in await meaning.articles_without(db, "other-model")


async def test_a_feed_item_is_claimed_by_one_of_many_at_once(db: Database) -> None:
    async with db.transaction() as conn:
        feed_id = await feeds.add_in(conn, "https://example.org/feed.xml", "mod", NOW)
        assert await feeds.add_in(conn, "https://example.org/feed.xml", "mod", NOW) is None
    assert feed_id is not None
    until = NOW + timedelta(minutes=5)
    polls = await asyncio.gather(*(feeds.claim_poll(db, feed_id, f"p{i}", NOW, until)
                                   for i in range(6)))
    assert sum(polls) == 1
    claims = await asyncio.gather(*(feeds.claim_item(db, feed_id, "item-1", "https://x/1",
                                                     f"p{i}", NOW, until) for i in range(6)))
    assert sum(claims) == 1
    # the holder is killed: its lease expires and the item is claimed once more, once
    later = until + timedelta(seconds=1)
    again = await asyncio.gather(*(feeds.claim_item(db, feed_id, "item-1", "https://x/1",
                                                    f"q{i}", later, later + timedelta(minutes=5))
                                   for i in range(6)))
    assert sum(again) == 1
    await feeds.item_done(db, feed_id, "item-1", None)
    assert not await feeds.claim_item(db, feed_id, "item-1", "https://x/1", "r",
                                      later + timedelta(hours=1), later + timedelta(hours=2))
    assert await feeds.items(db, feed_id) == [("item-1", "ingested", 2, None)]
    assert await feeds.poll_failed(db, feed_id, "boom", NOW, until) == 1


async def test_shared_buckets_let_exactly_the_limit_through(db: Database) -> None:
    buckets = [SharedBuckets(db, "member", 5, clock=lambda: 1_000_000.0) for _ in range(4)]
    waits = await asyncio.gather(*(b.take("console:w:u1") for b in buckets for _ in range(5)))
    assert sum(w == 0.0 for w in waits) == 5
    assert all(abs(w - 12.0) < 1e-6 for w in waits if w > 0)  # one token every 12 s
    refilled = SharedBuckets(db, "member", 5, clock=lambda: 1_000_012.0)
    assert await refilled.take("console:w:u1") == 0.0
    assert await refilled.take("console:w:u1") > 0.0
    assert await refilled.take("console:w:u1", per_minute=0) == 0.0  # a server's limit off


async def test_saved_buckets_load_back_and_stale_ones_go(db: Database) -> None:
    await ratelimits.save(db, [("member", "k1", 2.5, 1000.0), ("channel", "k2", 1.0, 850.0)],
                          1000.0)
    assert await ratelimits.load(db, 1000.0) == [("member", "k1", 2.5, 1000.0)]
    await ratelimits.save(db, [("member", "k1", 1.5, 1010.0)], 1010.0)
    assert await ratelimits.load(db, 1010.0) == [("member", "k1", 1.5, 1010.0)]


async def test_an_anonymised_author_still_cannot_rate_their_counterpoint(
        db: Database, workers: Workers) -> None:
    article_id = await _article(db, workers)
    async with db.transaction() as conn:
        cp_id = await counterpoints.add_in(conn, article_id=article_id, claim_id=None,
                                           topic="t", text="x", evidence="", sources=[],
                                           origin="community", author="u9", at=NOW)
    assert await counterpoints.forget_rater(db, "u9", remove_contributions=False) == (0, 1)
    cp = await counterpoints.get(db, cp_id)
    assert cp is not None and cp.author == "a former member"
    assert await counterpoints.is_author(db, cp, "u9")
    assert not await counterpoints.is_author(db, cp, "u8")


async def test_exports_and_hot_reads_work_alike(db: Database, workers: Workers) -> None:
    article_id = await _article(db, workers)
    for name, rows_of in exports.TABLES.items():
        rows = await rows_of(db)
        assert isinstance(rows, list), name
    checked = await exports.fact_checks(db)
    assert all(isinstance(r["sources"], list) for r in checked)
    read = await db.read("SELECT id, title FROM articles WHERE id = ?", (article_id,))
    assert [r["id"] for r in read] == [article_id]
