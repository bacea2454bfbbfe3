"""Shared fixtures: a real SQLite file per test (or a real PostgreSQL database), the real
registry, and a way to type commands."""

from __future__ import annotations

import asyncio
import concurrent.futures
import itertools
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import pytest

from parley.cli.app import open_services
from parley.core.models import Reply, Request, Role
from parley.core.registry import run_line
from parley.core.services import Services
from parley.core.settings import Settings
from parley.core.workers import Workers, start_fork_server
from parley.store.db import Database
from tests.pg_server import Server, throwaway_server

FIXTURES = Path(__file__).parent / "fixtures"
ARTICLES = FIXTURES / "articles"
REPO = Path(__file__).resolve().parent.parent

Ask = Callable[..., Awaitable[Reply]]
T = TypeVar("T")


def make_settings(tmp_path: Path, **overrides: object) -> Settings:
    """Settings that ignore the developer's environment and ``.env``."""
    values: dict[str, object] = {"parley_db": tmp_path / "parley.db"}
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


TEMPLATE = "parley_template"  # migrated
STARTED = "parley_started"  # migrated, then a first start: the twin of ``first_started_db``
_databases = itertools.count(1)


class Admin:
    """Creates and drops this process's test databases over one connection, on a loop of its
    own (so sync fixtures and async tests alike can ask); drops are not waited for."""

    def __init__(self, server: Server) -> None:
        self.server = server
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.conn: Any = self.run(self._connect())
        self.lock = asyncio.Lock()
        self.pending: set[concurrent.futures.Future[None]] = set()
        # FILE_COPY (PostgreSQL 15+) copies the files: faster than WAL-logging every page
        fast = int(self.conn.get_server_version().major) >= 15
        self.strategy = " STRATEGY FILE_COPY" if fast else ""

    def run(self, work: Coroutine[Any, Any, T]) -> T:
        """Run ``work`` on the admin's loop and wait for it."""
        return asyncio.run_coroutine_threadsafe(work, self.loop).result()

    async def _connect(self) -> Any:
        import asyncpg

        return await asyncpg.connect(self.server.url())

    async def _run(self, sql: str) -> None:
        async with self.lock:
            await self.conn.execute(sql)

    def create(self, name: str, template: str = "template0") -> str:
        """A new database copied from ``template``; its address."""
        self.run(self._run(f'CREATE DATABASE "{name}" TEMPLATE "{template}"{self.strategy}'))
        return self.server.url(name)

    def drop_later(self, name: str) -> None:
        done = asyncio.run_coroutine_threadsafe(
            self._run(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'), self.loop)
        self.pending.add(done)
        done.add_done_callback(self.pending.discard)

    def close(self) -> None:
        concurrent.futures.wait(list(self.pending), timeout=30)
        self.run(self.conn.close())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


async def _migrate(url: str) -> None:
    await (await Database.open(url)).close()


async def _first_start(url: str, folder: Path) -> None:
    """The first start, in this process (the same open_services a ``python -m parley`` runs)."""
    async with open_services(make_settings(folder, parley_database_url=url)):
        pass


@pytest.fixture(scope="session")
def pg_admin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Admin]:
    """One throwaway PostgreSQL server per test process, with two templates: migrated, and
    after a first start; each test's database is a copy of one (no migrating, no analysis)."""
    try:
        running = throwaway_server()
        server = running.__enter__()
    except FileNotFoundError as exc:
        pytest.skip(f"PostgreSQL tests skipped: {exc}")
    admin = None
    try:
        admin = Admin(server)
        # on the admin's loop: this may be first asked for inside a test's running loop
        admin.run(_migrate(admin.create(TEMPLATE)))
        start_fork_server()  # the first start analyses the example in a worker
        admin.run(_first_start(admin.create(STARTED, TEMPLATE),
                               tmp_path_factory.mktemp("pg-first-start")))
        yield admin
    finally:
        if admin is not None:
            admin.close()
        running.__exit__(None, None, None)


@pytest.fixture(scope="session")
def pg_server(pg_admin: Admin) -> Server:
    """This test process's PostgreSQL server (its ``postgres`` database is the admin's)."""
    return pg_admin.server


@pytest.fixture
def pg_url(pg_admin: Admin) -> Iterator[str]:
    """A fresh, migrated PostgreSQL database of this test's own."""
    name = f"t{next(_databases)}"
    yield pg_admin.create(name, TEMPLATE)
    pg_admin.drop_later(name)


@pytest.fixture
def pg_started_url(pg_admin: Admin) -> Iterator[str]:
    """A PostgreSQL database of this test's own as a first start leaves it, for the few
    end-to-end tests that run on PostgreSQL alone (``stores`` runs a test on both)."""
    name = f"t{next(_databases)}"
    yield pg_admin.create(name, STARTED)
    pg_admin.drop_later(name)


@dataclass
class Stores:
    """This test's stores on one backend: SQLite files in its folder, or databases on this
    test process's PostgreSQL server (each a copy of a template)."""

    kind: str  # "sqlite" or "postgresql"
    folder: Path
    request: pytest.FixtureRequest

    @property
    def postgresql(self) -> bool:
        return self.kind == "postgresql"

    made: list[str] = field(default_factory=list)  # the databases to drop after the test

    def _copy(self, template: str) -> str:
        admin: Admin = self.request.getfixturevalue("pg_admin")
        self.made.append(f"t{next(_databases)}")
        return admin.create(self.made[-1], template)

    def fresh(self, name: str = "parley.db") -> str:
        """A new, empty store: a SQLite path (migrated when opened), or a migrated database."""
        return self._copy(TEMPLATE) if self.postgresql else str(self.folder / name)

    def started(self, name: str = "parley.db") -> str:
        """A new store as a first start leaves it (migrated, the example analysed and active)."""
        if self.postgresql:
            return self._copy(STARTED)
        copy_first_start(self.request.getfixturevalue("first_started_db"), self.folder / name)
        return str(self.folder / name)

    def settings(self, target: str | None = None, **overrides: object) -> Settings:
        """Settings on ``target`` (by default a new started store); other files in the folder."""
        target = self.started() if target is None else target
        if self.postgresql:
            return make_settings(self.folder, parley_database_url=target, **overrides)
        return make_settings(self.folder, parley_db=Path(target), **overrides)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite_only(reason): the test needs SQLite itself "
                            "(a page limit, a trace callback, …); its PostgreSQL run is skipped "
                            "with the reason")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        only = item.get_closest_marker("sqlite_only")
        callspec = getattr(item, "callspec", None)
        if only and callspec is not None and callspec.params.get("stores") == "postgresql":
            item.add_marker(pytest.mark.skip(reason=f"SQLite only: {only.args[0]}"))


@pytest.fixture(params=["sqlite", "postgresql"])
def stores(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Stores]:
    """The one place the backends are chosen: every test that asks for a store, settings or
    services runs on a SQLite file and (where PostgreSQL is installed) on PostgreSQL."""
    if request.param == "postgresql":
        request.getfixturevalue("pg_admin")  # skips, with the reason, where it is absent
    made = Stores(request.param, tmp_path, request)
    yield made
    for name in made.made:
        request.getfixturevalue("pg_admin").drop_later(name)


@pytest.fixture
def backend(stores: Stores) -> str:
    """The store to test on: a SQLite file, or (where PostgreSQL is installed) a database."""
    return stores.fresh()


@pytest.fixture
async def db(backend: str) -> AsyncIterator[Database]:
    """An open, migrated store on each backend in turn."""
    opened = await Database.open(backend)
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def sentence_encoder() -> None:
    """Skips a test where the sentence encoder does not load; asked when a test needs it, not
    at collection (loading it is about 2 s of CPU in each test process)."""
    from parley.core.meaning.encoder import available

    if not available():
        pytest.skip("the sentence encoder is not installed")


needs_encoder = pytest.mark.usefixtures("sentence_encoder")


@pytest.fixture(scope="module")
def workers() -> Iterator[Workers]:
    """One analysis worker process shared by a module's tests on the bare store."""
    pool = Workers(1)
    try:
        yield pool
    finally:
        asyncio.run(pool.close())


@pytest.fixture
def backend_settings(stores: Stores, backend: str) -> Settings:
    """Settings whose store is a new, empty one on each backend in turn."""
    return stores.settings(backend)


@pytest.fixture
def settings(stores: Stores) -> Settings:
    """Settings on a copy of a first start's store, on each backend in turn."""
    return stores.settings()


@pytest.fixture
async def services(settings: Settings) -> AsyncIterator[Services]:
    """Services opened on ``settings`` (a copy of a first start's store: the first start itself
    is what ``first_started_db`` and the CLI tests of a fresh database exercise)."""
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

