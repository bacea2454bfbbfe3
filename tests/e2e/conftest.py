"""The command-line tests' shared fixture: ``parley …`` run in this process, for the steps of a
test that set up or read back what its real ``python -m parley`` process did."""

from __future__ import annotations

import logging
import os
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from parley.cli.main import main

Cli = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture
def in_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
               capsys: pytest.CaptureFixture[str]) -> Iterator[Cli]:
    """``parley ARGS`` through its real ``main`` (arguments, environment, settings, ``.env``
    in the working folder, the database file), without starting a Python: about 2 s of CPU
    less a command. Returns what ``subprocess.run`` would (exit code, stdout, stderr); extra
    keyword arguments are environment variables for that one command."""
    for name in list(os.environ):
        if name.startswith(("PARLEY_", "DISCORD_", "SLACK_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("PARLEY_DB", str(tmp_path / "parley.db"))
    monkeypatch.chdir(tmp_path)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level  # main configures the logs: put back

    def run(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        capsys.readouterr()
        with monkeypatch.context() as scoped:
            for name, value in env.items():
                scoped.setenv(name, value)
            code = main(list(args))
        out = capsys.readouterr()
        return subprocess.CompletedProcess(["parley", *args], code, out.out, out.err)

    try:
        yield run
    finally:
        for handler in list(root.handlers):
            root.removeHandler(handler)
        for handler in handlers:
            root.addHandler(handler)
        root.setLevel(level)
