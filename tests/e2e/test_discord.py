"""The Discord adapter end to end: the real discord.py client against a local Discord."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import discord
import pytest
from aiohttp import web

from parley.adapters.discord.client import (
    RESPONSE_SLOTS,
    DiscordPoster,
    configure_endpoints,
    serve,
)
from parley.adapters.discord.commands import application_commands, resolve
from parley.adapters.discord.platform import DiscordPlatform
from parley.cli.app import open_services
from parley.core.models import Reply, Role
from parley.core.services import Services
from parley.core.settings import Settings
from parley.store import articles as article_store
from parley.store import audit, counterpoints
from tests.conftest import make_settings
from tests.fakes.discord_server import (
    CHANNEL_ID,
    GUILD_ID,
    FakeDiscord,
    interaction,
    running_fake_discord,
)
from tests.fakes.loopback import serving
from tests.hostile import CORPUS, check_discord_message

# Each test starts from a first start's database (made once per test process).
pytestmark = pytest.mark.usefixtures("started")


TOKEN = "MTEwMDAwMDAwMDAwMDAwMDAy.fake.discord-token-for-tests"
MANAGE_MESSAGES = 1 << 13
EPHEMERAL = 64
# The fake sends every GUILD_CREATE right after READY: no need for discord.py's 2 s wait.
FAKE_READY_S = 0.5
BURST = 200  # interactions at once in the burst test (the benchmark sends 4,000)


@dataclass
class Bot:
    fake: FakeDiscord
    services: Services

    async def slash(self, name: str, options: list[dict[str, Any]] | None = None,
                    permissions: int = 0, **kw: Any) -> dict[str, Any]:
        before = len(self.fake.callbacks)
        await self.fake.dispatch("INTERACTION_CREATE", interaction(
            2, {"id": "1", "name": name, "type": 1, "options": options or []},
            permissions=permissions, **kw))
        await self.fake.wait(lambda: len(self.fake.callbacks) > before)
        return self.fake.callbacks[before]


def late_page(delay: float) -> web.Application:
    """A web page that takes ``delay`` seconds to come, for commands that must defer."""

    async def slow_page(_: web.Request) -> web.Response:
        await asyncio.sleep(delay)
        return web.Response(text="<html><body><article><h1>Late News</h1><p>The city opened "
                            "a 40-bed shelter on Monday, officials said. It cost $2 million "
                            "and will serve 300 people a month.</p></article></body></html>",
                            content_type="text/html")

    app = web.Application()
    app.add_routes([web.get("/late", slow_page)])
    return app


def discord_settings(tmp_path: Path, fake: FakeDiscord, **extra: object) -> Settings:
    return make_settings(tmp_path, **extra, discord_token=TOKEN, discord_api_base_url=fake.api,
                         discord_guild_ready_timeout_s=FAKE_READY_S,
                         discord_gateway_url=fake.gateway, discord_guild_ids=[int(GUILD_ID)],
                         # the slow test page is on loopback: the operator's allow-list
                         parley_fetch_allow_networks="127.0.0.0/8",
                         parley_fetch_allow_ports="1024-65535")


async def _running(tmp_path: Path, fake: FakeDiscord, **extra: object) -> AsyncIterator[Bot]:
    async with open_services(discord_settings(tmp_path, fake, **extra)) as services:
        stop = asyncio.Event()
        task = asyncio.create_task(serve(services, stop))
        await asyncio.wait_for(fake.ready.wait(), 15)
        await fake.wait(lambda: bool(fake.commands) or fake.identifies > 1)
        try:
            yield Bot(fake, services)
        finally:
            stop.set()
            await asyncio.wait_for(task, 15)


@pytest.fixture
async def bot(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Bot]:
    """discord.py on a first start's SQLite file, or (``ON_BOTH``) PostgreSQL database."""
    extra = {}
    if getattr(request, "param", "sqlite") == "postgresql":
        extra["parley_database_url"] = request.getfixturevalue("pg_started_url")
    async with running_fake_discord() as fake:
        async for b in _running(tmp_path, fake, **extra):
            yield b


# The end-to-end proof on PostgreSQL: answers, a stored rating, a digest posted once.
ON_BOTH = pytest.mark.parametrize("bot", ["sqlite", "postgresql"], indirect=True)


def embed_text(callback: dict[str, Any]) -> str:
    return json.dumps(callback["data"]["embeds"], ensure_ascii=False)


async def test_startup_syncs_the_registry_once(tmp_path: Path) -> None:
    async with running_fake_discord() as fake:
        async for b in _running(tmp_path, fake):
            synced = fake.commands[GUILD_ID]
            expected = application_commands(b.services.registry)
            assert [c["name"] for c in synced] == [c["name"] for c in expected]
            article = next(c for c in synced if c["name"] == "article")
            assert [o["name"] for o in article["options"]] == ["list", "show"]
            assert article["default_member_permissions"] is None
            factcheck = next(c for c in synced if c["name"] == "factcheck")
            assert factcheck["default_member_permissions"] is None  # history is for members
            assert [o["name"] for o in factcheck["options"]] == ["history"]
            mod = next(c for c in synced if c["name"] == "mod")  # hidden from members
            assert mod["default_member_permissions"] == str(MANAGE_MESSAGES)
            assert {o["name"] for o in mod["options"]} == {"article", "factcheck",
                                                           "counterpoint", "digest", "coverage",
                                                           "feed"}
            assert [(c["name"], c["type"]) for c in synced if c["type"] == 3] == [
                ("Check with Parley", 3), ("Other side", 3)]
            fact = next(c for c in synced if c["name"] == "fact")
            assert fact["options"][0] == {"name": "question", "description": fact["options"][0][
                "description"], "type": 3, "required": True, "max_length": 500,
                "autocomplete": True}
        puts = [r for r in fake.requests if r[0] == "PUT"]
        async for _ in _running(tmp_path, fake):  # same definitions: no second upload
            pass
        assert [r for r in fake.requests if r[0] == "PUT"] == puts


@ON_BOTH
async def test_summary_fact_and_counterpoint_are_answered_with_embeds(bot: Bot) -> None:
    summary = await bot.slash("summary", [{"name": "length", "type": 3, "value": "short"}])
    assert summary["type"] == 4
    assert summary["data"]["allowed_mentions"] == {"parse": []}
    assert "The author argues:" in embed_text(summary)
    fact = await bot.slash("fact", [{"name": "question", "type": 3,
                                     "value": "how much is trade between the two countries"}])
    embed = fact["data"]["embeds"][0]
    assert "$20.5 billion" in embed["description"] and "Unsupported" in embed["description"]
    assert any(f["name"] == "Sources" for f in embed["fields"])
    counter = await bot.slash("counterpoint", [{"name": "find", "type": 1, "options": [
        {"name": "topic", "type": 3, "value": "does militarizing a border reduce crossings"}]}])
    assert "smugglers" in embed_text(counter)
    buttons = counter["data"]["components"][0]["components"]
    assert buttons[0]["custom_id"].startswith("parley:/rate cp")


@ON_BOTH
async def test_button_click_stores_a_rating(bot: Bot) -> None:
    before = len(bot.fake.callbacks)
    data = {"custom_id": "parley:/rate cp2 helpful", "component_type": 2}
    payload = interaction(3, data, user="1600000000000000077")
    payload["message"] = {"id": "1", "channel_id": CHANNEL_ID, "author": {
        "id": "2", "username": "Parley", "discriminator": "0", "avatar": None, "bot": True},
        "content": "", "timestamp": "2025-01-01T00:00:00+00:00", "edited_timestamp": None,
        "tts": False, "mention_everyone": False, "mentions": [], "mention_roles": [],
        "attachments": [], "embeds": [], "pinned": False, "type": 0, "flags": 0,
        "components": []}
    await bot.fake.dispatch("INTERACTION_CREATE", payload)
    await bot.fake.wait(lambda: len(bot.fake.callbacks) > before)
    answer = bot.fake.callbacks[before]
    assert answer["data"]["flags"] & EPHEMERAL
    assert await counterpoints.all_ratings(bot.services.db) == [
        (f"discord:{GUILD_ID}:1600000000000000077", 2, 1.0)]


async def test_member_refused_moderator_allowed(bot: Bot) -> None:
    use = [{"name": "use", "type": 1, "options": [
        {"name": "id", "type": 3, "value": "peru-illegal-immigration"}]}]
    refused = await bot.slash("article", use)
    assert "for moderators" in embed_text(refused) and refused["data"]["flags"] & EPHEMERAL
    allowed = await bot.slash("article", use, permissions=MANAGE_MESSAGES)
    assert "This channel now discusses" in embed_text(allowed)
    assert (await audit.recent(bot.services.db))[0].role == "moderator"


MANAGE_GUILD = 1 << 5


async def _final(bot: Bot, name: str, options: list[dict[str, Any]], permissions: int = 0
                 ) -> dict[str, Any]:
    """The message a user ends up seeing: the callback's, or the edit after a deferral."""
    edits = len(bot.fake.edits)
    first = await bot.slash(name, options, permissions=permissions)
    if first["type"] == 5:
        await bot.fake.wait(lambda: len(bot.fake.edits) > edits, within=15)
        return dict(bot.fake.edits[edits])
    return dict(first["data"])


async def test_permission_matrix_through_discord(bot: Bot) -> None:
    """Every synced command from a member, a moderator and an admin (by Discord permission)."""
    registry = bot.services.registry
    invocations = []
    for definition in application_commands(registry):
        if definition["type"] != 1:  # message commands: tests/e2e/test_check_discord.py
            continue
        subs = [o for o in definition["options"] if o["type"] in (1, 2)]
        for sub in subs or [None]:
            if sub is not None and sub["type"] == 2:  # /mod <family> <sub>
                invocations += [(definition["name"], [{"name": sub["name"], "type": 2,
                                                       "options": [{"name": leaf["name"],
                                                                    "type": 1, "options": []}]}])
                                for leaf in sub["options"]]
                continue
            options = [{"name": sub["name"], "type": 1, "options": []}] if sub else []
            invocations.append((definition["name"], options))
    assert len(invocations) == len(list(registry))
    for name, options in invocations:
        command = registry.get(resolve(registry, {"name": name, "options": options})[0])
        assert command is not None
        for permissions, role in ((0, Role.MEMBER), (MANAGE_MESSAGES, Role.MODERATOR),
                                  (MANAGE_GUILD, Role.ADMIN)):
            data = await _final(bot, name, options, permissions)
            assert data["allowed_mentions"] == {"parse": []}
            denied = f"is for {command.role.label}s; you are a {role.label}" in json.dumps(
                data["embeds"])
            assert denied == (role < command.role), (command.name, role)


async def test_hostile_input_through_discord_is_answered_within_limits(bot: Bot) -> None:
    for text in CORPUS:
        for name, options in (
                ("fact", [{"name": "question", "type": 3, "value": text}]),
                ("counterpoint", [{"name": "find", "type": 1, "options": [
                    {"name": "topic", "type": 3, "value": text}]}]),
                ("factcheck", [{"name": "history", "type": 1, "options": [
                    {"name": "claim", "type": 3, "value": text}]}])):
            data = await _final(bot, name, options)
            assert data["allowed_mentions"] == {"parse": []}
            check_discord_message(data)


async def test_direct_messages_get_a_clear_answer(bot: Bot) -> None:
    dm = await bot.slash("summary", guild_id=None)
    assert "direct messages" in embed_text(dm)
    elsewhere = await bot.slash("summary", guild_id="999999999999999999")
    assert "not set up for this server" in embed_text(elsewhere)
    assert elsewhere["data"]["flags"] & EPHEMERAL


async def test_slow_command_defers_then_edits(bot: Bot) -> None:
    app = late_page(2.5)
    async with serving(app) as base:
        first = await bot.slash("article", [{"name": "add", "type": 1, "options": [
            {"name": "source", "type": 3, "value": f"{base}/late"}]}],
            permissions=MANAGE_MESSAGES)
        assert first["type"] == 5  # deferred, "thinking…"
        await bot.fake.wait(lambda: bot.fake.edits, within=15)
        assert "Article added" in json.dumps(bot.fake.edits[0]["embeds"])


async def test_a_fast_command_running_long_is_deferred_once_then_edited(
        bot: Bot, monkeypatch: pytest.MonkeyPatch) -> None:
    """A command not declared slow is answered in its own task; past the deferral delay the
    timer defers it ("thinking…") beside the work, and the answer then edits that, once."""
    import parley.adapters.discord.client as client_module
    from parley.core.registry import Command

    monkeypatch.setattr(client_module, "DEFER_AFTER_S", 0.1)

    async def late(_request: Any, _services: Services) -> Reply:
        await asyncio.sleep(0.4)
        return Reply(title="Late", text="answered after the deferral")

    bot.services.registry.add(Command("lateanswer", "Answers late (test only).", late))
    first = await bot.slash("lateanswer")
    assert first["type"] == 5  # deferred by the timer, while the work went on
    await bot.fake.wait(lambda: bot.fake.edits, within=10)
    assert "answered after the deferral" in json.dumps(bot.fake.edits[0]["embeds"])
    await asyncio.sleep(0.1)
    assert len(bot.fake.callbacks) == 1 and len(bot.fake.edits) == 1


async def test_stopping_lets_an_answer_in_flight_finish(tmp_path: Path) -> None:
    async with running_fake_discord() as fake, serving(late_page(1.5)) as base, \
            open_services(discord_settings(tmp_path, fake)) as services:
        stop = asyncio.Event()
        task = asyncio.create_task(serve(services, stop))
        await asyncio.wait_for(fake.ready.wait(), 15)
        await fake.dispatch("INTERACTION_CREATE", interaction(2, {
            "id": "1", "name": "article", "type": 1, "options": [
                {"name": "add", "type": 1, "options": [
                    {"name": "source", "type": 3, "value": f"{base}/late"}]}]},
            permissions=MANAGE_MESSAGES))
        await fake.wait(lambda: bool(fake.callbacks))  # deferred: the work is in flight
        stop.set()
        await asyncio.wait_for(task, 15)
        assert "Article added" in json.dumps(fake.edits[0]["embeds"])  # answered first
        assert services.closing
        assert len(await article_store.list_all(services.db)) == 2


async def test_autocomplete_offers_claim_ids(bot: Bot) -> None:
    before = len(bot.fake.callbacks)
    data = {"id": "1", "name": "factcheck", "type": 1, "options": [
        {"name": "history", "type": 1, "options": [
            {"name": "claim", "type": 3, "value": "c2", "focused": True}]}]}
    await bot.fake.dispatch("INTERACTION_CREATE", interaction(4, data))
    await bot.fake.wait(lambda: len(bot.fake.callbacks) > before)
    answer = bot.fake.callbacks[before]
    assert answer["type"] == 8
    assert answer["data"]["choices"] and all(c["value"].startswith("c2")
                                             for c in answer["data"]["choices"])


async def _autocomplete(bot: Bot, data: dict[str, Any]) -> list[dict[str, Any]]:
    before = len(bot.fake.callbacks)
    await bot.fake.dispatch("INTERACTION_CREATE", interaction(4, data))
    await bot.fake.wait(lambda: len(bot.fake.callbacks) > before)
    answer = bot.fake.callbacks[before]
    assert answer["type"] == 8
    return list(answer["data"]["choices"])


async def test_autocomplete_follows_the_parameters_declared_kind(bot: Bot) -> None:
    topics = await _autocomplete(bot, {"id": "1", "name": "fact", "type": 1, "options": [
        {"name": "question", "type": 3, "value": "trade", "focused": True}]})
    assert topics and all("trade" in c["value"].lower() for c in topics)  # a claim's text
    articles = await _autocomplete(bot, {"id": "1", "name": "article", "type": 1, "options": [
        {"name": "use", "type": 1, "options": [
            {"name": "id", "type": 3, "value": "peru", "focused": True}]}]})
    assert "peru-illegal-immigration" in [c["value"] for c in articles]
    unknown = await _autocomplete(bot, {"id": "1", "name": "nonesuch", "type": 1, "options": [
        {"name": "x", "type": 3, "value": "a", "focused": True}]})
    assert unknown == []


async def test_resumes_after_a_dropped_gateway_and_keeps_answering(bot: Bot) -> None:
    await bot.fake.drop_connection(4000)
    await bot.fake.wait(lambda: bot.fake.resumes == 1, within=20)
    await asyncio.wait_for(bot.fake.ready.wait(), 10)
    reply = await bot.slash("help")
    assert "Parley commands" in embed_text(reply)
    assert bot.fake.identifies == 1


@ON_BOTH
async def test_digest_post_retried_after_429_is_delivered_once(bot: Bot) -> None:
    bot.fake.rate_limit_next = 1
    configure_endpoints(bot.fake.api, bot.fake.gateway)
    client = discord.Client(intents=discord.Intents.none())
    await client.login(TOKEN)
    try:
        message_id = await DiscordPoster(client).post(CHANNEL_ID, Reply(
            title="Digest", text="<@123> @everyone two claims changed status."))
    finally:
        await client.close()
    assert message_id and bot.fake.message_attempts == 2 and len(bot.fake.messages) == 1
    assert bot.fake.messages[0]["allowed_mentions"] == {"parse": []}


async def test_the_discord_platform_posts_digests_only_while_it_is_served(
        tmp_path: Path) -> None:
    async with running_fake_discord() as fake, \
            open_services(discord_settings(tmp_path, fake)) as services:
        platform, stop = DiscordPlatform(), asyncio.Event()
        assert platform.poster(services) is None
        task = asyncio.create_task(platform.serve(services, stop))
        await asyncio.wait_for(fake.ready.wait(), 15)
        poster = platform.poster(services)
        assert poster is not None
        assert await poster.post(CHANNEL_ID, Reply(text="Digest.")) and fake.messages
        stop.set()
        await asyncio.wait_for(task, 15)
        assert platform.poster(services) is None


async def test_server_errors_are_retried_for_answers_and_posts(bot: Bot) -> None:
    bot.fake.server_error_next = 1  # the interaction callback fails once
    reply = await bot.slash("fact", [{"name": "question", "type": 3,
                                      "value": "how much is trade between the two countries"}])
    assert "$20.5 billion" in embed_text(reply)
    bot.fake.server_error_next = 1  # and so does the digest post
    configure_endpoints(bot.fake.api, bot.fake.gateway)
    client = discord.Client(intents=discord.Intents.none())
    await client.login(TOKEN)
    try:
        message_id = await DiscordPoster(client).post(CHANNEL_ID, Reply(text="Digest."))
    finally:
        await client.close()
    assert message_id and bot.fake.message_attempts == 2 and len(bot.fake.messages) == 1


async def test_parley_run_logs_in_syncs_and_answers(tmp_path: Path) -> None:
    import signal
    import sys

    from tests.conftest import cli_env

    async with running_fake_discord() as fake:
        env = cli_env(tmp_path, DISCORD_TOKEN=TOKEN, DISCORD_API_BASE_URL=fake.api,
                      DISCORD_GUILD_READY_TIMEOUT_S=str(FAKE_READY_S),
                      DISCORD_GATEWAY_URL=fake.gateway, DISCORD_GUILD_IDS=GUILD_ID)
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "parley", "run", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        try:
            await asyncio.wait_for(fake.ready.wait(), 30)
            await fake.wait(lambda: GUILD_ID in fake.commands, within=30)
            await fake.dispatch("INTERACTION_CREATE", interaction(
                2, {"id": "1", "name": "fact", "type": 1, "options": [
                    {"name": "question", "type": 3,
                     "value": "how much is trade between the two countries"}]}))
            await fake.wait(lambda: fake.callbacks, within=15)
            assert "$20.5 billion" in json.dumps(fake.callbacks[0]["data"]["embeds"])
        finally:
            proc.send_signal(signal.SIGTERM)
            _, stderr = await asyncio.wait_for(proc.communicate(), 20)
        assert proc.returncode == 0, stderr.decode()[-2000:]
        assert TOKEN.encode() not in stderr


async def test_discord_sync_on_demand(tmp_path: Path) -> None:
    import sys

    from tests.conftest import cli_env

    async with running_fake_discord() as fake:
        env = cli_env(tmp_path, DISCORD_TOKEN=TOKEN, DISCORD_API_BASE_URL=fake.api,
                      DISCORD_GUILD_READY_TIMEOUT_S=str(FAKE_READY_S),
                      DISCORD_GUILD_IDS=GUILD_ID)
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "parley", "discord-sync", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        out, err = await asyncio.wait_for(proc.communicate(), 60)
        assert proc.returncode == 0, err.decode()
        from parley.core.commands import build_registry

        count = len(application_commands(build_registry()))  # the families, and /mod
        assert out.decode().startswith(f"synced {count} Discord commands")
        assert {c["name"] for c in fake.commands[GUILD_ID]} >= {"fact", "digest", "summary"}


async def test_a_burst_is_acknowledged_first_then_answered(bot: Bot) -> None:
    """Past a queue of commands under way, each new one is deferred at once ("thinking…")
    and answered by an edit, so no first response waits behind the whole queue."""
    question = {"id": "1", "name": "fact", "type": 1,
                "options": [{"name": "question", "type": 3, "value": "how much is trade"}]}
    burst = [interaction(2, question, user=f"16000000000000{n:05d}") for n in range(40)]
    for payload in burst:
        await bot.fake.dispatch("INTERACTION_CREATE", payload)
    ids = {p["id"] for p in burst}
    await bot.fake.wait(lambda: ids <= set(bot.fake.first_response), within=60)
    await bot.services.in_flight.settled(60)
    kinds = [c["type"] for c in bot.fake.callbacks]
    # Answered at once or deferred, each exactly once; how many are deferred depends on how
    # fast the machine drains the queue, so the count is not fixed.
    assert len(kinds) == 40 and set(kinds) <= {4, 5}
    edits = [e for e in bot.fake.edits if e and e.get("embeds")]
    assert len(edits) == kinds.count(5)  # every deferred one got its answer
    assert all("Fact:" in json.dumps(e["embeds"]) for e in edits)


async def test_a_burst_of_hundreds_gets_every_first_response_in_time_and_every_answer(
        tmp_path: Path) -> None:
    """Hundreds at once: every first response (answer or "thinking…") inside Discord's three
    seconds of its delivery, on the fake's clock, over a bounded set of connections; then every
    one answered. (The 4,000 burst is the benchmark: ``python -m bench.platforms_fair burst``.)
    The channel's limit is lifted, so every answer is the fact rather than "slow down"."""
    async with running_fake_discord(backlog=1024) as fake:
        async for bot in _running(tmp_path, fake, parley_rate_channel_per_minute=0):
            await _burst_in_time(bot)


async def _burst_in_time(bot: Bot) -> None:
    asked = [{"name": "question", "type": 3, "value": "how much is trade"}]
    question = {"id": "1", "name": "fact", "type": 1, "options": asked}
    await bot.slash("fact", asked)  # discord.py's lazy setup, not measured
    burst = [interaction(2, question, user=f"16000000000000{n:05d}") for n in range(BURST)]
    await bot.fake.deliver(0, burst)
    ids = [p["id"] for p in burst]
    await bot.fake.wait(lambda: set(ids) <= set(bot.fake.first_response), within=30)
    late = [i for i in ids if bot.fake.first_response[i] - bot.fake.delivered[i] > 3.0]
    assert late == []
    tokens = [p["token"] for p in burst]
    await bot.fake.wait(lambda: all(t in bot.fake.answered for t in tokens), within=60)
    deferred = [c for c in bot.fake.callbacks if c["type"] == 5]
    assert len(deferred) > BURST // 2  # the queue was long: most were deferred at once
    answers = [e for e in bot.fake.edits if e and e.get("embeds")]
    assert len(answers) == len(deferred) and all("Fact:" in json.dumps(e["embeds"])
                                                 for e in answers)
    # responses went over reused connections, not one new connection each
    assert len(bot.fake.response_peers) <= RESPONSE_SLOTS + 1


PNG = b"\x89PNG\r\n\x1a\n"


async def test_claims_chart_is_attached_and_shown_in_the_embed(bot: Bot) -> None:
    callback = await bot.slash("claims", [])
    [attached] = callback["_files"]
    assert attached["data"].startswith(PNG) and attached["filename"].endswith(".png")
    embed = callback["data"]["embeds"][0]
    assert embed["image"]["url"] == f"attachment://{attached['filename']}"
    [described] = callback["data"]["attachments"]
    assert described["filename"] == attached["filename"]
    assert "checkable claims" in described["description"]  # the alt text
    assert callback["data"]["allowed_mentions"] == {"parse": []}
    words = await bot.slash("summary", [])
    assert "_files" not in words  # a reply without pictures stays plain JSON


async def test_a_digest_posts_its_charts_as_attachments(bot: Bot) -> None:
    configure_endpoints(bot.fake.api, bot.fake.gateway)
    client = discord.Client(intents=discord.Intents.none())
    await client.login(TOKEN)
    from parley.core.charts.claim_status import claim_status_chart

    chart = claim_status_chart({"supported": 2, "unverified": 3}, "Digest article")
    try:
        await DiscordPoster(client).post(CHANNEL_ID, Reply(title="Digest", text="Two changed.",
                                                           pictures=[chart]))
    finally:
        await client.close()
    [posted] = bot.fake.messages
    assert [f["filename"] for f in posted["_files"]] == [chart.name]
    assert posted["_files"][0]["data"] == chart.data
    assert posted["embeds"][0]["image"]["url"] == f"attachment://{chart.name}"
