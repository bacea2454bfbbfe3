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
