"""The SQLite backend (aiosqlite): WAL, foreign keys, a busy timeout, one serialised writer."""

from __future__ import annotations

import asyncio
import logging
import sqlite3
import time
from collections.abc import AsyncIterator, Hashable, Iterable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager, suppress
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
    StoreClosed,
    StoreDamaged,
    StoreError,
    StoreFull,
    StoreReadOnly,
    bundled_migrations,
)

log = logging.getLogger("parley.store")

_KINDS: dict[str, type[StoreError]] = {
    "SQLITE_BUSY": StoreBusy, "SQLITE_LOCKED": StoreBusy, "SQLITE_FULL": StoreFull,
    "SQLITE_CORRUPT": StoreDamaged, "SQLITE_NOTADB": StoreDamaged,
    "SQLITE_READONLY": StoreReadOnly, "SQLITE_CANTOPEN": StoreError, "SQLITE_PERM": StoreReadOnly,
}
SQLITE_HEADER = b"SQLite format 3\x00"
# What aiosqlite raises once its connection is closed (a ValueError, not an sqlite3.Error), and
# what sqlite3 raises for a statement on a closed connection.
_CLOSED = ("Connection closed", "no active connection", "Cannot operate on a closed database")


def read_only_uri(path: Path) -> str:
    """A read-only SQLite URI for a file path, every ``?``, ``#`` and ``%`` in it escaped."""
    return Path(path).resolve().as_uri() + "?mode=ro"


def classify(exc: sqlite3.Error) -> StoreError | None:
    """The StoreError a raw SQLite failure stands for, or None if it is a programming error."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")
    primary = "_".join(name.split("_")[:2])  # SQLITE_IOERR_WRITE is an SQLITE_IOERR
    kind = _KINDS.get(primary) or (StoreError if primary == "SQLITE_IOERR" else None)
    if kind is StoreReadOnly:
        return kind(f"the database is read-only: its file, folder or disk cannot be written "
                    f"({name}); nothing was saved")
    return kind(f"{exc} ({name})") if kind else None


def _closed(exc: Exception) -> bool:
    return isinstance(exc, ValueError | sqlite3.ProgrammingError) and str(exc).startswith(
        _CLOSED)


@contextmanager
def translated() -> Iterator[None]:
    """Raise operational SQLite failures (busy, full, corrupt, I/O, a closed store) as
    StoreError kinds."""
    try:
        yield
    except (sqlite3.Error, ValueError) as exc:
        if _closed(exc):
            raise StoreClosed("the database was closed; nothing more was done") from exc
        mapped = classify(exc) if isinstance(exc, sqlite3.Error) else None
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
        self.label = self.target = str(path)
        self.conn = conn
        self.wrapped = SqliteConnection(conn)
        self.busy_timeout_ms = busy_timeout_ms
        self._write_lock = asyncio.Lock()
        self._reader: sqlite3.Connection | None = None
        self._reader_failed = False
        self._closed = False

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
            await db._start(bundled_migrations("sqlite") if migrations is None
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

    async def _start(self, migrations: list[Migration]) -> None:
        """Configure and migrate; retried while another process opening the same new file
        holds it (switching to WAL does not wait in SQLite's busy handler)."""
        deadline = time.monotonic() + self.busy_timeout_ms / 1000
        while True:
            try:
                await self._configure()
                await self.migrate(migrations)
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                if self.conn.in_transaction:
                    await self.conn.execute("ROLLBACK")
                await asyncio.sleep(0.05)

    async def _configure(self) -> None:
        # SQLite's busy handler retries a locked database until this timeout runs out.
        await self.conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
        await self.conn.execute("PRAGMA foreign_keys = ON")
        if str(self.path) != ":memory:":
            await self.conn.execute("PRAGMA journal_mode = WAL")
        await self.conn.execute("PRAGMA synchronous = NORMAL")

    async def close(self) -> None:
        self._closed = True  # a read after this must not open a new reader
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

    async def _begin(self) -> None:
        """``BEGIN IMMEDIATE``, undone if the task is cancelled while it waits: aiosqlite runs
        the statement on its thread all the same, and a transaction left open there would make
        the next one fail ("cannot start a transaction within a transaction")."""
        begun = asyncio.ensure_future(self.conn.execute("BEGIN IMMEDIATE"))
        try:
            await asyncio.shield(begun)
        except asyncio.CancelledError:
            with suppress(Exception):
                await begun
            if self.conn.in_transaction:
                await self.conn.execute("ROLLBACK")
            raise

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Connection]:
        """``BEGIN IMMEDIATE`` … ``COMMIT``, rolled back on any error."""
        async with self._write_lock:
            with translated():
                await self._begin()
                try:
                    yield self.wrapped
                    await self.conn.execute("COMMIT")
                    self.fresh.wrote()
                except BaseException:
                    # SQLite rolls back by itself after some errors (a full disk, for one).
                    if self.conn.in_transaction:
                        await self.conn.execute("ROLLBACK")
                    raise

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        with translated():
            return await self.wrapped.fetchall(sql, tuple(params))

    async def read(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
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
                    rows: list[Row] = reader.execute(sql, tuple(params)).fetchall()
                    return rows
            except StoreBusy:
                pass
        return await self.fetchall(sql, params)

    def _read_connection(self) -> sqlite3.Connection | None:
        if self._closed:
            return None  # the thread's connection answers: StoreClosed
        if self._reader is None and not self._reader_failed:
            if self.path is None or str(self.path) == ":memory:":
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
        async with self._write_lock:
            with translated():
                changed = await self.wrapped.execute(sql, tuple(params))
                self.fresh.wrote()
                return changed

    def change_token(self) -> Hashable | None:
        """The read connection's ``PRAGMA data_version``, which moves with every commit by
        any other connection (this process's writer included), and this process's writes."""
        reader = self._read_connection()
        if reader is None:
            return None
        try:
            with translated():
                row = reader.execute("PRAGMA data_version").fetchone()
        except StoreError:
            return None
        return (int(row[0]), self.fresh.own_writes) if row else None

    def json_text(self, expr: str) -> str:
        return f"json_extract({expr}, '$')"


async def backup(db: SqliteDatabase, target: Path) -> None:
    """An online, consistent copy of the database (SQLite's backup API), safe while in use.

    The target must be a new file or an existing SQLite database; anything else (a folder,
    another kind of file, a place that cannot be written) is a StoreError of one line.
    """
    await asyncio.to_thread(_check_backup_target, target)
    try:
        async with aiosqlite.connect(str(target)) as out:
            await db.conn.backup(out)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot write a backup to {target}: {exc}") from None


def _check_backup_target(target: Path) -> None:
    if target.is_dir():
        raise StoreError(f"{target} is a folder; give a file name for the backup, "
                         f"e.g. {target / 'parley-backup.db'}")
    if target.exists():
        try:
            with target.open("rb") as existing:
                head = existing.read(len(SQLITE_HEADER))
        except OSError as exc:
            raise StoreError(f"cannot write a backup to {target}: {exc.strerror}") from None
        if head and head != SQLITE_HEADER:
            raise StoreError(f"{target} exists and is not a database; it was left alone "
                             "(choose another name)")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot write a backup to {target}: {exc.strerror}") from None


async def check_backup(path: Path, migrations: list[Migration]) -> int:
    """The schema version of a backup file, or StoreError if it is not a usable Parley database."""
    try:
        if not await asyncio.to_thread(path.is_file):
            raise StoreError(f"{path} is not a file")
        uri = await asyncio.to_thread(read_only_uri, path)
        async with aiosqlite.connect(uri, uri=True) as conn:
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


def copy_consistently(source: Path, target: Path, read_only: bool = True) -> None:
    """Copy a database file with whatever its ``-wal`` holds (SQLite's backup API), so writes
    acknowledged before a crash are in the copy; ``source`` is a path, never a URI."""
    src = sqlite3.connect(read_only_uri(source) if read_only else str(source), uri=read_only)
    try:
        dst = sqlite3.connect(str(target))
        try:
            src.backup(dst)
        finally:
            dst.close()
    finally:
        src.close()
