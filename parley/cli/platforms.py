"""The one list of platforms the CLI serves, and which of them a configuration asks for."""

from __future__ import annotations

from parley.core.platform import Platform
from parley.core.settings import Settings


def every_platform() -> list[Platform]:
    """One fresh instance of each adapter's platform (imported only when asked for)."""
    from parley.adapters.console import ConsolePlatform
    from parley.adapters.discord.platform import DiscordPlatform
    from parley.adapters.slack.platform import SlackPlatform

    return [ConsolePlatform(), SlackPlatform(), DiscordPlatform()]


def to_serve(platforms: list[Platform], settings: Settings) -> list[Platform]:
    """The configured platforms; the fallback (the console) when none is."""
    chosen = [p for p in platforms if not p.fallback and p.configured(settings)]
    return chosen or [p for p in platforms if p.fallback]
