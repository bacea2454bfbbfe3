"""Pictures into a Slack channel or thread through the external upload API (files:write)."""

from __future__ import annotations

import logging

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from parley.core.models import Picture, Reply, ReplySection

log = logging.getLogger("parley.slack")


async def upload_pictures(client: AsyncWebClient, channel: str, pictures: list[Picture],
                          thread_ts: str | None = None) -> bool:
    """Share the pictures in the channel (or the thread), each with its alt text; a failure is
    logged, never raised: the words were already delivered and must not be sent again."""
    if not pictures or not channel:
        return False
    uploads = [{"content": p.data, "filename": p.name, "title": p.alt[:250], "alt_txt": p.alt}
               for p in pictures]
    try:
        await client.files_upload_v2(file_uploads=uploads, channel=channel,
                                     thread_ts=thread_ts or None)
    except (SlackApiError, aiohttp.ClientError, OSError) as exc:
        log.warning("pictures not uploaded", extra={"error": type(exc).__name__})
        return False
    return True


def with_pictures_in_words(reply: Reply) -> Reply:
    """A private answer cannot carry an upload (Slack shares files with the whole channel), so
    its pictures are given as their words."""
    if not reply.pictures:
        return reply
    words = [ReplySection(title="Chart", text=p.alt) for p in reply.pictures]
    return reply.model_copy(update={"sections": [*reply.sections, *words], "pictures": []})
