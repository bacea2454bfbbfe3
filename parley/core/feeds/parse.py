"""Reading an RSS or Atom document (feedparser): its title and its items' keys and addresses."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import feedparser

from parley.core.ingest.pipeline import is_url


class FeedError(Exception):
    """The document is not a feed Parley can read; the message says why in one line."""


@dataclass(frozen=True)
class Item:
    key: str  # the entry's id, else its address
    url: str
    title: str


@dataclass(frozen=True)
class FeedContent:
    title: str
    items: tuple[Item, ...]


def read_feed(body: bytes) -> FeedContent:
    """The feed's items with a web address, in the feed's order; FeedError when it is not a feed.

    feedparser fetches nothing when handed bytes; it reads what the poller fetched."""
    parsed: Any = feedparser.parse(body)
    if not parsed.get("version"):
        raise FeedError("that is not an RSS or Atom feed")
    items = []
    for entry in parsed.entries:
        url = str(entry.get("link") or "").strip()
        if not is_url(url):
            continue
        key = str(entry.get("id") or url).strip()[:500]
        items.append(Item(key=key, url=url[:2000], title=str(entry.get("title") or "")[:300]))
    return FeedContent(title=str(parsed.feed.get("title") or "")[:200], items=tuple(items))
