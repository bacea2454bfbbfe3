"""The bolt AsyncApp: one slash command per registry group, ``/parley`` for all, rating buttons.

Every listener acks at once and works out the answer in a background task, posting it to the
request's response URL, so Slack's three-second limit holds whatever the command costs.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from typing import Any

import aiohttp
from slack_bolt.async_app import AsyncApp
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from parley.adapters.rendered import Rendered
from parley.adapters.slack.render import ACTION_PREFIX, messages
from parley.adapters.slack.roles import RoleResolver
from parley.adapters.slack.uploads import upload_pictures, with_pictures_in_words
from parley.core.errors import UserError
from parley.core.inflight import InFlight
from parley.core.models import Reply, Request
from parley.core.onboarding import home
from parley.core.registry import RESTARTING, dispatch, run_line
from parley.core.services import Services

UMBRELLA = "parley"
MESSAGE_PREFIX = "message_"  # the callback ids of message shortcuts (registry.callback_id)
Work = Callable[[dict[str, Any]], Awaitable[Reply]]
Listener = Callable[[Any, dict[str, Any]], Awaitable[None]]
RETRIES = 3
# Slack fails a command not acked within three seconds, while an answer may follow for minutes.
# An answer starts at once; only when this many acks are still pending (a burst, where answers'
# work would delay them) does it wait, at most ACK_LULL_S, for them to go out first.
ACK_BACKLOG = 32
ACK_LULL_S = 2.0
WORKING = "Working on it…"
MAX_VIEW_BLOCKS = 100  # Slack's limit for a Home tab view
WHO_CONFIGURES = ("Workspace owners are Parley admins; workspace admins and the moderator "
                  "user group are moderators (they pick the article and schedule digests).")
log = logging.getLogger("parley.slack")


def retry_handlers() -> list[AsyncRetryHandler]:
    """Retries with backoff for 429 (after Retry-After), 500/503 and dropped connections."""
    return [AsyncRateLimitErrorRetryHandler(max_retry_count=RETRIES),
            AsyncServerErrorRetryHandler(max_retry_count=RETRIES),
            AsyncConnectionErrorRetryHandler(max_retry_count=RETRIES)]


def webhook_logger() -> logging.Logger:
    """The response-URL posts' logger, its level set to what logging lets through now.

    slack_sdk formats a debug line of every post's whole body whenever its logger's own level
    is DEBUG or unset (``logger.level <= DEBUG``, not ``isEnabledFor``), before logging drops
    it; a level set here keeps that work for when debug logging is really on."""
    hook_log = logging.getLogger("parley.slack.webhook")
    if hook_log.level == logging.NOTSET:
        hook_log.setLevel(hook_log.getEffectiveLevel())
    return hook_log


def make_client(services: Services) -> AsyncWebClient:
    """The Web API client, pointed at SLACK_API_BASE_URL, retrying as :func:`retry_handlers`."""
    settings = services.settings
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return AsyncWebClient(token=token, base_url=settings.slack_api_base_url,
                          retry_handlers=retry_handlers())


def command_names(services: Services) -> list[str]:
    """The slash commands Parley registers: one per registry group, plus the umbrella."""
    return [*services.registry.groups(), UMBRELLA]


class SlackAdapter:
    """Parley's bolt listeners as methods: each slash command and button press is acked at once
    (:meth:`acked`), worked out in the background (:meth:`respond_later`) and posted to its
    response URL (:meth:`answer`).

    ``session`` (one per server, reused for every answer) saves a connection per response-URL
    post; ``acks`` (the HTTP server's) lets answers yield to pending acks.
    """

    def __init__(self, services: Services, client: AsyncWebClient,
                 session: aiohttp.ClientSession | None = None,
                 acks: InFlight | None = None) -> None:
        self.services = services
        self.client = client
        self.session = session
        self.acks = acks
        self.roles = RoleResolver(client, services.settings.slack_moderator_group)
        self._background: set[asyncio.Task[None]] = set()  # running answers, kept referenced
        self._retries = retry_handlers()  # stateless: every answer's post shares them
        self._rendered: Rendered[list[dict[str, Any]]] = Rendered()
        self._hook_log = webhook_logger()

    def app(self, verified: bool = False) -> AsyncApp:
        """A bolt app with a listener for every command group, ``/parley`` and the buttons;
        ``verified``: every request reaches it through the HTTP guard, which has checked its
        signature already (bolt would check it a second time)."""
        signing = self.services.settings.slack_signing_secret
        secret = signing.get_secret_value() if signing else None
        app = AsyncApp(client=self.client, signing_secret=secret, process_before_response=False,
                       request_verification_enabled=secret is not None and not verified)
        # One listener for every slash command: bolt tries its listeners in turn for each
        # request, so one per command family made every command pay for the others' matching.
        names = "|".join(re.escape(f"/{group}") for group in command_names(self.services))
        app.command(re.compile(f"^(?:{names})$"))(self.acked(self.slash, self.slash_is_slow))
        app.action(re.compile(f"^{ACTION_PREFIX}"))(self.acked(self.action))
        app.event("app_home_opened")(self.home_opened)
        app.shortcut(re.compile(f"^{MESSAGE_PREFIX}"))(self.acked(self.shortcut))
        return app

    @staticmethod
    def group_of(body: dict[str, Any]) -> str:
        """The command family a slash command's body names (``/fact`` → ``fact``)."""
        return str(body.get("command") or "").removeprefix("/")

    async def slash(self, body: dict[str, Any]) -> Reply:
        return await self.command(self.group_of(body), body)

    def slash_is_slow(self, body: dict[str, Any]) -> bool:
        return self.is_slow(self.group_of(body), body)

    def is_slow(self, group: str, body: dict[str, Any]) -> bool:
        """Whether ``/group text`` names a slow command (one acked with "Working on it…")."""
        text = str(body.get("text") or "").strip()
        line = (f"/{text}" if text else "/help") if group == UMBRELLA else f"/{group} {text}"
        try:
            command, _ = self.services.registry.parse(line)
        except UserError:
            return False
        return command.slow

    async def home_opened(self, event: dict[str, Any], body: dict[str, Any]) -> None:
        """A member opened Parley's Home tab: publish the setup and this workspace's state."""
        if event.get("tab", "home") != "home":
            return
        reply = await home(self.services, "slack", str(body.get("team_id") or "unknown"),
                           WHO_CONFIGURES)
        blocks = [b for m in messages(reply) for b in m["blocks"]][:MAX_VIEW_BLOCKS]
        try:
            await self.client.views_publish(user_id=str(event.get("user", "")),
                                            view={"type": "home", "blocks": blocks})
        except Exception as exc:  # a closed or refused Web API must not break the listener
            log.warning("home tab not published", extra={"error": type(exc).__name__})

    async def request_for(self, team: str, channel: str, user: str, name: str) -> Request:
        """The core's request for a Slack member, with their role in that workspace."""
        return Request(platform="slack", workspace=team or "unknown", channel=channel or "dm",
                       user=user, user_name=name, role=await self.roles.role(team, user),
                       command="help")

    async def command(self, group: str, body: dict[str, Any]) -> Reply:
        """The reply to ``/group text`` (``/parley text`` runs ``/text``; bare, ``/help``)."""
        text = str(body.get("text") or "").strip()
        if group == UMBRELLA:
            line = f"/{text}" if text else "/help"
        else:
            line = f"/{group} {text}".strip()
        base = await self.request_for(body.get("team_id", ""), body.get("channel_id", ""),
                                      body.get("user_id", ""), body.get("user_name", ""))
        return await run_line(self.services.registry, line, base, self.services)

    async def action(self, body: dict[str, Any]) -> Reply:
        """The reply to a button: its value is a command line; only the presser sees it."""
        action = (body.get("actions") or [{}])[0]
        user = body.get("user") or {}
        base = await self.request_for((body.get("team") or {}).get("id", ""),
                                      (body.get("channel") or {}).get("id", ""),
                                      user.get("id", ""), user.get("username", ""))
        reply = await run_line(self.services.registry, str(action.get("value", "")), base,
                               self.services)
        return reply.model_copy(update={"ephemeral": True})

    async def shortcut(self, body: dict[str, Any]) -> Reply:
        """The reply to a message shortcut ("Check with Parley" on a message): the command its
        callback id names, run on the message's text; only the member who asked sees it."""
        registry = self.services.registry
        user = body.get("user") or {}
        base = await self.request_for((body.get("team") or {}).get("id", ""),
                                      (body.get("channel") or {}).get("id", ""),
                                      user.get("id", ""),
                                      user.get("username") or user.get("name", ""))
        cmd = registry.by_message(str(body.get("callback_id", "")))
        if cmd is None:
            return Reply(kind="usage", ephemeral=True, text="Parley doesn't know that shortcut.")
        text = str((body.get("message") or {}).get("text") or "")
        request = base.model_copy(update={"command": cmd.name, "args": cmd.message_args(text)})
        reply = await dispatch(registry, request, self.services)
        return reply.model_copy(update={"ephemeral": True})

    async def answer(self, body: dict[str, Any], reply: Reply, replace: bool = False) -> None:
        """Post to the request's response URL, retried like the Web API client."""
        url = str(body.get("response_url") or "")
        if not url:
            log.warning("no response_url to answer", extra={"type": body.get("type")})
            return
        hook = AsyncWebhookClient(url, session=self.session, retry_handlers=self._retries,
                                  logger=self._hook_log)
        # A shortcut on a message in a thread answers in that thread.
        thread = (body.get("message") or {}).get("thread_ts")
        where = {"thread_ts": str(thread)} if thread else {}
        pictures = [] if reply.ephemeral else reply.pictures
        if reply.ephemeral:
            reply = with_pictures_in_words(reply)
        for message in self._rendered.of(reply, messages):
            try:
                sent = await hook.send_dict({**message, **where, "replace_original": replace})
            except Exception as exc:  # still unreachable after the retries (any transport error)
                log.warning("answer not delivered", extra={"error": type(exc).__name__})
                return
            if sent.status_code >= 400:
                log.warning("slack refused the answer", extra={"status": sent.status_code})
        channel = str(body.get("channel_id") or (body.get("channel") or {}).get("id") or "")
        await upload_pictures(self.client, channel, pictures, body.get("thread_ts"))

    async def respond_later(self, work: Work, body: dict[str, Any]) -> None:
        """The lazy half: work out the reply and post it (after the pending acks, in a burst)."""
        if self.acks is not None and self.acks.count > ACK_BACKLOG:
            await self.acks.settled(ACK_LULL_S)
        async with self.services.working() as accepted:
            if not accepted:
                await self.answer(body, RESTARTING)
                return
            try:
                reply = await work(body)
            except Exception:  # dispatch never raises; this is the adapter's own failure
                log.exception("slack answer failed")
                return
            await self.answer(body, reply)

    def acked(self, work: Work, slow: Callable[[dict[str, Any]], bool] | None = None
              ) -> Listener:
        """A listener that acks at once, then works out and posts the answer in the background
        (bolt's ack/lazy split, without copying the request for a lazy listener)."""
        async def listener(ack: Any, body: dict[str, Any]) -> None:
            if slow is not None and slow(body):
                await ack(text=WORKING)  # only the member sees it; the answer follows
            else:
                await ack()
            task = asyncio.create_task(self.respond_later(work, body))
            self._background.add(task)
            task.add_done_callback(self._background.discard)
        return listener


def build_app(services: Services, client: AsyncWebClient,
              session: aiohttp.ClientSession | None = None,
              acks: InFlight | None = None, verified: bool = False) -> AsyncApp:
    """The bolt app of a new :class:`SlackAdapter` (``verified``: see :meth:`SlackAdapter.app`)."""
    return SlackAdapter(services, client, session, acks).app(verified)
