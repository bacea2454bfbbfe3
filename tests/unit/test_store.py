"""The store: pragmas, migrations (fresh, re-run, failing, future version) and FTS5."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from parley.store.db import Database, Migration, StoreError, bundled_migrations

TABLES = {"articles", "sections", "sentences", "claims", "factchecks_fts", "fact_checks",
          "counterpoints", "ratings", "scoped_settings", "digest_subscriptions",
          "digest_deliveries", "audit_log", "schema_version"}


async def _tables(db: Database) -> set[str]:
    rows = await db.fetchall("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
    return {r["name"] for r in rows}


async def test_fresh_database_is_migrated_with_pragmas(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "a.db")
    try:
        assert await _tables(db) >= TABLES
        assert await db.schema_version() == len(bundled_migrations())
        assert (await db.fetchone("PRAGMA journal_mode"))[0] == "wal"  # type: ignore[index]
        assert (await db.fetchone("PRAGMA foreign_keys"))[0] == 1  # type: ignore[index]
        assert (await db.fetchone("PRAGMA busy_timeout"))[0] == 5000  # type: ignore[index]
    finally:
        await db.close()


async def test_migrating_twice_is_a_no_op(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    db = await Database.open(path)
    await db.close()
    db = await Database.open(path)
    try:
        rows = await db.fetchall("SELECT version FROM schema_version ORDER BY version")
        assert [r["version"] for r in rows] == [m.version for m in bundled_migrations()]
    finally:
        await db.close()


async def test_newer_database_refuses_to_start(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    extra = Migration(len(bundled_migrations()) + 1, "from_the_future", "CREATE TABLE t (x);")
    db = await Database.open(path, [*bundled_migrations(), extra])
    await db.close()
    with pytest.raises(StoreError, match="newer than this Parley understands"):
        await Database.open(path)


async def test_failed_migration_leaves_nothing_behind(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    broken = Migration(len(bundled_migrations()) + 1, "broken",
                       "CREATE TABLE half_done (x);\nINSERT INTO no_such_table VALUES (1);")
    with pytest.raises(StoreError, match="broken failed"):
        await Database.open(path, [*bundled_migrations(), broken])
    db = await Database.open(path)
    try:
        assert "half_done" not in await _tables(db)
        assert await db.schema_version() == len(bundled_migrations())
    finally:
        await db.close()


async def test_corrupt_file_gives_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "corrupt.db"
    path.write_bytes(b"this is not a database" * 200)
    with pytest.raises(StoreError, match="is damaged"):
        await Database.open(path)


async def test_transaction_rolls_back_on_error(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "a.db")
    try:
        with pytest.raises(sqlite3.IntegrityError):
            async with db.transaction() as conn:
                await conn.execute(
                    "INSERT INTO audit_log (at, platform, workspace, channel, actor, role, action)"
                    " VALUES ('t', 'p', 'w', 'c', 'a', 'r', 'x')")
                await conn.execute("INSERT INTO articles (id) VALUES ('no-title')")
        assert (await db.fetchone("SELECT COUNT(*) FROM audit_log"))[0] == 0  # type: ignore[index]
    finally:
        await db.close()


async def test_only_the_fact_check_indexes_are_full_text(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "a.db")
    try:
        tables = await _tables(db)
        assert {"factchecks_fts", "knowledge_fts"} <= tables
        assert not tables & {"sentences_fts", "claims_fts"}  # searched in memory instead
        triggers = {r["name"] for r in await db.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'")}
        assert not {t for t in triggers if t.startswith(("sentences_", "claims_"))}
    finally:
        await db.close()


async def test_a_bulk_save_stores_what_saves_one_by_one_store(tmp_path: Path) -> None:
    """``save_many_in``: the same rows as ``save`` for each article, a repeated content given
    the first's id, and taken or repeated slugs given their ``-N`` as one by one."""
    from datetime import UTC, datetime

    from parley.core.analysis.article import analyse
    from parley.core.analysis.lexicon import load_lexicon
    from parley.core.ingest.identity import content_hash
    from parley.core.models import ParsedArticle, ParsedSection, ParsedSentence
    from parley.store import analysis, articles

    now, lexicon = datetime(2025, 5, 1, tzinfo=UTC), load_lexicon()

    def article(title: str, figure: int) -> ParsedArticle:
        return ParsedArticle(title=title, sections=[ParsedSection(sentences=[
            ParsedSentence(paragraph=0, text=f"The council approved {figure} new budgets."),
            ParsedSentence(paragraph=0, text=f"It will cost ${figure} million, they said.")])])

    items = [article("Budget vote", 3), article("Budget vote", 4), article("Tax plan", 5),
             article("Budget vote", 3), article("Road works", 6)]
    batch = [(a, s, content_hash(a), now, analyse(a, lexicon)) for a, s in
             zip(items, ["budget-vote", "budget-vote", "tax-plan", "budget-vote",
                         "road-works"], strict=True)]
    one, many = await Database.open(tmp_path / "one.db"), await Database.open(tmp_path / "m.db")
    try:
        await articles.save(one, *batch[2][:4], batch[2][4])  # "tax-plan" taken beforehand
        await articles.save(many, *batch[2][:4], batch[2][4])
        singly = [(await articles.save(one, *b[:4], b[4]))[0].id for b in batch]
        async with many.transaction() as conn:
            bulk = await articles.save_many_in(conn, batch)
        assert bulk == singly == ["budget-vote", "budget-vote-2", "tax-plan", "budget-vote",
                                  "road-works"]
        for article_id in {*bulk}:
            for db in (one, many):
                assert await articles.get(db, article_id) is not None
            assert [s.text for s in await articles.sentences(one, article_id)] == [
                s.text for s in await articles.sentences(many, article_id)]
            assert await analysis.claims(one, article_id) == await analysis.claims(
                many, article_id)
            assert await analysis.summary(one, article_id) == await analysis.summary(
                many, article_id)
        assert await articles.count(many) == 4
    finally:
        await one.close()
        await many.close()


async def test_a_handled_request_is_renewed_not_aged_and_pruned_apart(tmp_path: Path) -> None:
    from parley.store import handled

    db = await Database.open(tmp_path / "h.db")
    try:
        await handled.record_many(db, [("slack:a", 1000.0), ("slack:b", 1500.0)])
        await handled.record_many(db, [("slack:a", 1700.0)])  # renewed by a later record
        assert await handled.seen_since(db, "slack:a", 1600.0)
        assert await handled.prune(db, 1600.0) == 1  # "b" only
        assert not await handled.seen_since(db, "slack:b", 0.0)
        assert await handled.seen_since(db, "slack:a", 1600.0)
    finally:
        await db.close()
