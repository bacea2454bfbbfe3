"""What every sub-command shares: exit codes, the handler types and one-line error output."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Coroutine
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the parser and ``--help`` must not load the core to name these
    from parley.core.models import Reply
    from parley.core.services import Services
    from parley.core.settings import Settings

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2

# A sub-command runs with the opened services, with the settings alone (before the database
# is opened: restore), or with neither (bench).
WithServices = Callable[["Services", argparse.Namespace], Coroutine[Any, Any, int]]
WithSettings = Callable[["Settings", argparse.Namespace], Coroutine[Any, Any, int]]
Alone = Callable[[argparse.Namespace], int]
# Why a sub-command must stop before the database is opened (a missing token, a bad address).
Refusal = Callable[[argparse.Namespace, "Settings"], str | None]


def exit_code(reply: Reply) -> int:
    """2 for a usage mistake, 1 for any other error reply, 0 otherwise."""
    if reply.kind == "usage":
        return EXIT_USAGE
    return EXIT_USER_ERROR if reply.is_error else EXIT_OK


def fail(message: str, code: int = EXIT_USER_ERROR) -> int:
    """Print ``parley: message`` on standard error and return ``code``."""
    print(f"parley: {message}", file=sys.stderr)
    return code
