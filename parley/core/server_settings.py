"""Settings a server's or workspace's admins change in chat, each defaulting to the global one.

One table names them, the global setting each falls back to, and how a typed value is checked
(the global field's own constraints). Values are stored per server in the scoped settings; reads
go through :class:`ServerSettings`, which caches a server's values until they change.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import TypeAdapter, ValidationError

from parley.core.digest.schedule import zone
from parley.core.errors import UsageError
from parley.core.settings import Settings
from parley.store import config
from parley.store.db import Database

ACTIVE_ARTICLE = "active_article"


@dataclass(frozen=True)
class ServerSetting:
    """One setting a server may override: its chat name, stored key and global field."""

    name: str
    key: str
    field: str | None  # the global setting it defaults to (None: the global scoped value)
    description: str

    def check(self, raw: str) -> Any:
        """The typed value for ``raw``, within the global field's bounds, or a UsageError."""
        if self.field is None:
            return raw
        info = Settings.model_fields[self.field]
        kind: Any = info.annotation
        if info.metadata:
            kind = Annotated[kind, *info.metadata]
        try:
            value = TypeAdapter(kind).validate_python(raw.strip())
        except ValidationError as exc:
            reason = str(exc.errors()[0]["msg"]).removeprefix("Value error, ")
            raise UsageError(f"`{self.name}`: {reason.lower()}.") from None
        if self.name == "timezone":
            zone(str(value))
        return value

    def default(self, settings: Settings) -> Any:
        return getattr(settings, self.field) if self.field else None


SETTINGS = (
    ServerSetting("article", ACTIVE_ARTICLE, None,
                  "the article a channel discusses when it has not picked one"),
    ServerSetting("timezone", "timezone", "parley_timezone", "the time zone of digests"),
    ServerSetting("rate-member", "rate_member_per_minute", "parley_rate_member_per_minute",
                  "commands a member may run a minute (0: no limit)"),
    ServerSetting("rate-channel", "rate_channel_per_minute", "parley_rate_channel_per_minute",
                  "commands a channel may run a minute (0: no limit)"),
    ServerSetting("rate-contributions", "rate_contributions_per_minute",
                  "parley_rate_contributions_per_minute",
                  "ratings and contributions a member may make a minute (0: no limit)"),
    ServerSetting("helpful-intercept", "helpful_intercept", "parley_helpful_intercept",
                  "the bridging score a community counterpoint needs to be rated helpful"),
    ServerSetting("digest-grace", "digest_grace_minutes", "parley_digest_grace_minutes",
                  "minutes a late digest may still be posted after its slot"),
)
BY_NAME = {s.name: s for s in SETTINGS}
# RateLimits' bucket names, and the setting that sets each
RATE_LIMITS = {"member": "rate-member", "channel": "rate-channel",
               "contributions": "rate-contributions"}


def setting(name: str) -> ServerSetting:
    found = BY_NAME.get(name.strip().lower())
    if found is None:
        raise UsageError(f"No setting `{name[:40]}`. Settings: "
                         + ", ".join(f"`{s.name}`" for s in SETTINGS) + ".")
    return found


class ServerSettings:
    """A server's values over the global settings, cached per server until one is changed."""

    def __init__(self, db: Database, settings: Settings) -> None:
        self.db = db
        self.settings = settings
        self._cache: dict[str, dict[str, Any]] = {}

    async def overrides(self, platform: str, workspace: str) -> dict[str, Any]:
        """The values this server set, by stored key."""
        scope_id = config.workspace_scope_id(platform, workspace)
        if scope_id not in self._cache:
            if len(self._cache) > 10_000:
                self._cache.clear()
            self._cache[scope_id] = await config.values_in(self.db, "workspace", scope_id)
        return self._cache[scope_id]

    def forget(self, platform: str, workspace: str) -> None:
        self._cache.pop(config.workspace_scope_id(platform, workspace), None)

    async def value(self, platform: str, workspace: str, name: str) -> Any:
        """The value in force on this server: its own, else the global setting."""
        item = BY_NAME[name]
        own = (await self.overrides(platform, workspace)).get(item.key)
        return own if own is not None else item.default(self.settings)

    async def rate_limits(self, platform: str, workspace: str) -> dict[str, int]:
        """The rate limits this server set for itself, by bucket (the rest are the global ones)."""
        own = await self.overrides(platform, workspace)
        keys = {bucket: BY_NAME[name].key for bucket, name in RATE_LIMITS.items()}
        return {bucket: int(own[key]) for bucket, key in keys.items() if key in own}
