"""The one error ingestion raises: a clear, user-facing reason nothing was written."""

from __future__ import annotations

from parley.core.errors import UserError


class IngestError(UserError):
    """The input cannot become an article; nothing was stored."""
