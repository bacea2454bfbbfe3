"""Fetching an article from a web address with aiohttp: bounded size, time and redirects."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

import aiohttp

from parley import __version__
from parley.core.ingest.errors import IngestError

USER_AGENT = f"Parley/{__version__} (+article discussion bot)"
FETCH_TIMEOUT_S = 15.0
MAX_REDIRECTS = 5


@dataclass(frozen=True)
class Fetched:
    """The body of a page and what the server said it is."""

    url: str
    content_type: str
    body: bytes
    status: int = 200
    etag: str = ""
    last_modified: str = ""

    @property
    def not_modified(self) -> bool:
        """The server said the resource has not changed since the conditional request's copy."""
        return self.status == 304


def check_url(url: str) -> str:
    """An http(s) address with a host, or IngestError."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise IngestError("That isn't a web address I can fetch (it must start with http:// "
                          "or https://).")
    return url.strip()


async def fetch_url(url: str, max_bytes: int, timeout_s: float = FETCH_TIMEOUT_S,
                    headers: Mapping[str, str] | None = None) -> Fetched:
    """GET the page, refusing anything larger than ``max_bytes``; ``headers`` may make the
    request conditional (``If-None-Match``, ``If-Modified-Since``), answered by a 304."""
    url = check_url(url)
    host = urlsplit(url).hostname
    timeout = aiohttp.ClientTimeout(total=timeout_s)
    try:
        async with aiohttp.ClientSession(
            timeout=timeout, headers={"User-Agent": USER_AGENT}
        ) as session, session.get(url, max_redirects=MAX_REDIRECTS,
                                  headers=dict(headers or {})) as resp:
            if resp.status >= 400:
                raise IngestError(f"{host} answered HTTP {resp.status}; nothing was added.")
            declared = resp.content_length
            if declared is not None and declared > max_bytes:
                raise IngestError(_too_big(max_bytes))
            body = bytearray()
            async for chunk in resp.content.iter_chunked(65536):
                body.extend(chunk)
                if len(body) > max_bytes:
                    raise IngestError(_too_big(max_bytes))
            return Fetched(str(resp.url), resp.headers.get("Content-Type", ""), bytes(body),
                           resp.status, resp.headers.get("ETag", ""),
                           resp.headers.get("Last-Modified", ""))
    except IngestError:
        raise
    except aiohttp.TooManyRedirects:
        raise IngestError(f"{host} redirected too many times; nothing was added.") from None
    except (TimeoutError, aiohttp.ClientError, OSError) as exc:
        reason = "it took too long" if isinstance(exc, asyncio.TimeoutError) else \
            type(exc).__name__
        raise IngestError(f"I couldn't fetch {host} ({reason}); nothing was added.") from None


def _too_big(limit: int) -> str:
    return f"That page is larger than {limit // 1_000_000} MB; nothing was added."
