"""The backend-neutral store: the Database and Connection interfaces, errors and migrations.

Repositories write one SQL dialect: ``?`` placeholders (the PostgreSQL backend numbers them),
portable types, ``ON CONFLICT``, ``RETURNING``, ``lower(x) LIKE lower(?)``, quoted ``"end"``.
Only full-text search and a few fragments (``Database.json_text``) differ per backend.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Literal, Protocol

from parley.store.fresh import Fresh
from parley.store.memo import ArticleMemos

Dialect = Literal["sqlite", "postgresql"]
DIALECTS: tuple[Dialect, ...] = ("sqlite", "postgresql")
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")
BUSY_TIMEOUT_MS = 5000


def like_escape(text: str) -> str:
    """Text made literal inside a LIKE pattern that uses ``ESCAPE '\\'``."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def is_database_url(target: str | Path) -> bool:
    """True for a ``postgresql://`` (or ``postgres://``) address rather than a SQLite path."""
    return str(target).startswith(("postgresql://", "postgres://"))


def masked(url: str) -> str:
    """A database address with its password replaced, fit for a message or a log line."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


class StoreError(Exception):
    """The database cannot be used; the message says why in one line."""


class StoreBusy(StoreError):
    """Another process held a lock for longer than the busy timeout."""


class StoreFull(StoreError):
    """The disk (or the configured page limit) is full; the write was rolled back."""


class StoreDamaged(StoreError):
    """The file is not a database any more, or its pages are corrupt."""


class StoreClosed(StoreError):
    """The store was closed (Parley is stopping) while work still used it."""


class StoreReadOnly(StoreError):
    """The database file (or its folder) cannot be written: permissions or a read-only disk."""


class Row(Protocol):
    """A result row: by column name (or position). ``sqlite3.Row`` and ``asyncpg.Record``."""

    def __getitem__(self, key: str | int, /) -> Any: ...


class Connection(Protocol):
    """What a transaction hands its body: statements that all commit or all roll back."""

    async def execute(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run one statement; how many rows it changed."""
        ...

    async def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None: ...

    async def fetchone(self, sql: str, params: Sequence[Any] = ()) -> Row | None: ...

    async def fetchall(self, sql: str, params: Sequence[Any] = ()) -> list[Row]: ...


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def bundled_migrations(dialect: Dialect = "sqlite") -> list[Migration]:
    """The numbered SQL files shipped for a backend, in order.

    SQLite's are ``parley/store/migrations/NNNN_name.sql``; each has a PostgreSQL twin of the
    same name in ``parley/store/migrations/postgresql/`` (a test checks the pairs).
    """
    folder = resources.files("parley.store.migrations")
    if dialect == "postgresql":
        folder = folder / "postgresql"
    found = []
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise StoreError("migrations are not numbered 0001, 0002, … without gaps")
    return found


class Database:
    """One store, whichever backend: reads, single writes and serialisable-enough transactions.

    ``Database.open`` picks the backend: a ``postgresql://`` address opens PostgreSQL
    (asyncpg), anything else is a SQLite file (aiosqlite).
    """

    dialect: Dialect
    label: str  # the path, or the address without its password
    target: str  # what Database.open takes to open this store again (the path, the address)
    path: Path | None = None  # the SQLite file; None on PostgreSQL

    def __init__(self) -> None:
        # what the core derives per article (search indexes, …), cleared where the store writes
        self.memos = ArticleMemos()
        # hot reads remembered while the fact checks stay the same (parley/store/fresh.py)
        self.fresh = Fresh()

    @classmethod
    async def open(cls, target: Path | str, migrations: Iterable[Migration] | None = None,
                   busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> Database:
        """Open (creating if needed) and migrate the store at ``target``."""
        if is_database_url(target):
            from parley.store.postgres import PostgresDatabase

            return await PostgresDatabase.connect(str(target), migrations, busy_timeout_ms)
        from parley.store.sqlite import SqliteDatabase

        return await SqliteDatabase.connect(Path(target), migrations, busy_timeout_ms)

    async def close(self) -> None:
        raise NotImplementedError

    async def schema_version(self) -> int:
        raise NotImplementedError

    async def migrate(self, migrations: list[Migration]) -> int:
        """Apply the migrations newer than the database, each in its own transaction."""
        raise NotImplementedError

    def transaction(self) -> AbstractAsyncContextManager[Connection]:
        """A write transaction, rolled back on any error."""
        raise NotImplementedError

    async def fetchone(self, sql: str, params: Iterable[Any] = ()) -> Row | None:
        rows = await self.fetchall(sql, params)
        return rows[0] if rows else None

    async def fetchall(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        raise NotImplementedError

    async def write(self, sql: str, params: Iterable[Any] = ()) -> int:
        """One write statement, atomic on its own; returns how many rows it changed."""
        raise NotImplementedError

    async def execute(self, sql: str, params: Iterable[Any] = ()) -> None:
        """A single write statement in its own transaction."""
        async with self.transaction() as conn:
            await conn.execute(sql, tuple(params))

    def json_text(self, expr: str) -> str:
        """SQL for the text of a JSON string value stored in ``expr``."""
        raise NotImplementedError

    async def read(self, sql: str, params: Iterable[Any] = ()) -> list[Row]:
        """An index probe on a hot path (the channel's article, check statuses). SQLite runs
        it at once on a read-only connection; elsewhere it is an ordinary read."""
        return await self.fetchall(sql, params)

    def change_token(self) -> Hashable | None:
        """A cheap value that moves whenever the store may have been written, here or by
        another process (None: unknown, so remembered reads look at the counter every time)."""
        return None

    def skip_locked(self) -> str:
        """``FOR UPDATE SKIP LOCKED`` where rows can be locked (SQLite has one writer)."""
        return ""
