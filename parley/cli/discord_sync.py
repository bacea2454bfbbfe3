"""``parley discord-sync``: upload the Discord command definitions now, over REST."""

from __future__ import annotations

import argparse

from parley.cli.common import EXIT_OK
from parley.core.services import Services
from parley.core.settings import Settings


def refuse(args: argparse.Namespace, settings: Settings) -> str | None:
    """Without a token there is nothing to sync: say so before opening any database."""
    if not settings.discord_token:
        return "set DISCORD_TOKEN to sync Discord commands; nothing was done"
    return None


async def discord_sync(services: Services, args: argparse.Namespace) -> int:
    from parley.adapters.discord.client import sync_now

    count = await sync_now(services)
    print(f"synced {count} Discord commands")
    return EXIT_OK
