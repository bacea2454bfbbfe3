"""A local Slack for tests: the Web API methods Parley calls, response URLs, and Socket Mode.

It listens on 127.0.0.1 only and records what the bot sends. Nothing here stands in for
Parley's own code: the real slack-bolt and slack_sdk talk to it over real HTTP and WebSocket.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aiohttp import WSMsgType, web

from tests.fakes.loopback import serving


class FakeSlack:
    """State and recordings of the fake Slack."""

    def __init__(self) -> None:
        self.base = ""
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.responses: list[dict[str, Any]] = []
        self.answered_at: dict[str, float] = {}  # response URL id → perf_counter() of its first
        # answer (benchmarks: how long after the command it came)
        self.posted: list[dict[str, Any]] = []
        self.post_attempts = 0
        self.rate_limit_next = 0
        self.server_error_next = 0  # chat.postMessage answers 503 this many times
        self.response_errors_next = 0  # response URLs answer 500 this many times
        self.response_drops_next = 0  # response URLs hang up without answering this many times
        self.response_attempts = 0
        self.hold_posts = False  # hang chat.postMessage, to kill a poster mid-post
        self.hold_after_accept = False  # store the message, then never answer the request
        self.accepted = asyncio.Event()  # set when a held message has been stored
        self.drop_after_accept_next = 0  # store the message, then drop the connection
        self.released = asyncio.Event()
        self.history: dict[str, list[dict[str, Any]]] = {}  # channel → messages, oldest first
        self.history_calls = 0
        self.clock_offset_s = 0.0  # Slack's clock ahead of ours (tests that run at a set time)
        self.users: dict[str, dict[str, Any]] = {}
        self.users_info_delay = 0.0  # a slow users.info keeps a command in flight
        self.users_info_called = asyncio.Event()
        self.groups: dict[str, list[str]] = {}
        self.acks: list[dict[str, Any]] = []
        self.views: list[dict[str, Any]] = []  # views.publish calls (App Home tabs)
        self.uploads: dict[str, dict[str, Any]] = {}  # file id → name, alt text, bytes
        self.shared: list[dict[str, Any]] = []  # files.completeUploadExternal calls
        self.socket: web.WebSocketResponse | None = None
        self.socket_ready = asyncio.Event()
        self._ids = itertools.count(1)
        self.new_response = asyncio.Condition()

    @property
    def api(self) -> str:
        return f"{self.base}/api/"

    def response_url(self) -> str:
        return f"{self.base}/response/{next(self._ids)}"

    async def wait_responses(self, count: int, within: float = 10.0) -> list[dict[str, Any]]:
        async with self.new_response:
            await asyncio.wait_for(self.new_response.wait_for(
                lambda: len(self.responses) >= count), within)
        return self.responses

    async def send_envelope(self, kind: str, payload: dict[str, Any]) -> str:
        await asyncio.wait_for(self.socket_ready.wait(), 10)
        assert self.socket is not None
        envelope_id = f"env-{next(self._ids)}"
        await self.socket.send_json({"envelope_id": envelope_id, "type": kind,
                                     "payload": payload, "accepts_response_payload": True,
                                     "retry_attempt": 0, "retry_reason": ""})
        return envelope_id

    async def wait_views(self, count: int, within: float = 10.0) -> list[dict[str, Any]]:
        async with self.new_response:
            await asyncio.wait_for(self.new_response.wait_for(
                lambda: len(self.views) >= count), within)
        return self.views

    # --- Web API ---------------------------------------------------------------------------
    async def api_method(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params: dict[str, Any] = dict(request.query)
        if request.method == "POST" and request.content_type == "application/json":
            params.update(await request.json())
        elif request.method == "POST":
            params.update(parse_qsl(await request.text()))
        self.calls.append((method, params))
        if method == "auth.test":
            return web.json_response({"ok": True, "user_id": "UBOT", "team_id": "T1",
                                      "bot_id": "BBOT", "team": "Test", "user": "parley"})
        if method == "users.info":
            self.users_info_called.set()
            await asyncio.sleep(self.users_info_delay)
            user = self.users.get(params.get("user", ""), {})
            return web.json_response({"ok": True, "user": {"id": params.get("user"), **user}})
        if method == "usergroups.users.list":
            return web.json_response({"ok": True,
                                      "users": self.groups.get(params.get("usergroup", ""), [])})
        if method == "apps.connections.open":
            return web.json_response({"ok": True, "url": self.base.replace("http", "ws")
                                      + "/socket"})
        if method == "views.publish":
            view = params.get("view")
            self.views.append({"user_id": params.get("user_id"),
                               "view": json.loads(view) if isinstance(view, str) else view})
            async with self.new_response:
                self.new_response.notify_all()
            return web.json_response({"ok": True, "view": {"id": "V1"}})
        if method == "chat.postMessage":
            self.post_attempts += 1
            if self.hold_posts:  # never delivered: the poster is killed while it waits
                await self.released.wait()
                return web.json_response({"ok": False, "error": "request_timeout"})
            if self.rate_limit_next > 0:
                self.rate_limit_next -= 1
                return web.json_response({"ok": False, "error": "ratelimited"}, status=429,
                                         headers={"Retry-After": "0"})
            if self.server_error_next > 0:
                self.server_error_next -= 1
                return web.Response(status=503, text="upstream unavailable")
            return await self._post_message(request, params)
        if method == "conversations.history":
            return self._history(params)
        if method == "files.getUploadURLExternal":
            file_id = f"F{next(self._ids)}"
            self.uploads[file_id] = {"filename": params.get("filename"),
                                     "length": int(params.get("length", 0)),
                                     "alt_txt": params.get("alt_txt"), "data": b""}
            return web.json_response({"ok": True, "file_id": file_id,
                                      "upload_url": f"{self.base}/upload/{file_id}"})
        if method == "files.completeUploadExternal":
            files = params.get("files")
            listed = json.loads(files) if isinstance(files, str) else files or []
            self.shared.append({**params, "files": listed})
            return web.json_response({"ok": True, "files": [
                {"id": f["id"], "title": f.get("title", ""),
                 "name": self.uploads.get(f["id"], {}).get("filename")} for f in listed]})
        if method == "files.info":
            file_id = params.get("file", "")
            return web.json_response({"ok": True, "file": {
                "id": file_id, "name": self.uploads.get(file_id, {}).get("filename")}})
        return web.json_response({"ok": False, "error": "unknown_method"})

    async def _post_message(self, request: web.Request, params: dict[str, Any]
                            ) -> web.Response:
        """Store the message as Slack does (its metadata kept for ``include_all_metadata``)."""
        channel = str(params.get("channel", ""))
        metadata = params.get("metadata")
        if isinstance(metadata, str):
            try:
                metadata = json.loads(metadata)
            except ValueError:
                return web.json_response({"ok": False, "error": "invalid_metadata_format"})
        stored: dict[str, Any] = {"type": "message", "user": "UBOT", "bot_id": "BBOT",
                                  "app_id": "A1", "text": params.get("text", ""),
                                  "ts": self._next_ts()}
        if isinstance(metadata, dict):
            if not isinstance(metadata.get("event_type"), str) or \
                    not isinstance(metadata.get("event_payload"), dict):
                return web.json_response({"ok": False, "error": "invalid_metadata_schema"})
            stored["metadata"] = metadata
        self.posted.append(params)
        self.history.setdefault(channel, []).append(stored)
        if self.hold_after_accept:  # accepted, but the poster never hears so
            self.accepted.set()
            await self.released.wait()
        if self.drop_after_accept_next > 0 and request.transport is not None:
            self.drop_after_accept_next -= 1
            request.transport.close()
            return web.Response(status=500)
        return web.json_response({"ok": True, "channel": channel, "ts": stored["ts"],
                                  "message": stored})

    def _next_ts(self) -> str:
        """A message ts: seconds and a sequence, unique in the channel as Slack's are."""
        return f"{int(time.time() + self.clock_offset_s)}.{next(self._ids):06d}"

    def _history(self, params: dict[str, Any]) -> web.Response:
        """conversations.history: newest first, ``oldest``/``latest`` exclusive unless
        ``inclusive``, ``limit`` (default 100, at most 999), cursor pages, and metadata only
        with ``include_all_metadata``."""
        self.history_calls += 1
        channel = str(params.get("channel", ""))
        inclusive = str(params.get("inclusive", "")).lower() in ("1", "true")
        oldest = float(params.get("oldest") or 0)
        latest = float(params.get("latest") or time.time() + self.clock_offset_s + 1)
        limit = max(1, min(int(params.get("limit") or 100), 999))
        start = int(str(params.get("cursor") or "0").removeprefix("offset:") or 0)
        with_metadata = str(params.get("include_all_metadata", "")).lower() in ("1", "true")
        chosen = [m for m in reversed(self.history.get(channel, []))
                  if (oldest <= float(m["ts"]) <= latest if inclusive
                      else oldest < float(m["ts"]) < latest)]
        page = chosen[start:start + limit]
        out = [m if with_metadata else {k: v for k, v in m.items() if k != "metadata"}
               for m in page]
        more = start + limit < len(chosen)
        return web.json_response({"ok": True, "messages": out, "has_more": more,
                                  "response_metadata": {
                                      "next_cursor": f"offset:{start + limit}" if more else ""}})

    async def upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["id"]
        if file_id not in self.uploads:
            return web.Response(status=404, text="no such upload")
        self.uploads[file_id]["data"] = await request.read()
        return web.Response(text=f"OK - {len(self.uploads[file_id]['data'])}")

    async def response(self, request: web.Request) -> web.Response:
        self.response_attempts += 1
        if self.response_drops_next > 0 and request.transport is not None:
            self.response_drops_next -= 1
            request.transport.close()  # the connection drops mid-request
            return web.Response(status=500)
        if self.response_errors_next > 0:
            self.response_errors_next -= 1
            return web.Response(status=500, text="internal error")
        body = await request.json()
        self.answered_at.setdefault(request.match_info["id"], time.perf_counter())
        async with self.new_response:
            self.responses.append(body)
            self.new_response.notify_all()
        return web.Response(text="ok")

    async def socket_mode(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.socket = ws
        await ws.send_json({"type": "hello", "num_connections": 1,
                            "connection_info": {"app_id": "A1"},
                            "debug_info": {"host": "fake", "approximate_connection_time": 3600}})
        self.socket_ready.set()
        async for msg in ws:
            if msg.type == WSMsgType.TEXT:
                self.acks.append(json.loads(msg.data))
        return ws


@asynccontextmanager
async def running_fake_slack() -> AsyncIterator[FakeSlack]:
    fake = FakeSlack()
    app = web.Application()
    app.add_routes([web.post("/api/{method}", fake.api_method),
                    web.get("/api/{method}", fake.api_method),
                    web.post("/response/{id}", fake.response),
                    web.post("/upload/{id}", fake.upload),
                    web.get("/socket", fake.socket_mode)])
    async with serving(app) as base:
        fake.base = base
        try:
            yield fake
        finally:
            fake.released.set()
            if fake.socket is not None:
                await fake.socket.close()


def slash_payload(fake: FakeSlack, command: str, text: str, user: str = "U1",
                  channel: str = "C1") -> dict[str, str]:
    return {"token": "legacy", "team_id": "T1", "team_domain": "test", "channel_id": channel,
            "channel_name": "general", "user_id": user, "user_name": f"name-{user}",
            "command": command, "text": text, "api_app_id": "A1", "trigger_id": "1.2.3",
            "response_url": fake.response_url()}


def sign(secret: str, body: str, timestamp: int | None = None) -> dict[str, str]:
    """The headers Slack sends with a request: timestamp and v0 HMAC-SHA256 signature."""
    ts = str(int(time.time()) if timestamp is None else timestamp)
    digest = hmac.new(secret.encode(), f"v0:{ts}:{body}".encode(), hashlib.sha256).hexdigest()
    return {"X-Slack-Request-Timestamp": ts, "X-Slack-Signature": f"v0={digest}",
            "Content-Type": "application/x-www-form-urlencoded"}


def form(payload: dict[str, str]) -> str:
    return urlencode(payload)


def event_payload(event: dict[str, Any], team: str = "T1") -> dict[str, Any]:
    """An Events API callback wrapping ``event``, as Slack sends it."""
    return {"token": "legacy", "team_id": team, "api_app_id": "A1", "type": "event_callback",
            "event_id": f"Ev{time.time_ns()}", "event_time": int(time.time()),
            "authorizations": [{"team_id": team, "user_id": "UBOT", "is_bot": True}],
            "event": event}


def app_home_opened(user: str = "U1") -> dict[str, Any]:
    return {"type": "app_home_opened", "user": user, "channel": "D1", "tab": "home",
            "event_ts": f"{time.time():.6f}"}


def message_action(fake: FakeSlack, callback_id: str, text: str, user: str = "U1",
                   thread_ts: str | None = None) -> dict[str, str]:
    """A message shortcut's interaction (``type: message_action``), as a form body's fields:
    the message itself and a response URL."""
    message: dict[str, Any] = {"type": "message", "user": "U77", "text": text,
                               "ts": "1700000000.000200"}
    if thread_ts is not None:
        message["thread_ts"] = thread_ts
    payload = {"type": "message_action", "token": "legacy", "action_ts": "1700000001.000100",
               "team": {"id": "T1", "domain": "test"}, "user": {"id": user,
                                                                "username": f"name-{user}"},
               "channel": {"id": "C1", "name": "general"}, "callback_id": callback_id,
               "trigger_id": "1.2.3", "message_ts": message["ts"], "message": message,
               "response_url": fake.response_url(), "api_app_id": "A1"}
    return {"payload": json.dumps(payload)}
