"""Message commands end to end: the real discord.py client, a local Discord sending message
command interactions (type 2, command type 3, the message in ``resolved.messages``)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_discord import EPHEMERAL, MANAGE_MESSAGES, Bot, _running
from tests.fakes.discord_server import (
    CHANNEL_ID,
    interaction,
    message_command,
    running_fake_discord,
)
from tests.hostile import check_discord_message

# Each test starts from a first start's database (made once per test process).
pytestmark = pytest.mark.usefixtures("started")


ASKER = "1600000000000000031"
OTHER = "1600000000000000032"


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    async with running_fake_discord() as fake:
        async for b in _running(tmp_path, fake):
            yield b


async def _send(bot: Bot, payload: dict[str, Any]) -> dict[str, Any]:
    before = len(bot.fake.callbacks)
    await bot.fake.dispatch("INTERACTION_CREATE", payload)
    await bot.fake.wait(lambda: len(bot.fake.callbacks) > before)
    return bot.fake.callbacks[before]


def _button(custom_id: str, user: str) -> dict[str, Any]:
    payload = interaction(3, {"custom_id": custom_id, "component_type": 2}, user=user)
    payload["message"] = {"id": "1", "channel_id": CHANNEL_ID, "author": {
        "id": "2", "username": "Parley", "discriminator": "0", "avatar": None, "bot": True},
        "content": "", "timestamp": "2025-01-01T00:00:00+00:00", "edited_timestamp": None,
        "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [],
        "attachments": [], "embeds": [], "pinned": False, "type": 0, "flags": 0,
        "components": []}
    return payload


def _text(callback: dict[str, Any]) -> str:
    return json.dumps(callback["data"]["embeds"], ensure_ascii=False)


async def test_check_with_parley_on_a_message_is_answered_privately(bot: Bot) -> None:
    content = ("@everyone Bilateral trade hit $20.5 billion last year, a **disgraceful** "
               "[scam](https://evil.example) <@123456789012345678>")
    answer = await _send(bot, message_command("Check with Parley", content, user=ASKER))
    assert answer["type"] == 4 and answer["data"]["flags"] & EPHEMERAL
    assert answer["data"]["allowed_mentions"] == {"parse": []}
    check_discord_message(answer["data"])
    text = _text(answer)
    assert "$20.5 billion" in text and "Unsupported" in text  # the article's own claim, checked
    assert "Loaded wording" in text and "disgraceful" in text
    assert "<@123456789012345678>" not in text and "@everyone" not in text
    assert "](https://evil.example)" not in text


async def test_other_side_in_a_thread_uses_the_parent_channels_article(bot: Bot) -> None:
    answer = await _send(bot, message_command(
        "Other side", "Militarizing the border will stop the crossings", in_thread=True))
    assert answer["data"]["flags"] & EPHEMERAL
    assert "smugglers" in _text(answer)  # the channel's article's counterpoints, not "no article"


async def test_a_request_queued_answered_and_shown_to_everyone_who_asked(bot: Bot) -> None:
    claim = "The moon landing in 1969 was filmed in a studio in Nevada by NASA"
    first = await _send(bot, message_command("Check with Parley", claim, user=ASKER))
    assert "No fact check matches" in _text(first)
    button = first["data"]["components"][0]["components"][0]
    assert button["label"] == "Ask the moderators to check"
    queued = await _send(bot, _button(button["custom_id"], ASKER))
    assert "Queued for the moderators" in _text(queued) and queued["data"]["flags"] & EPHEMERAL
    again = await _send(bot, message_command("Check with Parley", claim, user=OTHER))
    await _send(bot, _button(again["data"]["components"][0]["components"][0]["custom_id"],
                             OTHER))
    queue = await _send(bot, interaction(2, {"id": "1", "name": "factcheck", "type": 1,
                                             "options": [{"name": "queue", "type": 1}]},
                                         permissions=MANAGE_MESSAGES))
    assert "asked 2×" in _text(queue)
    request_id = button["custom_id"].rsplit(" ", 1)[1]
    answered = await _send(bot, interaction(2, {"id": "1", "name": "factcheck", "type": 1,
                                                "options": [{"name": "answer", "type": 1,
                                                             "options": [
        {"name": "request", "type": 4, "value": int(request_id)},
        {"name": "verdict", "type": 3, "value": "false"},
        {"name": "explanation", "type": 3, "value": "The footage and rock samples show it "
                                                    "was filmed on the moon."},
        {"name": "source", "type": 3, "value": "https://example.org/moon"}]}]},
        permissions=MANAGE_MESSAGES))
    assert "Answered #" in _text(answered)
    for user in (ASKER, OTHER):  # each requester sees the verdict on their next check
        later = await _send(bot, message_command("Check with Parley", "Unemployment fell to "
                                                 "3 percent in Peru in 2023", user=user))
        assert "Answered since you asked" in _text(later) and "false" in _text(later)
    # …once: the next check does not repeat it; the claim itself now matches the verdict.
    repeat = await _send(bot, message_command("Check with Parley", claim, user=ASKER))
    assert "Answered since you asked" not in _text(repeat)
    assert "False" in _text(repeat) and "moon" in _text(repeat)
