"""Hot reads remembered while the fact checks stay the same: a generation counter (migration
0016, bumped by triggers in every transaction that changes ``fact_checks``, in any process),
read only when the backend's cheap change signal says something may have been written.

How stale a remembered answer can be: on SQLite never (the read connection's ``PRAGMA
data_version`` moves with every commit by any connection, this process's or another's, and
the counter is read again whenever it has); on PostgreSQL at most
:data:`parley.store.postgres.FRESH_INTERVAL_S` for another process's write (the counter is
read again at most that often), and never for this process's own (every write it commits
makes the next read look again).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import TYPE_CHECKING, Any, TypeVar

from parley.store.memo import Memo

if TYPE_CHECKING:
    from parley.store.db import Database

V = TypeVar("V")
SIZE = 2048  # remembered results (a few KB each at most: a few MB in all; never None)
_MARKER = "SELECT generation FROM change_markers WHERE name = 'fact_checks'"


class Fresh:
    """One database's remembered reads, and the generation they were read at."""

    def __init__(self, size: int = SIZE) -> None:
        self.own_writes = 0  # this process's committed writes, bumped after each commit
        self._token: Hashable | None = None
        self._generation: int | None = None
        self._values: Memo[Any] = Memo(size)

    def wrote(self) -> None:
        """This process committed a write: the next read looks at the counter again."""
        self.own_writes += 1

    def __len__(self) -> int:
        return len(self._values)

    async def generation(self, db: Database) -> int:
        """The fact checks' generation, read from the store only when the backend's change
        token moved (the token is taken before the read, so a commit in between shows next
        time)."""
        token = db.change_token()
        if token is not None and token == self._token and self._generation is not None:
            return self._generation
        rows = await db.read(_MARKER)
        found = int(rows[0]["generation"]) if rows else -1
        if found != self._generation:
            self._values.clear()
            self._generation = found
        self._token = token
        return found

    async def remembered(self, db: Database, key: Hashable,
                         read: Callable[[], Awaitable[V]]) -> V:
        """``read()``'s result for ``key``, read again only once the fact checks have changed.
        Callers treat what comes back as read-only: it is shared with the next caller."""
        current = await self.generation(db)
        found: V | None = self._values.get(key)
        if found is not None:
            return found
        value = await read()
        # A change committed while reading moves the token, so the next call reads the
        # counter again and drops this; one seen already (the generation moved meanwhile)
        # keeps it out.
        if self._generation == current:
            self._values.put(key, value)
        return value


async def generation(db: Database) -> int:
    """``db``'s fact-check generation (:meth:`Fresh.generation`)."""
    return await db.fresh.generation(db)


async def remembered(db: Database, key: Hashable, read: Callable[[], Awaitable[V]]) -> V:
    """``read()``'s result for ``key`` on ``db`` (:meth:`Fresh.remembered`)."""
    return await db.fresh.remembered(db, key, read)
