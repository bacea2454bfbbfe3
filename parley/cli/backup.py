"""``parley backup`` (an online copy) and ``parley restore`` (before the database is opened)."""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
from pathlib import Path

from parley.cli.common import EXIT_OK, EXIT_USER_ERROR, fail
from parley.core.services import Services
from parley.core.settings import Settings
from parley.store.db import StoreError, bundled_migrations, check_backup, copy_consistently
from parley.store.db import backup as copy_database


async def backup(services: Services, args: argparse.Namespace) -> int:
    path = Path(args.path)
    await copy_database(services.db, path)
    print(f"backed up {services.settings.parley_db} to {path}")
    return EXIT_OK


async def restore(settings: Settings, args: argparse.Namespace) -> int:
    """Check the backup, keep the current file (its WAL folded in) beside it, then swap in a
    copy of the very file that was checked, atomically."""
    path = Path(args.path)
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
