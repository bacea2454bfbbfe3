"""/settings: a server's own settings over the global ones, audited, read where the core acts."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from parley.core.digest.scheduler import tick
from parley.core.models import Reply, Request, Role
from parley.core.platform import PostKey
from parley.core.registry import run_line
from parley.core.services import Services
from parley.store import audit, digests
from tests.conftest import ARTICLES


async def say(services: Services, line: str, role: Role = Role.MEMBER, workspace: str = "w1",
              channel: str = "general", user: str = "u1") -> Reply:
    base = Request(platform="discord", workspace=workspace, channel=channel, user=user,
                   role=role, command="help")
    return await run_line(services.registry, line, base, services)


async def test_only_admins_see_or_change_settings(services: Services) -> None:
    for role in (Role.MEMBER, Role.MODERATOR):
        assert (await say(services, "/settings show", role)).kind == "denied"
        assert (await say(services, "/settings set rate-member 1", role)).kind == "denied"
    shown = await say(services, "/settings show", Role.ADMIN)
    assert shown.ephemeral and set(shown.data["settings"]) == {
        "article", "timezone", "rate-member", "rate-channel", "rate-contributions",
        "helpful-intercept", "digest-grace"}
    assert shown.data["settings"]["rate-member"] == {"value": 20, "default": 20,
                                                     "set_here": False}


async def test_bad_values_change_nothing(services: Services) -> None:
    for line in ("/settings set rate-member -1", "/settings set rate-member lots",
                 "/settings set helpful-intercept 2", "/settings set timezone Mars/Olympus",
                 "/settings set digest-grace 999999", "/settings set colour blue",
                 "/settings set article no-such-article"):
        reply = await say(services, line, Role.ADMIN)
        assert reply.is_error, (line, reply)
    assert await audit.recent(services.db) == []
    shown = await say(services, "/settings show", Role.ADMIN)
    assert not any(v["set_here"] for v in shown.data["settings"].values())


async def test_a_servers_rate_limit_applies_there_only_and_is_audited(
        services: Services) -> None:
    changed = await say(services, "/settings set rate-member 2", Role.ADMIN, user="boss")
    assert changed.kind == "info" and changed.data["value"] == 2
    kinds = [(await say(services, "/help")).kind for _ in range(3)]
    assert kinds == ["answer", "answer", "error"]  # the third within the minute is throttled
    assert [(await say(services, "/help", workspace="w2")).kind for _ in range(3)] == \
        ["answer"] * 3  # another server keeps the global 20
    entry = (await audit.recent(services.db))[0]
    assert (entry.action, entry.target, entry.actor, entry.detail) == (
        "settings.set", "rate-member", "boss", {"value": 2, "before": None})
    reset = await say(services, "/settings reset rate-member", Role.ADMIN)
    assert reset.data["reset"] is True
    assert (await audit.recent(services.db))[0].action == "settings.reset"
    assert (await say(services, "/help", user="u2")).kind == "answer"


async def test_default_article_and_time_zone_follow_the_server(services: Services) -> None:
    text = (ARTICLES / "minimum-wage-opinion.txt").read_text(encoding="utf-8")
    added = await say(services, f"/article add {text}", Role.MODERATOR)
    article_id = added.data["id"]
    assert (await say(services, f"/settings set article {article_id}", Role.ADMIN)).kind == \
        "info"
    assert (await say(services, "/summary")).data["article"] == article_id
    assert (await say(services, "/summary", workspace="w2")).data["article"] != article_id
    assert (await say(services, "/settings set timezone Asia/Tokyo", Role.ADMIN)).kind == "info"
    here = await say(services, "/digest subscribe daily 09:00", Role.MODERATOR)
    there = await say(services, "/digest subscribe daily 09:00", Role.MODERATOR, workspace="w2")
    assert (here.data["timezone"], there.data["timezone"]) == ("Asia/Tokyo", "UTC")


async def test_a_servers_digest_grace_decides_a_late_slot(services: Services) -> None:
    services.clock = lambda: datetime(2025, 4, 7, 8, 0, tzinfo=UTC)
    assert (await say(services, "/settings set digest-grace 5", Role.ADMIN)).kind == "info"
    strict = await say(services, "/digest subscribe daily 09:00", Role.MODERATOR)
    lenient = await say(services, "/digest subscribe daily 09:00", Role.MODERATOR,
                        workspace="w2")

    class Poster:
        async def post(self, channel: str, reply: Reply, key: PostKey | None = None) -> str:
            return "m"

    late = datetime(2025, 4, 7, 9, 10, tzinfo=UTC)  # ten minutes after the slot
    report = await tick(services.db, {"discord": Poster()}, late, timedelta(hours=1))
    assert report.skipped == [strict.data["id"]] and report.posted == [lenient.data["id"]]
    skipped = await digests.get(services.db, strict.data["id"])
    assert skipped is not None and skipped.next_run_at == datetime(2025, 4, 8, 9, tzinfo=UTC)
