"""What stands in front of bolt on the HTTP endpoint: connection limits and deadlines, the
signature checked before anything is parsed, well-formed payloads, and each signed request run
once (a replay inside Slack's five-minute window is acknowledged and dropped).

Refusals get a short 400/401 and at most a few bounded log lines a minute, never the body.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import time
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from parley.core.services import Services

log = logging.getLogger("parley.slack")
REPLAY_WINDOW_S = 5 * 60
LOG_LINES_PER_MINUTE = 5


class LogBudget:
    """At most ``per_minute`` lines a minute for one kind of event; the rest are counted and
    reported with the next line allowed."""

    def __init__(self, per_minute: int = LOG_LINES_PER_MINUTE) -> None:
        self.per_minute = per_minute
        self.window = 0.0
        self.used = 0
        self.suppressed = 0

    def warn(self, message: str, **fields: Any) -> None:
        now = time.monotonic()
        if now - self.window >= 60:
            self.window, self.used = now, 0
        if self.used >= self.per_minute:
            self.suppressed += 1
            return
        self.used += 1
        if self.suppressed:
            fields["suppressed"], self.suppressed = self.suppressed, 0
        log.warning(message, extra=fields)


class Refused(Exception):
    """A request refused before bolt sees it: the status and a one-word reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


class RequestGuard:
    """Checks one request's bytes: signed, fresh, UTF-8, a JSON object where JSON is expected,
    and not seen before."""

    def __init__(self, secret: str | None, services: Services, body_timeout_s: float) -> None:
        self.secret = secret.encode() if secret else None
        self.verifier = self.secret is not None
        self.services = services
        self.body_timeout_s = body_timeout_s
        self.budget = LogBudget()

    async def body(self, request: web.Request) -> str | None:
        """The verified body as text, or None when it is a replay already handled."""
        try:
            # a deadline on this task (wait_for would start a task for every request)
            async with asyncio.timeout(self.body_timeout_s):
                raw = await request.read()
        except TimeoutError:
            raise Refused(408, "body-timeout") from None
        timestamp = request.headers.get("X-Slack-Request-Timestamp", "")
        signature = request.headers.get("X-Slack-Signature", "")
        if self.verifier:
            if not timestamp.isdigit() or not signature:
                raise Refused(401, "unsigned")
            if not self._signed(raw, timestamp, signature):
                raise Refused(401, "bad-signature-or-stale")
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(400, "not-utf8") from None
        _well_formed(text, request.content_type)
        if self.verifier and not await self._first_time(timestamp, signature):
            return None
        return text

    def _signed(self, raw: bytes, timestamp: str, signature: str) -> bool:
        """Slack's v0 signature over the raw bytes (slack_sdk's verifier decodes them first,
        which fails on invalid UTF-8 before the signature is even known to be good)."""
        assert self.secret is not None
        if abs(time.time() - int(timestamp)) > REPLAY_WINDOW_S:
            return False
        digest = hmac.new(self.secret, b"v0:" + timestamp.encode() + b":" + raw,
                          hashlib.sha256).hexdigest()
        return hmac.compare_digest(f"v0={digest}", signature)

    async def _first_time(self, timestamp: str, signature: str) -> bool:
        key = hashlib.sha256(f"{timestamp}:{signature}".encode()).hexdigest()
        return await self.services.first_delivery("slack:", key, 2 * REPLAY_WINDOW_S)

    def refused(self, request: web.Request, exc: Refused) -> web.Response:
        self.budget.warn("slack request refused", status=exc.status, reason=exc.reason,
                         remote=request.remote or "", length=request.content_length or 0)
        return web.Response(status=exc.status, text=exc.reason)


def _well_formed(text: str, content_type: str) -> None:
    if content_type == "application/json":
        if not isinstance(_json(text), dict):
            raise Refused(400, "not-an-object")
        return
    if "payload" not in text:  # bolt reads a form's payload only then (its parse_body)
        return
    form = parse_qs(text, keep_blank_values=True)
    # every value: bolt reads the last one, so a harmless first one must not hide it
    if not all(isinstance(_json(value), dict) for value in form.get("payload", [])):
        raise Refused(400, "payload-not-an-object")


def _json(text: str) -> object:
    try:
        return json.loads(text)
    except (ValueError, RecursionError):
        raise Refused(400, "malformed-json") from None


class GuardedHandler(RequestHandler):
    """aiohttp's connection handler with a connection cap and a deadline for each request's
    headers (idle, half-sent and slow connections are closed, not kept forever)."""

    limit = 256
    header_timeout_s = 10.0
    budget = LogBudget()

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        manager = self._manager
        if manager is not None and len(manager.connections) > self.limit:
            GuardedHandler.budget.warn("slack connection refused", reason="too-many",
                                       limit=self.limit)
            self.force_close()
            transport.close()
            return
        self._arm()

    def _arm(self) -> None:
        self._deadline = self._loop.call_later(self.header_timeout_s, self._expire)

    def _expire(self) -> None:
        if not self._request_in_progress:
            self.force_close()
            if self.transport is not None:
                self.transport.close()

    def connection_lost(self, exc: BaseException | None) -> None:
        deadline = getattr(self, "_deadline", None)
        if deadline is not None:
            deadline.cancel()
        super().connection_lost(exc)

    async def _handle_request(self, request: Any, start_time: Any, request_handler: Any
                              ) -> Any:
        self._deadline.cancel()
        try:
            return await super()._handle_request(request, start_time, request_handler)
        finally:
            self._arm()  # the next request on a kept-alive connection gets its own deadline


class GuardedServer(web.Server):
    """An aiohttp server whose connections are :class:`GuardedHandler` ones."""

    def __init__(self, *args: Any, limit: int, header_timeout_s: float, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handler_class = type("Guarded", (GuardedHandler,),
                                  {"limit": limit, "header_timeout_s": header_timeout_s})

    def __call__(self) -> RequestHandler:
        handler: RequestHandler = self.handler_class(self, loop=self._loop, **self._kwargs)
        return handler


class GuardedRunner(web.AppRunner):
    """An AppRunner serving the application through a :class:`GuardedServer`."""

    def __init__(self, app: web.Application, limit: int, header_timeout_s: float) -> None:
        super().__init__(app, access_log=None, keepalive_timeout=header_timeout_s)
        self.limit = limit
        self.header_timeout_s = header_timeout_s

    async def _make_server(self) -> web.Server:
        app = self._app
        loop = asyncio.get_running_loop()
        app._set_loop(loop)
        app.on_startup.freeze()
        await app.startup()
        app.freeze()
        return GuardedServer(app._handle, request_factory=app._make_request,
                             limit=self.limit, header_timeout_s=self.header_timeout_s,
                             loop=loop, **self._kwargs)
