"""Posting a Reply into a Slack channel (digests): chat.postMessage, retried on 429 and drops.

A keyed post (``PostKey``) carries the key in each message's metadata. Before a keyed post that
may already have been accepted (a restart after a crash, or a retry after a dropped connection
or a server error), the channel's recent history is read, bounded, for messages with that
key's metadata, and only the parts not found are posted.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from parley.adapters.slack.render import messages
from parley.adapters.slack.uploads import upload_pictures
from parley.core.models import Reply
from parley.core.platform import PermanentPostError, PostKey

log = logging.getLogger("parley.slack")

# Errors after which posting to that channel can never succeed.
PERMANENT = {"channel_not_found", "not_in_channel", "is_archived", "account_inactive",
             "invalid_auth", "token_revoked", "no_permission", "restricted_action"}
EVENT_TYPE = "parley_post"  # the metadata event type of every keyed post
HISTORY_PAGE = 200  # messages per conversations.history call
HISTORY_PAGES = 5  # at most this many calls: the newest 1,000 messages since the key's start
RETRIES = 3
BACKOFF_S = (0.5, 2.0, 5.0)
CLOCK_SKEW_S = 120  # history is read from this long before the key's start


class SlackPoster:
    """Posts replies with the retrying Web API client; returns the posted message's ts."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        # Keyed posts retry drops and 5xx themselves, after looking at the channel (a retry
        # without looking could post a message Slack had already accepted); 429s are refused
        # requests, safe to send again, so the rate-limit handler stays.
        self.keyed = AsyncWebClient(token=client.token, base_url=client.base_url,
                                    timeout=client.timeout,
                                    retry_handlers=[AsyncRateLimitErrorRetryHandler(
                                        max_retry_count=RETRIES)])

    async def post(self, channel: str, reply: Reply, key: PostKey | None = None) -> str:
        parts = messages(reply.model_copy(update={"ephemeral": False}))
        found = await self.already_posted(channel, key) if key and key.retry else {}
        ts = ""
        for i, message in enumerate(parts):
            if i in found:
                ts = ts or found[i]
                continue
            posted = (await self._post_keyed(channel, message, key, i) if key
                      else await self._post(self.client, channel, message))
            ts = ts or posted
        if not found:  # pictures go with a first post only, never twice
            await upload_pictures(self.client, channel, reply.pictures)
        return ts

    async def _post(self, client: AsyncWebClient, channel: str, message: dict[str, Any],
                    metadata: dict[str, Any] | None = None) -> str:
        try:
            response = await client.chat_postMessage(
                channel=channel, blocks=message["blocks"], text=message["text"],
                metadata=metadata)
        except SlackApiError as exc:
            error = exc.response.get("error") if isinstance(exc.response.data, dict) else ""
            if error in PERMANENT:
                raise PermanentPostError(str(error)) from exc
            raise
        return str(response.get("ts", ""))

    async def _post_keyed(self, channel: str, message: dict[str, Any], key: PostKey,
                          part: int) -> str:
        metadata = {"event_type": EVENT_TYPE, "event_payload": {"key": key.id, "part": part}}
        for attempt in range(RETRIES + 1):
            try:
                return await self._post(self.keyed, channel, message, metadata)
            except (aiohttp.ClientError, TimeoutError, SlackApiError) as exc:
                if attempt == RETRIES or not _maybe_accepted(exc):
                    raise
            await asyncio.sleep(BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)])
            seen = await self.already_posted(channel, key)
            if part in seen:
                return seen[part]
        raise AssertionError("unreachable")  # pragma: no cover

    async def already_posted(self, channel: str, key: PostKey) -> dict[int, str]:
        """The parts of ``key`` found in the channel's recent history (part → ts), reading at
        most ``HISTORY_PAGES`` pages since shortly before the key's start. Unreadable history
        (no ``channels:history`` scope, say) is logged and counts as nothing found."""
        found: dict[int, str] = {}
        oldest = f"{key.since.timestamp() - CLOCK_SKEW_S:.6f}"
        cursor: str | None = None
        try:
            for _ in range(HISTORY_PAGES):
                page = await self.client.conversations_history(
                    channel=channel, oldest=oldest, limit=HISTORY_PAGE,
                    include_all_metadata=True, cursor=cursor)
                for item in page.get("messages") or []:
                    part = _part_of(item, key)
                    if part is not None:
                        found.setdefault(part, str(item.get("ts", "")))
                cursor = ((page.get("response_metadata") or {}).get("next_cursor")
                          if page.get("has_more") else None)
                if not cursor:
                    break
        except (SlackApiError, aiohttp.ClientError, TimeoutError) as exc:
            log.warning("channel history unreadable; posting without the check",
                        extra={"channel": channel, "error": type(exc).__name__})
        return found


def _part_of(item: Any, key: PostKey) -> int | None:
    """The part number of ``key`` that a history message carries, or None."""
    if not isinstance(item, dict) or not item.get("bot_id"):
        return None
    metadata = item.get("metadata")
    if not isinstance(metadata, dict) or metadata.get("event_type") != EVENT_TYPE:
        return None
    payload = metadata.get("event_payload")
    if not isinstance(payload, dict) or payload.get("key") != key.id:
        return None
    part = payload.get("part")
    return part if isinstance(part, int) and not isinstance(part, bool) else None


def _maybe_accepted(exc: Exception) -> bool:
    """Whether a failed post may still have been accepted and is worth retrying: a dropped or
    timed-out connection, or a server error (Slack may have stored the message first)."""
    if isinstance(exc, SlackApiError):
        return int(exc.response.status_code) >= 500
    return True
