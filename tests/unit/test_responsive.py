"""A long article being analysed never holds up anyone else's command: the analysis runs in a
worker process while the event loop keeps answering."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime

import pytest

from parley.cli.app import open_services
from parley.core.ingest.pipeline import ingest_bytes
from parley.core.models import Request, Role
from parley.core.registry import run_line
from parley.core.services import Services
from tests.conftest import ARTICLES, Stores

NOW = datetime(2025, 5, 1, tzinfo=UTC)
# An analysis on the loop would stop every command for the whole analysis (about two seconds
# here): one gap between answers would then span most of the ingest. Measured against the
# ingest's own duration, the check holds on a loaded machine, where both stretch together.
LONGEST_GAP_SHARE = 0.4


def long_article(target_bytes: int) -> bytes:
    """An opinion piece's paragraphs repeated, each with its own figure, to about that size."""
    body = (ARTICLES / "minimum-wage-opinion.txt").read_text(encoding="utf-8")
    title, _, rest = body.partition("\n")
    paragraphs = [p for p in rest.split("\n\n") if len(p.split()) > 8]
    out, n = [title + " (long)", ""], 0
    while sum(map(len, out)) < target_bytes:
        out += [f"{paragraphs[n % len(paragraphs)]} Figure {n} rose by {n % 97}.{n % 7} %.", ""]
        n += 1
    return "\n".join(out).encode()


@pytest.mark.sqlite_only("measures the event loop while the worker pool analyses, not the store")
async def test_commands_are_answered_while_a_long_article_is_analysed(stores: Stores) -> None:
    settings = stores.settings(parley_rate_member_per_minute=0,
                               parley_rate_channel_per_minute=0)
    async with open_services(settings) as services:
        base = Request(platform="console", workspace="w1", channel="general", user="u1",
                       role=Role.MEMBER, command="help")
        await run_line(services.registry, "/fact how much is trade", base, services)  # warm
        gaps, created, took = await _answers_during_an_ingest(services, base)
    assert created
    assert len(gaps) >= 5, gaps  # several answers came while the article was ingested
    assert max(gaps) < LONGEST_GAP_SHARE * took, (took, gaps)  # the loop never stopped


async def _answers_during_an_ingest(services: Services, base: Request
                                    ) -> tuple[list[float], bool, float]:
    """The gaps between answers during an ingest, whether it stored the article, its seconds."""
    ingest = asyncio.create_task(ingest_bytes(services.db, services.workers,
                                              long_article(60_000), NOW))
    gaps: list[float] = []  # from the ingest's start to the first answer, then between answers
    last = started = time.perf_counter()
    while not ingest.done() and len(gaps) < 500:
        reply = await run_line(services.registry, "/fact how much is trade between the two "
                               "countries", base, services)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
        assert reply.kind == "answer"
        await asyncio.sleep(0.02)
    result = await asyncio.wait_for(ingest, 120)
    return gaps, result.created, time.perf_counter() - started
