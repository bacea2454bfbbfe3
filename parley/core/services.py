"""What a handler may use besides its request: the store, the settings, the registry, a clock."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cached_property

from parley.core import cluster
from parley.core.activity import ActivityLog
from parley.core.analysis.lexicon import Lexicon, load_lexicon
from parley.core.background import Background
from parley.core.counterpoints.refit import Refitter
from parley.core.delivered import Delivered
from parley.core.errors import NotFound, UserError
from parley.core.inflight import InFlight
from parley.core.models import Article, Request, Role
from parley.core.ratelimit import RateLimits
from parley.core.registry import Registry
from parley.core.server_settings import ServerSettings
from parley.core.settings import Settings
from parley.core.workers import Workers
from parley.store import articles as article_store
from parley.store import config, ratelimits
from parley.store.db import Database, StoreError

ACTIVE_ARTICLE = "active_article"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """Handed to every handler; nothing platform-specific lives here."""

    db: Database
    settings: Settings
    registry: Registry
    clock: Callable[[], datetime] = field(default=utc_now)
    refitter: Refitter = field(init=False)
    limits: RateLimits = field(init=False)
    server: ServerSettings = field(init=False)
    closing: bool = field(default=False, init=False)
    in_flight: InFlight = field(default_factory=InFlight, init=False)
    workers: Workers = field(init=False)
    activity: ActivityLog = field(init=False)
    background: Background = field(default_factory=Background, init=False)
    _delivered: dict[str, Delivered] = field(default_factory=dict, init=False)

    def __post_init__(self) -> None:
        s = self.settings
        self.workers = Workers(s.parley_analysis_workers)
        self.activity = ActivityLog(self.db)
        self.refitter = Refitter(self.db, self.workers, self.now, s.parley_helpful_intercept)
        # On PostgreSQL other processes may serve the same members: share their buckets.
        shared = self.db if self.db.dialect == "postgresql" else None
        self.limits = RateLimits(s.parley_rate_member_per_minute,
                                 s.parley_rate_channel_per_minute,
                                 s.parley_rate_contributions_per_minute, shared=shared)
        self.server = ServerSettings(self.db, s)

    async def server_limits(self, request: Request) -> dict[str, int]:
        """The rate limits this server set for itself (the rest are the global ones)."""
        if request.role >= Role.MODERATOR:
            return {}  # never throttled: no need to read anything
        return await self.server.rate_limits(request.platform, request.workspace)

    def now(self) -> datetime:
        return self.clock()

    async def load_limits(self) -> None:
        """Put back the rate-limit buckets saved before the last stop (or crash)."""
        if self.limits.shared:
            return  # the buckets live in the database itself
        now = self.limits.clock()
        for scope, key, tokens, updated in await ratelimits.load(self.db, now):
            buckets = self.limits.scopes.get(scope)
            if buckets is not None:
                buckets.seed(key, tokens, updated)

    async def first_delivery(self, prefix: str, key: str, keep_s: float) -> bool:
        """False when the platform request ``prefix + key`` was already handled within
        ``keep_s`` seconds (a replay, a redelivery) by this process or, as the store shows,
        another or an earlier one; True when nothing can tell (better to answer twice than not
        at all; logged). Checked in memory and stored in batches (``core/delivered.py`` says
        what a replay to another process and a hard kill can cost)."""
        return await self._deliveries(prefix, keep_s, shared=True).first(prefix + key)

    async def first_delivery_here(self, prefix: str, key: str, keep_s: float) -> bool:
        """:meth:`first_delivery` for a request that only this process can be sent again
        (a Discord interaction): memory alone answers (what an earlier process stored is read
        once)."""
        return await self._deliveries(prefix, keep_s, shared=False).first(prefix + key)

    def _deliveries(self, prefix: str, keep_s: float, shared: bool) -> Delivered:
        delivered = self._delivered.get(prefix)
        if delivered is None:
            delivered = self._delivered[prefix] = Delivered(self.db, prefix, keep_s,
                                                            shared=shared)
        return delivered

    async def close_deliveries(self) -> None:
        """At shutdown: store the requests :meth:`first_delivery_here` has not stored yet."""
        for delivered in self._delivered.values():
            await delivered.close()

    async def save_limits(self) -> None:
        """Save the buckets spent from since the last save; never fails the command."""
        if self.limits.shared:
            return  # every take already wrote its bucket
        rows = [(scope, key, tokens, updated) for scope, buckets in self.limits.scopes.items()
                for key, tokens, updated in buckets.take_dirty()]
        try:
            await ratelimits.save(self.db, rows, self.limits.clock())
        except StoreError as exc:
            logging.getLogger("parley.core").warning("rate limits not saved",
                                                     extra={"error": type(exc).__name__})

    @asynccontextmanager
    async def working(self) -> AsyncIterator[bool]:
        """Hold one command in flight until its answer is sent; yields False once Parley is
        shutting down, when the adapter should answer that it is restarting instead."""
        if self.closing:
            yield False
            return
        self.in_flight.enter()
        try:
            yield True
        finally:
            self.in_flight.leave()

    async def drain(self, within_s: float = 20.0) -> bool:
        """Stop taking new commands and wait for those in flight; False if some were cut off."""
        self.closing = True
        if await self.in_flight.settled(within_s):
            return True
        logging.getLogger("parley.core").warning(
            "shutdown cut commands short", extra={"in_flight": self.in_flight.count})
        return False

    @cached_property
    def lexicon(self) -> Lexicon:
        """The bundled lexicon plus the moderators' own file, if configured (read once)."""
        return load_lexicon(self.settings.parley_lexicon)

    def alone(self, name: str, longest: timedelta) -> AbstractAsyncContextManager[bool]:
        """Work no other process on this database does at the same time: yields False (do
        nothing) while another holds ``name``; a killed holder blocks for ``longest`` at most."""
        return cluster.alone(self.db, name, self.now, longest)

    async def identify_turn(self, bucket: int) -> None:
        """Wait for this process's turn to IDENTIFY a Discord shard (paced across processes)."""
        await cluster.identify_turn(self.db, bucket, self.now)

    async def kept(self, key: str) -> str:
        """A value an adapter keeps between runs (such as a hash of what it last uploaded)."""
        value = await config.get_value(self.db, key, "", "", "")
        return str(value) if value is not None else ""

    async def keep(self, key: str, value: str) -> None:
        """Remember ``value`` under ``key`` for :meth:`kept`, across restarts."""
        await config.set_value(self.db, "global", "", key, value, self.now())

    def note_activity(self, request: Request, command: str, question: str) -> None:
        """Remember a command for the channel's digest (written in batches, off the reply)."""
        self.activity.note(request, command, question[:300], self.now())

    async def lexicon_marks(self, text: str) -> list[str]:
        """The loaded terms in a member's text."""
        return [m.text for m in self.lexicon.find(text)]

    async def pictures_wanted(self, request: Request) -> bool:
        """Whether replies in this channel carry charts (``/pictures``, ``PARLEY_PICTURES``)."""
        from parley.core.charts.attach import wanted

        return await wanted(self.db, self.settings.parley_pictures, request.platform,
                            request.workspace, request.channel)

    async def find_article(self, fragment: str) -> Article:
        """The article with that id, or the single one whose id or title contains it."""
        exact = await article_store.get(self.db, fragment)
        if exact is not None:
            return exact
        matches = await article_store.ids_matching(self.db, fragment, limit=6)
        if len(matches) == 1:
            found = await article_store.get(self.db, matches[0])
            if found is not None:
                return found
        if matches:
            listed = ", ".join(f"`{m}`" for m in matches[:5])
            raise UserError(f"`{fragment}` matches several articles: {listed}. Use the full id.")
        raise NotFound(f"No article `{fragment}`. `/article list` shows them.")

    async def active_article(self, request: Request) -> Article:
        """The article this channel is discussing (channel, then workspace, then global)."""
        article = await article_store.named_by_setting(
            self.db, ACTIVE_ARTICLE, request.platform, request.workspace, request.channel)
        if article is None:
            raise NotFound("This channel has no article yet. A moderator can pick one with "
                           "`/article use <id>` or add one with `/article add <url>`.")
        return article
