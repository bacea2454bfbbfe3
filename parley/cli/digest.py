"""``parley digest tick``: post every digest due now (or at ``--at``) once, then exit."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from parley.cli.common import EXIT_OK, EXIT_USAGE, EXIT_USER_ERROR, fail
from parley.cli.platforms import every_platform
from parley.core.digest.scheduler import grace_period, tick
from parley.core.platform import posters
from parley.core.services import Services


def instant(at: str | None, services: Services) -> datetime | None:
    """``--at`` as an aware UTC time (naive means UTC), now without it, None if unreadable."""
    if not at:
        return services.now().astimezone(UTC)
    try:
        when = datetime.fromisoformat(at)
    except ValueError:
        return None
    return (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)


async def digest_tick(services: Services, args: argparse.Namespace) -> int:
    when = instant(args.at, services)
    if when is None:
        return fail(f"--at must be an ISO-8601 time such as 2025-04-09T09:30:00+00:00, "
                    f"not {args.at!r}", EXIT_USAGE)
    report = await tick(services.db, posters(every_platform(), services), when,
                        grace_period(services.settings),
                        pictures=services.settings.parley_pictures)
    print(f"digests: {len(report.posted)} posted, {len(report.skipped)} skipped, "
          f"{len(report.failed)} failed, {len(report.disabled)} disabled", file=sys.stderr)
    return EXIT_USER_ERROR if report.failed else EXIT_OK
