"""The SQLite backend (aiosqlite): WAL, foreign keys, a busy timeout, one serialised writer."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import aiosqlite

from parley.store.db import (
    BUSY_TIMEOUT_MS,
    Connection,
    Database,
    Migration,
    Row,
    StoreBusy,
    StoreDamaged,
    StoreError,
    StoreFull,
    bundled_migrations,
)

log = logging.getLogger("parley.store")

_KINDS: dict[str, type[StoreError]] = {
    "SQLITE_BUSY": StoreBusy, "SQLITE_LOCKED": StoreBusy, "SQLITE_FULL": StoreFull,
    "SQLITE_CORRUPT": StoreDamaged, "SQLITE_NOTADB": StoreDamaged,
}


def classify(exc: sqlite3.Error) -> StoreError | None:
    """The StoreError a raw SQLite failure stands for, or None if it is a programming error."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    primary = "_".join(name.split("_")[:2])  # SQLITE_IOERR_WRITE is an SQLITE_IOERR
    kind = _KINDS.get(primary) or (StoreError if primary == "SQLITE_IOERR" else None)
    return kind(f"{exc} ({name})") if kind else None


@contextmanager
def translated() -> Iterator[None]:
    """Raise operational SQLite failures (busy, full, corrupt, I/O) as StoreError kinds."""
    try:
        yield
    except sqlite3.Error as exc:
        mapped = classify(exc)
        if mapped is None:
            raise
        raise mapped from exc


class SqliteConnection:
    """The Connection interface over one aiosqlite connection."""

    def __init__(self, raw: aiosqlite.Connection) -> None:
        self.raw = raw

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        cur = await self.raw.execute(sql, tuple(params))
        changed = cur.rowcount
        await cur.close()
        return max(int(changed or 0), 0)

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        await self.raw.executemany(sql, [tuple(r) for r in rows])

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]:
        # One trip to the connection's thread (execute, fetch and close together), not three.
        return list(await self.raw.execute_fetchall(sql, tuple(params)))


class SqliteDatabase(Database):
    """One aiosqlite connection with WAL, foreign keys and a busy timeout.

    Writes go through :meth:`transaction`, which serialises them on this connection, so
    concurrent handlers never interleave statements of two transactions.
    """

    dialect = "sqlite"

    def __init__(self, path: Path | str, conn: aiosqlite.Connection,
                 busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        super().__init__()
        self.path = Path(path)
        self.label = str(path)
        self.conn = conn
        self.wrapped = SqliteConnection(conn)
        self.busy_timeout_ms = busy_timeout_ms
        self._write_lock = asyncio.Lock()

    @classmethod
    async def connect(cls, path: Path, migrations: Iterable[Migration] | None,
                      busy_timeout_ms: int) -> SqliteDatabase:
        if str(path) != ":memory:":
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder for the database {path}: "
                                 f"{exc.strerror}") from None
        try:
            conn = await aiosqlite.connect(str(path), isolation_level=None)
        except sqlite3.Error as exc:
            raise StoreError(f"cannot open the database {path}: {exc}") from None
        conn.row_factory = aiosqlite.Row
        db = cls(path, conn, busy_timeout_ms)
        try:
            await db._configure()
            await db.migrate(bundled_migrations("sqlite") if migrations is None
                             else list(migrations))
        except (sqlite3.DatabaseError, StoreDamaged) as exc:
            await conn.close()
            if isinstance(exc, StoreDamaged) or isinstance(classify(exc), StoreDamaged):
                raise StoreDamaged(f"the database {path} is damaged ({exc}); restore a backup "
                                   "with `parley restore PATH`, or move the file aside to "
                                   "start afresh") from None
            raise StoreError(f"the database {path} is not usable: {exc}") from None
        except BaseException:
            await conn.close()
            raise
        return db

    async def _configure(self) -> None:
        # SQLite's busy handler retries a locked database until this timeout runs out.
        await self.conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        await self.conn.execute("PRAGMA foreign_keys = ON")
        if str(self.path) != ":memory:":
            await self.conn.execute("PRAGMA journal_mode = WAL")
        await self.conn.execute("PRAGMA synchronous = NORMAL")

    async def close(self) -> None:
        await self.conn.close()

    async def schema_version(self) -> int:
        await self.conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_version ("
            " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ','now')))"
        )
        row = await self.fetchone("SELECT MAX(version) AS v FROM schema_version")
        return int(row["v"]) if row and row["v"] is not None else 0

    async def migrate(self, migrations: list[Migration]) -> int:
        current = await self.schema_version()
        latest = migrations[-1].version if migrations else 0
        if current > latest:
            raise StoreError(
                f"the database {self.path} is at schema version {current}, newer than this "
                f"Parley understands ({latest}); upgrade Parley or use another PARLEY_DB"
            )
        for m in migrations:
            if m.version <= current:
                continue
            script = (
                "BEGIN IMMEDIATE;\n" + m.sql +
                f"\n;INSERT INTO schema_version (version, name) VALUES ({m.version}, '{m.name}');"
                "\nCOMMIT;"
            )
            try:
                await self.conn.executescript(script)
            except sqlite3.Error as exc:
                if self.conn.in_transaction:
                    await self.conn.execute("ROLLBACK")
                if await self.schema_version() >= m.version:
                    continue  # another process starting at the same moment applied it
                raise StoreError(f"migration {m.version:04d}_{m.name} failed: {exc}") from None
            log.info("migrated", extra={"version": m.version, "migration": m.name})
        return max(current, latest)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any error."""
        async with self._write_lock:
            with translated():
                await self.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self.wrapped
                    await self.conn.execute("COMMIT")
                except BaseException:
                    # SQLite rolls back by itself after some errors (a full disk, for one).
                    if self.conn.in_transaction:
                        await self.conn.execute("ROLLBACK")
                    raise

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        with translated():
            return await self.wrapped.fetchall(sql, tuple(params))

    async def write(self, sql: str, params: Iterable[Any] = ()) -> int:
        async with self._write_lock:
            with translated():
                return await self.wrapped.execute(sql, tuple(params))

    def json_text(self, expr: str) -> str:
        return f"json_extract({expr}, '$')"


async def backup(db: SqliteDatabase, target: Path) -> None:
    """An online, consistent copy of the database (SQLite's backup API), safe while in use."""
    target.parent.mkdir(parents=True, exist_ok=True)
    async with aiosqlite.connect(str(target)) as out:
        await db.conn.backup(out)


async def check_backup(path: Path, migrations: list[Migration]) -> int:
    """The schema version of a backup file, or StoreError if it is not a usable Parley database."""
    try:
        async with aiosqlite.connect(f"file:{path}?mode=ro", uri=True) as conn:
            async with conn.execute("PRAGMA integrity_check") as cur:
                row = await cur.fetchone()
                if row is None or row[0] != "ok":
                    raise StoreError(f"{path} is damaged (integrity check: {row})")
            async with conn.execute("SELECT MAX(version) FROM schema_version") as cur:
                version = (await cur.fetchone() or [None])[0]
    except sqlite3.Error as exc:
        raise StoreError(f"{path} is not a Parley database ({exc})") from None
    latest = migrations[-1].version if migrations else 0
    if version is None or int(version) > latest:
        raise StoreError(f"{path} has schema version {version}; this Parley understands "
                         f"1 to {latest}")
    return int(version)
