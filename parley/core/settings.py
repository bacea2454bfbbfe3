"""Every setting Parley reads, in one place: environment variables and an optional ``.env`` file."""

from __future__ import annotations

import difflib
import os
from collections.abc import Mapping
from ipaddress import IPv4Network, IPv6Network, ip_network
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
# Discord permissions that may mark a moderator or an admin (names as Discord spells them).
DISCORD_ROLE_PERMISSIONS = frozenset({
    "administrator", "manage_guild", "manage_messages", "manage_channels", "manage_roles",
    "manage_threads", "moderate_members", "kick_members", "ban_members", "manage_events"})


def default_db_path() -> Path:
    """The per-user data directory (XDG) so every Parley command shares one database."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "parley" / "parley.db"


class Settings(BaseSettings):
    """Parley's configuration; field names map to upper-case environment variables."""

    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", case_sensitive=False
    )

    parley_db: Path = Field(default_factory=default_db_path)
    parley_log_level: LogLevel = "INFO"
    parley_log_format: Literal["text", "json"] = "text"
    parley_timezone: str = "UTC"
    parley_example_article: bool = True
    parley_default_active_article: bool = True
    parley_lexicon: Path | None = None
    parley_helpful_intercept: float = Field(default=0.40, ge=0.0, le=1.0)
    parley_digest_grace_minutes: int = Field(default=60, ge=0, le=7 * 24 * 60)
    parley_feed_poll_minutes: int = Field(default=30, ge=1, le=7 * 24 * 60)
    parley_feed_items_per_poll: int = Field(default=10, ge=1, le=1000)
    parley_feed_max_failures: int = Field(default=5, ge=1, le=1000)
    parley_feed_timeout_s: float = Field(default=15.0, gt=0, le=300)
    parley_rate_member_per_minute: int = Field(default=20, ge=0, le=10_000)
    parley_rate_channel_per_minute: int = Field(default=60, ge=0, le=100_000)
    parley_rate_contributions_per_minute: int = Field(default=6, ge=0, le=10_000)
    parley_db_busy_timeout_ms: int = Field(default=5000, ge=0, le=600_000)
    parley_fetch_allow_networks: Annotated[list[IPv4Network | IPv6Network], NoDecode] = Field(
        default_factory=list)
    parley_fetch_allow_ports: Annotated[list[tuple[int, int]], NoDecode] = Field(
        default_factory=list)
    parley_analysis_workers: int = Field(default=0, ge=0, le=64)
    parley_pictures: bool = True

    discord_token: SecretStr | None = None
    discord_guild_ids: Annotated[list[int], NoDecode] = Field(default_factory=list)
    discord_api_base_url: str = "https://discord.com/api/v10"
    discord_gateway_url: str | None = None
    # discord.py waits this long after the last GUILD_CREATE before it is ready (its default)
    discord_guild_ready_timeout_s: float = Field(default=2.0, ge=0.0, le=60.0)
    discord_moderator_permission: str = "manage_messages"
    discord_admin_permission: str = "manage_guild"

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_base_url: str = "https://slack.com/api/"
    parley_slack_port: int = Field(default=3000, ge=1, le=65535)
    parley_slack_host: str = "0.0.0.0"
    parley_slack_request_timeout_s: float = Field(default=10.0, gt=0, le=600)
    parley_slack_max_connections: int = Field(default=256, ge=1, le=100_000)
    slack_moderator_group: str | None = None

    @field_validator("parley_log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("parley_timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA time zone {value!r} (try Europe/Lima or UTC)") from None
        return value

    @field_validator("discord_moderator_permission", "discord_admin_permission")
    @classmethod
    def _known_permission(cls, value: str) -> str:
        if value not in DISCORD_ROLE_PERMISSIONS:
            raise ValueError(f"expected one of {', '.join(sorted(DISCORD_ROLE_PERMISSIONS))}")
        return value

    @field_validator("parley_lexicon")
    @classmethod
    def _readable_lexicon(cls, value: Path | None) -> Path | None:
        if value is not None and not value.is_file():
            raise ValueError(f"no lexicon file at {value}")
        return value

    @field_validator("discord_guild_ids", mode="before")
    @classmethod
    def _split_ids(cls, value: object) -> object:
        if isinstance(value, str):
            parts = [p.strip() for p in value.split(",") if p.strip()]
            if not all(p.isdigit() for p in parts):
                raise ValueError("expected comma-separated numeric guild ids, e.g. 123,456")
            return [int(p) for p in parts]
        return value

    @field_validator("parley_fetch_allow_networks", mode="before")
    @classmethod
    def _split_networks(cls, value: object) -> object:
        items = [p.strip() for p in value.split(",") if p.strip()] if isinstance(value, str) \
            else value
        if not isinstance(items, list):
            return items
        try:
            return [ip_network(str(item), strict=False) for item in items]
        except ValueError:
            raise ValueError("expected comma-separated networks, e.g. 10.1.0.0/16,fd00::/8") \
                from None

    @field_validator("parley_fetch_allow_ports", mode="before")
    @classmethod
    def _split_ports(cls, value: object) -> object:
        items = [p.strip() for p in value.split(",") if p.strip()] if isinstance(value, str) \
            else value
        if not isinstance(items, list):
            return items
        ranges = []
        for item in items:
            if isinstance(item, tuple | list):
                ranges.append(tuple(item))
                continue
            low, _, high = str(item).partition("-")
            if not low.strip().isdigit() or (high and not high.strip().isdigit()):
                raise ValueError("expected comma-separated ports or ranges, e.g. 8080,9000-9100")
            lo, hi = int(low), int(high or low)
            if not 1 <= lo <= hi <= 65535:
                raise ValueError(f"{item} is not a port range within 1-65535")
            ranges.append((lo, hi))
        return ranges

    @field_validator("discord_api_base_url", "slack_api_base_url", "discord_gateway_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("http://", "https://", "ws://", "wss://")):
            raise ValueError("expected an http(s):// or ws(s):// URL")
        return value

    def secrets(self) -> list[str]:
        """The secret values that must never reach a log line or a reply."""
        found = [self.discord_token, self.slack_bot_token, self.slack_signing_secret,
                 self.slack_app_token]
        return [s.get_secret_value() for s in found if s is not None and s.get_secret_value()]


class SettingsError(Exception):
    """A configuration value is invalid; the message is one line naming the variable."""


def load_settings(**overrides: object) -> Settings:
    """Read the settings, turning a validation failure into one readable line."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]).upper() if first["loc"] else "setting"
        message = str(first["msg"]).removeprefix("Value error, ")
        raise SettingsError(f"invalid setting {name}: {message}") from None


def unknown_variables(environ: Mapping[str, str], env_file: Path | None = Path(".env")
                      ) -> list[str]:
    """One line for each ``PARLEY_*`` name (in the environment or ``.env``) no setting reads,
    with the closest known name: a misspelt setting is otherwise silently ignored."""
    known = sorted(name.upper() for name in Settings.model_fields if name.startswith("parley_"))
    names = {k.upper() for k in environ if k.upper().startswith("PARLEY_")}
    if env_file is not None and env_file.is_file():
        names |= {k.upper() for k in dotenv_values(env_file) if k.upper().startswith("PARLEY_")}
    lines = []
    for name in sorted(names - set(known)):
        # compared without the shared prefix, which would make every name look close
        close = difflib.get_close_matches(name[7:], [k[7:] for k in known], n=1, cutoff=0.7)
        hint = f" (did you mean PARLEY_{close[0]}?)" if close else ""
        lines.append(f"unknown setting {name} is ignored{hint}")
    return lines
