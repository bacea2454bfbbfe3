"""Shared fixtures: a real SQLite file per test, the real registry, and a way to type commands."""

from __future__ import annotations

import asyncio
import os
import shutil
import subprocess
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from parley.cli.app import open_services
from parley.core.models import Reply, Request, Role
from parley.core.registry import run_line
from parley.core.services import Services
from parley.core.settings import Settings
from parley.core.workers import start_fork_server

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLES = FIXTURES / "articles"
REPO = Path(__file__).resolve().parent.parent

Ask = Callable[..., Awaitable[Reply]]


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Settings that ignore the developer's environment and ``.env``."""
    values: dict[str, object] = {"parley_db": tmp_path / "parley.db"}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
async def services(settings: Settings, first_started_db: Path) -> AsyncIterator[Services]:
    """Services opened on a copy of a first start's database (the first start itself is what
    ``first_started_db`` and the CLI tests of a fresh database exercise)."""
    copy_first_start(first_started_db, Path(settings.parley_db))
    async with open_services(settings) as svc:
        yield svc


@pytest.fixture
def ask(services: Services) -> Ask:
    """Type a command line as someone in a channel would."""

    async def run(line: str, role: Role = Role.MEMBER, channel: str = "general",
                  platform: str = "console") -> Reply:
        base = Request(platform=platform, workspace="w1", channel=channel, user="u1",  # type: ignore[arg-type]
                       role=role, command="help")
        return await run_line(services.registry, line, base, services)

    return run


T = TypeVar("T")


@dataclass
class Live:
    """Open services on a loop of their own, for synchronous (hypothesis) tests."""

    loop: asyncio.AbstractEventLoop
    services: Services

    def run(self, coro: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coro)


@pytest.fixture
def live(tmp_path: Path, first_started_db: Path) -> Iterator[Live]:
    """One database for every example of a property test: any sequence of inputs must hold."""
    copy_first_start(first_started_db, tmp_path / "parley.db")
    loop = asyncio.new_event_loop()
    settings = make_settings(tmp_path, parley_rate_member_per_minute=0,
                             parley_rate_channel_per_minute=0,
                             parley_rate_contributions_per_minute=0)
    opened = open_services(settings)
    services = loop.run_until_complete(opened.__aenter__())
    try:
        yield Live(loop, services)
    finally:
        loop.run_until_complete(opened.__aexit__(None, None, None))
        loop.close()


def cli_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """An environment for running ``python -m parley`` in a subprocess against a temporary DB."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PARLEY_", "DISCORD_", "SLACK_"))}
    env.update({"PARLEY_DB": str(tmp_path / "parley.db"), "PYTHONPATH": str(REPO)})
    env.update(extra)
    return env


PYTHON = sys.executable


@pytest.fixture(scope="session")
def first_started_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database as a real first ``python -m parley`` start leaves it (migrated, the example
    article analysed, stored and active), made once per test process."""
    # Tests reuse this database, so their pools start later, inside a test: warm this
    # process's fork server now, while the first start runs.
    start_fork_server()
    folder = tmp_path_factory.mktemp("first-start")
    done = subprocess.run([PYTHON, "-m", "parley", "articles"], cwd=folder,
                          env=cli_env(folder), capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("peru-illegal-immigration"), done
    assert not (folder / "parley.db-wal").exists()  # closed cleanly: the one file is all of it
    return folder / "parley.db"


def copy_first_start(first: Path, to: Path) -> None:
    """Start ``to`` as a copy of a first start's database, unless the test made its own."""
    if not to.exists():
        shutil.copyfile(first, to)


@pytest.fixture
def started(first_started_db: Path, tmp_path: Path) -> None:
    """This test's database starts as a copy of a first start's, so its ``python -m parley``
    processes skip analysing the example (tests of the first start itself do not use this)."""
    copy_first_start(first_started_db, tmp_path / "parley.db")


async def discuss(ask: Ask, source: str) -> str:
    """Add an article (text or address) as a moderator and make it the channel's; its id."""
    added = await ask(f"/article add {source}", role=Role.MODERATOR)
    await ask(f"/article use {added.data['id']}", role=Role.MODERATOR)
    return str(added.data["id"])

