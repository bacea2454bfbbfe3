"""Per-article memos a Database keeps for the core: what it derives from an article's stored
text and analysis, dropped by the store itself whenever it writes that article."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any, TypeVar

from parley.core.lru import LRU

V = TypeVar("V")
DEFAULT_SIZE = 256


class Memo(LRU[Hashable, V]):
    """Values by key (an article id, in a database's memos), least recently used first out
    beyond ``size``; a value is never None."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        super().__init__(size)


class ArticleMemos:
    """Every memo of one database, by name; :meth:`changed` empties an article's entries."""

    def __init__(self) -> None:
        self._memos: dict[str, Memo[Any]] = {}

    def memo(self, name: str, size: int = DEFAULT_SIZE) -> Memo[Any]:
        """The memo called ``name``, made on first use with room for ``size`` articles."""
        if name not in self._memos:
            self._memos[name] = Memo(size)
        return self._memos[name]

    def changed(self, article_id: str) -> None:
        """The article's text or analysis was written (or it was deleted): forget it."""
        for memo in self._memos.values():
            memo.discard(article_id)
