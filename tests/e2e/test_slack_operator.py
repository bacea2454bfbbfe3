"""Slack for an operator: the App Home tab, a visible ack for slow commands, and a manifest that
asks only for what the configuration uses (real slack-bolt against the local fake Slack)."""

from __future__ import annotations

import json
from pathlib import Path

import aiohttp
import pytest

from parley.adapters.slack.manifest import manifest
from parley.core.models import Request, Role
from parley.core.registry import run_line
from parley.core.services import Services
from tests.conftest import make_settings
from tests.e2e.test_slack import SECRET, Bot, _running
from tests.fakes.slack_server import app_home_opened, event_payload, form, sign, slash_payload

# Each test starts from a first start's database (made once per test process).
pytestmark = pytest.mark.usefixtures("started")


async def _ack_text(bot: Bot, command: str, text: str, user: str = "U1") -> str:
    body = form(slash_payload(bot.fake, command, text, user))
    async with aiohttp.ClientSession() as session, session.post(
            bot.url, data=body, headers=sign(SECRET, body)) as resp:
        assert resp.status == 200
        return await resp.text()


async def test_a_slow_command_is_acknowledged_visibly(tmp_path: Path) -> None:
    async for bot in _running(tmp_path, socket_mode=False):
        bot.fake.users["U1"] = {"is_admin": True}
        ack = await _ack_text(bot, "/article", "add The council voted on Monday to build a "
                              "new bridge. It will cost $40 million and open in 2027.")
        assert "Working on it…" in ack
        [answer] = await bot.fake.wait_responses(1)
        assert "Working on it" not in json.dumps(answer)  # the answer itself follows
        assert await _ack_text(bot, "/help", "") == ""  # a fast one is acked silently


async def test_the_app_home_tab_shows_the_setup_and_this_workspace(tmp_path: Path) -> None:
    async for bot in _running(tmp_path, socket_mode=True):
        mod = Request(platform="slack", workspace="T1", channel="C1", user="U1",
                      role=Role.MODERATOR, command="help")
        subscribed = await run_line(bot.services.registry, "/digest subscribe daily 09:00", mod,
                                    bot.services)
        assert subscribed.kind == "info"
        await bot.fake.send_envelope("events_api", event_payload(app_home_opened("U7")))
        [published] = await bot.fake.wait_views(1)
        assert published["user_id"] == "U7" and published["view"]["type"] == "home"
        text = json.dumps(published["view"]["blocks"], ensure_ascii=False)
        for expected in ("Three first commands", "/summary", "/fact &lt;question&gt;",
                         "Articles by channel", "peru-illegal-immigration", "Digests",
                         "daily 09:00"):
            assert expected in text
        assert len(published["view"]["blocks"]) <= 100  # Slack's limit for a view


def test_the_manifest_asks_only_for_what_is_used(services: Services, tmp_path: Path) -> None:
    plain = manifest(services.registry, "https://parley.example/slack/events",
                     settings=services.settings)
    scopes = plain["oauth_config"]["scopes"]["bot"]
    assert "usergroups:read" not in scopes and {"commands", "chat:write", "users:read"} <= set(
        scopes)
    grouped = manifest(services.registry, "https://parley.example/slack/events",
                       settings=make_settings(tmp_path, slack_moderator_group="S123"))
    assert "usergroups:read" in grouped["oauth_config"]["scopes"]["bot"]
    assert "files:write" in scopes  # pictures are on by default
    quiet = manifest(services.registry, settings=make_settings(tmp_path, parley_pictures=False))
    assert "files:write" not in quiet["oauth_config"]["scopes"]["bot"]
    assert plain["features"]["app_home"]["home_tab_enabled"] is True
    assert plain["settings"]["event_subscriptions"]["bot_events"] == ["app_home_opened"]
    assert plain["settings"]["event_subscriptions"]["request_url"].endswith("/slack/events")


def test_an_umbrella_only_manifest_has_just_parley(services: Services) -> None:
    doc = manifest(services.registry, socket_mode=True, only_umbrella=True,
                   settings=services.settings)
    assert [c["command"] for c in doc["features"]["slash_commands"]] == ["/parley"]
    assert "url" not in doc["features"]["slash_commands"][0]
