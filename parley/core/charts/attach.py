"""Which pictures a reply carries, drawn off the event loop from what the store holds."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import ParamSpec

from parley.core.charts.activity import activity_chart
from parley.core.charts.claim_status import claim_status_chart
from parley.core.charts.coverage import coverage_chart
from parley.core.charts.standings import Standing, standings_chart
from parley.core.models import Article, Picture
from parley.store import analysis as analysis_store
from parley.store import config, digests, factchecks
from parley.store import counterpoints as counterpoint_store
from parley.store.db import Database

PICTURES_KEY = "pictures"
MAX_ACTIVITY_DAYS = 31
P = ParamSpec("P")


async def drawn(chart: Callable[P, Picture], *args: P.args, **kwargs: P.kwargs) -> Picture:
    """Draw a chart in a worker thread, so the event loop keeps answering meanwhile."""
    return await asyncio.to_thread(chart, *args, **kwargs)


async def wanted(db: Database, default: bool, platform: str, workspace: str,
                 channel: str) -> bool:
    """Whether this channel gets pictures: its own choice, else the workspace's, else the
    ``PARLEY_PICTURES`` setting."""
    return (await wanted_for(db, default, platform, workspace, [channel]))[channel]


async def wanted_for(db: Database, default: bool, platform: str, workspace: str,
                     channels: list[str]) -> dict[str, bool]:
    """``wanted`` for many channels of one workspace, in one query."""
    values = await config.values_for_channels(db, PICTURES_KEY, platform, workspace, channels)
    return {c: default if values.get(c) is None else bool(values[c]) for c in channels}


async def claim_status(db: Database, article: Article) -> Picture | None:
    """How the article's claims stand after checking; None when it has no claims."""
    claims = await analysis_store.claims(db, article.id)
    if not claims:
        return None
    latest = await factchecks.latest(db, [c.id for c in claims])
    counts: dict[str, int] = {}
    for claim in claims:
        check = latest.get(claim.id)
        status = check.review.status if check else "unverified"
        counts[status] = counts.get(status, 0) + 1
    return await drawn(claim_status_chart, counts, article.title)


async def coverage(outlets: dict[str, list[str]], articles: dict[str, int], story: str
                   ) -> Picture:
    """The story's coverage by leaning (outlets with no rated leaning are left out of the bar)."""
    return await drawn(coverage_chart, outlets, story, articles)


async def standings(db: Database, article: Article, helpful_intercept: float) -> Picture | None:
    """The article's rated counterpoints on the bridging plane; None when none is rated."""
    rated = [c for c in await counterpoint_store.for_article(db, article.id)
             if c.ratings and c.intercept is not None and c.factor is not None]
    if not rated:
        return None
    points = [Standing(c.ref, c.intercept or 0.0, c.factor or 0.0, c.ratings) for c in rated]
    return await drawn(standings_chart, points, helpful_intercept)


async def activity(db: Database, platform: str, workspace: str, channel: str,
                   since: datetime | None, now: datetime) -> Picture | None:
    """Commands and questions a day since the last digest (a week for a first one, a month
    at most); None when the channel was quiet."""
    start = max(since or now - timedelta(days=7), now - timedelta(days=MAX_ACTIVITY_DAYS))
    counts = await digests.activity_by_day(db, platform, workspace, channel, start, now)
    if not counts:
        return None
    days: list[tuple[date, int, int]] = []
    day = start.date()
    while day <= now.date():
        used, asked = counts.get(day.isoformat(), (0, 0))
        days.append((day, used, asked))
        day += timedelta(days=1)
    return await drawn(activity_chart, days, channel)
