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

from parley.adapters.slack.render import ACTION_PREFIX, messages
from parley.adapters.slack.roles import RoleResolver
from parley.core.inflight import InFlight
from parley.core.models import Reply, Request
from parley.core.registry import RESTARTING, run_line
from parley.core.services import Services

UMBRELLA = "parley"
Work = Callable[[dict[str, Any]], Awaitable[Reply]]
RETRIES = 3
# Slack fails a command not acked within three seconds, while an answer may follow for minutes:
# under a burst, answers wait this long at most for the pending acks to go out first.
ACK_LULL_S = 2.0
log = logging.getLogger("parley.slack")


def retry_handlers() -> list[AsyncRetryHandler]:
    """Retries with backoff for 429 (after Retry-After), 500/503 and dropped connections."""
    return [AsyncRateLimitErrorRetryHandler(max_retry_count=RETRIES),
            AsyncServerErrorRetryHandler(max_retry_count=RETRIES),
            AsyncConnectionErrorRetryHandler(max_retry_count=RETRIES)]


def make_client(services: Services) -> AsyncWebClient:
    """The Web API client, pointed at SLACK_API_BASE_URL, retrying as :func:`retry_handlers`."""
    settings = services.settings
    token = settings.slack_bot_token.get_secret_value() if settings.slack_bot_token else None
    return AsyncWebClient(token=token, base_url=settings.slack_api_base_url,
                          retry_handlers=retry_handlers())


def command_names(services: Services) -> list[str]:
    """The slash commands Parley registers: one per registry group, plus the umbrella."""
    return [*services.registry.groups(), UMBRELLA]


def build_app(services: Services, client: AsyncWebClient,
              session: aiohttp.ClientSession | None = None,
              acks: InFlight | None = None) -> AsyncApp:
    """The app; ``session`` (one per server, reused for every answer) saves a connection per
    response-URL post; ``acks`` (the HTTP server's) lets answers yield to pending acks."""
    settings = services.settings
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret \
        else None
    app = AsyncApp(client=client, signing_secret=secret, process_before_response=False,
                   request_verification_enabled=secret is not None)
    roles = RoleResolver(client, settings.slack_moderator_group)

    async def request_for(team: str, channel: str, user: str, name: str) -> Request:
        return Request(platform="slack", workspace=team or "unknown", channel=channel or "dm",
                       user=user, user_name=name, role=await roles.role(team, user),
                       command="help")

    async def answer(body: dict[str, Any], reply: Reply, replace: bool = False) -> None:
        """Post to the request's response URL, retried like the Web API client."""
        url = str(body.get("response_url") or "")
        if not url:
            log.warning("no response_url to answer", extra={"type": body.get("type")})
            return
        hook = AsyncWebhookClient(url, session=session, retry_handlers=retry_handlers())
        for message in messages(reply):
            try:
                sent = await hook.send_dict({**message, "replace_original": replace})
            except Exception as exc:  # still unreachable after the retries
                log.warning("answer not delivered", extra={"error": type(exc).__name__})
                return
            if sent.status_code >= 400:
                log.warning("slack refused the answer", extra={"status": sent.status_code})

    background: set[asyncio.Task[None]] = set()  # held so running answers are not collected

    async def respond_later(work: Work, body: dict[str, Any]) -> None:
        if acks is not None:
            await acks.settled(ACK_LULL_S)
        async with services.working() as accepted:
            if not accepted:
                await answer(body, RESTARTING)
                return
            try:
                reply = await work(body)
            except Exception:  # dispatch never raises; this is the adapter's own failure
                log.exception("slack answer failed")
                return
            await answer(body, reply)

    def acked(work: Work) -> Any:
        """A listener that acks at once, then works out and posts the answer in the background
        (bolt's ack/lazy split, without copying the request for a lazy listener)."""
        async def listener(ack: Any, body: dict[str, Any]) -> None:
            await ack()
            task = asyncio.create_task(respond_later(work, body))
            background.add(task)
            task.add_done_callback(background.discard)
        return listener

    def slash_command(group: str) -> Work:
        async def work(body: dict[str, Any]) -> Reply:
            text = str(body.get("text") or "").strip()
            line = f"/{text}" if group == UMBRELLA else f"/{group} {text}".strip()
            if group == UMBRELLA and not text:
                line = "/help"
            base = await request_for(body.get("team_id", ""), body.get("channel_id", ""),
                                     body.get("user_id", ""), body.get("user_name", ""))
            return await run_line(services.registry, line, base, services)
        return work

    for group in command_names(services):
        app.command(f"/{group}")(acked(slash_command(group)))

    async def button(body: dict[str, Any]) -> Reply:
        action = (body.get("actions") or [{}])[0]
        base = await request_for((body.get("team") or {}).get("id", ""),
                                 (body.get("channel") or {}).get("id", ""),
                                 (body.get("user") or {}).get("id", ""),
                                 (body.get("user") or {}).get("username", ""))
        reply = await run_line(services.registry, str(action.get("value", "")), base, services)
        return reply.model_copy(update={"ephemeral": True})

    app.action(re.compile(f"^{ACTION_PREFIX}"))(acked(button))
    return app
