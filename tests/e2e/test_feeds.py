"""Feeds against a local feed server on loopback: each new item ingested once across restarts,
two pollers and two processes (a real one and this one); conditional requests; broken, huge and
slow feeds reported and, when they keep failing, disabled, without harm to the rest."""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web

from parley.cli.app import open_services
from parley.core.feeds.poller import Limits, tick
from parley.core.ingest.fetch import policy_for
from parley.core.models import Request, Role
from parley.core.registry import run_line
from parley.core.services import Services
from parley.core.settings import Settings
from parley.core.workers import Workers
from parley.store import articles as article_store
from parley.store import audit, feeds
from parley.store.db import Database
from tests.conftest import FIXTURES, cli_env, make_settings
from tests.e2e.conftest import Cli
from tests.fakes.loopback import serving

# Each test starts from a first start's database (made once per test process).
pytestmark = pytest.mark.usefixtures("started")


LATER = timedelta(minutes=1)  # feeds added now are due by then
STORIES = sorted((FIXTURES / "coverage").glob("*.txt"))
# The feed site runs on loopback: allowed the way an operator opts in (PARLEY_FETCH_ALLOW_*).
ALLOW = {"parley_fetch_allow_networks": "127.0.0.0/8", "parley_fetch_allow_ports": "1024-65535"}


def feed_settings(tmp_path: Path, backend: str = "") -> Settings:
    """Loopback allowed; the store is ``backend`` when it is a PostgreSQL address."""
    store = {"parley_database_url": backend} if backend.startswith("postgresql://") else {}
    return make_settings(tmp_path, **ALLOW, **store)


LOOPBACK = policy_for(feed_settings(Path(".")))
FAST = Limits(every=timedelta(minutes=30), items_per_poll=10, max_failures=2, timeout_s=1.0,
              policy=LOOPBACK)


@dataclass
class FeedSite:
    """A feed whose items can grow, with every request counted."""

    base: str = ""
    items: list[int] = field(default_factory=lambda: [0, 1])
    hits: Counter[str] = field(default_factory=Counter)
    conditional: list[str] = field(default_factory=list)

    @property
    def etag(self) -> str:
        return '"v' + "-".join(map(str, self.items)) + '"'

    def rss(self) -> bytes:
        entries = "".join(
            f"<item><title>Story {n}</title><link>{self.base}/story/{n}</link>"
            f"<guid>story-{n}</guid></item>" for n in self.items)
        return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Lakeshore wire'
                f"</title><link>{self.base}</link>{entries}</channel></rss>").encode()


@pytest.fixture
async def site() -> AsyncIterator[FeedSite]:
    state = FeedSite()

    async def feed(request: web.Request) -> web.Response:
        state.hits["feed"] += 1
        if request.headers.get("If-None-Match") == state.etag:
            state.conditional.append("304")
            return web.Response(status=304)
        return web.Response(body=state.rss(), content_type="application/rss+xml",
                            headers={"ETag": state.etag,
                                     "Last-Modified": "Wed, 04 Jun 2025 08:00:00 GMT"})

    async def story(request: web.Request) -> web.Response:
        n = int(request.match_info["n"])
        state.hits[f"story/{n}"] += 1
        await asyncio.sleep(0.05)  # wide enough for two pollers to overlap
        return web.Response(body=STORIES[n].read_bytes(), content_type="text/plain",
                            charset="utf-8")

    async def broken(request: web.Request) -> web.Response:
        return web.Response(text="<html><body>Not a feed</body></html>",
                            content_type="text/html")

    async def huge(request: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "application/rss+xml"})
        await resp.prepare(request)
        await resp.write(b'<?xml version="1.0"?><rss version="2.0"><channel>')
        for _ in range(40):
            await resp.write(b"<item><title>" + b"x" * 65536 + b"</title></item>")
        return resp

    async def slow(request: web.Request) -> web.Response:
        await asyncio.sleep(3)
        return web.Response(body=state.rss(), content_type="application/rss+xml")

    app = web.Application()
    app.add_routes([web.get("/feed.xml", feed), web.get("/story/{n}", story),
                    web.get("/broken.xml", broken), web.get("/huge.xml", huge),
                    web.get("/slow.xml", slow)])
    async with serving(app) as base:
        state.base = base
        yield state


def _moderator() -> Request:
    return Request(channel="news", user="mod", role=Role.MODERATOR, command="help")


def _now() -> datetime:
    """A moment just after now: the feeds a test has just added are due at it."""
    return datetime.now(UTC) + LATER


async def _follow(tmp_path: Path, url: str, backend: str = "") -> None:
    async with open_services(feed_settings(tmp_path, backend)) as services:
        reply = await run_line(services.registry, f"/feed add {url}", _moderator(), services)
        assert reply.title == "Feed added", reply.text


async def _stories(db: Database) -> list[str]:
    """The feed's items that were ingested, each with the article stored for it."""
    stored = {a.id for a in await article_store.list_all(db)}
    done = [(key, aid) for key, status, _, aid in await feeds.items(db, 1)
            if status == "ingested"]
    assert all(aid in stored for _, aid in done)
    return sorted(key for key, _ in done)


def with_workers(services: Services) -> tuple[Database, Workers]:
    return services.db, services.workers


async def test_a_new_item_is_ingested_once_across_restarts(tmp_path: Path, site: FeedSite,
                                                           backend: str) -> None:
    await _follow(tmp_path, f"{site.base}/feed.xml", backend)
    now = _now()
    async with open_services(feed_settings(tmp_path, backend)) as services:
        first = await tick(*with_workers(services), now, FAST, "poller-a")
        assert len(first.ingested) == 2 and first.polled
    site.items.append(2)
    async with open_services(feed_settings(tmp_path, backend)) as services:  # a restart
        assert (await tick(
                *with_workers(services), now + timedelta(minutes=5), FAST, "a")).polled == []
        again = await tick(*with_workers(services), now + timedelta(minutes=31), FAST, "poller-a")
        assert len(again.ingested) == 1
        unchanged = await tick(
                *with_workers(services), now + timedelta(minutes=62), FAST, "poller-a")
        assert unchanged.not_modified and not unchanged.ingested
        assert site.conditional == ["304"]  # the ETag was sent back
        assert await _stories(services.db) == [f"story-{n}" for n in range(3)]
        listed = await run_line(services.registry, "/feed list", _moderator(), services)
        assert listed.data["feeds"][0]["ingested"] == 3
        assert listed.data["feeds"][0]["title"] == "Lakeshore wire"
    assert all(site.hits[f"story/{n}"] == 1 for n in range(3))


async def test_two_pollers_on_one_database_ingest_each_item_once(tmp_path: Path,
                                                                 site: FeedSite,
                                                                 backend: str) -> None:
    site.items = [0, 1, 2, 3]
    await _follow(tmp_path, f"{site.base}/feed.xml", backend)
    now = _now()
    first = await Database.open(backend)
    second = await Database.open(backend)
    workers = Workers(1)
    try:
        for at in (now, now + timedelta(minutes=31)):
            await asyncio.gather(tick(first, workers, at, FAST, "poller-a"),
                                 tick(second, workers, at, FAST, "poller-b"))
        assert len(await _stories(first)) == 4
    finally:
        await workers.close()
        await first.close()
        await second.close()
    assert all(site.hits[f"story/{n}"] == 1 for n in range(4)), site.hits


async def test_two_processes_ingest_each_item_once(tmp_path: Path, site: FeedSite,
                                                   backend: str, in_process: Cli) -> None:
    """A real ``parley feeds poll`` process and this test's process (the same ``main``, on a
    thread) poll one store at once: each item is fetched and added once between them."""
    site.items = [0, 1, 2, 3]
    await _follow(tmp_path, f"{site.base}/feed.xml", backend)
    env = {k.upper(): v for k, v in ALLOW.items()}
    if backend.startswith("postgresql://"):
        env["PARLEY_DATABASE_URL"] = backend
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "parley", "feeds", "poll", env=cli_env(tmp_path, **env),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    # this process polls once the other has begun (its first request), so the two overlap
    deadline = asyncio.get_running_loop().time() + 120
    while not site.hits["feed"] and proc.returncode is None:
        assert asyncio.get_running_loop().time() < deadline, "the poll process never polled"
        await asyncio.sleep(0.02)
    here = await asyncio.to_thread(in_process, "feeds", "poll", **env)
    out, err = await proc.communicate()
    assert proc.returncode == 0 and here.returncode == 0, (out, err, here)
    added = [line for text in (out.decode(), here.stdout) for line in text.splitlines()
             if line.endswith(": added")]
    assert len(added) == 4
    assert all(site.hits[f"story/{n}"] == 1 for n in range(4)), site.hits


async def test_broken_huge_and_slow_feeds_are_reported_then_disabled(tmp_path: Path,
                                                                     site: FeedSite) -> None:
    for path in ("broken.xml", "huge.xml", "slow.xml", "feed.xml"):
        await _follow(tmp_path, f"{site.base}/{path}")
    now = _now()
    async with open_services(feed_settings(tmp_path)) as services:
        report = await tick(*with_workers(services), now, FAST, "poller")
        reasons = " | ".join(report.failed.values())
        assert len(report.failed) == 3, reasons
        assert "not an RSS or Atom feed" in reasons and "larger than" in reasons
        assert "too slow" in reasons  # the fetcher's one answer for every unreachable case
        assert len(report.ingested) == 2  # the good feed is unharmed
        again = await tick(*with_workers(services), now + timedelta(minutes=31), FAST, "poller")
        assert len(again.disabled) == 3
        listed = await run_line(services.registry, "/feed list", _moderator(), services)
        assert listed.text.count("disabled") == 3
        assert [f["active"] for f in listed.data["feeds"]] == [False, False, False, True]
        disabled = [e for e in await audit.recent(services.db) if e.action == "feed.disabled"]
        assert len(disabled) == 3
        assert (await tick(*with_workers(services), now + timedelta(minutes=62), FAST)).failed == {}
        assert len(await feeds.all_feeds(services.db)) == 4


async def test_feed_commands_are_moderated_and_refuse_bad_input(tmp_path: Path) -> None:
    async with open_services(feed_settings(tmp_path)) as services:
        member = Request(channel="news", user="m", role=Role.MEMBER, command="help")
        assert (await run_line(services.registry, "/feed add https://e.org/rss", member,
                               services)).kind == "denied"
        for line in ("/feed add javascript:alert(1)", "/feed add <@everyone>",
                     "/feed remove feed-999", "/feed remove 99999999999999999999"):
            assert (await run_line(services.registry, line, _moderator(), services)).is_error
        ok = await run_line(services.registry, "/feed add https://e.org/rss", _moderator(),
                            services)
        dup = await run_line(services.registry, "/feed add https://e.org/rss", _moderator(),
                             services)
        assert ok.kind == "info" and dup.is_error
        gone = await run_line(services.registry, f"/feed remove {ok.data['id']}", _moderator(),
                              services)
        assert gone.title == "Feed removed"
        assert await feeds.all_feeds(services.db) == []
        actions = [e.action for e in await audit.recent(services.db)]
        assert "feed.add" in actions and "feed.remove" in actions
