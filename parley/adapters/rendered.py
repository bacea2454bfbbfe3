"""What an adapter rendered for a reply, kept while the same reply object comes back (a
command's remembered answer, ``/fact`` asked again), so it is not rendered again."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

from parley.core.lru import LRU
from parley.core.models import Reply

T = TypeVar("T")
SIZE = 256


class Rendered(Generic[T]):
    """Renderings by reply identity, least recently used first out (each entry holds its
    reply, so an id is never reused while it is kept). Replies are never changed once made;
    the renderings are only read by the caller."""

    def __init__(self, size: int = SIZE) -> None:
        self._items: LRU[int, tuple[Reply, T]] = LRU(size)

    def of(self, reply: Reply, render: Callable[[Reply], T]) -> T:
        found = self._items.get(id(reply))
        if found is not None and found[0] is reply:
            return found[1]
        made = render(reply)
        self._items.put(id(reply), (reply, made))
        return made
