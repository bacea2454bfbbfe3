"""The Slack adapter end to end: real slack-bolt over HTTP and Socket Mode, on a local Slack."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import aiohttp
import pytest

from parley.adapters.slack.app import SlackAdapter, make_client
from parley.adapters.slack.manifest import manifest
from parley.adapters.slack.poster import SlackPoster
from parley.core.charts.claim_status import claim_status_chart
from parley.core.models import Reply, Role
from parley.core.services import Services
from parley.store import audit, counterpoints
from tests.fakes.loopback import wait_until_up
from tests.fakes.slack_server import FakeSlack, form, running_fake_slack, sign, slash_payload
from tests.hostile import CORPUS, check_slack_message
from tests.slack_support import SECRET, free_port, serving_slack

# Each test starts from a first start's database (made once per test process).
pytestmark = pytest.mark.usefixtures("started")


__all__ = ["SECRET", "Bot", "free_port"]


@dataclass
class Bot:
    fake: FakeSlack
    url: str
    services: Services

    async def post(self, body: str, headers: dict[str, str]) -> aiohttp.ClientResponse:
        async with aiohttp.ClientSession() as session:
            resp = await session.post(self.url, data=body, headers=headers)
            await resp.read()
            return resp

    async def command(self, command: str, text: str, user: str = "U1") -> tuple[int, float]:
        body = form(slash_payload(self.fake, command, text, user))
        started = time.perf_counter()
        resp = await self.post(body, sign(SECRET, body))
        return resp.status, time.perf_counter() - started


async def _running(tmp_path: Path, socket_mode: bool, **extra: object) -> AsyncIterator[Bot]:
    async with running_fake_slack() as fake, \
            serving_slack(tmp_path, fake, socket_mode=socket_mode, **extra) as (url, services):
        yield Bot(fake, url, services)


@pytest.fixture
async def bot(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Bot]:
    """Slack over HTTP on a first start's SQLite file, or (``ON_BOTH``) PostgreSQL database."""
    extra = {}
    if getattr(request, "param", "sqlite") == "postgresql":
        extra["parley_database_url"] = request.getfixturevalue("pg_started_url")
    async for b in _running(tmp_path, socket_mode=False, **extra):
        yield b


# The end-to-end proof on PostgreSQL: answers, a stored rating, a digest posted once.
ON_BOTH = pytest.mark.parametrize("bot", ["sqlite", "postgresql"], indirect=True)


@ON_BOTH
async def test_signed_fact_command_is_acked_fast_and_answered_with_blocks(bot: Bot) -> None:
    status, seconds = await bot.command("/fact", "how much is trade between the two countries")
    assert status == 200 and seconds < 3
    [answer] = await bot.fake.wait_responses(1)
    assert answer["response_type"] == "in_channel"
    blocks = answer["blocks"]
    assert blocks[0]["type"] == "header"
    body = json.dumps(blocks)
    assert "$20.5 billion" in body and "Unsupported" in body
    assert any(b["type"] == "context" for b in blocks)  # the pack's sources
    assert ("auth.test", {}) in [(m, {}) for m, _ in bot.fake.calls]


@pytest.mark.parametrize("case", ["unsigned", "bad-signature", "replayed"])
async def test_unverified_requests_get_401_and_change_nothing(bot: Bot, case: str) -> None:
    body = form(slash_payload(bot.fake, "/article", "use peru-illegal-immigration"))
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    if case == "bad-signature":
        headers = sign("wrong-secret", body)
    if case == "replayed":
        headers = sign(SECRET, body, timestamp=int(time.time()) - 6 * 60)
    resp = await bot.post(body, headers)
    assert resp.status == 401
    await asyncio.sleep(0.3)
    assert bot.fake.responses == []
    assert await audit.recent(bot.services.db) == []


async def test_member_is_refused_a_moderator_command(bot: Bot) -> None:
    bot.fake.users["U2"] = {"is_admin": False}
    assert (await bot.command("/article", "use peru-illegal-immigration", user="U2"))[0] == 200
    [answer] = await bot.fake.wait_responses(1)
    assert answer["response_type"] == "ephemeral"
    assert "for moderators" in json.dumps(answer["blocks"])


async def test_workspace_admin_is_a_moderator(bot: Bot) -> None:
    bot.fake.users["U3"] = {"is_admin": True}
    await bot.command("/article", "use peru-illegal-immigration", user="U3")
    [answer] = await bot.fake.wait_responses(1)
    assert "This channel now discusses" in json.dumps(answer["blocks"])
    assert (await audit.recent(bot.services.db))[0].actor == "U3"


@ON_BOTH
async def test_umbrella_command_and_rating_button(bot: Bot) -> None:
    await bot.command("/parley", "counterpoint does militarizing a border reduce crossings")
    [answer] = await bot.fake.wait_responses(1)
    actions = next(b for b in answer["blocks"] if b["type"] == "actions")
    button = actions["elements"][0]
    assert button["value"].startswith("/rate cp") and button["value"].endswith(" helpful")
    payload = {"type": "block_actions", "user": {"id": "U9", "username": "nia"},
               "team": {"id": "T1"}, "channel": {"id": "C1"}, "api_app_id": "A1",
               "trigger_id": "1", "response_url": bot.fake.response_url(),
               "container": {"type": "message"},
               "actions": [{"action_id": button["action_id"], "block_id": "b1",
                            "value": button["value"], "type": "button"}]}
    body = form({"payload": json.dumps(payload)})
    assert (await bot.post(body, sign(SECRET, body))).status == 200
    responses = await bot.fake.wait_responses(2)
    assert responses[1]["response_type"] == "ephemeral"
    rated = await counterpoints.all_ratings(bot.services.db)
    assert rated == [("slack:T1:U9", int(button["value"].split()[1][2:]), 1.0)]


async def test_mentions_in_input_never_ping(bot: Bot) -> None:
    await bot.command("/fact", "<!channel> <!here> <@U123> &lt; trade")
    [answer] = await bot.fake.wait_responses(1)
    text = json.dumps(answer)
    assert "<!channel>" not in text and "<!here>" not in text and "<@U123>" not in text


async def test_permission_matrix_through_slack(bot: Bot) -> None:
    """Every command from a member, a moderator (workspace admin) and an admin (owner)."""
    bot.fake.users.update({"UMEM": {}, "UMOD": {"is_admin": True}, "UADM": {"is_owner": True}})
    seen = 0
    for command in bot.services.registry:
        group, _, rest = command.name.partition(" ")
        for user, role in (("UMEM", Role.MEMBER), ("UMOD", Role.MODERATOR),
                           ("UADM", Role.ADMIN)):
            status, _ = await bot.command(f"/{group}", rest, user=user)
            assert status == 200
            seen += 1
            answer = (await bot.fake.wait_responses(seen))[-1]
            denied = f"is for {command.role.label}s; you are a {role.label}" in json.dumps(
                answer["blocks"])
            assert denied == (role < command.role), (command.name, role)
            if denied:
                assert answer["response_type"] == "ephemeral"


async def test_hostile_input_through_slack_is_answered_within_limits(bot: Bot) -> None:
    seen = 0
    for text in CORPUS:
        for command, prefix in (("/fact", ""), ("/counterpoint", ""), ("/parley", ""),
                                ("/counterpoint", "add c24 ")):
            assert (await bot.command(command, prefix + text))[0] == 200
            seen += 1
            for message in (await bot.fake.wait_responses(seen))[seen - 1:]:
                check_slack_message(message)
            seen = len(bot.fake.responses)
    assert seen >= 4 * len(CORPUS)  # every request was answered


@ON_BOTH
async def test_digest_post_rate_limited_once_is_delivered_once(bot: Bot) -> None:
    bot.fake.rate_limit_next = 1
    poster = SlackPoster(make_client(bot.services))
    ts = await poster.post("C1", Reply(title="Digest", text="Two claims changed status."))
    assert ts and bot.fake.post_attempts == 2 and len(bot.fake.posted) == 1


async def test_server_errors_and_drops_are_retried_for_answers_and_posts(bot: Bot
                                                                        ) -> None:
    bot.fake.response_errors_next, bot.fake.response_drops_next = 1, 1
    await bot.command("/fact", "how much is trade between the two countries")
    [answer] = await bot.fake.wait_responses(1)
    assert "$20.5 billion" in json.dumps(answer["blocks"]) and bot.fake.response_attempts == 3
    bot.fake.server_error_next = 1
    ts = await SlackPoster(make_client(bot.services)).post("C1", Reply(text="Digest."))
    assert ts and bot.fake.post_attempts == 2 and len(bot.fake.posted) == 1


async def test_the_same_command_over_socket_mode(tmp_path: Path) -> None:
    async for bot in _running(tmp_path, socket_mode=True):
        payload = slash_payload(bot.fake, "/summary", "short")
        envelope = await bot.fake.send_envelope("slash_commands", payload)
        [answer] = await bot.fake.wait_responses(1)
        assert "The author argues:" in json.dumps(answer["blocks"])
        for _ in range(50):
            if any(a.get("envelope_id") == envelope for a in bot.fake.acks):
                break
            await asyncio.sleep(0.05)
        assert any(a.get("envelope_id") == envelope for a in bot.fake.acks)
        assert ("apps.connections.open", {}) in [(m, {}) for m, _ in bot.fake.calls]


def test_manifest_lists_every_registry_command(services: Services) -> None:
    doc = manifest(services.registry, "https://parley.example/slack/events")
    names = {c["command"] for c in doc["features"]["slash_commands"]}
    assert names == {f"/{g}" for g in services.registry.groups()} | {"/parley"}
    article = next(c for c in doc["features"]["slash_commands"] if c["command"] == "/article")
    assert "use <id>" in article["usage_hint"]
    assert doc["settings"]["interactivity"]["request_url"].endswith("/slack/events")
    assert "commands" in doc["oauth_config"]["scopes"]["bot"]
    assert manifest(services.registry, socket_mode=True)["settings"]["socket_mode_enabled"]


async def _parley_run(tmp_path: Path, fake: FakeSlack) -> tuple[asyncio.subprocess.Process, str]:
    """``parley run`` as a subprocess serving Slack over HTTP; (the process, its events URL)."""
    import sys

    from tests.conftest import cli_env

    port = free_port()
    env = cli_env(tmp_path, SLACK_BOT_TOKEN="xoxb-run-token", SLACK_SIGNING_SECRET=SECRET,
                  SLACK_API_BASE_URL=fake.api, PARLEY_SLACK_PORT=str(port),
                  PARLEY_SLACK_HOST="127.0.0.1")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "parley", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    url = f"http://127.0.0.1:{port}/slack/events"
    # a bound for a loaded machine (a process start took over 20 s at load 10), not a pace
    await wait_until_up(url.replace("/slack/events", "/health"), attempts=900, pause=0.1)
    return proc, url


async def test_parley_run_serves_slack_and_stops_on_sigterm(tmp_path: Path) -> None:
    import signal

    async with running_fake_slack() as fake:
        proc, url = await _parley_run(tmp_path, fake)
        try:
            body = form(slash_payload(fake, "/fact", "how much is trade between the two countries"))
            async with aiohttp.ClientSession() as s:
                async with s.post(url, data=body, headers=sign(SECRET, body)) as signed:
                    assert signed.status == 200
                async with s.post(url, data=body, headers={
                        "Content-Type": "application/x-www-form-urlencoded"}) as unsigned:
                    assert unsigned.status == 401
            [answer] = await fake.wait_responses(1)
            assert "$20.5 billion" in json.dumps(answer["blocks"])
        finally:
            proc.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(proc.communicate(), 20)
        assert proc.returncode == 0, stderr.decode()
        assert b"xoxb-run-token" not in stderr and SECRET.encode() not in stderr


async def test_sigterm_lets_an_acknowledged_command_finish_then_closes_cleanly(
        tmp_path: Path) -> None:
    import signal
    import sqlite3

    async with running_fake_slack() as fake:
        fake.users_info_delay = 1.5
        proc, url = await _parley_run(tmp_path, fake)
        text = ("c24 Official trade statistics put two-way trade between the two countries "
                "nearer twenty-two billion dollars. https://www.census.gov/foreign-trade")
        body = form(slash_payload(fake, "/counterpoint", f"add {text}", user="U5"))
        async with aiohttp.ClientSession() as s, s.post(url, data=body,
                                                        headers=sign(SECRET, body)) as resp:
            assert resp.status == 200  # acknowledged: from here on it must not be lost
        await asyncio.wait_for(fake.users_info_called.wait(), 10)
        proc.send_signal(signal.SIGTERM)  # while the command is still being worked on
        _, stderr = await asyncio.wait_for(proc.communicate(), 30)
        assert proc.returncode == 0, stderr.decode()
        [answer] = fake.responses
        assert "Counterpoint added" in json.dumps(answer["blocks"])
    assert not (tmp_path / "parley.db-wal").exists()  # closed cleanly, WAL checkpointed
    conn = sqlite3.connect(tmp_path / "parley.db")
    try:
        rows = conn.execute("SELECT author FROM counterpoints WHERE origin = 'community'")
        assert [r[0] for r in rows] == ["slack:T1:U5"]
    finally:
        conn.close()


async def test_claims_chart_is_uploaded_into_the_channel_with_its_alt_text(bot: Bot) -> None:
    status, _ = await bot.command("/claims", "")
    assert status == 200
    [answer] = await bot.fake.wait_responses(1)
    assert "checkable claims" not in json.dumps(answer["blocks"])  # the chart goes as a file
    for _ in range(100):
        if bot.fake.shared:
            break
        await asyncio.sleep(0.05)
    [shared] = bot.fake.shared
    assert shared["channel_id"] == "C1"
    [upload] = bot.fake.uploads.values()
    assert upload["data"].startswith(b"\x89PNG") and len(upload["data"]) == upload["length"]
    assert "checkable claims" in upload["alt_txt"]


async def test_a_private_answer_gives_its_chart_in_words(bot: Bot) -> None:
    # A button's answer is private: Slack cannot share a file with one member only.
    await bot.command("/claims", "")
    await bot.fake.wait_responses(1)
    for _ in range(100):
        if bot.fake.shared:
            break
        await asyncio.sleep(0.05)
    shared = len(bot.fake.shared)
    reply = Reply(title="Claims", text="x", ephemeral=True,
                  pictures=[claim_status_chart({"false": 1}, "Private")])
    adapter = SlackAdapter(bot.services, make_client(bot.services))
    await adapter.answer({"response_url": bot.fake.response_url(), "channel_id": "C1"}, reply)
    [_, private] = await bot.fake.wait_responses(2)
    assert "1 false" in json.dumps(private["blocks"]) and private["response_type"] == "ephemeral"
    assert len(bot.fake.shared) == shared  # nothing uploaded for everyone to see


async def test_a_digest_uploads_its_charts_after_the_post(bot: Bot) -> None:
    chart = claim_status_chart({"supported": 1}, "Digest article")
    poster = SlackPoster(make_client(bot.services))
    ts = await poster.post("C9", Reply(title="Digest", text="One checked.", pictures=[chart]))
    assert ts and len(bot.fake.posted) == 1
    [shared] = bot.fake.shared
    assert shared["channel_id"] == "C9"
    assert [u["data"] for u in bot.fake.uploads.values()] == [chart.data]
