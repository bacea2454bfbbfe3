"""SIGKILL in the middle of writes, then a restart: the database is whole and nothing that was
acknowledged is lost (real subprocesses, a real SQLite file)."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import subprocess
from pathlib import Path

import pytest

from tests.conftest import PYTHON, cli_env

UNLIMITED = {"PARLEY_RATE_MEMBER_PER_MINUTE": "0", "PARLEY_RATE_CHANNEL_PER_MINUTE": "0",
             "PARLEY_RATE_CONTRIBUTIONS_PER_MINUTE": "0"}
EXAMPLE = "peru-illegal-immigration"


async def _write_then_kill(tmp_path: Path, kind: str, acks_wanted: int, seed: int) -> list[str]:
    """Run the writer until it has acknowledged enough, kill it at a random instant after."""
    proc = await asyncio.create_subprocess_exec(
        PYTHON, "-m", "tests.e2e.writer", kind, cwd=tmp_path, env=cli_env(tmp_path, **UNLIMITED),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, start_new_session=True)
    assert proc.stdout is not None
    acked: list[str] = []
    try:
        while len(acked) < acks_wanted:
            line = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode().strip()
            assert line.startswith("ack "), line or (await proc.stderr.read()).decode()  # type: ignore[union-attr]
            acked.append(line[4:])
        await asyncio.sleep(random.Random(seed).uniform(0.0, 0.05))  # mid-way into the next
    finally:
        # The whole process group, as a service manager kills a service: the analysis workers
        # die with it (they hold its output pipes, so waiting would never end otherwise).
        os.killpg(proc.pid, signal.SIGKILL)
        await proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return acked


def _rows(db: Path, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return list(conn.execute(sql, params))
    finally:
        conn.close()


def _assert_whole(db: Path) -> None:
    assert _rows(db, "PRAGMA integrity_check") == [("ok",)]
    assert _rows(db, "PRAGMA foreign_key_check") == []
    # the full-text index is written by triggers in the same transaction as the fact checks
    assert _rows(db, "SELECT COUNT(*) FROM fact_checks") == \
        _rows(db, "SELECT COUNT(*) FROM factchecks_fts")


def _restart_answers(tmp_path: Path) -> None:
    result = subprocess.run([PYTHON, "-m", "parley", "ask", "/summary short"], cwd=tmp_path,
                            env=cli_env(tmp_path), capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("seed", [1, 2])
async def test_kill_during_ingestion(tmp_path: Path, seed: int) -> None:
    acked = await _write_then_kill(tmp_path, "ingest", 2, seed)
    db = tmp_path / "parley.db"
    _assert_whole(db)
    stored = {r[0] for r in _rows(db, "SELECT id FROM articles")}
    assert set(acked) <= stored
    for (article,) in _rows(db, "SELECT id FROM articles WHERE id != ?", (EXAMPLE,)):
        # whole: sections, sentences, claims and summaries, with the audit entry beside them
        for table in ("sections", "sentences", "claims", "summaries"):
            assert _rows(db, f"SELECT COUNT(*) FROM {table} WHERE article_id = ?",
                         (article,))[0][0] > 0, (article, table)
        assert _rows(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'article.add' AND "
                         "target = ?", (article,)) == [(1,)]
    _restart_answers(tmp_path)


async def test_kill_during_fact_checks(tmp_path: Path) -> None:
    acked = await _write_then_kill(tmp_path, "factcheck", 25, seed=3)
    db = tmp_path / "parley.db"
    _assert_whole(db)
    urls = {str(r[0]) for r in _rows(db, "SELECT json_extract(sources, '$[0]') FROM fact_checks"
                                         " WHERE origin = 'moderator'")}
    assert {f"https://example.org/{key}" for key in acked} <= urls
    # every verdict has its audit entry, and no audit entry lacks its verdict
    assert _rows(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'factcheck.add'") == \
        [(len(urls),)]
    _restart_answers(tmp_path)


async def test_kill_during_ratings(tmp_path: Path) -> None:
    acked = await _write_then_kill(tmp_path, "rate", 40, seed=4)
    db = tmp_path / "parley.db"
    _assert_whole(db)
    raters = {r[0] for r in _rows(db, "SELECT rater FROM ratings")}
    assert {f"console:w:{key}" for key in acked} <= raters
    _restart_answers(tmp_path)
