"""Slack as a Parley platform: the adapter contract (``parley.core.platform.Platform``)."""

from __future__ import annotations

import asyncio

from parley.core.platform import Poster
from parley.core.services import Services
from parley.core.settings import Settings


class SlackPlatform:
    """Slash commands over HTTP or Socket Mode; digests through chat.postMessage."""

    name = "slack"
    fallback = False

    def configured(self, settings: Settings) -> bool:
        return bool(settings.slack_bot_token)

    def problem(self, settings: Settings) -> str | None:
        if settings.slack_app_token or settings.slack_signing_secret:
            return None
        return ("SLACK_SIGNING_SECRET is required to receive Slack's HTTP requests "
                "(or set SLACK_APP_TOKEN for Socket Mode)")

    def poster(self, services: Services) -> Poster | None:
        """Posting needs only the bot token, so digests go out even when not serving."""
        if not self.configured(services.settings):
            return None
        # slack-bolt and slack_sdk are imported only when Slack is configured
        from parley.adapters.slack.app import make_client
        from parley.adapters.slack.poster import SlackPoster

        return SlackPoster(make_client(services))

    async def serve(self, services: Services, stop: asyncio.Event) -> None:
        from parley.adapters.slack.server import serve

        await serve(services, stop)

