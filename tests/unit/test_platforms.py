"""The adapter contract: every platform implements it, and the CLI serves them from one list."""

from __future__ import annotations

import inspect
from pathlib import Path

from parley.adapters.console import ConsolePlatform, ConsolePoster
from parley.adapters.discord.platform import DiscordPlatform
from parley.adapters.slack.platform import SlackPlatform
from parley.adapters.slack.poster import SlackPoster
from parley.cli.platforms import every_platform, to_serve
from parley.core.platform import Platform, posters
from parley.core.services import Services
from tests.conftest import make_settings

TOKENS = {"slack_bot_token": "xoxb-t", "slack_signing_secret": "s",
          "discord_token": "MTEw.fake.token"}


def test_every_adapter_implements_the_contract_with_one_serve_signature() -> None:
    platforms = every_platform()
    assert [p.name for p in platforms] == ["console", "slack", "discord"]
    for platform in platforms:
        assert isinstance(platform, Platform), platform
        signature = inspect.signature(platform.serve)
        assert list(signature.parameters) == ["services", "stop"], platform.name
    assert [p.fallback for p in platforms] == [True, False, False]


def test_the_console_is_served_only_when_no_chat_platform_is_configured(tmp_path: Path) -> None:
    platforms = every_platform()
    assert [p.name for p in to_serve(platforms, make_settings(tmp_path))] == ["console"]
    both = make_settings(tmp_path, **TOKENS)
    assert [p.name for p in to_serve(platforms, both)] == ["slack", "discord"]
    slack = make_settings(tmp_path, slack_bot_token="xoxb-t", slack_signing_secret="s")
    assert [p.name for p in to_serve(platforms, slack)] == ["slack"]


def test_a_platform_says_why_it_cannot_start(tmp_path: Path) -> None:
    no_secret = make_settings(tmp_path, slack_bot_token="xoxb-t")
    assert "SLACK_SIGNING_SECRET" in (SlackPlatform().problem(no_secret) or "")
    socket_mode = make_settings(tmp_path, slack_bot_token="xoxb-t", slack_app_token="xapp-1")
    assert SlackPlatform().problem(socket_mode) is None
    assert DiscordPlatform().problem(no_secret) is None
    assert ConsolePlatform().problem(no_secret) is None


async def test_posters_come_from_the_platforms_that_can_post_now(services: Services) -> None:
    found = posters(every_platform(), services)
    assert set(found) == {"console"} and isinstance(found["console"], ConsolePoster)


async def test_slack_posts_digests_without_serving_discord_only_while_connected(
        tmp_path: Path) -> None:
    from parley.cli.app import open_services

    async with open_services(make_settings(tmp_path, **TOKENS), load_example=False) as svc:
        found = posters(every_platform(), svc)
        assert set(found) == {"console", "slack"} and isinstance(found["slack"], SlackPoster)
        assert DiscordPlatform().poster(svc) is None  # not logged in: nothing to post with
