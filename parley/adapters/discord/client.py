"""The discord.py client: syncs the registry's commands, answers interactions, posts digests.

Interactions are handled here rather than through discord.py's CommandTree, because the commands
come from Parley's registry at run time; discord.py still does the connection, the gateway
protocol, rate limits and the REST calls.
"""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
import secrets
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import aiohttp
import discord
import yarl
from discord import app_commands
from discord.gateway import DiscordWebSocket

from parley.adapters.discord.commands import (
    application_commands,
    definitions_hash,
    focused_param,
    paths,
    resolve,
    resolve_message,
)
from parley.adapters.discord.render import (
    CUSTOM_ID_PREFIX,
    Mentions,
    Page,
    buttons,
    command_mentions,
    pages,
)
from parley.adapters.discord.views import Views
from parley.adapters.lanes import Lanes
from parley.adapters.rendered import Rendered
from parley.core.completion import complete
from parley.core.inflight import InFlight
from parley.core.lru import LRU
from parley.core.models import Action, Reply, Request, Role
from parley.core.onboarding import welcome
from parley.core.platform import PermanentPostError, PostKey
from parley.core.registry import RESTARTING, dispatch, run_line
from parley.core.services import Services

log = logging.getLogger("parley.discord")
MALFORMED = "Parley could not read that request; nothing was done. Please try again."
INTERACTION_LIFETIME_S = 15 * 60  # an interaction's token (and a redelivery) lasts this long
DEFER_AFTER_S = 2.0  # Discord allows three seconds before the first response
# With this many commands already under way (a burst), the queue ahead of an answer could
# outlast those three seconds: acknowledge first ("thinking…"), then answer.
DEFER_QUEUE = 16
# Deferred answers are worked on ANSWERS_AT_ONCE at a time, in the order they came, each
# only once at most LULL_QUEUE first responses are still to go: a first response is due in
# three seconds, a deferred answer in fifteen minutes. BURST_LULL_S bounds that wait, so a
# flood that never lulls still gets answers.
LULL_QUEUE = 4
BURST_LULL_S = 15.0
ANSWERS_AT_ONCE = 4
# Interaction responses under way at once (first responses ahead of answers, adapters/lanes.py):
# kept-alive connections are reused instead of one new connection per response in a burst.
# Interaction endpoints are outside Discord's global rate limit; discord.py still keeps each
# one's own bucket.
RESPONSE_SLOTS = 64
PAGE_CACHE = 256
ROLE_CACHE = 64  # distinct permission sets whose Parley role is remembered
PAGE_PREFIX = "page:"
SYNC_KEY = "discord.commands_hash"
SYNC_LEASE = timedelta(minutes=2)  # longer than any upload


def configure_endpoints(api_base_url: str, gateway_url: str | None) -> None:
    """Point discord.py at another Discord-compatible server (tests, proxies)."""
    discord.http.Route.BASE = api_base_url.rstrip("/")
    if gateway_url:
        DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(gateway_url)


def role_of(permissions: discord.Permissions, services: Services) -> Role:
    """A member's Parley role by their permissions in the channel."""
    settings = services.settings
    if permissions.administrator or getattr(permissions, settings.discord_admin_permission):
        return Role.ADMIN
    if getattr(permissions, settings.discord_moderator_permission):
        return Role.MODERATOR
    return Role.MEMBER


def permission_label(name: str) -> str:
    """A permission as Discord's settings name it (``manage_guild`` → ``Manage Server``)."""
    return name.replace("guild", "server").replace("_", " ").title()


def who_configures(services: Services) -> str:
    settings = services.settings
    return (f"Members with {permission_label(settings.discord_admin_permission)} are Parley "
            f"admins; with {permission_label(settings.discord_moderator_permission)}, "
            "moderators (they pick the article and schedule digests, under `/mod`).")


def welcome_channel(guild: discord.Guild) -> discord.TextChannel | None:
    """The server's system channel, else the first text channel Parley may write in."""
    me = guild.me
    if me is None:
        return None
    candidates = [guild.system_channel] if guild.system_channel else []
    candidates += sorted(guild.text_channels, key=lambda c: c.position)
    for channel in candidates:
        allowed = channel.permissions_for(me)
        if allowed.view_channel and allowed.send_messages and allowed.embed_links:
            return channel
    return None


def _embeds(page_list: list[Page]) -> list[discord.Embed]:
    return [discord.Embed.from_dict(p.embed()) for p in page_list]


def _files(reply: Reply) -> list[discord.File]:
    """The reply's pictures as attachments, each with its alt text as the description."""
    return [discord.File(io.BytesIO(p.data), filename=p.name, description=p.alt[:1024])
            for p in reply.pictures]


class ParleyDiscord(discord.Client):
    """One Discord connection serving Parley's registry."""

    def __init__(self, services: Services, **shards: Any) -> None:
        intents = discord.Intents.none()
        intents.guilds = True
        # Parley uses no voice: discord.py's own switches for its PyNaCl and davey warnings,
        # which it would otherwise log at every start.
        discord.VoiceClient.warn_nacl = False
        discord.VoiceClient.warn_dave = False
        super().__init__(intents=intents, allowed_mentions=discord.AllowedMentions.none(),
                         guild_ready_timeout=services.settings.discord_guild_ready_timeout_s,
                         **shards)
        self.services = services
        # the commands replies name, as Discord files them (/article use → /mod article use)
        self.mentions = command_mentions(paths(services.registry))
        self._pages: LRU[str, list[Page]] = LRU(PAGE_CACHE)
        self._rendered: Rendered[tuple[list[Page], list[discord.Embed], list[dict[str, Any]],
                                       discord.ui.View | None]] = Rendered()
        self._views = Views()
        self._roles: LRU[int, Role] = LRU(ROLE_CACHE)  # by permission bits (settings fixed)
        self._no_mentions = discord.AllowedMentions.none()
        self._raw_answers: set[asyncio.Task[None]] = set()
        self.synced = asyncio.Event()
        self._unanswered = InFlight()  # interactions still waiting for their first response
        self._lanes = Lanes(RESPONSE_SLOTS)
        self._answering = asyncio.Semaphore(ANSWERS_AT_ONCE)
        self._burst: asyncio.Future[None] | None = None  # see _next_burst
        self.logged_in = False
        self._guard_parsers()

    def _guard_parsers(self) -> None:
        """A gateway event discord.py cannot parse is logged (and, for an interaction,
        answered) instead of ending the connection and the process."""
        parsers = self._connection.parsers
        for name, parse in list(parsers.items()):
            parsers[name] = self._guarded(name, parse)

    def _guarded(self, name: str, parse: Any) -> Any:
        def guarded(data: Any) -> None:
            try:
                parse(data)
            except Exception as exc:
                log.warning("malformed gateway event", extra={
                    "event": name, "error": type(exc).__name__})
                if name == "INTERACTION_CREATE" and isinstance(data, dict):
                    task = asyncio.get_running_loop().create_task(self._answer_raw(data))
                    self._raw_answers.add(task)
                    task.add_done_callback(self._raw_answers.discard)
        return guarded

    async def _answer_raw(self, data: dict[str, Any]) -> None:
        """An ephemeral "could not read that" for an interaction discord.py could not parse."""
        interaction_id, token = str(data.get("id", "")), str(data.get("token", ""))
        if not interaction_id.isdigit() or not token:
            return
        route = discord.http.Route("POST", "/interactions/{interaction_id}/{token}/callback",
                                   interaction_id=interaction_id, token=token)
        body = {"type": 4, "data": {"content": MALFORMED, "flags": 64,
                                    "allowed_mentions": {"parse": []}}}
        try:
            await self.http.request(route, json=body)
        except (discord.HTTPException, OSError) as exc:
            log.warning("malformed interaction not answered", extra={
                "error": type(exc).__name__})

    async def login(self, token: str) -> None:
        await super().login(token)
        self.logged_in = True

    def can_post(self) -> bool:
        """Logged in (REST works before the gateway is up) and not closed yet."""
        return self.logged_in and not self.is_closed()

    async def on_ready(self) -> None:
        log.info("discord ready", extra={"guilds": len(self.guilds)})
        await self.sync_commands()

    async def before_identify_hook(self, shard_id: int | None, *, initial: bool = False) -> None:
        """Discord's one IDENTIFY per 5 s, kept across every process of a sharded bot (instead
        of discord.py's sleep, which only paces the shards of one process)."""
        await self.services.identify_turn(0)  # max_concurrency taken as 1: one bucket

    async def on_guild_join(self, guild: discord.Guild) -> None:
        """Added to a server: one short setup message where Parley may write."""
        allowed = self.services.settings.discord_guild_ids
        if allowed and guild.id not in allowed:
            return
        channel = welcome_channel(guild)
        if channel is None:
            log.info("no channel to welcome a new server in", extra={"guild": guild.id})
            return
        reply = welcome(self.services.registry, who_configures(self.services))
        try:
            # keyed by the server: a GUILD_CREATE delivered twice welcomes once
            await DiscordPoster(self, self.mentions).post(str(channel.id), reply, PostKey(
                id=f"welcome:{guild.id}", since=self.services.now()))
        except (PermanentPostError, discord.HTTPException) as exc:
            log.warning("setup message not posted", extra={"guild": guild.id,
                                                           "error": type(exc).__name__})

    async def sync_commands(self, force: bool = False) -> bool:
        """Upload the commands if they changed since the last sync (or when forced); with
        several processes (shards), one uploads and the others find the hash recorded."""
        scope = ",".join(map(str, self.services.settings.discord_guild_ids)) or "global"
        async with self.services.alone(f"{SYNC_KEY}.{scope}", SYNC_LEASE) as mine:
            if not mine:  # another process is uploading the same definitions now
                self.synced.set()
                return False
            return await self._sync(force)

    async def _sync(self, force: bool) -> bool:
        payload = application_commands(self.services.registry, self._permission_bits())
        digest = definitions_hash(payload)
        guilds = self.services.settings.discord_guild_ids
        scope = ",".join(map(str, guilds)) or "global"
        stored = await self.services.kept(f"{SYNC_KEY}.{scope}")
        if stored == digest and not force:
            self.synced.set()
            return False
        assert self.application_id is not None
        if guilds:
            for guild in guilds:
                await self.http.bulk_upsert_guild_commands(self.application_id, guild, payload)
        else:
            await self.http.bulk_upsert_global_commands(self.application_id, payload)
        await self.services.keep(f"{SYNC_KEY}.{scope}", digest)
        log.info("discord commands synced", extra={"scope": scope, "commands": len(payload)})
        self.synced.set()
        return True

    def _permission_bits(self) -> dict[Role, str | None]:
        settings = self.services.settings
        bit = {name: value for name, value in discord.Permissions.VALID_FLAGS.items()}
        return {Role.MEMBER: None,
                Role.MODERATOR: str(bit[settings.discord_moderator_permission]),
                Role.ADMIN: str(bit[settings.discord_admin_permission])}

    async def on_interaction(self, interaction: discord.Interaction) -> None:
        if not await self._first_delivery(interaction):
            log.info("duplicate interaction dropped", extra={"interaction": interaction.id})
            return
        try:
            if interaction.type == discord.InteractionType.autocomplete:
                await self._autocomplete(interaction)
            elif interaction.type in (discord.InteractionType.application_command,
                                      discord.InteractionType.component):
                await self._answer(interaction)
        except discord.NotFound:
            log.warning("interaction expired before the answer",
                        extra={"interaction": interaction.id})
        except discord.HTTPException as exc:
            log.warning("discord refused the answer", extra={"status": exc.status})
        except (aiohttp.ClientError, OSError, TimeoutError) as exc:
            # Discord not reached (a connection refused or timing out): nothing to answer with
            log.warning("discord unreachable for the answer",
                        extra={"interaction": interaction.id, "error": type(exc).__name__})
        except Exception as exc:  # a malformed interaction: logged, answered if it can be
            log.warning("malformed interaction", extra={"interaction": interaction.id,
                                                        "error": type(exc).__name__})
            await self._answer_malformed(interaction)

    async def _first_delivery(self, interaction: discord.Interaction) -> bool:
        """False for an interaction id already handled (a redelivery), across restarts too.

        Discord sends an interaction to one gateway session and replays it only to that
        session when it resumes, so the check is this process's own (in memory), its record
        stored in batches for a restart."""
        return await self.services.first_delivery_here("discord:", str(interaction.id),
                                                       INTERACTION_LIFETIME_S)

    async def _answer_malformed(self, interaction: discord.Interaction) -> None:
        try:
            if interaction.type == discord.InteractionType.autocomplete:
                if not interaction.response.is_done():
                    await interaction.response.autocomplete([])
            elif interaction.response.is_done():
                await interaction.followup.send(MALFORMED, ephemeral=True)
            else:
                await interaction.response.send_message(MALFORMED, ephemeral=True)
        except (discord.HTTPException, OSError, ValueError, TypeError) as exc:
            log.warning("malformed interaction not answered", extra={
                "error": type(exc).__name__})

    def _request(self, interaction: discord.Interaction, command: str = "help",
                 args: dict[str, Any] | None = None) -> Request:
        channel = interaction.channel
        # A thread discusses its parent channel's article, with its settings.
        where = channel.parent_id if isinstance(channel, discord.Thread) else interaction.channel_id
        return Request(platform="discord", workspace=str(interaction.guild_id or "dm"),
                       channel=str(where or "dm"), user=str(interaction.user.id),
                       user_name=interaction.user.name,
                       role=self._role(interaction), command=command, args=args or {})

    def _role(self, interaction: discord.Interaction) -> Role:
        """The member's role, worked out once per distinct set of permissions."""
        return self._roles.made(interaction.permissions.value,
                                lambda: role_of(interaction.permissions, self.services))

    def _refusal(self, interaction: discord.Interaction) -> Reply | None:
        allowed = self.services.settings.discord_guild_ids
        if interaction.guild_id is None:
            return Reply(kind="error", ephemeral=True,
                         text="Parley works in server channels, not in direct messages.")
        if allowed and interaction.guild_id not in allowed:
            return Reply(kind="error", ephemeral=True,
                         text="Parley is not set up for this server.")
        return None

    def _resolved(self, interaction: discord.Interaction
                  ) -> tuple[str, dict[str, Any], bool] | None:
        """An application command's registry name, raw arguments and whether it was asked
        about a message (None for a button press): read once per interaction."""
        if interaction.type != discord.InteractionType.application_command:
            return None
        data: dict[str, Any] = dict(interaction.data or {})
        name, args = resolve(self.services.registry, data)
        return name, args, resolve_message(self.services.registry, data) is not None

    def _is_slow(self, resolved: tuple[str, dict[str, Any], bool] | None) -> bool:
        if resolved is None:
            return False
        command = self.services.registry.get(resolved[0])
        return bool(command and command.slow)

    async def _run(self, interaction: discord.Interaction,
                   resolved: tuple[str, dict[str, Any], bool] | None) -> Reply:
        """The reply to an application command (``resolved``) or a button press."""
        if resolved is None:
            data: dict[str, Any] = dict(interaction.data or {})
            custom_id = str(data.get("custom_id", ""))
            line = custom_id.removeprefix(CUSTOM_ID_PREFIX)
            if line.startswith(PAGE_PREFIX):
                return self._page(line)
            reply = await run_line(self.services.registry, line, self._request(interaction),
                                   self.services)
            return reply.model_copy(update={"ephemeral": True})
        name, args, on_message = resolved
        reply = await dispatch(self.services.registry, self._request(interaction, name, args),
                               self.services)
        if on_message and not reply.ephemeral:
            # Asked about somebody's message: only the member who asked sees the answer.
            reply = reply.model_copy(update={"ephemeral": True})
        return reply

    async def _answer(self, interaction: discord.Interaction) -> None:
        self._unanswered.enter()
        first = [True]  # until this interaction's first response has gone

        def responded() -> None:
            if first[0]:
                first[0] = False
                self._unanswered.leave()

        try:
            async with self.services.working() as accepted:
                refusal = self._refusal(interaction) if accepted else RESTARTING
                if refusal is not None:
                    await self._send(interaction, refusal)
                    return
                await self._work(interaction, responded)
        finally:
            responded()

    async def _work(self, interaction: discord.Interaction,
                    responded: Callable[[], None]) -> None:
        burst = (self.services.in_flight.count > DEFER_QUEUE
                 or self._lanes.waiting_first > 0)
        if burst:
            self._burst_began()
        resolved = self._resolved(interaction)
        if burst or self._is_slow(resolved):
            await self._defer(interaction, responded)
            if burst:  # the other interactions' first responses go before this work
                async with self._answering:
                    await self._unanswered.at_most(LULL_QUEUE, BURST_LULL_S)
                    reply = await self._run(interaction, resolved)
                await self._send(interaction, reply)
                return
            await self._send(interaction, await self._run(interaction, resolved))
            return
        # Deferred after two seconds, or as soon as a burst begins behind this one: a timer
        # and a callback start the deferral beside the work (no task for the work itself).
        deferring: list[asyncio.Task[None]] = []

        def defer_now(*_: object) -> None:
            if not deferring and not interaction.response.is_done():
                deferring.append(asyncio.create_task(self._defer(interaction, responded)))

        timer = asyncio.get_running_loop().call_later(DEFER_AFTER_S, defer_now)
        burst_began = self._next_burst()
        burst_began.add_done_callback(defer_now)
        try:
            reply = await self._run(interaction, resolved)
        finally:
            timer.cancel()
            burst_began.remove_done_callback(defer_now)
            if deferring:  # the deferral under way goes (or fails) before the answer
                await deferring[0]
        await self._send(interaction, reply)

    def _next_burst(self) -> asyncio.Future[None]:
        """Done when the next burst begins (one future shared by the commands under way)."""
        if self._burst is None or self._burst.done():
            self._burst = asyncio.get_running_loop().create_future()
        return self._burst

    def _burst_began(self) -> None:
        if self._burst is not None and not self._burst.done():
            self._burst.set_result(None)

    async def _defer(self, interaction: discord.Interaction,
                     responded: Callable[[], None]) -> None:
        """Show "thinking…" at once: the first response, in the lane ahead of answers."""
        async with self._lanes.first():
            await interaction.response.defer(thinking=True)
        responded()

    def _render(self, reply: Reply) -> tuple[list[Page], list[discord.Embed],
                                              list[dict[str, Any]], discord.ui.View | None]:
        """The reply's pages, its first page's embeds, its buttons' rows and their view (a
        reply with more than one page gets its own "More" button, so its view is made each
        time it is sent)."""
        all_pages = pages(reply, self.mentions)
        rows = buttons(reply)
        return (all_pages, _embeds(all_pages[:1]), rows,
                self._views.of(rows) if len(all_pages) == 1 else None)

    async def _send(self, interaction: discord.Interaction, reply: Reply) -> None:
        all_pages, embeds, rows, view = self._rendered.of(reply, self._render)
        if len(all_pages) > 1:
            key = secrets.token_hex(4)
            self._pages.put(key, all_pages)
            rows = [{"type": 1, "components": [
                *(rows[0]["components"] if rows else []),
                {"type": 2, "style": 2, "label": f"More (1/{len(all_pages)})",
                 "custom_id": f"{CUSTOM_ID_PREFIX}{PAGE_PREFIX}{key}:1"}][:5]}]
            view = self._views.of(rows)
        files = _files(reply)
        mentions = self._no_mentions
        # Only a reply with pictures is sent as multipart, with its files attached.
        attached: Any = files or discord.utils.MISSING
        if interaction.response.is_done():
            async with self._lanes.answer():
                await interaction.edit_original_response(embeds=embeds, view=view,
                                                         attachments=attached,
                                                         allowed_mentions=mentions)
            return
        async with self._lanes.first():
            if view is not None:
                await interaction.response.send_message(
                    embeds=embeds, view=view, files=attached, ephemeral=reply.ephemeral,
                    allowed_mentions=mentions)
            else:
                await interaction.response.send_message(
                    embeds=embeds, ephemeral=reply.ephemeral, files=attached,
                    allowed_mentions=mentions)

    def _page(self, line: str) -> Reply:
        key, _, number = line.removeprefix(PAGE_PREFIX).partition(":")
        cached = self._pages.get(key)
        if cached is None or not number.isdigit() or int(number) >= len(cached):
            return Reply(kind="not_found", ephemeral=True,
                         text="That answer is no longer available; ask again.")
        page = cached[int(number)]
        text = page.description + "".join(f"\n\n**{n}**\n{v}" for n, v in page.fields)
        actions = []
        if int(number) + 1 < len(cached):
            actions.append(Action(label=f"More ({int(number) + 1}/{len(cached)})",
                                  command=f"{PAGE_PREFIX}{key}:{int(number) + 1}"))
        return Reply(title=page.title, text=text.strip(), ephemeral=True, actions=actions)

    async def _autocomplete(self, interaction: discord.Interaction) -> None:
        """Suggestions from the core's completion service, by the parameter's declared kind."""
        param, typed = focused_param(self.services.registry, dict(interaction.data or {}))
        found = await complete(self.services, self._request(interaction),
                               param.complete if param else None, typed)
        await interaction.response.autocomplete(
            [app_commands.Choice(name=c.label, value=c.value) for c in found])


def nonce_for(key: PostKey, page: int) -> str:
    """The Discord nonce of one page of a keyed post: stable across attempts, 24 characters
    (Discord takes up to 25)."""
    return hashlib.blake2b(f"{key.id}#{page}".encode(), digest_size=12).hexdigest()


class DiscordPoster:
    """Posts replies to channels through the REST API (discord.py retries 429s).

    A keyed post sends each page with a nonce derived from the key and ``enforce_nonce``
    (discord.py sets it with every nonce): Discord then answers a repeat of that nonce by the
    same author within its window of a few minutes with the message already created, so a
    retry or a restart soon after an accepted post does not post it again.
    """

    def __init__(self, client: discord.Client, mentions: Mentions | None = None) -> None:
        self.client = client
        self.mentions = mentions

    async def post(self, channel: str, reply: Reply, key: PostKey | None = None) -> str:
        message_id = ""
        public = reply.model_copy(update={"ephemeral": False})
        for i, page in enumerate(pages(public, self.mentions)):
            try:
                message = await self.client.get_partial_messageable(int(channel)).send(
                    embed=discord.Embed.from_dict(page.embed()),
                    files=(_files(reply) if i == 0 and reply.pictures
                           else discord.utils.MISSING),
                    allowed_mentions=discord.AllowedMentions.none(),
                    # unkeyed posts get a fresh nonce: a retry of this very request is still
                    # one message
                    nonce=nonce_for(key, i) if key is not None else secrets.token_hex(12))
            except (discord.NotFound, discord.Forbidden) as exc:  # channel gone, bot removed
                raise PermanentPostError(f"{exc.status}: {exc.text}") from exc
            message_id = message_id or str(message.id)
        return message_id


class ShardedParleyDiscord(ParleyDiscord, discord.AutoShardedClient):
    """The same client over this process's shards (``DISCORD_SHARD_IDS`` of
    ``DISCORD_SHARD_COUNT``)."""


def new_client(services: Services) -> ParleyDiscord:
    """A client pointed at the configured Discord (or a Discord-compatible test server)."""
    settings = services.settings
    configure_endpoints(settings.discord_api_base_url, settings.discord_gateway_url)
    if settings.discord_shard_count:
        return ShardedParleyDiscord(services, shard_count=settings.discord_shard_count,
                                    shard_ids=settings.discord_shard_ids or None)
    return ParleyDiscord(services)


async def sync_now(services: Services) -> int:
    """Upload the command definitions over REST, without connecting to the gateway."""
    settings = services.settings
    assert settings.discord_token is not None
    client = new_client(services)
    await client.login(settings.discord_token.get_secret_value())
    try:
        client._connection.application_id = (await client.application_info()).id
        await client.sync_commands(force=True)
        return len(application_commands(services.registry))
    finally:
        await client.close()


async def run_client(client: ParleyDiscord, stop: asyncio.Event) -> None:
    """Log ``client`` in, connect and answer until ``stop`` is set."""
    services = client.services
    assert services.settings.discord_token is not None
    await client.login(services.settings.discord_token.get_secret_value())
    runner = asyncio.create_task(client.connect(reconnect=True))
    try:
        done, _ = await asyncio.wait({runner, asyncio.create_task(stop.wait())},
                                     return_when=asyncio.FIRST_COMPLETED)
        if runner in done:
            runner.result()
    finally:
        await services.drain()  # answers in flight still need the connection
        await client.close()
        if not runner.done():
            runner.cancel()


async def serve(services: Services, stop: asyncio.Event) -> None:
    """Log in, connect and answer until ``stop`` is set."""
    await run_client(new_client(services), stop)
