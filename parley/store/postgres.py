"""The PostgreSQL backend (asyncpg): a pool, ``?`` placeholders numbered, migrations under an
advisory lock so that many processes starting at once migrate once."""

from __future__ import annotations

import asyncio
import logging
import shutil
import time
from collections.abc import AsyncIterator, Hashable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

import asyncpg

from parley.store.db import (
    Connection,
    Database,
    Migration,
    Row,
    StoreBusy,
    StoreClosed,
    StoreDamaged,
    StoreError,
    StoreFull,
    bundled_migrations,
    masked,
)

log = logging.getLogger("parley.store")
if TYPE_CHECKING:
    from asyncpg.pool import PoolConnectionProxy

    Raw: TypeAlias = asyncpg.Connection | PoolConnectionProxy[asyncpg.Record]

MIGRATION_LOCK = 0x7061726C6579  # "parley": the advisory lock migrations run under
POOL_SIZE = 10
# Another process's fact check shows in this one's /fact at most this late (parley/store/fresh.py).
FRESH_INTERVAL_S = 0.25
_BUSY = (asyncpg.exceptions.LockNotAvailableError, asyncpg.exceptions.DeadlockDetectedError,
         asyncpg.exceptions.QueryCanceledError, asyncpg.exceptions.TooManyConnectionsError,
         asyncpg.exceptions.CannotConnectNowError)


@lru_cache(maxsize=4096)
def numbered(sql: str) -> str:
    """``?`` placeholders as ``$1, $2, …``, leaving quoted strings and names alone."""
    out: list[str] = []
    quote = ""
    n = 0
    for ch in sql:
        if quote:
            if ch == quote:
                quote = ""
        elif ch in "'\"":
            quote = ch
        elif ch == "?":
            n += 1
            out.append(f"${n}")
            continue
        out.append(ch)
    return "".join(out)


def _count(status: str) -> int:
    """Rows changed, from a command tag such as ``UPDATE 3`` or ``INSERT 0 1``."""
    last = status.rsplit(" ", 1)[-1]
    return int(last) if last.isdigit() else 0


@contextmanager
def translated() -> Iterator[None]:
    """Raise operational PostgreSQL failures (busy, full, corrupt, gone) as StoreError kinds."""
    try:
        yield
    except _BUSY as exc:
        raise StoreBusy(f"{type(exc).__name__}: {exc}") from exc
    except asyncpg.exceptions.DiskFullError as exc:
        raise StoreFull(str(exc)) from exc
    except (asyncpg.exceptions.DataCorruptedError, asyncpg.exceptions.IndexCorruptedError) as exc:
        raise StoreDamaged(str(exc)) from exc
    except asyncpg.exceptions.InterfaceError as exc:
        if "pool is clos" in str(exc):  # "pool is closed", "pool is closing"
            raise StoreClosed("the database was closed; nothing more was done") from exc
        raise StoreError(f"the database is unreachable ({type(exc).__name__}: {exc})") from exc
    except (OSError, asyncpg.exceptions.PostgresConnectionError) as exc:
        raise StoreError(f"the database is unreachable ({type(exc).__name__}: {exc})") from exc


async def _leave_as_is(conn: asyncpg.Connection) -> None:
    """A connection's return to the pool: asyncpg still rolls back an open transaction, but
    skips its reset query (``RESET ALL``, ``UNLISTEN *``, … a round trip after every query):
    Parley leaves no session state behind (no LISTEN, no SET; the migration's advisory lock is
    released where it is taken)."""


class PostgresConnection:
    """The Connection interface over one asyncpg connection."""

    def __init__(self, raw: Raw) -> None:
        self.raw = raw

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        return _count(await self.raw.execute(numbered(sql), *params))

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        batch = [tuple(r) for r in rows]
        if batch:
            await self.raw.executemany(numbered(sql), batch)

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        row: Row | None = await self.raw.fetchrow(numbered(sql), *params)
        return row

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        return list(await self.raw.fetch(numbered(sql), *params))


class PostgresDatabase(Database):
    """A pool of asyncpg connections; each transaction holds one connection of its own."""

    dialect = "postgresql"

    def __init__(self, url: str, pool: asyncpg.Pool) -> None:
        super().__init__()
        self.url = url
        self.label = masked(url)
        self.target = url
        self.pool = pool

    @classmethod
    async def connect(cls, url: str, migrations: Iterable[Migration] | None,
                      busy_timeout_ms: int) -> PostgresDatabase:
        # lock_timeout is SQLite's busy timeout: waiting on a row or table lock gives up then.
        settings = {"application_name": "parley", "lock_timeout": str(int(busy_timeout_ms))}
        try:
            pool = await asyncpg.create_pool(url, min_size=1, max_size=POOL_SIZE,
                                             server_settings=settings, reset=_leave_as_is)
        except (OSError, asyncpg.exceptions.PostgresError, ValueError) as exc:
            raise StoreError(f"cannot open the database {masked(url)}: "
                             f"{type(exc).__name__}: {exc}") from None
        db = cls(url, pool)
        try:
            await db._check_collation()
            await db.migrate(bundled_migrations("postgresql") if migrations is None
                             else list(migrations))
        except BaseException:
            await pool.close()
            raise
        return db

    async def _check_collation(self) -> None:
        # Times are ISO-8601 text and ids are text: both must sort byte by byte, as in SQLite.
        row = await self.fetchone("SELECT datcollate FROM pg_database"
                                  " WHERE datname = current_database()")
        collate = str(row["datcollate"]) if row else ""
        if collate not in ("C", "POSIX", "C.UTF-8", "C.utf8"):
            raise StoreError(
                f"the database {self.label} sorts text as {collate!r}; Parley needs the C "
                "collation (CREATE DATABASE parley TEMPLATE template0 LC_COLLATE 'C' "
                "LC_CTYPE 'C' ENCODING 'UTF8')")

    async def close(self) -> None:
        await self.pool.close()

    async def schema_version(self) -> int:
        async with self.pool.acquire() as conn:
            return await self._version(conn)

    @staticmethod
    async def _version(conn: Raw) -> int:
        await conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT"
            " (to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')))")
        value = await conn.fetchval("SELECT MAX(version) FROM schema_version")
        return int(value) if value is not None else 0

    async def migrate(self, migrations: list[Migration]) -> int:
        latest = migrations[-1].version if migrations else 0
        with translated():
            async with self.pool.acquire() as conn:
                # Session-level: every other process starting now waits here, then finds the
                # migrations applied.
                await conn.execute("SELECT pg_advisory_lock($1)", MIGRATION_LOCK)
                try:
                    return await self._apply(conn, migrations, latest)
                finally:
                    await conn.execute("SELECT pg_advisory_unlock($1)", MIGRATION_LOCK)

    async def _apply(self, conn: Raw, migrations: list[Migration],
                     latest: int) -> int:
        current = await self._version(conn)
        if current > latest:
            raise StoreError(
                f"the database {self.label} is at schema version {current}, newer than this "
                f"Parley understands ({latest}); upgrade Parley or use another "
                "PARLEY_DATABASE_URL")
        for m in migrations:
            if m.version <= current:
                continue
            try:
                async with conn.transaction():
                    await conn.execute(m.sql)
                    await conn.execute("INSERT INTO schema_version (version, name)"
                                       " VALUES ($1, $2)", m.version, m.name)
            except asyncpg.exceptions.PostgresError as exc:
                raise StoreError(f"migration {m.version:04d}_{m.name} failed: {exc}") from None
            log.info("migrated", extra={"version": m.version, "migration": m.name})
        return max(current, latest)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        with translated():
            async with self.pool.acquire() as conn, conn.transaction():
                yield PostgresConnection(conn)
        self.fresh.wrote()  # committed: this process's next remembered read looks again

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        with translated():
            row: Row | None = await self.pool.fetchrow(numbered(sql), *params)
            return row

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        with translated():
            return list(await self.pool.fetch(numbered(sql), *params))

    async def write(self, sql: str, params: Iterable[Any] = ()) -> int:
        with translated():
            changed = _count(await self.pool.execute(numbered(sql), *params))
        self.fresh.wrote()
        return changed

    def change_token(self) -> Hashable | None:
        """This process's writes and the time, in steps of :data:`FRESH_INTERVAL_S`: another
        process's write shows at most that late (PostgreSQL has no cheap commit counter)."""
        return (self.fresh.own_writes, int(time.monotonic() / FRESH_INTERVAL_S))

    def json_text(self, expr: str) -> str:
        return f"(({expr})::jsonb #>> '{{}}')"

    def skip_locked(self) -> str:
        return " FOR UPDATE SKIP LOCKED"


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise StoreError(f"{name} is not installed; install the PostgreSQL client tools "
                         f"(Debian: apt-get install postgresql-client) to back up or restore")
    return found


async def _run(*args: str) -> None:
    proc = await asyncio.create_subprocess_exec(*args, stdout=asyncio.subprocess.DEVNULL,
                                                stderr=asyncio.subprocess.PIPE)
    _, err = await proc.communicate()
    if proc.returncode != 0:
        last = err.decode(errors="replace").strip().splitlines()[-1:] or ["failed"]
        raise StoreError(f"{Path(args[0]).name}: {masked(last[0])}")


async def dump(url: str, target: Path) -> None:
    """A consistent online copy with pg_dump (custom format: ``pg_restore`` reads it)."""
    await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
    await _run(_tool("pg_dump"), "--format=custom", "--no-owner", f"--file={target}",
               f"--dbname={url}")


async def restore(url: str, source: Path) -> None:
    """Replace the database's contents with a pg_dump file, in one transaction."""
    if not await asyncio.to_thread(source.is_file):
        raise StoreError(f"no backup file at {source}")
    await _run(_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
               "--single-transaction", f"--dbname={url}", str(source))
