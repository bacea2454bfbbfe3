"""``parley backup`` (an online copy) and ``parley restore`` (before the database is opened)."""

from __future__ import annotations

import argparse
import asyncio
import shutil
from pathlib import Path

from parley.cli.common import EXIT_OK, EXIT_USER_ERROR, fail
from parley.core.services import Services
from parley.core.settings import Settings
from parley.store.db import StoreError, bundled_migrations, check_backup
from parley.store.db import backup as copy_database


async def backup(services: Services, args: argparse.Namespace) -> int:
    path = Path(args.path)
    await copy_database(services.db, path)
    print(f"backed up {services.settings.parley_db} to {path}")
    return EXIT_OK


async def restore(settings: Settings, args: argparse.Namespace) -> int:
    """Check the backup, keep the current file beside it, then swap the backup in atomically."""
    path = Path(args.path)
    try:
        version = await check_backup(path, bundled_migrations())
    except StoreError as exc:
        return fail(f"{exc}; nothing was changed", EXIT_USER_ERROR)
    target = Path(settings.parley_db)
    await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
    if await asyncio.to_thread(target.exists):
        keep = target.with_suffix(target.suffix + ".before-restore")
        await asyncio.to_thread(shutil.copy2, target, keep)
        print(f"kept the current database as {keep}")
    staging = target.with_suffix(target.suffix + ".restoring")
    await asyncio.to_thread(shutil.copy2, path, staging)
    for suffix in ("-wal", "-shm"):
        await asyncio.to_thread(Path(str(target) + suffix).unlink, missing_ok=True)
    await asyncio.to_thread(staging.replace, target)  # atomic on one filesystem
    print(f"restored {path} (schema version {version}) to {target}")
    return EXIT_OK
