"""The adapter contract: what every chat platform implements, by composition, for the CLI."""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from parley.core.models import Reply

if TYPE_CHECKING:
    from parley.core.services import Services
    from parley.core.settings import Settings


class PermanentPostError(Exception):
    """The channel is gone or the bot was removed: retrying will not help."""


class Poster(Protocol):
    """Posts a reply into one of the platform's channels; returns the posted message's id."""

    async def post(self, channel: str, reply: Reply) -> str: ...


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
