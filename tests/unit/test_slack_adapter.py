"""The Slack adapter's methods one by one, against the local fake Slack over real HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from parley.adapters.slack.app import UMBRELLA, SlackAdapter, make_client
from parley.cli.app import open_services
from parley.core.models import Reply, Role
from parley.core.registry import run_line
from tests.conftest import make_settings
from tests.fakes.slack_server import FakeSlack, running_fake_slack, slash_payload


@dataclass
class Rig:
    fake: FakeSlack
    adapter: SlackAdapter


@pytest.fixture
async def rig(tmp_path: Path) -> AsyncIterator[Rig]:
    async with running_fake_slack() as fake:
        settings = make_settings(tmp_path, slack_bot_token="xoxb-test", slack_signing_secret="s",
                                 slack_api_base_url=fake.api)
        async with open_services(settings) as services:
            yield Rig(fake, SlackAdapter(services, make_client(services)))


def button_body(fake: FakeSlack, value: str, user: str = "U1") -> dict[str, Any]:
    return {"type": "block_actions", "team": {"id": "T1"}, "channel": {"id": "C1"},
            "user": {"id": user, "username": f"name-{user}"},
            "actions": [{"action_id": "parley_action_0", "value": value}],
            "response_url": fake.response_url()}


async def test_request_for_asks_slack_for_the_members_role(rig: Rig) -> None:
    rig.fake.users["UOWNER"] = {"is_owner": True}
    rig.fake.users["UADMIN"] = {"is_admin": True}
    owner = await rig.adapter.request_for("T1", "C1", "UOWNER", "boss")
    admin = await rig.adapter.request_for("T1", "", "UADMIN", "mod")
    member = await rig.adapter.request_for("", "C1", "U9", "someone")
    assert (owner.role, admin.role, member.role) == (Role.ADMIN, Role.MODERATOR, Role.MEMBER)
    assert (owner.platform, owner.workspace, owner.channel) == ("slack", "T1", "C1")
    assert (admin.channel, member.workspace) == ("dm", "unknown")


async def direct(rig: Rig, line: str) -> Reply:
    """The reply the core gives for ``line`` from the same member, without Slack."""
    base = await rig.adapter.request_for("T1", "C1", "U1", "name-U1")
    return await run_line(rig.adapter.services.registry, line, base, rig.adapter.services)


async def test_command_runs_the_group_with_the_typed_text(rig: Rig) -> None:
    reply = await rig.adapter.command("summary", slash_payload(rig.fake, "/summary", "short"))
    assert reply.kind == "answer" and reply == await direct(rig, "/summary short")
    fact = await rig.adapter.command("fact", slash_payload(rig.fake, "/fact", "how much trade"))
    assert fact.data["hits"]


async def test_the_umbrella_command_takes_any_command_and_defaults_to_help(rig: Rig) -> None:
    bare = await rig.adapter.command(UMBRELLA, slash_payload(rig.fake, "/parley", ""))
    assert bare.title == "Parley commands"
    summary = await rig.adapter.command(UMBRELLA, slash_payload(rig.fake, "/parley",
                                                                 "summary short"))
    assert summary == await direct(rig, "/summary short")
    unknown = await rig.adapter.command(UMBRELLA, slash_payload(rig.fake, "/parley", "nope"))
    assert unknown.kind == "usage"


async def test_action_runs_the_buttons_line_for_the_presser_only(rig: Rig) -> None:
    reply = await rig.adapter.action(button_body(rig.fake, "/summary short"))
    expected = await direct(rig, "/summary short")
    assert reply.ephemeral and not expected.ephemeral
    assert reply.model_copy(update={"ephemeral": False}) == expected
    empty = await rig.adapter.action({"type": "block_actions"})
    assert empty.is_error and empty.ephemeral


async def test_answer_posts_every_message_to_the_response_url(rig: Rig) -> None:
    body = {"response_url": rig.fake.response_url()}
    await rig.adapter.answer(body, Reply(title="Hello", text="<!channel> hi"))
    [sent] = await rig.fake.wait_responses(1)
    assert sent["response_type"] == "in_channel" and sent["replace_original"] is False
    assert "&lt;!channel&gt;" in str(sent["blocks"])
    await rig.adapter.answer({}, Reply(text="nowhere to go"))  # logged, nothing sent
    assert len(rig.fake.responses) == 1


async def test_acked_acks_first_and_answers_in_the_background(rig: Rig) -> None:
    order: list[str] = []

    async def work(body: dict[str, Any]) -> Reply:
        order.append("work")
        return Reply(text="done")

    async def ack() -> None:
        order.append("ack")

    await rig.adapter.acked(work)(ack, {"response_url": rig.fake.response_url()})
    assert order == ["ack"]  # the listener returns once acked; the work follows
    [sent] = await rig.fake.wait_responses(1)
    assert order == ["ack", "work"] and "done" in str(sent["blocks"])


async def test_respond_later_says_restarting_once_parley_is_closing(rig: Rig) -> None:
    await rig.adapter.services.drain(0.1)

    async def work(body: dict[str, Any]) -> Reply:
        raise AssertionError("no new work once closing")

    await rig.adapter.respond_later(work, {"response_url": rig.fake.response_url()})
    [sent] = await rig.fake.wait_responses(1)
    assert "Restarting" in str(sent["blocks"])
    await asyncio.sleep(0)


async def test_app_answers_every_group_and_the_umbrella_with_one_listener(rig: Rig) -> None:
    from slack_bolt.request.async_request import AsyncBoltRequest

    from tests.fakes.slack_server import form, sign

    app = rig.adapter.app()
    groups = {*rig.adapter.services.registry.groups(), UMBRELLA}
    # One for every slash command, one for buttons, one for the Home tab, one for shortcuts.
    assert len(app._async_listeners) == 4
    for name in [*sorted(groups), "nope", "factcheckx"]:
        body = form(slash_payload(rig.fake, f"/{name}", ""))
        headers: dict[str, str | Sequence[str]] = {**sign("s", body)}
        response = await app.async_dispatch(AsyncBoltRequest(body=body, headers=headers))
        assert response.status == (200 if name in groups else 404), name
    await asyncio.gather(*rig.adapter._background)  # the answers posted before closing
