"""``parley console`` (the prompt) and ``parley ask`` (one command, its reply printed)."""

from __future__ import annotations

import argparse
import json

from parley.cli.common import exit_code
from parley.core.models import Request, Role
from parley.core.registry import run_line
from parley.core.services import Services
from parley.core.text import render_member_text


async def console(services: Services, args: argparse.Namespace) -> int:
    from parley.adapters.console import Console

    return await Console(services, role=Role.parse(args.role), channel=args.channel).run()


async def ask(services: Services, args: argparse.Namespace) -> int:
    import sys

    from parley.adapters.console import attachments, picture_folder, render_terminal, save_pictures

    base = Request(platform="console", channel=args.channel, user="cli-user",
                   role=Role.parse(args.role), command="help")
    reply = await run_line(services.registry, args.line, base, services)
    saved = save_pictures(reply.pictures, picture_folder(services.settings))
    if args.json:
        dumped = reply.model_dump(mode="json")
        if saved:
            dumped["attachments"] = attachments(reply, saved)
        print(render_member_text(json.dumps(dumped, ensure_ascii=False), lambda t: t))
    else:
        print(render_terminal(reply, color=sys.stdout.isatty(), saved=saved))
    return exit_code(reply)
