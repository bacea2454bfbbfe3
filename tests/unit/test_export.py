"""``parley export``: each table as CSV and JSON, with what moderators recorded and nothing more."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

import pytest

from parley.cli.app import open_services
from parley.cli.main import main
from parley.core.models import Request, Role
from parley.core.registry import run_line
from tests.conftest import make_settings

URL = "https://example.org/check"


async def _record(tmp_path: Path) -> None:
    async with open_services(make_settings(tmp_path)) as services:
        async def say(line: str, user: str, role: Role = Role.MEMBER) -> None:
            base = Request(platform="slack", workspace="T1", channel="C1", user=user, role=role,
                           command="help")
            reply = await run_line(services.registry, line, base, services)
            assert not reply.is_error, (line, reply.text)

        await say(f"/factcheck c25 false BEA data show a different figure. {URL}", "mod",
                  Role.MODERATOR)
        formula = '=HYPERLINK("http://attacker.example")'
        await say(f"/counterpoint add c24 {formula} official figures for nearby years put "
                  f"two-way trade much higher. {URL}", "author")
        await say("/rate cp8 helpful", "rater-one")
        await say("/rate cp8 not-helpful", "rater-two")
        await say("/fact how much trade is there", "asker")


@pytest.fixture
def recorded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    asyncio.run(_record(tmp_path))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("PARLEY_DB", str(tmp_path / "parley.db"))
    return tmp_path


def export(capsys: pytest.CaptureFixture[str], *args: str) -> str:
    assert main(["export", *args]) == 0
    return capsys.readouterr().out


def test_each_table_exports_as_csv_and_json(recorded: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    for table in ("audit", "factchecks", "counterpoints", "activity"):
        rows = list(csv.DictReader(io.StringIO(export(capsys, table))))
        as_json = json.loads(export(capsys, table, "--format", "json"))
        assert as_json["table"] == table and len(as_json["rows"]) == len(rows) > 0
        assert list(as_json["rows"][0]) == list(rows[0])


def test_the_records_say_who_did_what(recorded: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    audit = json.loads(export(capsys, "audit", "--format", "json"))["rows"]
    assert [(r["action"], r["actor"]) for r in audit] == [("factcheck.add", "mod")]
    checks = json.loads(export(capsys, "factchecks", "--format", "json"))["rows"]
    mine = [c for c in checks if c["author"] == "mod"]
    assert len(mine) == 1 and mine[0]["status"] == "false" and mine[0]["sources"] == [URL]
    assert mine[0]["article_id"] == "peru-illegal-immigration"
    points = json.loads(export(capsys, "counterpoints", "--format", "json"))["rows"]
    added = next(p for p in points if p["id"] == 8)
    assert (added["rated_helpful"], added["rated_not_helpful"], added["standing"]) == (
        1, 1, "needs more ratings")
    assert {p["standing"] for p in points if p["origin"] == "curated"} == {"curated"}
    assert "rater-one" not in json.dumps(points)  # counts, never who rated
    activity = json.loads(export(capsys, "activity", "--format", "json"))["rows"]
    assert ("fact", "how much trade is there") in [(a["command"], a["question"])
                                                   for a in activity]


def test_a_members_text_cannot_run_as_a_spreadsheet_formula(
        recorded: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rows = list(csv.DictReader(io.StringIO(export(capsys, "counterpoints"))))
    text = next(r["text"] for r in rows if r["id"] == "8")
    assert text.startswith("'=HYPERLINK")
