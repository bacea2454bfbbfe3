"""Structured logging: one line per event, ``event key=value`` or JSON, with secrets redacted."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

_RESERVED = set(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime"}


# Credentials that come with each request rather than from the settings: a Discord interaction's
# token (in its callback and webhook paths, or as a "token" field), and a Slack response URL
# (anyone holding it can post as the app for 30 minutes).
_CREDENTIALS = re.compile(
    r"(/interactions/\d+/|/webhooks/\d+/|[\"']token[\"']\s*:\s*[\"']"
    r"|hooks\.slack\.com/(?:commands|actions|services)/|response_url[\"']?\s*[:=]\s*[\"']?"
    r"https?://[^\s\"']*?/(?:commands|actions)/)[A-Za-z0-9_.%/-]{8,}")


class Redactor(logging.Filter):
    """Replaces every known secret value in a record with ``***``."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = [s for s in secrets if len(s) >= 4]

    def scrub(self, text: str) -> str:
        """Return the text with every secret, and every per-interaction credential, masked."""
        for secret in self.secrets:
            text = text.replace(secret, "***")
        return _CREDENTIALS.sub(r"\1***", text)

    def filter(self, record: logging.LogRecord) -> bool:
        # per-interaction credentials are masked even when no secret is configured
        record.msg = self.scrub(record.getMessage())
        record.args = None
        for key, value in list(vars(record).items()):
            if key not in _RESERVED and isinstance(value, str):
                setattr(record, key, self.scrub(value))
        if record.exc_info and record.exc_info[1] is not None:
            record.exc_text = self.scrub(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


def _fields(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in vars(record).items() if k not in _RESERVED}


class TextFormatter(logging.Formatter):
    """``2025-04-08T10:00:00Z INFO parley.store migrated version=1`` on a single line."""

    def format(self, record: logging.LogRecord) -> str:
        ts = datetime.fromtimestamp(record.created, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        parts = [ts, record.levelname, record.name, record.getMessage()]
        parts += [f"{k}={_quote(v)}" for k, v in _fields(record).items()]
        line = " ".join(parts)
        exc = record.exc_text or (self.formatException(record.exc_info) if record.exc_info else "")
        if exc:
            line += " exc=" + _quote(exc.strip().splitlines()[-1])
        return line.replace("\n", "\\n")


class JsonFormatter(logging.Formatter):
    """One JSON object per line, for log shippers."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "event": record.getMessage(),
            **_fields(record),
        }
        exc = record.exc_text or (self.formatException(record.exc_info) if record.exc_info else "")
        if exc:
            payload["exc"] = exc
        return json.dumps(payload, default=str, ensure_ascii=False)


def _quote(value: object) -> str:
    text = str(value)
    return json.dumps(text, ensure_ascii=False) if (" " in text or not text) else text


def configure_logging(level: str, fmt: str = "text", secrets: Iterable[str] = ()) -> None:
    """Send Parley's logs to standard error, one line per event, secrets masked."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(Redactor(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("trafilatura", "htmldate", "courlan", "charset_normalizer", "aiosqlite"):
        logging.getLogger(noisy).setLevel(max(logging.WARNING, logging.getLevelName(level)))
