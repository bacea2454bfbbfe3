"""A Parley process that writes through the real commands until killed (for the crash tests).

``python -m tests.e2e.writer ingest|factcheck|rate`` runs one kind of write in a loop and prints
``ack <key>`` after each reply has come back: from then on the write was acknowledged, and the
crash tests check it survived a SIGKILL.
"""

from __future__ import annotations

import asyncio
import itertools
import sys

from parley.cli.app import open_services
from parley.core.models import Request, Role
from parley.core.registry import run_line
from parley.core.settings import load_settings
from tests.conftest import ARTICLES

VERDICTS = ("supported", "misleading", "false", "unsupported", "partly-supported")


def _line(kind: str, n: int, claims: list[str]) -> tuple[str, Role, str]:
    """The n-th command of a kind, who sends it, and the key it is acknowledged under."""
    if kind == "ingest":
        text = (ARTICLES / "minimum-wage-opinion.txt").read_text(encoding="utf-8")
        return (f"/article add {text}\n\nThis is copy number {n} of the article.\n",
                Role.MODERATOR, "id")
    if kind == "factcheck":
        claim = claims[n % len(claims)].split("#", 1)[1]
        verdict = VERDICTS[n % len(VERDICTS)]
        return (f"/factcheck {claim} {verdict} Check number {n} against the source. "
                f"https://example.org/check/{n}", Role.MODERATOR, f"check/{n}")
    return f"/rate cp{1 + n % 6} helpful", Role.MEMBER, f"rater-{n}"


async def main(kind: str) -> int:
    async with open_services(load_settings()) as services:
        listed = await run_line(services.registry, "/claims",
                                Request(command="help", role=Role.MODERATOR), services)
        claims = [c["id"] for c in listed.data["claims"]]
        for n in itertools.count():
            line, role, key = _line(kind, n, claims)
            user = key if kind == "rate" else "writer"
            base = Request(workspace="w", channel="c", user=user, role=role, command="help")
            reply = await run_line(services.registry, line, base, services)
            if reply.is_error:
                print(f"error {key}: {reply.text}", flush=True)
                return 1
            print(f"ack {reply.data['id'] if key == 'id' else key}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1])))
