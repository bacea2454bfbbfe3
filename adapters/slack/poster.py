"""Posting a Reply into a Slack channel (digests): chat.postMessage, retried on 429 and drops."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.render import messages
from bot.models import Reply


class SlackPoster:
    """Posts replies with the retrying Web API client; returns the posted message's ts."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def post(self, channel: str, reply: Reply) -> str:
        ts = ""
        for message in messages(reply.model_copy(update={"ephemeral": False})):
            response = await self.client.chat_postMessage(
                channel=channel, blocks=message["blocks"], text=message["text"])
            ts = ts or str(response.get("ts", ""))
        return ts
