"""The command line on PostgreSQL: ``parley ask`` (the console), migrate, backup and restore
(pg_dump), and a process that runs only the digest scheduler (``parley run --role scheduler``)."""

from __future__ import annotations

import asyncio
import json
import shutil
import signal
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from parley.store.db import Database, bundled_migrations
from tests.conftest import ARTICLES, PYTHON, cli_env
from tests.e2e.conftest import Cli


def _parley(tmp_path: Path, url: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PYTHON, "-m", "parley", *args], cwd=tmp_path, capture_output=True,
                          text=True, timeout=120,
                          env=cli_env(tmp_path, PARLEY_DATABASE_URL=url))


def test_parley_ask_answers_on_postgresql(tmp_path: Path, pg_started_url: str,
                                         in_process: Cli) -> None:
    """The console's one-shot form, end to end on PostgreSQL: a read, a write, the write seen
    by another process (the one real ``python -m parley``: the others run the same ``main``)."""
    summary = in_process("ask", "--json", "/summary", PARLEY_DATABASE_URL=pg_started_url)
    assert summary.returncode == 0, summary.stderr
    assert json.loads(summary.stdout)["title"].startswith("Peru Shuts Down Illegal Immigration")
    fact = in_process("ask", "--json", "/fact how much is trade",
                      PARLEY_DATABASE_URL=pg_started_url)
    assert fact.returncode == 0 and "$20.5 billion" in fact.stdout, fact.stderr
    added = in_process("ask", "--json", "--as", "moderator",
                       f"/article add {(ARTICLES / 'minimum-wage-opinion.txt').read_text()[:4000]}",
                       PARLEY_DATABASE_URL=pg_started_url)
    assert added.returncode == 0, added.stderr
    new_id = json.loads(added.stdout)["data"]["id"]
    listed = _parley(tmp_path, pg_started_url, "ask", "/article list")  # another process
    assert listed.returncode == 0, listed.stderr
    assert "peru-illegal-immigration" in listed.stdout and new_id in listed.stdout


def test_migrate_reports_the_schema_version(tmp_path: Path, pg_url: str,
                                            in_process: Cli) -> None:
    done = in_process("migrate", PARLEY_DATABASE_URL=pg_url)
    assert done.returncode == 0, done.stderr
    latest = bundled_migrations("postgresql")[-1].version
    assert f"schema version {latest}" in done.stdout and "127.0.0.1" in done.stdout
    bad = in_process("migrate", PARLEY_DATABASE_URL="mysql://nope")
    assert bad.returncode == 2 and "PARLEY_DATABASE_URL" in bad.stderr


@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
def test_backup_and_restore_round_trip(tmp_path: Path, pg_url: str, in_process: Cli) -> None:
    backup = tmp_path / "parley.dump"
    made = in_process("backup", str(backup), PARLEY_DATABASE_URL=pg_url)  # the example only
    assert made.returncode == 0, made.stderr
    added = in_process("ingest", str(ARTICLES / "minimum-wage-opinion.txt"),
                       PARLEY_DATABASE_URL=pg_url)
    assert added.returncode == 0, added.stderr
    restored = in_process("restore", str(backup), PARLEY_DATABASE_URL=pg_url)
    assert restored.returncode == 0, restored.stderr
    listed = in_process("articles", PARLEY_DATABASE_URL=pg_url).stdout
    assert listed.startswith("peru-illegal-immigration\t") and len(listed.splitlines()) == 1
    missing = in_process("restore", str(tmp_path / "none.dump"), PARLEY_DATABASE_URL=pg_url)
    assert missing.returncode == 1 and "no backup file" in missing.stderr


async def test_a_scheduler_only_process_posts_due_digests(tmp_path: Path,
                                                          pg_started_url: str) -> None:
    # A first start's copy: the example is stored and the global default, so the process
    # does not analyse it again (its subscription names no article: the default is posted).
    pg_url = pg_started_url
    db = await Database.open(pg_url)
    due = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    try:
        await db.write(
            "INSERT INTO digest_subscriptions (platform, workspace, channel, article_id,"
            " schedule, label, timezone, next_run_at, created_by, created_at)"
            " VALUES ('console', 'w', 'news', NULL, '0 9 * * *', 'daily', 'UTC', ?, 'm', ?)",
            (due, due))
        active = await db.fetchone("SELECT value FROM scoped_settings WHERE scope = 'global'"
                                   " AND key = 'active_article'")
        assert active is not None and "peru-illegal-immigration" in active["value"]
        proc = await asyncio.create_subprocess_exec(
            PYTHON, "-m", "parley", "run", "--role", "scheduler", cwd=tmp_path,
            env=cli_env(tmp_path, PARLEY_DATABASE_URL=pg_url),
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        try:
            # A bound for a loaded machine, not a pace.
            deadline = asyncio.get_running_loop().time() + 120
            while asyncio.get_running_loop().time() < deadline:
                row = await db.fetchone("SELECT status FROM digest_deliveries")
                if row is not None and row["status"] == "sent":
                    break
                await asyncio.sleep(0.1)
        finally:
            proc.send_signal(signal.SIGTERM)
            out, err = await asyncio.wait_for(proc.communicate(), 60)
        assert row is not None and row["status"] == "sent", err.decode()
        assert proc.returncode == 0, err.decode()
        assert "Digest:" in out.decode()  # the console poster printed it
    finally:
        await db.close()
