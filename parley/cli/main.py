"""The ``parley`` command: parse, load the settings, configure logs, run the sub-command."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
from typing import TYPE_CHECKING

from parley.cli.common import EXIT_OK, EXIT_USAGE, EXIT_USER_ERROR, exit_code, fail
from parley.cli.parser import build_parser

if TYPE_CHECKING:
    from parley.cli.common import Refusal, WithServices, WithSettings
    from parley.core.settings import Settings

__all__ = ["exit_code", "main"]
log = logging.getLogger("parley.cli")


def main(argv: list[str] | None = None) -> int:
    """Run one sub-command; a reader that closes the pipe early (``| head``) ends it quietly."""
    try:
        code = _main(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at nothing so the interpreter's final flush cannot raise again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    return code


def _main(argv: list[str] | None) -> int:
    args = build_parser().parse_args(argv)
    alone = getattr(args, "alone", None)
    if alone is not None:
        return int(alone(args))
    # Imported once a sub-command is known to need them: ``--help`` and usage mistakes stay
    # cheap.
    from parley.core.analysis.lexicon import LexiconError
    from parley.core.settings import SettingsError, load_settings, unknown_variables
    from parley.core.workers import one_blas_thread
    from parley.store.db import StoreError

    one_blas_thread()

    try:
        settings = load_settings()
    except SettingsError as exc:
        return fail(str(exc), EXIT_USAGE)
    _configure_logs(settings, args)
    for line in unknown_variables(os.environ):
        log.warning(line)
    refuse: Refusal | None = getattr(args, "refuse", None)
    reason = refuse(args, settings) if refuse is not None else None
    if reason:  # before any database is created or migrated
        return fail(reason, EXIT_USAGE)
    try:
        if args.with_services is None:  # restore: before opening the database it replaces
            restore: WithSettings = args.with_settings
            return asyncio.run(restore(settings, args))
        return asyncio.run(_with_services(settings, args.with_services, args))
    except (StoreError, LexiconError) as exc:
        return fail(str(exc), EXIT_USER_ERROR)
    except KeyboardInterrupt:
        return EXIT_OK


def _configure_logs(settings: Settings, args: argparse.Namespace) -> None:
    """Quiet (warnings only) for the interactive commands, and for ``run`` with only the
    console, unless PARLEY_LOG_LEVEL is set."""
    from parley.cli.platforms import every_platform, to_serve
    from parley.core.log import configure_logging

    interactive = bool(args.interactive) or (
        args.cmd in (None, "run") and getattr(args, "role", "all") == "all"
        and all(p.fallback for p in to_serve(every_platform(), settings)))
    quiet = interactive and "parley_log_level" not in settings.model_fields_set
    configure_logging("WARNING" if quiet else settings.parley_log_level,
                      settings.parley_log_format, settings.secrets())


async def _with_services(settings: Settings, command: WithServices,
                         args: argparse.Namespace) -> int:
    from parley.cli.app import open_services

    async with open_services(settings) as services:
        return await command(services, args)
