"""Settings: environment parsing, one-line errors naming the variable, and secret redaction."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from parley.core.log import JsonFormatter, Redactor, TextFormatter
from parley.core.settings import SettingsError, load_settings


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)  # no developer .env is read
    for name in ("PARLEY_DB", "PARLEY_LOG_LEVEL", "PARLEY_TIMEZONE", "DISCORD_GUILD_IDS",
                 "DISCORD_TOKEN", "PARLEY_SLACK_PORT"):
        monkeypatch.delenv(name, raising=False)


def test_defaults_and_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert load_settings().parley_db.name == "parley.db"
    monkeypatch.setenv("PARLEY_DB", str(tmp_path / "x.db"))
    monkeypatch.setenv("PARLEY_LOG_LEVEL", "debug")
    monkeypatch.setenv("DISCORD_GUILD_IDS", "123, 456")
    monkeypatch.setenv("PARLEY_TIMEZONE", "America/Lima")
    s = load_settings()
    assert (s.parley_db, s.parley_log_level, s.discord_guild_ids, s.parley_timezone) == (
        tmp_path / "x.db", "DEBUG", [123, 456], "America/Lima")


def test_dotenv_file_is_read(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("PARLEY_TIMEZONE=Europe/Madrid\nPARLEY_SLACK_PORT=4000\n")
    s = load_settings()
    assert (s.parley_timezone, s.parley_slack_port) == ("Europe/Madrid", 4000)


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [
        ("PARLEY_LOG_LEVEL", "LOUD", "invalid setting PARLEY_LOG_LEVEL"),
        ("PARLEY_TIMEZONE", "Mars/Olympus", "invalid setting PARLEY_TIMEZONE: unknown IANA"),
        ("DISCORD_GUILD_IDS", "abc", "invalid setting DISCORD_GUILD_IDS: expected comma"),
        ("PARLEY_SLACK_PORT", "99999", "invalid setting PARLEY_SLACK_PORT"),
    ],
)
def test_bad_value_is_one_clear_line(monkeypatch: pytest.MonkeyPatch, name: str, value: str,
                                     message: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError) as info:
        load_settings()
    assert str(info.value).startswith(message)
    assert "\n" not in str(info.value)


def test_secrets_are_never_logged(monkeypatch: pytest.MonkeyPatch) -> None:
    token = "xoxb-planted-secret-1234567890"
    monkeypatch.setenv("SLACK_BOT_TOKEN", token)
    settings = load_settings()
    assert token not in repr(settings)
    redactor = Redactor(settings.secrets())
    try:
        raise ValueError(f"auth failed for {token}")
    except ValueError:
        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "login with %s", (token,),
                                   exc_info=sys.exc_info())
    record.__dict__["header"] = f"Bearer {token}"
    assert redactor.filter(record)
    for formatter in (TextFormatter(), JsonFormatter()):
        line = formatter.format(record)
        assert token not in line and "***" in line
        assert "\n" not in line


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"PARLEY_DATABASE_URL": "mysql://db/parley"}, "invalid setting PARLEY_DATABASE_URL"),
        ({"DISCORD_SHARD_IDS": "0-3"}, "DISCORD_SHARD_IDS needs DISCORD_SHARD_COUNT"),
        ({"DISCORD_SHARD_IDS": "3-1", "DISCORD_SHARD_COUNT": "4"}, "runs backwards"),
        ({"DISCORD_SHARD_IDS": "0-4", "DISCORD_SHARD_COUNT": "4"}, "must be below"),
        ({"DISCORD_SHARD_IDS": "a", "DISCORD_SHARD_COUNT": "4"}, "expected shard numbers"),
    ],
)
def test_scaling_settings_are_checked(monkeypatch: pytest.MonkeyPatch, values: dict[str, str],
                                      message: str) -> None:
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SettingsError, match=message):
        load_settings()


def test_shard_ranges_and_the_database_address(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DISCORD_SHARD_IDS", "0-2,5,1")
    monkeypatch.setenv("DISCORD_SHARD_COUNT", "8")
    url = "postgresql://parley:s3cret-pw@db.internal:5432/parley"
    monkeypatch.setenv("PARLEY_DATABASE_URL", url)
    settings = load_settings()
    assert settings.discord_shard_ids == [0, 1, 2, 5]
    assert settings.database() == url
    assert "s3cret-pw" in settings.secrets() and url not in repr(settings)
    monkeypatch.delenv("PARLEY_DATABASE_URL")
    assert load_settings().database() == load_settings().parley_db  # SQLite by default
