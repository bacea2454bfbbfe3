"""The ``parley`` command line against a real SQLite file: a real subprocess where the process
is the point (its exit code, standard input and output, a first start, a closed pipe, ``.env``
in its folder), and ``main`` in this process for the commands whose output is the point."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from parley import __version__
from tests.conftest import ARTICLES, PYTHON, cli_env
from tests.e2e.conftest import Cli


def parley(tmp_path: Path, *args: str, stdin: str | None = None,
           **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([PYTHON, "-m", "parley", *args], cwd=tmp_path,
                          env=cli_env(tmp_path, **env),
                          input=stdin, capture_output=True, text=True, timeout=60)


def test_ask_json_prints_exactly_one_reply_object(tmp_path: Path) -> None:
    result = parley(tmp_path, "ask", "--json", "/summary")
    assert result.returncode == 0, result.stderr
    reply = json.loads(result.stdout)
    assert {"kind", "title", "text", "sections", "sources", "data"} <= set(reply)
    assert reply["kind"] == "answer"
    assert reply["title"] == "Peru Shuts Down Illegal Immigration: Will Others Follow?"
    assert result.stdout.count("\n") == 1


@pytest.mark.usefixtures("started")
def test_exit_codes(tmp_path: Path, in_process: Cli) -> None:
    denied = parley(tmp_path, "ask", "--json", "/article use anything")
    assert denied.returncode == 1 and json.loads(denied.stdout)["kind"] == "denied"
    usage = in_process("ask", "/no-such-command")
    assert usage.returncode == 2 and "Unknown command" in usage.stdout
    missing = in_process("ask", "--as", "moderator", "/article use nope")
    assert missing.returncode == 1


def test_bad_setting_fails_with_one_line(tmp_path: Path) -> None:
    result = parley(tmp_path, "ask", "/help", PARLEY_LOG_LEVEL="chatty")
    assert result.returncode == 2
    assert result.stderr.strip().startswith("parley: invalid setting PARLEY_LOG_LEVEL")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


@pytest.mark.usefixtures("started")
def test_newer_database_is_refused_clearly(tmp_path: Path, in_process: Cli) -> None:
    import sqlite3

    assert in_process("articles").returncode == 0
    with sqlite3.connect(tmp_path / "parley.db") as conn:
        conn.execute("INSERT INTO schema_version (version, name) VALUES (999, 'future')")
    result = parley(tmp_path, "articles")
    assert result.returncode == 1
    assert "schema version 999, newer than this Parley" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_file_that_is_not_a_database_is_refused_with_the_way_out(tmp_path: Path) -> None:
    (tmp_path / "parley.db").write_bytes(b"this is not SQLite at all\n" * 400)
    result = parley(tmp_path, "ask", "/summary")
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert "is damaged" in line and "parley restore" in line and "Traceback" not in line
    assert (tmp_path / "parley.db").read_bytes().startswith(b"this is not SQLite")


@pytest.mark.usefixtures("started")
def test_ingest_a_folder_then_list_and_use(tmp_path: Path, in_process: Cli) -> None:
    result = in_process("ingest", str(ARTICLES))
    assert result.returncode == 0, result.stderr
    fixtures = len(list(ARTICLES.iterdir()))
    assert result.stdout.count(": added") == fixtures
    again = in_process("ingest", str(ARTICLES / "harbor-bridge-news.html"))
    assert "already stored" in again.stdout
    listing = in_process("articles").stdout.splitlines()
    assert len(listing) == fixtures + 1 and listing[0].startswith("peru-illegal-immigration\t")
    used = in_process("ask", "--as", "moderator", "--channel", "c2",
                      "/article use council-harbor-bridge")
    assert used.returncode == 0
    summary = json.loads(in_process("ask", "--json", "--channel", "c2", "/summary").stdout)
    assert summary["title"] == "Council approves $48 million Harbor Bridge repair"


@pytest.mark.usefixtures("started")
def test_ingest_reports_bad_files_and_keeps_going(tmp_path: Path, in_process: Cli) -> None:
    (tmp_path / "empty.txt").write_text("")
    (tmp_path / "blob.txt").write_bytes(b"\x00\x01\x02" * 100)
    result = in_process("ingest", str(tmp_path / "empty.txt"), str(tmp_path / "blob.txt"),
                    str(ARTICLES / "carbon-pricing-explainer.md"))
    assert result.returncode == 1
    assert "empty.txt: That is empty" in result.stderr
    assert "blob.txt: That looks like a binary file" in result.stderr
    assert "carbon-tax-work: added" in result.stdout


@pytest.mark.usefixtures("started")
def test_console_takes_commands_from_standard_input(tmp_path: Path) -> None:
    session = "/help\nhello\n/article list\n/summary\n/quit\n"
    result = parley(tmp_path, "console", stdin=session)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert out.startswith("Parley console — discussing: Peru Shuts Down Illegal Immigration")
    assert "Parley commands" in out and "Commands start with /." in out
    assert "← this channel" in out and "By Paul Baker · BreakingCentral" in out


def test_run_without_tokens_starts_the_console_with_the_example(tmp_path: Path) -> None:
    result = parley(tmp_path, "run", stdin="/summary\n")
    assert result.returncode == 0, result.stderr
    assert "Peru Shuts Down Illegal Immigration" in result.stdout
    assert (tmp_path / "parley.db").exists()


@pytest.mark.usefixtures("started")
def test_ask_json_claims_summary_and_rhetoric(tmp_path: Path, in_process: Cli) -> None:
    claims = json.loads(in_process("ask", "--json", "/claims").stdout)["data"]["claims"]
    assert claims and all({"id", "text", "type", "score", "figures"} <= set(c) for c in claims)
    summary = json.loads(in_process("ask", "--json", "/summary").stdout)
    assert "The author argues: " in summary["text"]
    rhetoric = json.loads(in_process("ask", "--json", "/rhetoric").stdout)
    assert any(t["text"] == "naysayers" for t in rhetoric["data"]["terms"])


@pytest.mark.usefixtures("started")
def test_reanalyze_with_a_moderator_lexicon(tmp_path: Path, in_process: Cli) -> None:
    lexicon = tmp_path / "ours.toml"
    lexicon.write_text('[categories.pejorative]\nterms = ["copper"]\n')
    result = in_process("reanalyze", PARLEY_LEXICON=str(lexicon))
    assert result.returncode == 0 and "reanalysed 1 article(s)" in result.stdout
    rhetoric = json.loads(in_process("ask", "--json", "/rhetoric",
                                     PARLEY_LEXICON=str(lexicon)).stdout)
    assert any(t["text"] == "copper" for t in rhetoric["data"]["terms"])
    missing = in_process("ask", "/help", PARLEY_LEXICON=str(tmp_path / "nope.toml"))
    assert missing.returncode == 2 and "invalid setting PARLEY_LEXICON" in missing.stderr


@pytest.mark.usefixtures("started")
def test_fact_and_factcheck_from_the_command_line(tmp_path: Path, in_process: Cli) -> None:
    fact = json.loads(in_process("ask", "--json",
                                 "/fact how much is trade between the two countries").stdout)
    best = fact["data"]["hits"][0]
    assert "$20.5 billion" in best["text"] and best["status"] == "unsupported" and best["sources"]
    refused = in_process("ask", "/factcheck c24 false Wrong year. https://example.org/t")
    assert refused.returncode == 1
    done = in_process("ask", "--as", "moderator",
                      "/factcheck c24 misleading The figure mixes up years. https://example.org/t")
    assert done.returncode == 0, done.stdout
    again = json.loads(in_process("ask", "--json", "/fact what is the bilateral trade "
                                  "figure").stdout)
    assert again["data"]["hits"][0]["status"] == "misleading"
    exported = json.loads(in_process("factcheck", "export").stdout)["@graph"]
    assert any(r["reviewRating"]["alternateName"] == "Misleading" for r in exported)
    (tmp_path / "in.json").write_text(json.dumps({"@graph": exported}))
    imported = in_process("factcheck", "import", str(tmp_path / "in.json"))
    assert imported.returncode == 0 and "already present" in imported.stderr
    (tmp_path / "bad.json").write_text("{not json")
    bad = in_process("factcheck", "import", str(tmp_path / "bad.json"))
    assert bad.returncode == 1 and "is not JSON" in bad.stderr


@pytest.mark.usefixtures("started")
def test_backup_and_restore(tmp_path: Path, in_process: Cli) -> None:
    subscribed = in_process("ask", "--as", "moderator", "/digest subscribe daily 09:00")
    assert subscribed.returncode == 0
    backup = tmp_path / "backups" / "parley-1.db"
    made = in_process("backup", str(backup))
    assert made.returncode == 0 and backup.exists()
    assert in_process("ask", "--as", "moderator", "/digest unsubscribe").returncode == 0
    assert json.loads(in_process("ask", "--json", "/digest list").stdout)["data"][
        "subscriptions"] == []
    restored = in_process("restore", str(backup))
    assert restored.returncode == 0, restored.stderr
    subs = json.loads(in_process("ask", "--json", "/digest list").stdout)["data"]
    assert len(subs["subscriptions"]) == 1
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not sqlite" * 100)
    refused = in_process("restore", str(junk))
    assert refused.returncode == 1 and "nothing was changed" in refused.stderr
    assert len(json.loads(in_process("ask", "--json", "/digest list").stdout)["data"][
        "subscriptions"]) == 1


@pytest.mark.usefixtures("started")
def test_a_misspelt_setting_is_warned_about_with_the_right_name(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("PARLEY_SLACK_PROT=3001\n", encoding="utf-8")
    result = parley(tmp_path, "articles", PARLEY_TIMEZON="Europe/Lima")
    assert result.returncode == 0, result.stderr
    assert "unknown setting PARLEY_TIMEZON is ignored (did you mean PARLEY_TIMEZONE?)" \
        in result.stderr
    assert "PARLEY_SLACK_PROT is ignored (did you mean PARLEY_SLACK_PORT?)" in result.stderr
    assert "PARLEY_DB" not in result.stderr  # a real setting is not warned about


def test_discord_sync_without_a_token_touches_no_database(tmp_path: Path) -> None:
    result = parley(tmp_path, "discord-sync")
    assert result.returncode == 2 and "DISCORD_TOKEN" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "parley.db").exists()


@pytest.mark.usefixtures("started")
def test_slack_manifest_refuses_an_address_slack_would_reject(tmp_path: Path,
                                                             in_process: Cli) -> None:
    for bad in ("not-a-url", "http://example.org/slack/events", "https://"):
        result = in_process("slack-manifest", "--url", bad)
        assert result.returncode == 2 and result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1 and "https" in result.stderr
    good = in_process("slack-manifest", "--url", "https://bot.example.org/slack/events")
    assert good.returncode == 0
    assert "https://bot.example.org/slack/events" in good.stdout
    umbrella = parley(tmp_path, "slack-manifest", "--socket-mode", "--only-umbrella")
    assert [c["command"] for c in json.loads(umbrella.stdout)["features"][
        "slash_commands"]] == ["/parley"]


def test_health_reads_the_heartbeat_without_opening_the_database(tmp_path: Path,
                                                                 in_process: Cli) -> None:
    import os
    import time

    result = parley(tmp_path, "health")
    assert result.returncode == 1 and "no heartbeat" in result.stderr
    assert not (tmp_path / "parley.db").exists()
    beat = tmp_path / "parley.db.alive"
    beat.write_text("0\n", encoding="ascii")
    assert in_process("health").returncode == 0
    old = time.time() - 600
    os.utime(beat, (old, old))
    stale = in_process("health")
    assert stale.returncode == 1 and "s old" in stale.stderr


def test_version_prints_the_one_version(tmp_path: Path) -> None:
    result = parley(tmp_path, "--version")
    assert result.returncode == 0 and result.stdout.strip() == f"parley {__version__}"


def test_every_sub_command_has_a_help_line(tmp_path: Path) -> None:
    listing = parley(tmp_path, "--help").stdout.split("positional arguments:", 1)[1]
    for name in ("run", "console", "ask", "ingest", "articles", "reanalyze", "backup",
                 "restore", "digest", "factcheck", "discord-sync", "slack-manifest", "bench"):
        line = next(x for x in listing.splitlines() if x.strip().startswith(name))
        helped = line.strip()[len(name):].strip() or listing.split(line, 1)[1].split("\n")[1]
        assert helped.strip(), f"{name} has no help line"


@pytest.mark.usefixtures("started")
def test_ask_renders_markdown_for_a_terminal(tmp_path: Path, in_process: Cli) -> None:
    raw = json.loads(in_process("ask", "--json", "/help").stdout)["text"]
    assert "`/help <command>`" in raw  # the reply itself carries Markdown
    shown = parley(tmp_path, "ask", "/help")
    assert shown.returncode == 0
    assert "/help <command> explains" in shown.stdout
    assert "`" not in shown.stdout and "**" not in shown.stdout
    assert "\x1b[" not in shown.stdout  # no colour codes when the output is not a terminal


@pytest.mark.usefixtures("started")
def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    read, write = os.pipe()
    os.close(read)  # the reader is gone before Parley writes a byte
    try:
        done = subprocess.run([PYTHON, "-m", "parley", "slack-manifest"], cwd=tmp_path,
                              env=cli_env(tmp_path), stdout=write, stderr=subprocess.PIPE,
                              text=True, timeout=60)
    finally:
        os.close(write)
    assert done.returncode == 0
    assert "Traceback" not in done.stderr and "BrokenPipe" not in done.stderr
