"""Every command × every role, through the core: nobody does what their role does not allow."""

from __future__ import annotations

import pytest

from parley.core.commands import build_registry
from parley.core.models import Request, Role
from parley.core.registry import dispatch
from parley.core.services import Services

COMMANDS = [c.name for c in build_registry()]


@pytest.mark.sqlite_only("the role checks are the registry's, the same on both backends; each "
                         "command's store work runs on PostgreSQL in its own tests")
@pytest.mark.parametrize("name", COMMANDS)
async def test_permission_matrix(services: Services, name: str) -> None:
    """Every role in turn on one store (the check comes before the command's own work)."""
    command = services.registry.get(name)
    assert command is not None
    for role in Role:
        reply = await dispatch(services.registry, Request(command=name, role=role, args={}),
                               services)
        if role < command.role:
            assert reply.kind == "denied" and f"for {command.role.label}s" in reply.text, role
        else:
            assert reply.kind != "denied", (role, reply.text)


def test_the_ladder_covers_every_moderator_action() -> None:
    writes = {"article use", "article add", "factcheck", "counterpoint hide", "digest subscribe",
              "digest unsubscribe", "digest now", "digest timezone", "coverage leaning",
              "feed add", "feed remove", "settings show", "settings set", "settings reset",
              "pictures", "factcheck queue", "factcheck answer"}
    registry = build_registry()
    assert {c.name for c in registry if c.role >= Role.MODERATOR} == writes


def test_server_settings_are_for_admins_alone() -> None:
    registry = build_registry()
    assert {c.name for c in registry if c.role == Role.ADMIN} == {
        "settings show", "settings set", "settings reset"}
