"""Exceptions the core turns into replies: the user's mistake, not a crash."""

from __future__ import annotations

from typing import Literal

ErrorKind = Literal["error", "not_found", "usage"]


class UserError(Exception):
    """The request cannot be served as asked; the message is shown to the user."""

    kind: ErrorKind = "error"


class NotFound(UserError):
    """The thing the user named does not exist."""

    kind: ErrorKind = "not_found"


class UsageError(UserError):
    """The command line itself is malformed; the message includes the usage."""

    kind: ErrorKind = "usage"
