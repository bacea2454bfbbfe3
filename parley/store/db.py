"""The connection manager: pragmas, serialized transactions and the migrations runner."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

import aiosqlite

from parley.store.memo import ArticleMemos

log = logging.getLogger("parley.store")

_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
BUSY_TIMEOUT_MS = 5000
Connection = aiosqlite.Connection  # what a transaction hands its body


def like_escape(text: str) -> str:
    """Text made literal inside a LIKE pattern that uses ``ESCAPE '\\'``."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class StoreError(Exception):
    """The database cannot be used; the message says why in one line."""


class StoreBusy(StoreError):
    """Another process held the write lock for longer than the busy timeout."""


class StoreFull(StoreError):
    """The disk (or the configured page limit) is full; the write was rolled back."""


class StoreDamaged(StoreError):
    """The file is not a database any more, or its pages are corrupt."""


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


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations() -> list[Migration]:
    """The numbered SQL files shipped in ``parley/store/migrations``, in order."""
    found = []
    for entry in resources.files("parley.store.migrations").iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise StoreError("migrations are not numbered 0001, 0002, … without gaps")
    return found


class Database:
    """One aiosqlite connection with WAL, foreign keys and a busy timeout.

    Writes go through :meth:`transaction`, which serialises them on this connection, so
    concurrent handlers never interleave statements of two transactions.
    """

    def __init__(self, path: Path | str, conn: aiosqlite.Connection,
                 busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self.path = Path(path)
        self.conn = conn
        self.busy_timeout_ms = busy_timeout_ms
        self._write_lock = asyncio.Lock()
        self._reader: sqlite3.Connection | None = None
        self._reader_failed = False
        # what the core derives per article (search indexes, …), cleared where the store writes
        self.memos = ArticleMemos()

    @classmethod
    async def open(
        cls, path: Path | str, migrations: Iterable[Migration] | None = None,
        busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    ) -> Database:
        """Open (creating if needed) and migrate the database at ``path``."""
        path = Path(path)
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
            await db.migrate(bundled_migrations() if migrations is None else list(migrations))
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
        if self._reader is not None:
            self._reader.close()
            self._reader = None
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
        """Apply the migrations newer than the database, each in its own transaction."""
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
                raise StoreError(f"migration {m.version:04d}_{m.name} failed: {exc}") from None
            log.info("migrated", extra={"version": m.version, "migration": m.name})
        return max(current, latest)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[aiosqlite.Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any error."""
        async with self._write_lock:
            with translated():
                await self.conn.execute("BEGIN IMMEDIATE")
                try:
                    yield self.conn
                    await self.conn.execute("COMMIT")
                except BaseException:
                    # SQLite rolls back by itself after some errors (a full disk, for one).
                    if self.conn.in_transaction:
                        await self.conn.execute("ROLLBACK")
                    raise

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> aiosqlite.Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        # One trip to the connection's thread (execute, fetch and close together), not three.
        with translated():
            return list(await self.conn.execute_fetchall(sql, tuple(params)))

    async def read(self, sql: str, params: Iterable[Any] = ()) -> list[aiosqlite.Row]:
        """An index probe on a hot path (the channel's article, check statuses), run at once
        on a read-only connection rather than queued on aiosqlite's thread.

        The hop to that thread and back costs ten times what such a query does (about 200 µs
        against 15-20 µs here, more under load); in WAL mode a reader never waits for a writer,
        and this one has no busy timeout, so the loop is never held: should it ever find the
        file busy (recovery after a crash), the query goes to the thread instead. Only
        statements that read a few rows through an index belong here."""
        reader = self._read_connection()
        if reader is not None:
            try:
                with translated():
                    return reader.execute(sql, tuple(params)).fetchall()
            except StoreBusy:
                pass
        return await self.fetchall(sql, params)

    def _read_connection(self) -> sqlite3.Connection | None:
        if self._reader is None and not self._reader_failed:
            if str(self.path) == ":memory:":
                self._reader_failed = True
                return None
            try:
                reader = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True,
                                         isolation_level=None, check_same_thread=False)
                reader.row_factory = aiosqlite.Row
                reader.execute("PRAGMA busy_timeout = 0")
                reader.execute("PRAGMA query_only = 1")
            except sqlite3.Error:
                self._reader_failed = True  # the thread's connection still serves every read
                return None
            self._reader = reader
        return self._reader

    async def write(self, sql: str, params: Iterable[Any] = ()) -> int:
        """One write statement, atomic on its own; returns how many rows it changed."""
        async with self._write_lock:
            with translated():
                cur = await self.conn.execute(sql, tuple(params))
                return int(cur.rowcount or 0)

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> None:
        """A single write statement in its own transaction."""
        async with self.transaction() as conn:
            await conn.execute(sql, tuple(params))


async def backup(db: Database, target: Path) -> None:
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
