"""Discord through real discord.py and the local fake gateway: malformed events never stop
Parley, a redelivered interaction runs once, per-interaction tokens never reach the logs."""

from __future__ import annotations

import copy
import io
import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from parley.core.log import JsonFormatter, Redactor
from parley.store import counterpoints
from tests.e2e.test_discord import Bot, _running
from tests.fakes.discord_server import interaction, running_fake_discord

# Each test starts from a first start's database (made once per test process).
pytestmark = pytest.mark.usefixtures("started")


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    async with running_fake_discord() as fake:
        async for b in _running(tmp_path, fake):
            yield b


def _summary() -> dict[str, Any]:
    return interaction(2, {"id": "1", "name": "summary", "type": 1, "options": []})


def _bad_permissions() -> dict[str, Any]:
    event = _summary()
    event["member"]["permissions"] = "lots"
    return event


def _no_custom_id() -> dict[str, Any]:
    return interaction(3, {"component_type": 2})


def _options_not_a_list() -> dict[str, Any]:
    return interaction(2, {"id": "1", "name": "fact", "type": 1, "options": "trade"})


def _member_missing() -> dict[str, Any]:
    event = _summary()
    del event["member"]
    return event


def _long_autocomplete() -> dict[str, Any]:
    return interaction(4, {"id": "1", "name": "factcheck", "type": 1, "options": [
        {"name": "history", "type": 1, "options": [
            {"name": "claim", "type": 3, "value": "%_" * 40_000, "focused": True}]}]})


@pytest.mark.parametrize("event", [_bad_permissions, _no_custom_id, _options_not_a_list,
                                   _member_missing, _long_autocomplete],
                         ids=["permissions-not-numeric", "component-without-custom-id",
                              "options-not-a-list", "member-missing", "autocomplete-too-long"])
async def test_a_malformed_event_is_answered_if_it_can_be_and_never_stops_parley(
        bot: Bot, event: Any) -> None:
    before = len(bot.fake.callbacks)
    await bot.fake.dispatch("INTERACTION_CREATE", event())
    await bot.fake.wait(lambda: len(bot.fake.callbacks) > before)
    answer = bot.fake.callbacks[before]
    assert answer["type"] in (4, 8), answer  # a message, or (autocomplete) no choices
    if answer["type"] == 4:
        assert answer["data"]["flags"] & 64  # ephemeral
    after = await bot.slash("summary")  # still connected, still answering
    assert after["type"] == 4 and after["data"]["embeds"]


async def test_the_same_interaction_delivered_twice_writes_once(bot: Bot) -> None:
    text = ("Official trade statistics put two-way trade between the two countries "
            "nearer twenty-two billion dollars.")
    event = interaction(2, {"id": "1", "name": "counterpoint", "type": 1, "options": [
        {"name": "add", "type": 1, "options": [
            {"name": "claim", "type": 3, "value": "c24"},
            {"name": "text", "type": 3, "value": text},
            {"name": "source", "type": 3, "value": "https://www.census.gov/foreign-trade"}]}]})
    before = len(bot.fake.callbacks)
    await bot.fake.dispatch("INTERACTION_CREATE", event)
    await bot.fake.wait(lambda: len(bot.fake.callbacks) > before)
    await bot.fake.dispatch("INTERACTION_CREATE", copy.deepcopy(event))
    await bot.slash("summary")  # the next one is answered: the duplicate was not
    assert len(bot.fake.callbacks) == before + 2
    community = [c for c in await counterpoints.for_article(
        bot.services.db, "peru-illegal-immigration") if c.origin == "community"]
    assert len(community) == 1


async def test_debug_logs_never_carry_interaction_tokens(bot: Bot) -> None:
    out = io.StringIO()
    handler = logging.StreamHandler(out)  # as configure_logging builds it
    handler.setFormatter(JsonFormatter())
    handler.addFilter(Redactor([]))
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        event = _summary()
        before = len(bot.fake.callbacks)
        await bot.fake.dispatch("INTERACTION_CREATE", event)
        await bot.fake.wait(lambda: len(bot.fake.callbacks) > before)
    finally:
        root.removeHandler(handler)
        root.setLevel(level)
    raw = out.getvalue()
    assert "/interactions/" in raw or "INTERACTION_CREATE" in raw  # discord.py logged it
    assert event["token"] not in raw
