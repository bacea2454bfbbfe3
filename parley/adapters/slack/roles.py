"""Who is a moderator on Slack: workspace owners are admins; workspace admins and members of a
configured user group are moderators; everyone else is a member. Cached for a few minutes."""

from __future__ import annotations

import logging
import time

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from parley.core.models import Role

log = logging.getLogger("parley.slack")
TTL_S = 300.0


class RoleResolver:
    """users.info (and usergroups.users.list) answers, remembered for ``TTL_S`` seconds."""

    def __init__(self, client: AsyncWebClient, moderator_group: str | None = None) -> None:
        self.client = client
        self.moderator_group = moderator_group
        self._cache: dict[tuple[str, str], tuple[float, Role]] = {}

    async def role(self, team: str, user: str) -> Role:
        key = (team, user)
        cached = self._cache.get(key)
        if cached and time.monotonic() - cached[0] < TTL_S:
            return cached[1]
        role = await self._lookup(user)
        self._cache[key] = (time.monotonic(), role)
        return role

    async def _lookup(self, user: str) -> Role:
        try:
            info = (await self.client.users_info(user=user)).get("user") or {}
        except SlackApiError as exc:
            log.warning("users.info failed", extra={"status": exc.response.status_code})
            return Role.MEMBER
        if info.get("is_owner") or info.get("is_primary_owner"):
            return Role.ADMIN
        if info.get("is_admin"):
            return Role.MODERATOR
        if self.moderator_group:
            try:
                members = (await self.client.usergroups_users_list(
                    usergroup=self.moderator_group)).get("users") or []
            except SlackApiError:
                members = []
            if user in members:
                return Role.MODERATOR
        return Role.MEMBER
