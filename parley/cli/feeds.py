"""``parley feeds list|add|remove|poll``: the feeds as ``/feed`` shows them, and one poll."""

from __future__ import annotations

import argparse
import sys

from parley.cli.common import EXIT_OK, EXIT_USAGE, EXIT_USER_ERROR, exit_code, fail
from parley.cli.digest import instant
from parley.core.feeds.poller import limits_from, tick
from parley.core.models import Request, Role
from parley.core.registry import run_line
from parley.core.services import Services


async def feeds(services: Services, args: argparse.Namespace) -> int:
    """list, add and remove run the ``/feed`` commands as an admin at the console."""
    line = {"list": "/feed list", "add": f"/feed add {getattr(args, 'url', '')}",
            "remove": f"/feed remove {getattr(args, 'id', '')}"}[args.action]
    base = Request(platform="cli", channel="console", user="cli-user", role=Role.ADMIN,
                   command="help")
    reply = await run_line(services.registry, line, base, services)
    print(reply.title + ("\n" if reply.title else "") + reply.text)
    return exit_code(reply)


async def poll(services: Services, args: argparse.Namespace) -> int:
    """Read every feed due now (or at ``--at``) once, ingest what is new, and exit."""
    when = instant(args.at, services)
    if when is None:
        return fail(f"--at must be an ISO-8601 time such as 2025-04-09T09:30:00+00:00, "
                    f"not {args.at!r}", EXIT_USAGE)
    report = await tick(services.db, services.workers, when, limits_from(services.settings),
                        lexicon=services.lexicon)
    for article_id in report.ingested:
        print(f"{article_id}: added")
    for feed_id, reason in report.failed.items():
        print(f"feed-{feed_id}: failed — {reason}", file=sys.stderr)
    for feed_id in report.disabled:
        print(f"feed-{feed_id}: disabled after repeated failures", file=sys.stderr)
    print(f"feeds: {len(report.polled)} read, {len(report.not_modified)} unchanged, "
          f"{len(report.ingested)} article(s) added, {report.duplicates} already stored, "
          f"{len(report.failed)} failed, {len(report.disabled)} disabled", file=sys.stderr)
    return EXIT_USER_ERROR if report.failed else EXIT_OK
