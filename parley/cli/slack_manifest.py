"""``parley slack-manifest``: the Slack app manifest (JSON) generated from the registry."""

from __future__ import annotations

import argparse
import json
from urllib.parse import urlsplit

from parley.cli.common import EXIT_OK
from parley.core.services import Services
from parley.core.settings import Settings


def refuse(args: argparse.Namespace, settings: Settings) -> str | None:
    """Slack accepts only an https request URL: refuse anything else in one line."""
    url: str | None = args.url
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in url):
        shown = url if len(url) <= 60 else url[:59] + "…"
        return f"--url must be the https:// address of /slack/events (Slack requires https), " \
               f"not {shown!r}"
    return None


async def slack_manifest(services: Services, args: argparse.Namespace) -> int:
    from parley.adapters.slack.manifest import manifest

    print(json.dumps(manifest(services.registry, args.url, args.socket_mode,
                              only_umbrella=args.only_umbrella, settings=services.settings),
                     indent=2))
    return EXIT_OK
