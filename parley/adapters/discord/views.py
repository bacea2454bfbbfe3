"""A reply's row of buttons as a discord.py view, made once per distinct row and sent again."""

from __future__ import annotations

from typing import Any

import discord

from parley.core.lru import LRU

SIZE = 256
Key = tuple[tuple[int, str, str], ...]


def _made(key: Key) -> discord.ui.View:
    """A stopped view of the row's buttons. Parley answers a button press itself
    (``on_interaction`` reads its custom id), so the view is stopped before it is sent:
    discord.py would otherwise keep every answer's view in its store for good (a timeout-less
    view is persistent) and dispatch each press to it as well. A stopped view is only read when
    sent (its components), so one serves every message with the same buttons."""
    view = discord.ui.View(timeout=None)
    for style, label, custom_id in key:
        view.add_item(discord.ui.Button(style=discord.ButtonStyle(style), label=label,
                                        custom_id=custom_id))
    view.stop()
    return view


class Views:
    """Stopped views by their buttons (style, label, custom id), least recently used first
    out: a new question's answer often carries the same buttons as another's (the claim it
    names), and making a view and its buttons costs more than rendering the embed."""

    def __init__(self, size: int = SIZE) -> None:
        self._items: LRU[Key, discord.ui.View] = LRU(size)

    def of(self, rows: list[dict[str, Any]]) -> discord.ui.View | None:
        """The view of ``rows``' first row (None without buttons)."""
        if not rows:
            return None
        key = tuple((int(c["style"]), str(c["label"]), str(c["custom_id"]))
                    for c in rows[0]["components"])
        return self._items.made(key, lambda: _made(key))
