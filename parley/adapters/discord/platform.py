"""Discord as a Parley platform: the adapter contract (``parley.core.platform.Platform``)."""

from __future__ import annotations

import asyncio

from parley.adapters.discord.client import DiscordPoster, ParleyDiscord, new_client, run_client
from parley.core.platform import Poster
from parley.core.services import Services
from parley.core.settings import Settings


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
        return DiscordPoster(self._client)

    async def serve(self, services: Services, stop: asyncio.Event) -> None:
        self._client = new_client(services)
        try:
            await run_client(self._client, stop)
        finally:
            self._client = None
