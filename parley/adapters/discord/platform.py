"""Discord as a Parley platform: the adapter contract (``parley.core.platform.Platform``)."""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING

from parley.core.platform import Poster
from parley.core.services import Services
from parley.core.settings import Settings

if TYPE_CHECKING:  # discord.py is imported only when Discord is served
    from parley.adapters.discord.client import ParleyDiscord


class DiscordPlatform:
    """Application commands over the gateway; digests through the REST API once logged in."""

    name = "discord"
    fallback = False

    def __init__(self) -> None:
        self._client: ParleyDiscord | None = None

    def configured(self, settings: Settings) -> bool:
        return bool(settings.discord_token)

    def problem(self, settings: Settings) -> str | None:
        return None

    def poster(self, services: Services) -> Poster | None:
        """Posting needs the logged-in client, so only while this platform is being served."""
        if self._client is None or not self._client.can_post():
            return None
        from parley.adapters.discord.client import DiscordPoster

        return DiscordPoster(self._client, self._client.mentions)

    async def serve(self, services: Services, stop: asyncio.Event) -> None:
        from parley.adapters.discord.client import new_client, run_client

        self._client = new_client(services)
        try:
            await run_client(self._client, stop)
        finally:
            self._client = None
