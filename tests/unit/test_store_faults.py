"""Database faults: a locked, full or damaged database gives a clear reply and loses nothing."""

from __future__ import annotations

import asyncio
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from parley.cli.app import open_services
from parley.core.models import Reply, Request, Role
from parley.core.registry import run_line
from parley.core.services import Services
from parley.store import articles as article_store
from parley.store import counterpoints, factchecks
from parley.store.db import Database, StoreDamaged
from tests.conftest import ARTICLES, make_settings

ARTICLE = "peru-illegal-immigration"
COUNTERPOINT = ("/counterpoint add c24 Official trade statistics put two-way trade between the "
                "two countries nearer twenty-two billion dollars in recent years. "
                "https://www.census.gov/foreign-trade")
VERDICT = ("/factcheck c24 supported Census Bureau trade tables agree with the figure. "
           "https://www.census.gov/foreign-trade")


@pytest.fixture
async def quick_busy(tmp_path: Path) -> AsyncIterator[Services]:
    """Services whose busy timeout is short, so a held lock surfaces quickly."""
    async with open_services(make_settings(tmp_path, parley_db_busy_timeout_ms=150)) as svc:
        yield svc


async def _ask(services: Services, line: str, role: Role = Role.MODERATOR) -> Reply:
    base = Request(workspace="w1", channel="general", user="u1", role=role, command="help")
    return await run_line(services.registry, line, base, services)


def _hold_write_lock(path: Path) -> sqlite3.Connection:
    other = sqlite3.connect(path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    other.execute("CREATE TABLE IF NOT EXISTS other_writer (x)")
    return other


async def test_a_locked_database_is_reported_and_nothing_changes(quick_busy: Services) -> None:
    before = len(await counterpoints.for_article(quick_busy.db, ARTICLE))
    checks_before = await factchecks.count(quick_busy.db)
    other = _hold_write_lock(quick_busy.db.path)
    try:
        for line in (COUNTERPOINT, VERDICT):
            reply = await _ask(quick_busy, line)
            assert reply.kind == "error" and reply.ephemeral
            assert "busy" in reply.text and "Nothing was changed" in reply.text, reply.text
        read = await _ask(quick_busy, "/summary short")  # readers are not blocked in WAL mode
        assert read.kind == "answer"
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert len(await counterpoints.for_article(quick_busy.db, ARTICLE)) == before
    assert await factchecks.count(quick_busy.db) == checks_before
    assert (await _ask(quick_busy, COUNTERPOINT)).title == "Counterpoint added"


async def test_a_briefly_held_lock_is_waited_out(tmp_path: Path) -> None:
    async with open_services(make_settings(tmp_path, parley_db_busy_timeout_ms=3000)) as svc:
        other = _hold_write_lock(svc.db.path)
        loop = asyncio.get_running_loop()
        loop.call_later(0.3, lambda: (other.execute("ROLLBACK"), other.close()))
        reply = await _ask(svc, COUNTERPOINT)
        assert reply.title == "Counterpoint added", reply.text


@pytest.mark.sqlite_only("fills the file with PRAGMA max_page_count")
async def test_a_full_disk_is_reported_and_rolls_back_whole(services: Services) -> None:
    db = services.db
    pages = (await db.fetchone("PRAGMA page_count"))[0]  # type: ignore[index]
    await db.fetchone(f"PRAGMA max_page_count = {pages}")
    articles_before = [a.id for a in await article_store.list_all(db)]
    big = ("/article add " + (ARTICLES / "minimum-wage-opinion.txt").read_text(encoding="utf-8"))
    try:
        added = await _ask(services, big)
        assert added.kind == "error" and "disk is full" in added.text, added.text
        assert "Nothing was saved" in added.text
    finally:
        await db.fetchone("PRAGMA max_page_count = 1073741823")
    # no half-written article: neither its row nor any of its sentences
    assert [a.id for a in await article_store.list_all(db)] == articles_before
    orphans = await db.fetchone(
        "SELECT COUNT(*) FROM sentences WHERE article_id NOT IN (SELECT id FROM articles)")
    assert orphans is not None and orphans[0] == 0
    assert (await _ask(services, big)).kind == "answer"  # space freed: the same command works
    assert len(await article_store.list_all(db)) == len(articles_before) + 1


async def test_a_damaged_database_file_is_named_with_the_way_out(tmp_path: Path) -> None:
    path = tmp_path / "parley.db"
    async with open_services(make_settings(tmp_path)):
        pass
    data = bytearray(path.read_bytes())
    page = 4096
    for offset in range(page, len(data), page):  # every b-tree page after the first
        data[offset:offset + 64] = b"\xff" * 64
    path.write_bytes(bytes(data))
    with pytest.raises(StoreDamaged, match="parley restore"):
        db = await Database.open(path)
        try:
            await db.fetchall("SELECT * FROM sentences")
        finally:
            await db.close()
