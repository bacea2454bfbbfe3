"""Digest schedules: readable forms or cron, evaluated in the channel's time zone (DST-safe)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from croniter import croniter

from parley.core.errors import UsageError

FORMS = ("daily 09:00", "weekdays 17:30", "weekly mon 09:00", "a cron expression such as "
         "`0 9 * * 1-5`")
DAYS = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 0}
_TIME = r"([01]?\d|2[0-3]):([0-5]\d)"


def accepted_forms() -> str:
    return "Accepted forms: " + ", ".join(f"`{f}`" if not f.startswith("a ") else f
                                         for f in FORMS) + "."


def to_cron(text: str) -> str:
    """The cron expression for a schedule as a moderator writes it."""
    t = " ".join(text.lower().split())
    if m := re.fullmatch(rf"daily {_TIME}", t):
        return f"{int(m[2])} {int(m[1])} * * *"
    if m := re.fullmatch(rf"weekdays {_TIME}", t):
        return f"{int(m[2])} {int(m[1])} * * 1-5"
    if m := re.fullmatch(rf"weekly (mon|tue|wed|thu|fri|sat|sun)[a-z]* {_TIME}", t):
        return f"{int(m[3])} {int(m[2])} * * {DAYS[m[1]]}"
    if len(t.split()) == 5 and croniter.is_valid(t):
        return t
    raise UsageError(f"I can't read the schedule `{text[:60]}`. {accepted_forms()}")


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"Unknown time zone `{name[:60]}`: use an IANA name such as "
                         "`Europe/Lima`, `America/New_York` or `UTC`.") from None


@lru_cache(maxsize=4096)
def next_run(cron: str, timezone: str, after: datetime) -> datetime:
    """The first scheduled instant strictly after ``after``, in UTC, computed in local time so
    "09:00" stays 09:00 across daylight-saving changes."""
    local = after.astimezone(zone(timezone))
    nxt: datetime = croniter(cron, local).get_next(datetime)
    return nxt.astimezone(UTC)


def last_run(cron: str, timezone: str, at: datetime) -> datetime:
    """The latest scheduled instant at or before ``at``, in UTC (a slot due exactly now counts)."""
    local = at.astimezone(zone(timezone))
    # croniter's get_prev is strictly before its start, so start just after ``at``.
    prev: datetime = croniter(cron, local + timedelta(seconds=1)).get_prev(datetime)
    if prev > local:
        prev = croniter(cron, prev).get_prev(datetime)
    return prev.astimezone(UTC)
