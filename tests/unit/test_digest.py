"""Digests: schedules across DST, exactly-once delivery, failures, grace, and the commands."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from parley.core.digest.schedule import next_run, to_cron
from parley.core.digest.scheduler import PermanentPostError, run_forever, tick
from parley.core.errors import UsageError
from parley.core.models import Reply, Request, Role
from parley.core.platform import PostKey
from parley.core.registry import run_line
from parley.core.services import Services
from parley.store import audit, digests
from parley.store.db import Database
from tests.conftest import Ask

GRACE = timedelta(hours=1)


class Recorder:
    """A platform poster that records what it is handed (optionally failing first)."""

    def __init__(self, fail: list[Exception] | None = None) -> None:
        self.posts: list[tuple[str, Reply]] = []
        self.fail = list(fail or [])
        self.posted = asyncio.Event()

    async def post(self, channel: str, reply: Reply, key: PostKey | None = None) -> str:
        if self.fail:
            raise self.fail.pop(0)
        self.posts.append((channel, reply))
        self.posted.set()
        return f"m{len(self.posts)}"


@pytest.mark.parametrize(("text", "cron"), [
    ("daily 09:00", "0 9 * * *"), ("Weekdays 17:30", "30 17 * * 1-5"),
    ("weekly mon 09:00", "0 9 * * 1"), ("weekly Sunday 7:05", "5 7 * * 0"),
    ("15 8 * * 1-5", "15 8 * * 1-5"),
])
def test_schedule_forms(text: str, cron: str) -> None:
    assert to_cron(text) == cron


@pytest.mark.parametrize("bad", ["daily 25:00", "sometimes", "weekly funday 09:00",
                                 "* * *", "99 99 * * *"])
def test_bad_schedules_show_the_accepted_forms(bad: str) -> None:
    with pytest.raises(UsageError, match="Accepted forms: `daily 09:00`"):
        to_cron(bad)


def test_nine_oclock_stays_nine_oclock_across_dst_in_two_zones() -> None:
    # New York springs forward on 9 March 2025, London on 30 March 2025.
    ny = [next_run("0 9 * * *", "America/New_York", datetime(2025, 3, d, 12, tzinfo=UTC))
          for d in (7, 8, 9)]
    assert [t.hour for t in ny] == [14, 14, 13]  # 09:00 EST = 14:00 UTC, EDT = 13:00 UTC
    london = [next_run("0 9 * * *", "Europe/London", datetime(2025, 3, d, 12, tzinfo=UTC))
              for d in (28, 29, 30)]
    assert [t.hour for t in london] == [9, 8, 8] and london[0].day == 29  # GMT, then BST
    assert next_run("0 9 * * *", "Europe/London", datetime(2025, 3, 29, 12, tzinfo=UTC)) == \
        datetime(2025, 3, 30, 8, tzinfo=UTC)
    # 02:30 does not exist in New York on 9 March: the schedule still fires once that day.
    runs = []
    when = datetime(2025, 3, 8, 12, tzinfo=UTC)
    for _ in range(3):
        when = next_run("30 2 * * *", "America/New_York", when)
        runs.append(when.astimezone().date())
    assert len(set(runs)) == 3


async def _subscribe(services: Services, platform: str = "console", channel: str = "c1",
                     schedule: str = "daily 09:00") -> int:
    request = Request(platform=platform, workspace="w", channel=channel, user="mod",  # type: ignore[arg-type]
                      role=Role.MODERATOR, command="x")
    reply = await run_line(services.registry, f"/digest subscribe {schedule}", request, services)
    assert reply.kind == "info", reply.text
    return int(reply.data["id"])


async def _subscribed(services: Services) -> tuple[int, digests.Subscription]:
    """A daily console digest and its stored subscription."""
    sub_id = await _subscribe(services)
    sub = await digests.get(services.db, sub_id)
    assert sub is not None
    return sub_id, sub


async def test_posted_once_per_slot_and_quiet_next_time(services: Services) -> None:
    sub_id, sub = await _subscribed(services)
    poster = Recorder()
    at = sub.next_run_at + timedelta(minutes=5)
    first = await tick(services.db, {"console": poster}, at, GRACE)
    again = await tick(services.db, {"console": poster}, at, GRACE)
    assert (first.posted, again.posted) == ([sub_id], []) and len(poster.posts) == 1
    assert "Checked claims" in str(poster.posts[0][1].sections)
    tomorrow = at + timedelta(days=1)
    await tick(services.db, {"console": poster}, tomorrow, GRACE)
    assert poster.posts[1][1].data["quiet"] is True and len(poster.posts) == 2


async def test_missed_slots_beyond_grace_are_skipped_not_replayed(services: Services) -> None:
    sub_id, sub = await _subscribed(services)
    poster = Recorder()
    three_days_late = sub.next_run_at + timedelta(days=3, hours=2)
    report = await tick(services.db, {"console": poster}, three_days_late, GRACE)
    assert report.skipped == [sub_id] and poster.posts == []
    after = await digests.get(services.db, sub_id)
    assert after is not None and after.next_run_at > three_days_late
    within = await tick(services.db, {"console": poster},
                        after.next_run_at + timedelta(minutes=59), GRACE)
    assert within.posted == [sub_id] and len(poster.posts) == 1


def _at(day: int, hour: int, minute: int) -> datetime:
    return datetime(2025, 4, day, hour, minute, tzinfo=UTC)


async def test_after_downtime_the_slot_due_now_is_posted_once(services: Services) -> None:
    # daily 09:00, posted on day 1, down until 09:01 on day 3: day 2 is skipped, day 3 posted.
    services.clock = lambda: _at(7, 8, 0)
    sub_id = await _subscribe(services)
    poster = Recorder()
    assert (await tick(services.db, {"console": poster}, _at(7, 9, 0), GRACE)).posted == [sub_id]
    back = await tick(services.db, {"console": poster}, _at(9, 9, 1), GRACE)
    assert back.posted == [sub_id] and back.skipped == [] and len(poster.posts) == 2
    assert (await tick(services.db, {"console": poster}, _at(9, 9, 2), GRACE)).posted == []
    assert [s for s, status, _ in await digests.deliveries(services.db, sub_id)
            if status == "sent"] == [_at(7, 9, 0).isoformat(), _at(9, 9, 0).isoformat()]
    after = await digests.get(services.db, sub_id)
    assert after is not None and after.next_run_at == _at(10, 9, 0)


async def test_a_missed_first_slot_posts_the_next_days_within_grace(services: Services) -> None:
    # subscribed at 08:54 for 09:00, first tick the next day at 09:02.
    services.clock = lambda: _at(7, 8, 54)
    sub_id = await _subscribe(services)
    poster = Recorder()
    report = await tick(services.db, {"console": poster}, _at(8, 9, 2), GRACE)
    assert report.posted == [sub_id] and report.skipped == [] and len(poster.posts) == 1
    assert await digests.deliveries(services.db, sub_id) == [(_at(8, 9, 0).isoformat(), "sent",
                                                              1)]
    assert (await tick(services.db, {"console": poster}, _at(8, 9, 3), GRACE)).posted == []


async def test_two_schedulers_on_one_database_never_double_post(services: Services) -> None:
    ids = [await _subscribe(services, channel=f"c{i}") for i in range(20)]
    sub = await digests.get(services.db, ids[0])
    assert sub is not None
    other = await Database.open(services.db.target)
    try:
        a, b = Recorder(), Recorder()
        at = sub.next_run_at + timedelta(minutes=1)
        reports = await asyncio.gather(tick(services.db, {"console": a}, at, GRACE, "host-a"),
                                       tick(other, {"console": b}, at, GRACE, "host-b"))
    finally:
        await other.close()
    assert sorted(reports[0].posted + reports[1].posted) == sorted(ids)
    assert len(a.posts) + len(b.posts) == 20


async def test_a_failed_post_is_retried_after_backoff_and_delivered_once(
        services: Services) -> None:
    sub_id, sub = await _subscribed(services)
    poster = Recorder(fail=[ConnectionError("socket closed")])
    at = sub.next_run_at + timedelta(minutes=1)
    assert (await tick(services.db, {"console": poster}, at, GRACE)).failed == [sub_id]
    assert (await tick(services.db, {"console": poster}, at + timedelta(seconds=5),
                       GRACE)).posted == []  # still backing off
    later = await tick(services.db, {"console": poster}, at + timedelta(minutes=1), GRACE)
    assert later.posted == [sub_id] and len(poster.posts) == 1
    assert await digests.deliveries(services.db, sub_id) == [
        (sub.next_run_at.isoformat(), "sent", 2)]


class Hanging:
    """A poster whose platform never answers."""

    def __init__(self) -> None:
        self.started = asyncio.Event()

    async def post(self, channel: str, reply: Reply, key: PostKey | None = None) -> str:
        self.started.set()
        await asyncio.Event().wait()
        return "never"


async def test_shutdown_mid_post_releases_the_lease_for_the_next_start(
        services: Services) -> None:
    sub_id, sub = await _subscribed(services)
    at = sub.next_run_at + timedelta(minutes=1)
    hanging, stop = Hanging(), asyncio.Event()
    loop = asyncio.create_task(run_forever(services.db, {"console": hanging}, lambda: at, GRACE,
                                           stop, drain_s=0.2))
    await asyncio.wait_for(hanging.started.wait(), 5)
    stop.set()
    await asyncio.wait_for(loop, 5)  # the hung post does not hold shutdown hostage
    assert await digests.deliveries(services.db, sub_id) == [
        (sub.next_run_at.isoformat(), "failed", 1)]
    # the next start may send it at once, not five minutes later when the lease would expire
    poster = Recorder()
    report = await tick(services.db, {"console": poster}, at + timedelta(seconds=1), GRACE)
    assert report.posted == [sub_id] and len(poster.posts) == 1


async def test_shutdown_between_posts_waits_for_the_tick(services: Services) -> None:
    sub_id, sub = await _subscribed(services)
    at = sub.next_run_at + timedelta(minutes=1)
    poster, stop = Recorder(), asyncio.Event()
    loop = asyncio.create_task(run_forever(services.db, {"console": poster}, lambda: at, GRACE,
                                           stop))
    await asyncio.wait_for(poster.posted.wait(), 5)
    stop.set()
    await asyncio.wait_for(loop, 5)
    assert await digests.deliveries(services.db, sub_id) == [
        (sub.next_run_at.isoformat(), "sent", 1)]


async def test_permanent_failure_disables_and_tells_moderators(services: Services) -> None:
    sub_id, sub = await _subscribed(services)
    poster = Recorder(fail=[PermanentPostError("channel_not_found")])
    report = await tick(services.db, {"console": poster}, sub.next_run_at, GRACE)
    assert report.disabled == [sub_id]
    after = await digests.get(services.db, sub_id)
    assert after is not None and not after.active
    entry = (await audit.recent(services.db))[0]
    assert (entry.action, entry.detail) == ("digest.disabled", {"reason": "channel_not_found"})


async def test_digest_commands(ask: Ask, tmp_path: Path) -> None:
    assert (await ask("/digest subscribe daily 09:00")).kind == "denied"
    bad = await ask("/digest subscribe whenever", role=Role.MODERATOR)
    assert bad.kind == "usage" and "weekdays 17:30" in bad.text
    zone = await ask("/digest timezone Mars/Olympus", role=Role.MODERATOR)
    assert zone.kind == "usage" and "IANA" in zone.text
    assert (await ask("/digest timezone America/Lima", role=Role.MODERATOR)).kind == "info"
    sub = await ask("/digest subscribe weekdays 17:30 peru-illegal-immigration",
                    role=Role.MODERATOR)
    assert sub.data["timezone"] == "America/Lima" and sub.data["cron"] == "30 17 * * 1-5"
    listed = await ask("/digest list")
    assert listed.data["subscriptions"][0]["article_id"] == "peru-illegal-immigration"
    preview = await ask("/digest preview")
    assert preview.title.startswith("Digest:") and preview.ephemeral
    now = await ask("/digest now", role=Role.MODERATOR)
    assert now.title.startswith("Digest:")
    gone = await ask(f"/digest unsubscribe digest-{sub.data['id']}", role=Role.MODERATOR)
    assert gone.data["stopped"] == [sub.data["id"]]
    assert (await ask("/digest list")).data["subscriptions"] == []
    assert (await ask("/digest unsubscribe digest-999", role=Role.MODERATOR)).kind == "not_found"


async def test_the_digest_reports_this_channels_activity(ask: Ask) -> None:
    for line in ("/fact how much is trade between the two countries",
                 "/fact How much is trade between the two countries", "/summary short"):
        await ask(line)
    await ask("/fact who leads peru", channel="elsewhere")  # another channel's: not counted
    preview = await ask("/digest preview")
    activity = next(s.text for s in preview.sections if s.title.startswith("Activity"))
    assert "/fact ×2" in activity and "/summary ×1" in activity
    assert "“how much is trade between the two countries” (2×)" in activity.lower()
    assert "who leads peru" not in activity


async def test_changing_the_channel_zone_moves_existing_digests(ask: Ask,
                                                                services: Services) -> None:
    sub = await ask("/digest subscribe daily 09:00", role=Role.MODERATOR)
    before = datetime.fromisoformat(sub.data["next_run_at"])
    assert (await ask("/digest timezone Asia/Tokyo", role=Role.MODERATOR)).kind == "info"
    after = await digests.get(services.db, sub.data["id"])
    assert after is not None and after.timezone == "Asia/Tokyo"
    assert after.next_run_at.astimezone(UTC).hour == 0 and after.next_run_at != before
