"""``parley discord-sync``: upload the Discord command definitions now, over REST."""

from __future__ import annotations

import argparse

from parley.cli.common import EXIT_OK, EXIT_USAGE, fail
from parley.core.services import Services


async def discord_sync(services: Services, args: argparse.Namespace) -> int:
    if not services.settings.discord_token:
        return fail("set DISCORD_TOKEN to sync Discord commands", EXIT_USAGE)
    from parley.adapters.discord.client import sync_now

    count = await sync_now(services)
    print(f"synced {count} Discord commands")
    return EXIT_OK
