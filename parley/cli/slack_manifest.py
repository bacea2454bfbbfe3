"""``parley slack-manifest``: the Slack app manifest (JSON) generated from the registry."""

from __future__ import annotations

import argparse
import json

from parley.cli.common import EXIT_OK
from parley.core.services import Services


async def slack_manifest(services: Services, args: argparse.Namespace) -> int:
    from parley.adapters.slack.manifest import manifest

    print(json.dumps(manifest(services.registry, args.url, args.socket_mode), indent=2))
    return EXIT_OK
