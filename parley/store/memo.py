"""Per-article memos a Database keeps for the core: what it derives from an article's stored
text and analysis, dropped by the store itself whenever it writes that article."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Hashable
from typing import Any, Generic, TypeVar

V = TypeVar("V")
DEFAULT_SIZE = 256


class Memo(Generic[V]):
    """Values by key (an article id, in a database's memos), least recently used first out
    beyond ``size``; a value is never None."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[Hashable, V] = OrderedDict()

    def get(self, key: Hashable) -> V | None:
        found = self._items.get(key)
        if found is not None:
            self._items.move_to_end(key)
        return found

    def put(self, key: Hashable, value: V) -> None:
        self._items[key] = value
        self._items.move_to_end(key)
        if len(self._items) > self.size:
            self._items.popitem(last=False)

    def discard(self, key: Hashable) -> None:
        self._items.pop(key, None)

    def clear(self) -> None:
        self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


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
