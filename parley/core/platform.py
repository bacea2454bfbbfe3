"""The adapter contract: what every chat platform implements, by composition, for the CLI."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from parley.core.models import Reply

if TYPE_CHECKING:
    from parley.core.services import Services
    from parley.core.settings import Settings


class PermanentPostError(Exception):
    """The channel is gone or the bot was removed: retrying will not help."""


@dataclass(frozen=True)
class PostKey:
    """What makes a post idempotent across retries and restarts.

    ``id`` names the post for good (a digest slot: the same id on every attempt), ``since`` is
    the earliest moment any attempt at it can have been made, and ``retry`` says an earlier
    attempt may already have been accepted by the platform (so a poster that can look should
    check the channel before posting again).
    """

    id: str
    since: datetime
    retry: bool = False


class Poster(Protocol):
    """Posts a reply into one of the platform's channels; returns the posted message's id.

    With a ``key``, posting the same key again posts nothing new where the platform allows it
    (Discord: a nonce; Slack: message metadata looked up in the channel's recent history) and
    returns the message already posted.
    """

    async def post(self, channel: str, reply: Reply, key: PostKey | None = None) -> str: ...


@runtime_checkable
class Platform(Protocol):
    """One chat platform: served until ``stop`` is set, and a poster for scheduled digests.

    ``name`` is the ``Request.platform`` its members' requests and subscriptions carry. A
    ``fallback`` platform (the console) is served only when no other one is configured.
    """

    name: str
    fallback: bool

    def configured(self, settings: Settings) -> bool:
        """Whether the settings ask for this platform (its token is set)."""
        ...

    def problem(self, settings: Settings) -> str | None:
        """Why the platform cannot start with these settings, in one line, or None."""
        ...

    def poster(self, services: Services) -> Poster | None:
        """The digest poster, or None while this platform cannot post (not connected)."""
        ...

    async def serve(self, services: Services, stop: asyncio.Event) -> None:
        """Answer members until ``stop`` is set (or the platform ends, as the console does at
        the end of its input), then let the answers in flight finish."""
        ...


def posters(platforms: Iterable[Platform], services: Services) -> dict[str, Poster]:
    """The digest posters the platforms can offer now, by platform name."""
    found: dict[str, Poster] = {}
    for platform in platforms:
        poster = platform.poster(services)
        if poster is not None:
            found[platform.name] = poster
    return found
