"""Discord for an operator: moderator commands hidden from members (through the payloads synced
to the fake Discord), no voice-library warnings, and one setup message on joining a server."""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from parley.adapters.discord.commands import resolve
from parley.cli.app import open_services
from parley.core.models import Role
from parley.core.registry import Registry
from tests.conftest import make_settings
from tests.e2e.test_discord import (
    MANAGE_MESSAGES,
    TOKEN,
    Bot,
    _running,
    embed_text,
)
from tests.fakes.discord_server import GUILD_ID, running_fake_discord, text_channel

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
# Each test starts from a first start's database (made once per test process).
pytestmark = pytest.mark.usefixtures("started")


MANAGE_GUILD = 1 << 5


def invocations(command: dict[str, Any]) -> list[dict[str, Any]]:
    """Every interaction ``data`` a member could send with this synced command."""
    options = command.get("options") or []
    subs = [o for o in options if o["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP)]
    if not subs:
        return [{"name": command["name"], "options": []}]
    out = []
    for sub in subs:
        if sub["type"] == SUB_COMMAND:
            out.append({"name": command["name"], "options": [
                {"name": sub["name"], "type": SUB_COMMAND, "options": []}]})
        else:
            out += [{"name": command["name"], "options": [
                {"name": sub["name"], "type": SUB_COMMAND_GROUP, "options": [
                    {"name": leaf["name"], "type": SUB_COMMAND, "options": []}]}]}
                for leaf in sub["options"]]
    return out


def reached(registry: Registry, synced: list[dict[str, Any]]) -> dict[str, str | None]:
    """Registry command → the default_member_permissions of the Discord command reaching it."""
    out: dict[str, str | None] = {}
    for command in synced:
        if command.get("type", 1) != 1:  # message commands: tests/e2e/test_check_discord.py
            continue
        for data in invocations(command):
            name, _ = resolve(registry, data)
            assert registry.get(name) is not None, (data, name)
            out[name] = command["default_member_permissions"]
    return out


async def test_moderator_commands_are_hidden_from_members(tmp_path: Path) -> None:
    async with running_fake_discord() as fake:
        async for bot in _running(tmp_path, fake):
            synced = fake.commands[GUILD_ID]
            registry = bot.services.registry
            permissions = reached(registry, synced)
            assert set(permissions) == {c.name for c in registry}  # every command, once
            for cmd in registry:
                wanted = {Role.MEMBER: None, Role.MODERATOR: str(MANAGE_MESSAGES),
                          Role.ADMIN: str(MANAGE_GUILD)}[cmd.role]
                assert permissions[cmd.name] == wanted, cmd.name
            for command in synced:
                assert "dm_permission" not in command
                assert command["contexts"] == [0] and command["integration_types"] == [0]
            assert "`" not in json.dumps(synced)  # Discord prints backticks literally


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    async with running_fake_discord() as fake:
        async for running in _running(tmp_path, fake):
            yield running


async def test_the_core_still_checks_the_role_of_a_hidden_command(bot: Bot) -> None:
    synced = bot.fake.commands[GUILD_ID]
    data = next(d for c in synced for d in invocations(c)
                if resolve(bot.services.registry, d)[0] == "article use")
    use = data["options"]
    while use and use[0]["type"] in (SUB_COMMAND, SUB_COMMAND_GROUP) and use[0]["options"]:
        use = use[0]["options"]
    use[0]["options"] = [{"name": "id", "type": 3, "value": "peru-illegal-immigration"}]
    member = await bot.slash(data["name"], data["options"])
    assert "for moderators" in embed_text(member)
    moderator = await bot.slash(data["name"], data["options"], permissions=MANAGE_MESSAGES)
    assert "for moderators" not in embed_text(moderator)


async def test_no_voice_library_warnings_at_start(tmp_path: Path,
                                                  caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.WARNING, logger="discord")
    async with running_fake_discord() as fake:
        async for _ in _running(tmp_path, fake):
            pass
    assert not [r for r in caplog.records if "voice will NOT be supported" in r.getMessage()]


async def _joined(tmp_path: Path, channels: list[dict[str, Any]], system: str | None
                  ) -> list[tuple[str, dict[str, Any]]]:
    async with running_fake_discord() as fake:
        settings = make_settings(tmp_path, discord_token=TOKEN, discord_api_base_url=fake.api,
                                 discord_gateway_url=fake.gateway)
        from parley.adapters.discord.client import serve

        async with open_services(settings) as services:
            stop = asyncio.Event()
            task = asyncio.create_task(serve(services, stop))
            await asyncio.wait_for(fake.ready.wait(), 15)
            await fake.wait(lambda: bool(fake.commands))  # ready: past discord.py's start-up
            await fake.join_guild("1200000000000000009", channels, system)
            await fake.wait(lambda: bool(fake.channel_posts))
            await asyncio.sleep(0.3)  # a second message would have come by now
            stop.set()
            await asyncio.wait_for(task, 15)
        return fake.channel_posts


async def test_joining_a_server_posts_one_setup_message_in_its_system_channel(
        tmp_path: Path) -> None:
    guild = "1200000000000000009"
    posts = await _joined(tmp_path, [text_channel("1310", "general", 0, guild),
                                     text_channel("1311", "welcome", 1, guild)], "1311")
    assert [channel for channel, _ in posts] == ["1311"]
    text = json.dumps(posts[0][1], ensure_ascii=False)
    for expected in ("Hello, I'm Parley", "Three first commands", "/summary",
                     "/fact <question>", "Manage Server", "/settings"):
        assert expected in text
    assert posts[0][1]["allowed_mentions"] == {"parse": []}


async def test_without_a_system_channel_it_writes_in_the_first_it_may(tmp_path: Path) -> None:
    guild = "1200000000000000009"
    posts = await _joined(tmp_path, [
        text_channel("1320", "rules", 0, guild, bot_may_send=False),
        text_channel("1321", "chat", 1, guild)], None)
    assert [channel for channel, _ in posts] == ["1321"]

