"""The scheduler: each due (subscription, slot) is claimed in a transaction, posted, recorded.

Due subscriptions are claimed in batches with a lease (``digests.claim_due``: several
schedulers on one PostgreSQL share the work without waiting on each other), then each slot is
claimed with a lease before anything is sent and marked sent after, so a retry, a restart or a
second scheduler on the same database never posts it twice (the slots are claimed
``CLAIM_CHUNK`` to a statement, and what a batch reads per channel is read in one query
each). A scheduler killed mid-batch holds its claims only until their leases run out. Every
post carries the slot's key, so a platform that accepted a post whose mark was never written
(a crash between the two) is not handed a second copy where it can tell (see the posters); a
claim left by a process of this host that has ended is taken over at once, so the retry comes
while Discord's nonce still deduplicates it.
A slot missed by more
than the grace window is skipped (and logged), never posted once per missed slot; when the
latest slot at or before now is still inside the grace window (after downtime that missed
earlier ones), that one slot is posted once. Transient
errors back off and retry; permanent ones disable the subscription and are audited.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from parley.core.charts.attach import wanted_for
from parley.core.cluster import ended, holder_name
from parley.core.digest.compose import (
    ArticlePart,
    ChannelPart,
    article_part,
    channel_parts,
    compose,
)
from parley.core.digest.schedule import last_run, next_run
from parley.core.models import Article, Request, Role
from parley.core.platform import PermanentPostError, Poster, PostKey
from parley.core.server_settings import BY_NAME
from parley.core.settings import Settings
from parley.store import articles as article_store
from parley.store import audit, config, digests
from parley.store.db import Database

log = logging.getLogger("parley.digest")
LEASE = timedelta(minutes=5)
BATCH = 500  # subscriptions claimed at once
CLAIM_CHUNK = 50  # slots claimed in one statement, just before their posts
BACKOFF = (timedelta(seconds=30), timedelta(minutes=2), timedelta(minutes=10))
TICK_SECONDS = 30.0
WAKE_SECONDS = 1.0  # how often a new platform's poster is looked for between ticks
GRACE_KEY = BY_NAME["digest-grace"].key


__all__ = ["PermanentPostError", "Poster", "TickReport", "grace_period", "run_forever", "tick"]


def grace_period(settings: Settings) -> timedelta:
    """How late a digest slot may still be posted (``PARLEY_DIGEST_GRACE_MINUTES``)."""
    return timedelta(minutes=settings.parley_digest_grace_minutes)


@dataclass
class TickReport:
    posted: list[int] = field(default_factory=list)
    skipped: list[int] = field(default_factory=list)
    failed: list[int] = field(default_factory=list)
    disabled: list[int] = field(default_factory=list)


async def _taken_over(db: Database, sub: digests.Subscription, slot: datetime, holder: str,
                      now: datetime, lease: timedelta = LEASE) -> int:
    """A slot the batch claim did not get: taken over if its holder is a process of this host
    that has ended; the attempt it is on, or 0 if someone else holds it or it was sent."""
    held = await digests.claimed_by(db, sub.id, slot)
    if held is None or not ended(held[0], holder):
        return 0
    if not await digests.take_over(db, sub.id, slot, held[0], holder, now + lease):
        return 0
    log.warning("digest slot taken over from an ended process",
                extra={"subscription": sub.id, "slot": slot.isoformat(), "holder": held[0]})
    return held[1] + 1


@dataclass
class BatchReads:
    """What a batch's digests read per channel, read for the whole batch at once: whether
    pictures are wanted, the channel's active article, and its activity since the last one."""

    drawn: dict[int, bool] = field(default_factory=dict)
    active: dict[int, str | None] = field(default_factory=dict)
    own: dict[int, ChannelPart] = field(default_factory=dict)

    @classmethod
    async def read(cls, db: Database, subs: list[digests.Subscription], pictures: bool,
                   now: datetime) -> BatchReads:
        reads = cls()
        places: dict[tuple[str, str], list[digests.Subscription]] = {}
        for sub in subs:
            places.setdefault((sub.platform, sub.workspace), []).append(sub)
        for (platform, workspace), here in places.items():
            channels = sorted({s.channel for s in here})
            drawn = await wanted_for(db, pictures, platform, workspace, channels)
            unset = sorted({s.channel for s in here if not s.article_id})
            active = await config.values_for_channels(db, "active_article", platform,
                                                      workspace, unset)
            by_since: dict[datetime | None, list[digests.Subscription]] = {}
            for sub in here:
                by_since.setdefault(sub.last_sent_at, []).append(sub)
                reads.drawn[sub.id] = drawn[sub.channel]
                reads.active[sub.id] = sub.article_id or active.get(sub.channel) or None
            for since, same in by_since.items():
                own = await channel_parts(db, platform, workspace,
                                          sorted({s.channel for s in same}), since, now)
                reads.own.update({s.id: own[s.channel] for s in same})
        return reads


def post_key(sub: digests.Subscription, slot: datetime, attempt: int) -> PostKey:
    """The slot's idempotency key: the same on every attempt at it."""
    return PostKey(id=f"digest:{sub.id}:{slot.isoformat()}", since=slot, retry=attempt > 1)


async def _article_for(db: Database, article_id: str | None,
                       cache: dict[str, Article | None]) -> Article | None:
    if not article_id:
        return None
    if article_id not in cache:
        cache[article_id] = await article_store.get(db, article_id)
    return cache[article_id]


async def tick(db: Database, posters: Mapping[str, Poster], now: datetime,
               grace: timedelta, holder: str | None = None,
               lease: timedelta = LEASE, clock: Callable[[], datetime] | None = None,
               pictures: bool = False) -> TickReport:
    """Run everything due at ``now`` once (only the platforms this process has posters for);
    ``pictures`` is the default (``PARLEY_PICTURES``) for channels that made no choice of
    their own. ``clock`` (when given) dates each batch's claims and leases, for a long tick.
    """
    holder = holder or holder_name()
    report = TickReport()
    shared: dict[tuple[str, str, bool], ArticlePart] = {}
    articles: dict[str, Article | None] = {}
    graces: dict[tuple[str, str], timedelta] = {}
    for other in await digests.subscription_holders(db, now):
        if ended(other, holder):  # a process of this host that has ended: its claims go now
            await digests.release_subscriptions(db, other, now)
    while True:
        at = clock() if clock else now
        batch = await digests.claim_due(db, at, holder, at + lease, sorted(posters), BATCH)
        if not batch:
            return report
        slots = {s.id: _slot_to_post(s, at, await _grace_for(db, s, grace, graces))
                 for s in batch}
        for sub in (s for s in batch if slots[s.id] is None):
            log.warning("digest slot missed", extra={"subscription": sub.id,
                                                     "slot": sub.next_run_at.isoformat()})
            await digests.advance(db, sub.id, next_run(sub.schedule, sub.timezone, at))
            report.skipped.append(sub.id)
        todo = [(s, slot) for s in batch if (slot := slots[s.id]) is not None]
        reads = await BatchReads.read(db, [s for s, _ in todo], pictures, at)
        for start in range(0, len(todo), CLAIM_CHUNK):
            chunk = todo[start:start + CLAIM_CHUNK]
            at = clock() if clock else now
            # Claimed just before their posts, so the lease covers them whatever the batch's
            # length; another scheduler holding a slot (or having sent it) means: not ours.
            claimed = await digests.claim_many(db, [(s.id, slot) for s, slot in chunk],
                                               holder, at, at + lease)
            for sub, slot in chunk:
                await _one(db, posters[sub.platform], sub, slot, clock() if clock else now,
                           holder, lease, report, shared, articles, claimed.get(sub.id, 0),
                           reads)


async def _one(db: Database, poster: Poster, sub: digests.Subscription, slot: datetime,
               now: datetime, holder: str, lease: timedelta, report: TickReport,
               shared: dict[tuple[str, str, bool], ArticlePart],
               articles: dict[str, Article | None], attempt: int, reads: BatchReads) -> None:
    """Post one subscription's slot, claimed as ``attempt`` (0: the batch claim did not get
    it), or retry later, or disable it."""
    following = next_run(sub.schedule, sub.timezone, max(slot, now))
    attempt = attempt or await _taken_over(db, sub, slot, holder, now, lease)
    if not attempt:
        return
    article = await _article_for(db, reads.active[sub.id], articles)
    if article is None:
        await _disable(db, sub, "the channel has no article any more", now)
        report.disabled.append(sub.id)
        return
    drawn = reads.drawn[sub.id]
    key = (article.id, sub.last_sent_at.isoformat() if sub.last_sent_at else "", drawn)
    if key not in shared:
        shared[key] = await article_part(db, article, sub.last_sent_at, now, drawn)
    reply = await compose(db, article, sub.platform, sub.workspace, sub.channel,
                          sub.last_sent_at, now, shared[key], drawn, reads.own[sub.id])
    try:
        ref = await poster.post(sub.channel, reply, post_key(sub, slot, attempt))
    except PermanentPostError as exc:
        await _disable(db, sub, str(exc), now)
        report.disabled.append(sub.id)
        return
    except Exception as exc:
        wait = BACKOFF[min(attempt - 1, len(BACKOFF) - 1)]
        await digests.failed(db, sub.id, slot, f"{type(exc).__name__}: {exc}", now + wait)
        log.warning("digest post failed", extra={"subscription": sub.id,
                                                 "error": type(exc).__name__})
        report.failed.append(sub.id)
        return
    await digests.delivered(db, sub.id, slot, ref, now, following)
    log.info("digest posted", extra={"subscription": sub.id, "slot": slot.isoformat()})
    report.posted.append(sub.id)


async def _grace_for(db: Database, sub: digests.Subscription, default: timedelta,
                     cache: dict[tuple[str, str], timedelta]) -> timedelta:
    """The server's own grace window (``/settings set digest-grace``), else the default."""
    place = (sub.platform, sub.workspace)
    if place not in cache:
        scope_id = config.workspace_scope_id(sub.platform, sub.workspace)
        own = (await config.values_in(db, "workspace", scope_id)).get(GRACE_KEY)
        cache[place] = default if own is None else timedelta(minutes=int(own))
    return cache[place]


def _slot_to_post(sub: digests.Subscription, now: datetime,
                  grace: timedelta) -> datetime | None:
    """The slot to post at ``now``: the stored one while inside the grace window, else the
    latest slot since then if that one still is (the missed ones in between are skipped)."""
    if now - sub.next_run_at <= grace:
        return sub.next_run_at
    latest = last_run(sub.schedule, sub.timezone, now)
    if latest > sub.next_run_at and now - latest <= grace:
        log.warning("digest slots missed; posting the latest",
                    extra={"subscription": sub.id, "missed_from": sub.next_run_at.isoformat(),
                           "slot": latest.isoformat()})
        return latest
    return None


async def _disable(db: Database, sub: digests.Subscription, reason: str, now: datetime) -> None:
    system = Request.model_validate({"platform": sub.platform, "workspace": sub.workspace,
                                     "channel": sub.channel, "user": "scheduler",
                                     "role": Role.ADMIN, "command": "digest"})
    async with db.transaction() as conn:
        await digests.deactivate_in(conn, sub.id, reason)
        await audit.record(conn, system, "digest.disabled", f"digest-{sub.id}",
                           {"reason": reason}, now)
    log.warning("digest disabled", extra={"subscription": sub.id, "reason": reason})


async def run_forever(db: Database,
                      posters: Mapping[str, Poster] | Callable[[], Mapping[str, Poster]],
                      clock: Callable[[], datetime], grace: timedelta, stop: asyncio.Event,
                      drain_s: float = 20.0, pictures: bool = False) -> None:
    """The in-process loop started by ``parley run``; ``posters`` may be a function asked at
    every tick (a platform can post only once it is connected).

    When ``stop`` is set mid-tick, the tick gets ``drain_s`` seconds to finish; if a post still
    hangs, it is cancelled and its claimed slots are released for the next start.
    """
    holder = holder_name()
    while not stop.is_set():
        now_posting = posters() if callable(posters) else posters
        current = asyncio.create_task(tick(db, now_posting, clock(), grace, holder,
                                                   pictures=pictures))
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({current, stopping}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if not current.done():
            await asyncio.wait({current}, timeout=drain_s)
        if not current.done():
            current.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await current
            released = await digests.release_claims(db, holder, clock(), "stopped mid-post")
            log.warning("digest tick cut short by shutdown", extra={"released": released})
            return
        if current.exception() is not None:
            log.error("digest tick failed", exc_info=current.exception())
        await _until_next_tick(posters, set(now_posting), stop)


async def _until_next_tick(posters: Mapping[str, Poster] | Callable[[], Mapping[str, Poster]],
                           had: set[str], stop: asyncio.Event) -> None:
    """Wait ``TICK_SECONDS``, or less when a platform becomes able to post (Discord once it has
    logged in), so slots due at start-up go out then and not a tick later."""
    waited = 0.0
    while waited < TICK_SECONDS and not stop.is_set():
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), WAKE_SECONDS)
        waited += WAKE_SECONDS
        if callable(posters) and set(posters()) - had:
            return
