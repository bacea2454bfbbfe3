"""A local Discord for tests: the REST routes Parley uses and a gateway speaking the real
protocol (HELLO, IDENTIFY, READY, GUILD_CREATE, heartbeats, RESUME, dispatches), sharded as
Discord shards: each session serves the shard its IDENTIFY names, and a guild's events go only
to the session of its shard (``shard_id = (guild_id >> 22) % num_shards``).

It listens on 127.0.0.1 only and records what the bot sends; the real discord.py client
connects to it over HTTP and WebSocket.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiohttp import BodyPartReader, WSMsgType, web
from aiohttp.web_protocol import RequestHandler

from tests.fakes.loopback import serving

try:  # a dependency; absent only where a benchmark hides it from a bot process on purpose
    import orjson
except ImportError:  # pragma: no cover - the benchmark's --no-orjson bots import this module
    orjson = None  # type: ignore[assignment]

APP_ID = "1100000000000000001"
BOT_ID = "1100000000000000002"
GUILD_ID = "1200000000000000001"
CHANNEL_ID = "1300000000000000001"
HELLO, IDENTIFY, RESUME, HEARTBEAT, HEARTBEAT_ACK, DISPATCH = 10, 2, 6, 1, 11, 0
INVALID_SHARD = 4010  # the gateway's close code for an IDENTIFY naming a shard that cannot be
SESSION_STARTS = 1000  # session_start_limit.total: IDENTIFYs allowed a day (Discord's usual)
DAY_MS = 86_400_000


def shard_of(guild_id: str | int, shard_count: int) -> int:
    """The shard Discord sends a guild's events to."""
    return (int(guild_id) >> 22) % shard_count


def guild_on(shard: int, shard_count: int, nth: int = 0) -> str:
    """The ``nth`` guild id (a snowflake, GUILD_ID's or later) that shard ``shard`` of
    ``shard_count`` serves."""
    found = (str(int(GUILD_ID) + (step << 22)) for step in itertools.count())
    mine = (g for g in found if shard_of(g, shard_count) == shard)
    return next(itertools.islice(mine, nth, None))


def channel_of(guild_id: str) -> str:
    """The text channel of a guild (CHANNEL_ID in GUILD_ID, one id further in the others)."""
    return CHANNEL_ID if guild_id == GUILD_ID else str(int(guild_id) + 1)


class FakeDiscord:
    """State and recordings of the fake Discord."""

    def __init__(self) -> None:
        self.base = ""
        self.requests: list[tuple[str, str, Any]] = []
        self.commands: dict[str, list[dict[str, Any]]] = {}
        self.callbacks: list[dict[str, Any]] = []
        self.edits: list[dict[str, Any]] = []
        self.messages: list[dict[str, Any]] = []
        self.channel_posts: list[tuple[str, dict[str, Any]]] = []  # (channel id, message)
        self.message_attempts = 0
        # Create Message with ``nonce`` and ``enforce_nonce``: "If another message was created
        # by the same author with the same nonce [in the past few minutes], that message will
        # be returned and no new message will be created" (Discord's API reference).
        self.nonces: dict[tuple[str, str], tuple[float, dict[str, Any]]] = {}
        self.nonce_window_s = 300.0  # "a few minutes": undocumented exactly; tests may shorten
        self.hold_after_accept = False  # create the message, then never answer the request
        self.accepted = asyncio.Event()  # set when a held message has been created
        self.released = asyncio.Event()
        self.rate_limit_next = 0
        self.server_error_next = 0  # channel messages and interaction callbacks answer 502
        self.identifies = 0
        self.resumes = 0
        self.heartbeats = 0
        self.ws: web.WebSocketResponse | None = None
        self.sockets: list[web.WebSocketResponse] = []  # every bot connected, in order
        self.guild_ids: list[str] = [GUILD_ID]  # the servers the bot is in
        self.recommended_shards = 1  # GET /gateway/bot's "shards"
        self.shards: dict[web.WebSocketResponse, tuple[int, int]] = {}  # each identified
        # session's [shard_id, num_shards]
        self._sessions: dict[str, tuple[int, int]] = {}  # session id → its shard
        self.started = time.monotonic()
        self.first_response: dict[str, float] = {}  # interaction id → perf_counter() of its
        # first callback (benchmarks: was it inside three seconds?)
        self.delivered: dict[str, float] = {}  # interaction id → when :meth:`deliver` sent it
        self.answered: dict[str, float] = {}  # interaction token → when its answer came (an
        # answering callback, or the edit of a deferred one's "thinking…")
        self.response_peers: set[Any] = set()  # the bot's connections interaction responses
        # came over (how many it opened at once)
        self.ready = asyncio.Event()
        self.seq = 0
        self.session_id = "session-1"
        self._ids = itertools.count(1400000000000000001)
        self.changed = asyncio.Condition()
        self._waiting = 0  # callers of wait(): with none, a request notifies nobody

    @property
    def api(self) -> str:
        return f"{self.base}/api/v10"

    @property
    def gateway(self) -> str:
        return self.base.replace("http", "ws") + "/gateway"

    async def _notify(self) -> None:
        if not self._waiting:  # a burst's thousands of callbacks, polled instead
            return
        async with self.changed:
            self.changed.notify_all()

    async def wait(self, predicate: Any, within: float = 10.0) -> None:
        self._waiting += 1
        try:
            async with self.changed:
                await asyncio.wait_for(self.changed.wait_for(predicate), within)
        finally:
            self._waiting -= 1

    # --- gateway -----------------------------------------------------------------------------
    async def send(self, payload: dict[str, Any]) -> None:
        assert self.ws is not None
        await self.ws.send_str(json.dumps(payload))

    async def dispatch(self, event: str, data: dict[str, Any],
                       socket: web.WebSocketResponse | None = None) -> None:
        """Dispatch to ``socket`` (by default the bot connected last)."""
        self.seq += 1
        payload = {"op": DISPATCH, "t": event, "s": self.seq, "d": data}
        if socket is None:
            await self.send(payload)
        else:
            await socket.send_str(json.dumps(payload))

    async def dispatch_to(self, bot: int, event: str, data: dict[str, Any]) -> None:
        """Dispatch to one of several connected bots (by connection order), so two bots can be
        driven in turn through one fake."""
        self.seq += 1
        await self.sockets[bot].send_str(json.dumps({"op": DISPATCH, "t": event, "s": self.seq,
                                                     "d": data}))

    async def deliver(self, bot: int, payloads: list[dict[str, Any]]) -> None:
        """Send INTERACTION_CREATE ``payloads`` to one bot back to back, as Discord does in a
        burst, noting when each left (on this process's clock: ``delivered``)."""
        await self._deliver([self.sockets[bot]] * len(payloads), payloads)

    def session_for(self, guild_id: str | None, among: list[int] | None = None
                    ) -> web.WebSocketResponse:
        """The open session that serves ``guild_id``'s shard (a direct message's: shard 0),
        the latest identified if several do; ``among`` limits it to those bots (connection
        order), as when two applications are connected to one fake."""
        candidates = self.sockets if among is None else [self.sockets[i] for i in among]
        for socket in reversed(candidates):
            if socket.closed or socket not in self.shards:
                continue
            shard, count = self.shards[socket]
            if shard == (0 if guild_id is None else shard_of(guild_id, count)):
                return socket
        raise LookupError(f"no session serves guild {guild_id}")

    async def route(self, event: str, data: dict[str, Any], among: list[int] | None = None
                    ) -> None:
        """Dispatch an event to the session serving its guild's shard, as Discord does."""
        self.seq += 1
        socket = self.session_for(data.get("guild_id"), among)
        await socket.send_str(json.dumps({"op": DISPATCH, "t": event, "s": self.seq,
                                          "d": data}))

    async def deliver_routed(self, payloads: list[dict[str, Any]],
                             among: list[int] | None = None) -> None:
        """:meth:`deliver`, each interaction to the session of its guild's shard."""
        await self._deliver([self.session_for(p.get("guild_id"), among) for p in payloads],
                            payloads)

    async def _deliver(self, sockets: list[web.WebSocketResponse],
                       payloads: list[dict[str, Any]]) -> None:
        frames = []  # encoded first: Discord's own encoding is not on this machine's cores
        for payload in payloads:
            self.seq += 1
            frames.append(_dumps({"op": DISPATCH, "t": "INTERACTION_CREATE",
                                  "s": self.seq, "d": payload}).decode())
        for socket, frame, payload in zip(sockets, frames, payloads, strict=True):
            # noted as it is written (a full socket buffer makes the send wait after writing)
            self.delivered[payload["id"]] = time.perf_counter()
            await socket.send_str(frame)

    async def drop_connection(self, code: int = 4000) -> None:
        """Close the gateway with a resumable code, as Discord does now and then."""
        self.ready.clear()
        assert self.ws is not None
        await self.ws.close(code=code, message=b"reconnect")

    async def gateway_route(self, request: web.BaseRequest) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.ws = ws
        self.sockets.append(ws)
        await self.send({"op": HELLO, "d": {"heartbeat_interval": 41250}})
        async for msg in ws:
            if msg.type != WSMsgType.TEXT:
                continue
            payload = json.loads(msg.data)
            op = payload.get("op")
            if op == HEARTBEAT:  # acknowledged on the connection that beat (several bots)
                self.heartbeats += 1
                await ws.send_str(json.dumps({"op": HEARTBEAT_ACK}))
            elif op == IDENTIFY:
                shard, count = (payload.get("d") or {}).get("shard") or (0, 1)
                if not 0 <= shard < count:
                    await ws.close(code=INVALID_SHARD, message=b"Invalid shard.")
                    break
                self.identifies += 1
                self.shards[ws] = (shard, count)
                self.session_id = f"session-{self.identifies}"
                self._sessions[self.session_id] = (shard, count)
                mine = [g for g in self.guild_ids if shard_of(g, count) == shard]
                await self.dispatch("READY", {
                    "v": 10, "user": bot_user(),
                    "guilds": [{"id": g, "unavailable": True} for g in mine],
                    "session_id": self.session_id, "resume_gateway_url": self.gateway,
                    "application": {"id": APP_ID, "flags": 0}, "private_channels": [],
                    "relationships": [], "presences": [], "guild_join_requests": [],
                    "geo_ordered_rtc_regions": [], "shard": [shard, count]}, ws)
                for guild_id in mine:  # to the session that identified, as Discord does
                    await self.dispatch("GUILD_CREATE", guild(guild_id), ws)
                self.ready.set()
            elif op == RESUME:
                self.resumes += 1
                resumed = self._sessions.get(str((payload.get("d") or {}).get("session_id")))
                if resumed is not None:  # the session goes on serving its shard
                    self.shards[ws] = resumed
                await self.dispatch("RESUMED", {}, ws)
                self.ready.set()
            await self._notify()
        return ws

    async def join_guild(self, guild_id: str, channels: list[dict[str, Any]],
                         system_channel_id: str | None = None) -> None:
        """Parley is added to another server: a GUILD_CREATE for a guild READY did not list."""
        data = guild(guild_id, channels)
        data["system_channel_id"] = system_channel_id
        del data["unavailable"]  # present (false) only for servers READY announced
        await self.dispatch("GUILD_CREATE", data)

    # --- REST ----------------------------------------------------------------------------------
    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        """Every request: the gateway's WebSocket, or a REST route under ``/api/v10/``."""
        if request.path == "/gateway":
            return await self.gateway_route(request)
        if request.path.startswith(API_PREFIX):
            return await self.rest(request, request.path.removeprefix(API_PREFIX))
        return web.Response(status=404)

    async def rest(self, request: web.BaseRequest, path: str) -> web.StreamResponse:
        body: Any = None
        if request.can_read_body and request.content_type.startswith("multipart"):
            body = await _multipart(request)
        elif request.can_read_body:
            raw = await request.read()
            if request.content_type == "application/json":
                body = json.loads(raw) if orjson is None else orjson.loads(raw)
        self.requests.append((request.method, path, body))
        if path.startswith(("interactions/", "webhooks/")) and request.transport is not None:
            self.response_peers.add(request.transport.get_extra_info("peername"))
        try:
            return await self._route(request.method, path, body, arrival(request))
        finally:
            await self._notify()

    async def _route(self, method: str, path: str, body: Any, arrived: float
                     ) -> web.StreamResponse:
        parts = path.strip("/").split("/")
        if path.startswith("users/@me"):
            return jsonr(bot_user())
        if path == "gateway":
            return jsonr({"url": self.gateway})
        if path == "gateway/bot":  # Discord's Get Gateway Bot: its recommended shard count
            elapsed_ms = int((time.monotonic() - self.started) * 1000)
            return jsonr({"url": self.gateway, "shards": self.recommended_shards,
                          "session_start_limit": {
                              "total": SESSION_STARTS,
                              "remaining": max(0, SESSION_STARTS - self.identifies),
                              "reset_after": max(0, DAY_MS - elapsed_ms),
                              "max_concurrency": 1}})
        if path.startswith("oauth2/applications/@me"):
            return jsonr({"id": APP_ID, "name": "Parley", "icon": None,
                                      "description": "", "bot_public": True,
                                      "bot_require_code_grant": False, "verify_key": "x",
                                      "flags": 0, "owner": bot_user()})
        if parts[0] == "applications" and parts[-1] == "commands" and method == "PUT":
            scope = parts[3] if len(parts) == 5 else "global"
            self.commands[scope] = [dict(c, id=str(next(self._ids)), application_id=APP_ID,
                                         version="1") for c in body]
            return jsonr(self.commands[scope])
        if parts[0] in ("interactions", "channels") and self.server_error_next > 0 and \
                method == "POST":
            self.server_error_next -= 1
            if parts[0] == "channels":
                self.message_attempts += 1
            return web.Response(status=502, text="Bad Gateway")
        if parts[0] == "interactions" and parts[-1] == "callback":
            self.first_response.setdefault(parts[1], arrived)
            if (body or {}).get("type") != 5:  # anything but "thinking…" answers
                self.answered.setdefault(parts[2], arrived)
            self.callbacks.append(body)
            data = (body or {}).get("data") or {}
            message_id = next(self._ids)
            resource: dict[str, Any] = {"type": body.get("type")}
            if body.get("type") in (4, 7):  # the resource's message is "only present if type
                # is either CHANNEL_MESSAGE_WITH_SOURCE or UPDATE_MESSAGE" (Discord's docs)
                resource["message"] = message(data, message_id)
            return jsonr({  # with_response=true: the interaction callback response object
                "interaction": {"id": parts[1], "type": 2, "activity_instance_id": None,
                                "response_message_id": str(message_id),
                                "response_message_loading": body.get("type") == 5,
                                "response_message_ephemeral": bool(data.get("flags", 0) & 64)},
                "resource": resource})
        if parts[0] == "webhooks" and parts[-1] == "@original":
            self.answered.setdefault(parts[2], arrived)
            self.edits.append(body)
            return jsonr(message(body or {}, next(self._ids)))
        if parts[0] == "channels" and parts[-1] == "messages" and method == "POST":
            self.message_attempts += 1
            if self.rate_limit_next > 0:
                self.rate_limit_next -= 1
                return jsonr({"message": "You are being rate limited.",
                                          "retry_after": 0.05, "global": False}, status=429,
                                         headers={"Retry-After": "0.05", "Via": "1.1 google",
                                                  "X-RateLimit-Scope": "user"})
            return await self._create_message(parts[1], body or {})
        return jsonr({"message": "404: Not Found", "code": 0}, status=404)

    async def _create_message(self, channel_id: str, body: dict[str, Any]) -> web.Response:
        nonce = body.get("nonce")
        key = (channel_id, str(nonce))
        now = time.monotonic()
        if nonce is not None and body.get("enforce_nonce"):
            if len(str(nonce)) > 25:
                return jsonr({"message": "Invalid Form Body", "code": 50035}, status=400)
            seen = self.nonces.get(key)
            if seen is not None and now - seen[0] <= self.nonce_window_s:
                return jsonr(seen[1])  # the message already created; nothing new
        created = message(body, next(self._ids), channel_id)
        if nonce is not None:
            created["nonce"] = nonce
            self.nonces[key] = (now, created)
        self.messages.append(body)
        self.channel_posts.append((channel_id, body))
        if self.hold_after_accept:  # accepted, but the poster never hears so
            self.accepted.set()
            await self.released.wait()
        return jsonr(created)


async def _multipart(request: web.BaseRequest) -> dict[str, Any]:
    """A multipart message (one with files): its ``payload_json``, and the files under
    ``_files`` as name, type and bytes — as Discord reads them."""
    body: dict[str, Any] = {}
    files: list[dict[str, Any]] = []
    reader = await request.multipart()
    async for part in reader:
        if not isinstance(part, BodyPartReader):
            continue
        data = await part.read()
        if part.name == "payload_json":
            body.update(json.loads(data))
        else:
            files.append({"field": part.name, "filename": part.filename,
                          "content_type": part.headers.get("Content-Type", ""),
                          "data": bytes(data)})
    body["_files"] = files
    return body


def _dumps(data: Any) -> bytes:
    """JSON, by orjson (the fake's own CPU shares the bots' cores in a burst benchmark), or by
    the standard library for what orjson refuses (integers past 64 bits)."""
    if orjson is not None:
        try:
            return orjson.dumps(data)
        except TypeError:
            pass
    return json.dumps(data).encode()


def jsonr(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> web.Response:
    """JSON with exactly ``Content-Type: application/json``, as Discord sends (and discord.py
    checks)."""
    return web.Response(body=_dumps(data), status=status,
                        headers={"Content-Type": "application/json", **(headers or {})})


def bot_user() -> dict[str, Any]:
    return {"id": BOT_ID, "username": "Parley", "discriminator": "0000", "avatar": None,
            "bot": True, "global_name": None, "flags": 0}


VIEW_AND_SEND = str(1024 | 2048 | 16384)  # View Channel, Send Messages, Embed Links


def text_channel(channel_id: str, name: str, position: int, guild_id: str = GUILD_ID,
                 bot_may_send: bool = True) -> dict[str, Any]:
    """A text channel; with ``bot_may_send`` False, @everyone (so the bot) may not send there."""
    overwrites = [] if bot_may_send else [
        {"id": guild_id, "type": 0, "allow": "0", "deny": str(2048)}]
    return {"id": channel_id, "type": 0, "name": name, "position": position,
            "permission_overwrites": overwrites, "guild_id": guild_id}


def guild(guild_id: str = GUILD_ID, channels: list[dict[str, Any]] | None = None
          ) -> dict[str, Any]:
    bot_member = {"user": bot_user(), "roles": [], "joined_at": "2025-01-01T00:00:00+00:00",
                  "deaf": False, "mute": False, "flags": 0, "nick": None, "avatar": None}
    return {
        "id": guild_id, "name": "Test Server", "icon": None, "owner_id": "1", "unavailable": False,
        "roles": [{"id": guild_id, "name": "@everyone", "permissions": VIEW_AND_SEND,
                   "position": 0, "color": 0, "hoist": False, "managed": False,
                   "mentionable": False, "flags": 0}],
        "channels": channels if channels is not None else [
            text_channel(channel_of(guild_id), "general", 0, guild_id)],
        "members": [bot_member], "emojis": [], "stickers": [], "features": [], "member_count": 3,
        "large": False, "voice_states": [], "presences": [], "threads": [],
        "stage_instances": [], "guild_scheduled_events": [], "afk_timeout": 300,
        "verification_level": 0, "default_message_notifications": 0,
        "explicit_content_filter": 0, "mfa_level": 0, "system_channel_flags": 0,
        "premium_tier": 0, "preferred_locale": "en-US", "nsfw_level": 0,
        "premium_progress_bar_enabled": False, "joined_at": "2025-01-01T00:00:00+00:00"}


def message(body: dict[str, Any], message_id: int, channel_id: str = CHANNEL_ID
            ) -> dict[str, Any]:
    return {"id": str(message_id), "channel_id": channel_id, "author": bot_user(),
            "content": body.get("content") or "", "timestamp": "2025-01-01T00:00:00+00:00",
            "edited_timestamp": None, "tts": False, "mention_everyone": False, "mentions": [],
            "mention_roles": [], "attachments": [], "embeds": body.get("embeds") or [],
            "pinned": False, "type": 0, "flags": 0, "components": body.get("components") or []}


_interaction_ids = itertools.count(1500000000000000001)


def interaction(kind: int, data: dict[str, Any], permissions: int = 0,
                user: str = "1600000000000000001", guild_id: str | None = GUILD_ID
                ) -> dict[str, Any]:
    """An INTERACTION_CREATE payload shaped like Discord's documented examples."""
    member_user = {"id": user, "username": f"user{user[-2:]}", "discriminator": "0",
                   "avatar": None, "global_name": None}
    channel_id = channel_of(guild_id or GUILD_ID)
    payload: dict[str, Any] = {
        "id": str(next(_interaction_ids)), "application_id": APP_ID, "type": kind,
        "data": data, "channel_id": channel_id, "token": f"tok-{next(_interaction_ids)}",
        "version": 1, "app_permissions": "2147483647", "locale": "en-US",
        "attachment_size_limit": 10485760,
        "entitlements": [], "authorizing_integration_owners": {}, "context": 0,
        "channel": {"id": channel_id, "type": 0, "name": "general",
                    "guild_id": guild_id or GUILD_ID, "position": 0,
                    "permission_overwrites": []}}
    if guild_id is not None:
        payload["guild_id"] = guild_id
        payload["guild_locale"] = "en-US"
        payload["member"] = {"user": member_user, "roles": [], "permissions": str(permissions),
                             "joined_at": "2025-01-01T00:00:00+00:00", "deaf": False,
                             "mute": False, "flags": 0, "nick": None, "avatar": None}
    else:
        payload["user"] = member_user
        payload["context"] = 1
    return payload


THREAD_ID = "1300000000000000099"
MESSAGE_COMMAND = 3  # application command type: "Apps" on a message


def member_message(content: str, message_id: str = "1700000000000000001",
                   author: str = "1600000000000000050") -> dict[str, Any]:
    """A member's message as Discord resolves it for a message command."""
    return {"id": message_id, "channel_id": CHANNEL_ID, "content": content,
            "author": {"id": author, "username": "someone", "discriminator": "0",
                       "avatar": None, "global_name": None},
            "timestamp": "2025-01-01T00:00:00+00:00", "edited_timestamp": None, "tts": False,
            "mention_everyone": False, "mentions": [], "mention_roles": [], "attachments": [],
            "embeds": [], "pinned": False, "type": 0, "flags": 0, "components": []}


def message_command(name: str, content: str, in_thread: bool = False, **kwargs: Any
                    ) -> dict[str, Any]:
    """An INTERACTION_CREATE for a message command (interaction type 2, command type 3): the
    target message's content arrives in ``resolved.messages``, with no Message Content intent."""
    target = member_message(content)
    payload = interaction(2, {"id": "1800000000000000003", "name": name,
                              "type": MESSAGE_COMMAND, "target_id": target["id"],
                              "resolved": {"messages": {target["id"]: target}}}, **kwargs)
    if in_thread:
        payload["channel_id"] = THREAD_ID
        payload["channel"] = {"id": THREAD_ID, "type": 11, "name": "a thread",
                              "guild_id": GUILD_ID, "parent_id": CHANNEL_ID,
                              "owner_id": "1600000000000000050", "message_count": 1,
                              "member_count": 1, "rate_limit_per_user": 0,
                              "thread_metadata": {"archived": False,
                                                  "auto_archive_duration": 1440,
                                                  "archive_timestamp":
                                                      "2025-01-01T00:00:00+00:00",
                                                  "locked": False}}
        target["channel_id"] = THREAD_ID
    return payload


class _Stamped(RequestHandler):
    """aiohttp's connection handler, noting when its latest bytes were read: a request's
    arrival, before it waits its turn on a busy event loop (one request at a time is under
    way on a connection of discord.py's)."""

    read_at = 0.0

    def data_received(self, data: bytes) -> None:
        if data:  # aiohttp feeds itself an empty chunk when it takes the next request up
            self.read_at = time.perf_counter()
        super().data_received(data)


class _StampedServer(web.Server):
    """aiohttp's low-level server (no application, router or middleware: the fake routes by
    path itself), its connections :class:`_Stamped`."""

    def __call__(self) -> RequestHandler:
        return _Stamped(self, loop=self._loop, **self._kwargs)


def arrival(request: web.BaseRequest) -> float:
    """When ``request``'s bytes were read (``perf_counter``): the time a first response is
    taken to have reached the fake Discord, whatever else the fake's loop was doing then."""
    protocol = request.protocol
    return protocol.read_at if isinstance(protocol, _Stamped) else time.perf_counter()


API_PREFIX = "/api/v10/"


@asynccontextmanager
async def running_fake_discord(backlog: int = 128) -> AsyncIterator[FakeDiscord]:
    """The fake on a free loopback port; ``backlog`` as in :func:`serving` (a burst's
    thousands of simultaneous callbacks need a long one)."""
    fake = FakeDiscord()
    async with serving(_StampedServer(fake.handle, access_log=None), backlog) as base:
        fake.base = base
        try:
            yield fake
        finally:
            fake.released.set()
            if fake.ws is not None:
                await fake.ws.close()
