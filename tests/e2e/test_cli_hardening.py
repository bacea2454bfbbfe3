"""The command line against hostile files and unlucky operators: devices and FIFOs to ingest,
deep or huge ClaimReview JSON, restores after a crash or from odd paths, backups to impossible
places, a read-only database. Real ``python -m parley`` subprocesses on real files."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from parley.cli.main import main
from tests.conftest import ARTICLES, PYTHON, cli_env
from tests.e2e.conftest import Cli

# Each test starts from a first start's database (made once per test process).
pytestmark = pytest.mark.usefixtures("started")


def parley(tmp_path: Path, *args: str, timeout: float = 60,
           **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PYTHON, "-m", "parley", *args], cwd=tmp_path,
                          env=cli_env(tmp_path, **{"PARLEY_LOG_LEVEL": "WARNING", **env}),
                          capture_output=True, text=True,
                          timeout=timeout)


def one_line(result: subprocess.CompletedProcess[str]) -> str:
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def test_ingesting_dev_zero_is_refused_by_a_bounded_reader(tmp_path: Path) -> None:
    result = parley(tmp_path, "ingest", "/dev/zero", timeout=30)
    assert result.returncode == 1
    line = one_line(result)
    assert line.startswith("/dev/zero: ") and "larger than 2 MB" in line


def test_a_fifo_without_a_writer_does_not_hang_and_one_with_a_writer_is_read(
        tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = parley(tmp_path, "ingest", str(fifo), timeout=30)
    assert result.returncode == 1 and "That is empty" in one_line(result)
    assert time.monotonic() - started < 20
    article = (ARTICLES / "carbon-pricing-explainer.md").read_bytes()
    proc = subprocess.Popen([PYTHON, "-m", "parley", "ingest", str(fifo)], cwd=tmp_path,
                            env=cli_env(tmp_path), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)

    def write() -> None:
        with fifo.open("wb") as out:  # blocks until the reader has opened its end
            out.write(article)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    out, err = proc.communicate(timeout=60)
    writer.join(5)
    assert proc.returncode == 0, err
    assert ": added" in out


def test_deeply_nested_claimreview_json_is_one_clear_line(tmp_path: Path,
                                                          in_process: Cli) -> None:
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 200_000 + "]" * 200_000)
    result = parley(tmp_path, "factcheck", "import", str(deep))
    assert result.returncode == 1 and "nested too deeply" in one_line(result)
    nested_fields = tmp_path / "fields.json"
    value: object = "x"
    for _ in range(400):
        value = [value]
    nested_fields.write_text(json.dumps({
        "@type": "ClaimReview", "claimReviewed": ["Trade is $20.5 billion", value],
        "reviewRating": {"alternateName": "False", "ratingExplanation": value},
        "itemReviewed": {"appearance": {"url": "https://example.org/a", "deep": value}},
        "citation": [value]}))
    result = in_process("factcheck", "import", str(nested_fields),
                        PARLEY_LOG_LEVEL="WARNING")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert "imported 0 on claims, 1 into the knowledge base" in result.stderr


def _kill_after_a_committed_write(db: Path) -> None:
    """A process commits a row to the WAL (no checkpoint) and is SIGKILLed."""
    code = ("import os, signal, sqlite3\n"
            f"c = sqlite3.connect({str(db)!r}, isolation_level=None)\n"
            "c.execute('PRAGMA wal_autocheckpoint = 0')\n"
            "c.execute('CREATE TABLE acknowledged (what TEXT)')\n"
            "c.execute(\"INSERT INTO acknowledged VALUES ('kept')\")\n"
            "os.kill(os.getpid(), signal.SIGKILL)\n")
    proc = subprocess.run([PYTHON, "-c", code], capture_output=True)
    assert proc.returncode == -signal.SIGKILL
    assert Path(str(db) + "-wal").stat().st_size > 0


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
        ) -> Callable[..., tuple[int, str, str]]:
    """``parley …`` in this process (its real ``main``), for commands that need no server."""
    for name in list(os.environ):
        if name.startswith(("PARLEY_", "DISCORD_", "SLACK_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PARLEY_DB", str(tmp_path / "parley.db"))
    monkeypatch.setenv("PARLEY_LOG_LEVEL", "WARNING")
    monkeypatch.chdir(tmp_path)

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        code = main(list(args))
        out = capsys.readouterr()
        return code, out.out, out.err

    return run


def test_restore_after_a_crash_keeps_every_acknowledged_write(
        tmp_path: Path, cli: Callable[..., tuple[int, str, str]]) -> None:
    assert cli("ask", "/help")[0] == 0
    backup = tmp_path / "b.db"
    assert cli("backup", str(backup))[0] == 0
    _kill_after_a_committed_write(tmp_path / "parley.db")
    code, _, err = cli("restore", str(backup))
    assert code == 0, err
    kept = sqlite3.connect(tmp_path / "parley.db.before-restore")
    assert kept.execute("SELECT what FROM acknowledged").fetchall() == [("kept",)]
    kept.close()


def _subscriptions(cli: Callable[..., tuple[int, str, str]]) -> int:
    return len(json.loads(cli("ask", "--json", "/digest list")[1])["data"]["subscriptions"])


def test_restore_treats_paths_as_paths(tmp_path: Path,
                                       cli: Callable[..., tuple[int, str, str]]) -> None:
    assert cli("ask", "--as", "moderator", "/digest subscribe daily 09:00")[0] == 0
    decoy = tmp_path / "we"  # what a URI reading of the odd names would open instead
    assert cli("backup", str(decoy))[0] == 0
    for odd in ("we?ird.db", "we#ird.db", "we%3Fird.db", "we%ird.db"):
        garbage = tmp_path / odd
        garbage.write_bytes(b"garbage, not a database " * 200)
        code, _, err = cli("restore", str(garbage))
        assert code == 1 and "nothing was changed" in err, (odd, err)
        assert _subscriptions(cli) == 1, odd  # the live database is untouched
        garbage.unlink()
        assert cli("backup", str(garbage))[0] == 0
        assert cli("ask", "--as", "moderator", "/digest unsubscribe")[0] == 0
        code, _, err = cli("restore", str(garbage))
        assert code == 0, (odd, err)
        assert _subscriptions(cli) == 1, odd  # the odd-named backup itself came back


def test_backup_to_a_folder_a_non_database_or_an_impossible_path_is_one_line(
        tmp_path: Path, cli: Callable[..., tuple[int, str, str]]) -> None:
    def refused(target: str) -> str:
        code, _, err = cli("backup", target)
        lines = err.strip().splitlines()
        assert code == 1 and len(lines) == 1 and "Traceback" not in err, err
        return lines[0]

    folder = tmp_path / "backups"
    folder.mkdir()
    assert "is a folder" in refused(str(folder))
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes")
    assert "is not a database" in refused(str(notes))
    assert notes.read_text() == "my notes"
    for impossible in ("/dev/null/parley.db", "/proc/parley/backup.db"):
        assert "cannot write a backup" in refused(impossible)


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """The file cannot be written: chmod for a normal user, the immutable flag for root."""
    if os.geteuid() != 0:
        path.chmod(0o444)
        try:
            yield
        finally:
            path.chmod(0o644)
        return
    if shutil.which("chattr") is None or subprocess.run(
            ["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("running as root without chattr +i: cannot make a read-only file")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


def test_a_read_only_database_gets_one_clear_line(tmp_path: Path, in_process: Cli) -> None:
    assert in_process("ask", "/help").returncode == 0
    db = tmp_path / "parley.db"
    with read_only(db):
        result = parley(tmp_path, "ingest", str(ARTICLES / "carbon-pricing-explainer.md"))
        assert result.returncode == 1
        assert "read-only" in one_line(result)
        answer = in_process("ask", "--as", "moderator", "/digest subscribe daily 09:00")
        assert answer.returncode == 1 and "read-only" in answer.stdout, answer.stdout
        assert "Something went wrong" not in answer.stdout
        reads = in_process("ask", "/summary")
        assert reads.returncode == 0, reads.stdout + reads.stderr
