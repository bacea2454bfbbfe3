"""The feed poller: each due feed is claimed, fetched conditionally (ETag, Last-Modified), read,
and each new item claimed with a lease, fetched and ingested, then recorded.

As with digests, a claim comes before any fetch and the record after, so a restart or a second
poller on the same database never ingests an item twice; an item already stored (same address,
or same content) is not stored again. A feed that fails ``max_failures`` polls in a row is
disabled, audited and logged.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from parley.core.analysis.lexicon import Lexicon
from parley.core.cluster import holder_name
from parley.core.errors import UserError
from parley.core.feeds.parse import FeedError, read_feed
from parley.core.ingest.fetch import FetchPolicy, fetch_url, policy_for
from parley.core.ingest.pipeline import ingest_url
from parley.core.models import Request, Role
from parley.core.settings import Settings
from parley.core.workers import Workers
from parley.store import audit, feeds
from parley.store.db import Database

log = logging.getLogger("parley.feeds")
MAX_FEED_BYTES = 1_000_000
LEASE = timedelta(minutes=10)
ITEM_RETRY = timedelta(minutes=30)
ITEM_ATTEMPTS = 3
TICK_SECONDS = 60.0


@dataclass(frozen=True)
class Limits:
    """How often, how much and how patiently feeds are read."""

    every: timedelta = timedelta(minutes=30)
    items_per_poll: int = 10
    max_failures: int = 5
    timeout_s: float = 15.0
    max_bytes: int = MAX_FEED_BYTES
    # Where feeds and their items may be fetched from: public addresses, plus the operator's
    # allow-list (the same policy as /article add).
    policy: FetchPolicy = field(default_factory=FetchPolicy)


def limits_from(settings: Settings) -> Limits:
    return Limits(every=timedelta(minutes=settings.parley_feed_poll_minutes),
                  items_per_poll=settings.parley_feed_items_per_poll,
                  max_failures=settings.parley_feed_max_failures,
                  timeout_s=settings.parley_feed_timeout_s, policy=policy_for(settings))


@dataclass
class PollReport:
    polled: list[int] = field(default_factory=list)
    not_modified: list[int] = field(default_factory=list)
    ingested: list[str] = field(default_factory=list)
    duplicates: int = 0
    failed: dict[int, str] = field(default_factory=dict)
    disabled: list[int] = field(default_factory=list)
    item_errors: int = 0


async def _fail(db: Database, feed: feeds.Feed, reason: str, now: datetime, limits: Limits,
                report: PollReport) -> None:
    failures = await feeds.poll_failed(db, feed.id, reason, now, now + limits.every)
    report.failed[feed.id] = reason
    log.warning("feed poll failed", extra={"feed": feed.id, "error": reason,
                                           "failures": failures})
    if failures >= limits.max_failures:
        system = Request(platform="cli", user="feed-poller", role=Role.ADMIN, command="feed")
        why = f"failed {failures} polls in a row (last: {reason})"
        async with db.transaction() as conn:
            await feeds.disable_in(conn, feed.id, why)
            await audit.record(conn, system, "feed.disabled", feed.ref, {"reason": why}, now)
        report.disabled.append(feed.id)
        log.warning("feed disabled", extra={"feed": feed.id, "reason": why})


async def _ingest_items(db: Database, workers: Workers, feed: feeds.Feed, body: bytes,
                        now: datetime,
                        limits: Limits, holder: str, lexicon: Lexicon | None,
                        report: PollReport) -> str:
    content = read_feed(body)
    taken = 0
    for item in content.items:
        if taken >= limits.items_per_poll:
            break  # the rest wait for the next poll: a flood is spread out
        if await feeds.known_url(db, item.url):
            continue
        if not await feeds.claim_item(db, feed.id, item.key, item.url, holder, now,
                                      now + LEASE):
            continue
        taken += 1
        try:
            result = await ingest_url(db, workers, item.url, now, lexicon,
                                      policy=limits.policy)
        except UserError as exc:
            await feeds.item_failed(db, feed.id, item.key, str(exc), now + ITEM_RETRY,
                                    ITEM_ATTEMPTS)
            report.item_errors += 1
            continue
        await feeds.item_done(db, feed.id, item.key, result.article.id)
        if result.created:
            report.ingested.append(result.article.id)
        else:
            report.duplicates += 1
    return content.title


async def poll_feed(db: Database, workers: Workers, feed: feeds.Feed, now: datetime,
                    limits: Limits,
                    holder: str, lexicon: Lexicon | None, report: PollReport) -> None:
    """Poll one claimed feed: conditional fetch, read, ingest new items, record."""
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    try:
        fetched = await fetch_url(feed.url, limits.max_bytes, limits.timeout_s, limits.policy,
                                  headers)
        if fetched.not_modified:
            await feeds.polled(db, feed.id, "", feed.etag, feed.last_modified, now,
                               now + limits.every)
            report.not_modified.append(feed.id)
            return
        title = await _ingest_items(db, workers, feed, fetched.body, now, limits, holder, lexicon,
                                    report)
    except (UserError, FeedError) as exc:
        await _fail(db, feed, str(exc), now, limits, report)
        return
    await feeds.polled(db, feed.id, title, fetched.etag, fetched.last_modified, now,
                       now + limits.every)
    report.polled.append(feed.id)


async def tick(db: Database, workers: Workers, now: datetime, limits: Limits,
               holder: str | None = None,
               lexicon: Lexicon | None = None) -> PollReport:
    """Poll every feed due at ``now`` once."""
    holder = holder or holder_name()
    report = PollReport()
    for feed in await feeds.due(db, now):
        if await feeds.claim_poll(db, feed.id, holder, now, now + LEASE):
            await poll_feed(db, workers, feed, now, limits, holder, lexicon, report)
    return report


async def run_forever(db: Database, workers: Workers, clock: Callable[[], datetime],
                      limits: Limits,
                      stop: asyncio.Event, lexicon: Callable[[], Lexicon]) -> None:
    """The in-process loop started by ``parley run``; claims are released when it stops."""
    holder = holder_name()
    while not stop.is_set():
        current = asyncio.create_task(tick(db, workers, clock(), limits, holder, lexicon()))
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({current, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not current.done():
            current.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await current
            await feeds.release_claims(db, holder, clock())
            return
        if current.exception() is not None:
            log.error("feed tick failed", exc_info=current.exception())
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), TICK_SECONDS)
