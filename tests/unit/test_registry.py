"""The registry and dispatch: parsing, typed parameters, permissions and errors as replies."""

from __future__ import annotations

import logging

import pytest

from parley.core.commands import build_registry
from parley.core.errors import UsageError
from parley.core.models import Reply, Request, Role
from parley.core.registry import Command, Param, Registry, dispatch, run_line
from parley.core.services import Services


def test_every_command_is_documented_and_typed() -> None:
    registry = build_registry()
    names = [c.name for c in registry]
    assert {"help", "summary", "article list", "article show", "article use",
            "article add"} <= set(names)
    for cmd in registry:
        assert cmd.description and len(cmd.description) <= 100
        for p in cmd.params:
            assert p.description and p.name.isidentifier()


def test_parse_picks_the_longest_command_and_binds_params() -> None:
    registry = build_registry()
    cmd, args = registry.parse("/article   use  peru-illegal-immigration")
    assert (cmd.name, args) == ("article use", {"id": "peru-illegal-immigration"})
    cmd, args = registry.parse('/help "article use"')
    assert (cmd.name, args) == ("help", {"command": '"article use"'})
    cmd, args = registry.parse("/ARTICLE add https://example.org/a b")
    assert args == {"source": "https://example.org/a b"}


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("summary", "start with `/`"),
        ("/", "Type a command"),
        ("/artcle list", "Did you mean `/article list`?"),
        ("/article", "needs a sub-command"),
        ("/article use a b", "Too many arguments"),
        ("/article use \"unterminated", "closing quote"),
    ],
)
def test_parse_errors_explain_themselves(line: str, message: str) -> None:
    with pytest.raises(UsageError, match=message.replace("?", r"\?").replace("(", r"\(")):
        build_registry().parse(line)


async def _noop(request: Request, services: Services) -> Reply:
    return Reply(text=str(request.args))


def test_param_conversion() -> None:
    p = Param("n", "a number", kind="int", min_value=1, max_value=5)
    assert p.convert(" 3 ") == 3
    with pytest.raises(UsageError, match="whole number"):
        p.convert("three")
    with pytest.raises(UsageError, match="at most 5"):
        p.convert("9")
    choice = Param("length", "how long", kind="choice", choices=("short", "detailed"))
    assert choice.convert("SHORT") == "short"
    with pytest.raises(UsageError, match="one of: short, detailed"):
        choice.convert("medium")
    text = Param("q", "question", max_length=10)
    assert text.convert("a\u202eb\u200bc\x00d") == "abcd"
    with pytest.raises(UsageError, match="too long"):
        text.convert("x" * 11)
    with pytest.raises(UsageError, match="required"):
        text.convert("\u200b ")


def test_registry_refuses_duplicates_and_misplaced_greedy() -> None:
    registry = Registry()
    registry.add(Command("x", "x", _noop))
    with pytest.raises(ValueError, match="twice"):
        registry.add(Command("x", "x", _noop))
    with pytest.raises(ValueError, match="greedy"):
        registry.add(Command("y", "y", _noop, (Param("a", "a", greedy=True), Param("b", "b"))))


async def test_handler_crash_becomes_a_short_reply(services: Services,
                                                   caplog: pytest.LogCaptureFixture) -> None:
    registry = Registry()

    async def boom(request: Request, services: Services) -> Reply:
        raise RuntimeError("database on fire")

    registry.add(Command("boom", "fails", boom))
    with caplog.at_level(logging.ERROR):
        reply = await dispatch(registry, Request(command="boom"), services)
    assert reply.kind == "error" and reply.ephemeral
    assert "failed on my side" in reply.text and "database on fire" not in reply.text
    assert any(r.message == "handler failed" for r in caplog.records)


async def test_member_is_refused_moderator_command_and_nothing_changes(ask, services) -> None:  # type: ignore[no-untyped-def]
    reply = await ask("/article add https://example.org/x", role=Role.MEMBER)
    assert reply.kind == "denied"
    assert "for moderators" in reply.text
    listing = await ask("/article list")
    assert listing.data["total"] == 1


async def test_roles_form_a_ladder(services: Services) -> None:
    registry = Registry()
    registry.add(Command("mod", "mod only", _noop, role=Role.MODERATOR))
    for role, allowed in ((Role.MEMBER, False), (Role.MODERATOR, True), (Role.ADMIN, True)):
        reply = await run_line(registry, "/mod", Request(command="x", role=role), services)
        assert (reply.kind != "denied") is allowed


async def test_unknown_command_in_a_request_is_answered(services: Services) -> None:
    reply = await dispatch(build_registry(), Request(command="summray"), services)
    assert reply.kind == "usage" and "`/summary`" in reply.text


async def test_unknown_argument_names_are_refused(services: Services) -> None:
    reply = await dispatch(build_registry(), Request(command="summary", args={"x": 1}), services)
    assert reply.kind == "usage" and "Unknown option" in reply.text
