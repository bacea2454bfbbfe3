"""Posting a Reply into a Slack channel (digests): chat.postMessage, retried on 429 and drops."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from parley.adapters.slack.render import messages
from parley.adapters.slack.uploads import upload_pictures
from parley.core.models import Reply
from parley.core.platform import PermanentPostError

# Errors after which posting to that channel can never succeed.
PERMANENT = {"channel_not_found", "not_in_channel", "is_archived", "account_inactive",
             "invalid_auth", "token_revoked", "no_permission", "restricted_action"}


class SlackPoster:
    """Posts replies with the retrying Web API client; returns the posted message's ts."""

    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def post(self, channel: str, reply: Reply) -> str:
        ts = ""
        for message in messages(reply.model_copy(update={"ephemeral": False})):
            try:
                response = await self.client.chat_postMessage(
                    channel=channel, blocks=message["blocks"], text=message["text"])
            except SlackApiError as exc:
                error = exc.response.get("error") if isinstance(exc.response.data, dict) else ""
                if error in PERMANENT:
                    raise PermanentPostError(str(error)) from exc
                raise
            ts = ts or str(response.get("ts", ""))
        await upload_pictures(self.client, channel, reply.pictures)
        return ts
