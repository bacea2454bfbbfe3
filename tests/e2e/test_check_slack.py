"""Message shortcuts end to end: the real slack-bolt app against a local Slack sending
``message_action`` payloads, answered through their response URLs."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from parley.adapters.slack.manifest import manifest
from parley.core.registry import callback_id
from parley.core.services import Services
from tests.e2e.test_slack import SECRET, Bot, _running
from tests.fakes.slack_server import form, message_action, sign
from tests.hostile import check_slack_message

# Each test starts from a first start's database (made once per test process).
pytestmark = pytest.mark.usefixtures("started")


@pytest.fixture
async def bot(tmp_path: Path) -> AsyncIterator[Bot]:
    async for b in _running(tmp_path, socket_mode=False):
        yield b


def _callback(services: Services, label: str) -> str:
    cmd = services.registry.by_message(label)
    assert cmd is not None
    return callback_id(cmd)


async def _shortcut(bot: Bot, label: str, text: str, user: str = "U1",
                    thread_ts: str | None = None) -> dict[str, Any]:
    before = len(bot.fake.responses)
    body = form(message_action(bot.fake, _callback(bot.services, label), text, user, thread_ts))
    assert (await bot.post(body, sign(SECRET, body))).status == 200
    return (await bot.fake.wait_responses(before + 1))[before]


async def _press(bot: Bot, button: dict[str, Any], user: str) -> dict[str, Any]:
    value = button["value"]
    before = len(bot.fake.responses)
    payload = {"type": "block_actions", "user": {"id": user, "username": user},
               "team": {"id": "T1"}, "channel": {"id": "C1"}, "api_app_id": "A1",
               "trigger_id": "1", "response_url": bot.fake.response_url(),
               "container": {"type": "message"},
               "actions": [{"action_id": button["action_id"], "block_id": "b1", "value": value,
                            "type": "button"}]}
    body = form({"payload": json.dumps(payload)})
    assert (await bot.post(body, sign(SECRET, body))).status == 200
    return (await bot.fake.wait_responses(before + 1))[before]


def test_manifest_offers_the_message_shortcuts(services: Services) -> None:
    shortcuts = manifest(services.registry)["features"]["shortcuts"]
    assert [(s["name"], s["type"]) for s in shortcuts] == [("Check with Parley", "message"),
                                                           ("Other side", "message")]
    assert all(services.registry.by_message(s["callback_id"]) for s in shortcuts)


async def test_check_shortcut_in_a_thread_answers_privately_in_the_thread(bot: Bot) -> None:
    answer = await _shortcut(bot, "Check with Parley", "<!channel> Bilateral trade hit $20.5 "
                             "billion last year, a *disgraceful* <https://evil.example|scam>",
                             thread_ts="1699999999.000100")
    assert answer["response_type"] == "ephemeral"
    assert answer["thread_ts"] == "1699999999.000100"
    check_slack_message(answer)
    text = json.dumps(answer["blocks"], ensure_ascii=False)
    assert "$20.5 billion" in text and "Unsupported" in text and "disgraceful" in text
    assert "evil.example|" not in text


async def test_other_side_shortcut_outside_a_thread(bot: Bot) -> None:
    answer = await _shortcut(bot, "Other side", "Militarizing the border will stop crossings")
    assert answer["response_type"] == "ephemeral" and "thread_ts" not in answer
    assert "smugglers" in json.dumps(answer["blocks"])


async def test_queue_request_and_verdict_reach_the_requester(bot: Bot) -> None:
    claim = "The moon landing in 1969 was filmed in a studio in Nevada by NASA"
    first = await _shortcut(bot, "Check with Parley", claim, user="U5")
    actions = next(b for b in first["blocks"] if b["type"] == "actions")
    button = actions["elements"][0]
    assert button["text"]["text"] == "Ask the moderators to check"
    queued = await _press(bot, button, "U5")
    assert "Queued for the moderators" in json.dumps(queued["blocks"])
    bot.fake.users["U6"] = {"is_admin": True}
    await bot.command("/factcheck", "queue", user="U6")
    [*_, queue] = await bot.fake.wait_responses(3)
    assert "asked 1×" in json.dumps(queue["blocks"], ensure_ascii=False)
    request_id = button["value"].rsplit(" ", 1)[1]
    await bot.command("/factcheck", f"answer {request_id} false The footage shows the landing "
                      "was filmed on the moon. https://example.org/moon", user="U6")
    [*_, answered] = await bot.fake.wait_responses(4)
    assert "Answered #" in json.dumps(answered["blocks"])
    later = await _shortcut(bot, "Check with Parley", "Peru exported 9 billion dollars of "
                            "copper in 2023", user="U5")
    assert "Answered since you asked" in json.dumps(later["blocks"])
