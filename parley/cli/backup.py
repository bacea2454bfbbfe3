"""``parley backup`` (an online copy), ``parley restore`` (before the database is opened) and
``parley migrate``, on SQLite (the backup API, a file swap) or PostgreSQL (pg_dump, pg_restore).
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
from pathlib import Path

from parley.cli.common import EXIT_OK, EXIT_USER_ERROR, fail
from parley.core.services import Services
from parley.core.settings import Settings
from parley.store.db import StoreError, bundled_migrations, is_database_url, masked
from parley.store.sqlite import SqliteDatabase, check_backup, copy_consistently
from parley.store.sqlite import backup as copy_database


async def migrate(services: Services, args: argparse.Namespace) -> int:
    """Opening the store migrated it (under an advisory lock on PostgreSQL): say to what."""
    version = await services.db.schema_version()
    print(f"{services.db.label} is at schema version {version}")
    return EXIT_OK


async def backup(services: Services, args: argparse.Namespace) -> int:
    path = Path(args.path)
    if services.db.dialect == "postgresql":
        from parley.store.postgres import PostgresDatabase, dump

        assert isinstance(services.db, PostgresDatabase)
        await dump(services.db.url, path)  # pg_dump's custom format, for pg_restore
    else:
        assert isinstance(services.db, SqliteDatabase)
        await copy_database(services.db, path)
    print(f"backed up {services.db.label} to {path}")
    return EXIT_OK


async def restore(settings: Settings, args: argparse.Namespace) -> int:
    """Check the backup, keep the current file (its WAL folded in) beside it, then swap in a
    copy of the very file that was checked, atomically (on PostgreSQL: pg_restore in one
    transaction)."""
    path = Path(args.path)
    database = settings.database()
    if is_database_url(database):
        from parley.store.postgres import restore as pg_restore

        try:
            await pg_restore(str(database), path)
        except StoreError as exc:
            return fail(f"{exc}; nothing was changed", EXIT_USER_ERROR)
        print(f"restored {path} to {masked(str(database))}")
        return EXIT_OK
    try:
        version = await check_backup(path, bundled_migrations())
    except StoreError as exc:
        return fail(f"{exc}; nothing was changed", EXIT_USER_ERROR)
    target = Path(settings.parley_db)
    staging = target.with_name(target.name + ".restoring")
    try:
        await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
        await asyncio.to_thread(_fresh, staging)
        await asyncio.to_thread(copy_consistently, path, staging)
        if await asyncio.to_thread(target.exists):
            keep = target.with_name(target.name + ".before-restore")
            await asyncio.to_thread(_keep_current, target, keep)
            print(f"kept the current database as {keep}")
    except (OSError, sqlite3.Error) as exc:
        await asyncio.to_thread(_fresh, staging)
        return fail(f"cannot restore to {target}: {exc}; nothing was changed", EXIT_USER_ERROR)
    for suffix in ("-wal", "-shm"):
        await asyncio.to_thread(Path(str(target) + suffix).unlink, missing_ok=True)
    await asyncio.to_thread(staging.replace, target)  # atomic on one filesystem
    print(f"restored {path} (schema version {version}) to {target}")
    return EXIT_OK


def _fresh(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(str(path) + suffix).unlink(missing_ok=True)


def _keep_current(target: Path, keep: Path) -> None:
    """Keep the live database whole: through SQLite (its WAL folded in), or, if it is too
    damaged to open, as raw files with its ``-wal`` and ``-shm`` copied alongside."""
    _fresh(keep)
    try:
        copy_consistently(target, keep, read_only=False)
        return
    except sqlite3.Error:
        _fresh(keep)
    shutil.copy2(target, keep)
    for suffix in ("-wal", "-shm"):
        side = Path(str(target) + suffix)
        if side.exists():
            shutil.copy2(side, Path(str(keep) + suffix))
