"""Digest subscriptions, exactly-once deliveries (claimed slots with leases), and activity."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel

from parley.core.models import Request
from parley.store.db import Connection, Database, Row


class Subscription(BaseModel):
    id: int
    platform: str
    workspace: str
    channel: str
    article_id: str | None
    schedule: str  # a cron expression
    label: str  # as the moderator wrote it
    timezone: str
    next_run_at: datetime
    last_sent_at: datetime | None
    created_by: str
    active: bool
    disabled_reason: str


def _sub(r: Row) -> Subscription:
    return Subscription(
        id=r["id"], platform=r["platform"], workspace=r["workspace"], channel=r["channel"],
        article_id=r["article_id"], schedule=r["schedule"], label=r["label"],
        timezone=r["timezone"], next_run_at=datetime.fromisoformat(r["next_run_at"]),
        last_sent_at=datetime.fromisoformat(r["last_sent_at"]) if r["last_sent_at"] else None,
        created_by=r["created_by"], active=bool(r["active"]),
        disabled_reason=r["disabled_reason"])


async def add_in(conn: Connection, request: Request, article_id: str | None,
                 schedule: str, label: str, timezone: str, next_run_at: datetime,
                 at: datetime) -> int:
    row = await conn.fetchone(
        "INSERT INTO digest_subscriptions (platform, workspace, channel, article_id, schedule,"
        " label, timezone, next_run_at, created_by, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)"
        " RETURNING id",
        (request.platform, request.workspace, request.channel, article_id, schedule, label,
         timezone, next_run_at.isoformat(), request.user, at.isoformat()))
    return int(row["id"]) if row else 0


async def for_channel(db: Database, platform: str, workspace: str, channel: str
                      ) -> list[Subscription]:
    rows = await db.fetchall(
        "SELECT * FROM digest_subscriptions WHERE platform = ? AND workspace = ? AND channel = ?"
        " AND active = 1 ORDER BY id", (platform, workspace, channel))
    return [_sub(r) for r in rows]


async def get(db: Database, subscription_id: int) -> Subscription | None:
    row = await db.fetchone("SELECT * FROM digest_subscriptions WHERE id = ?",
                            (subscription_id,))
    return _sub(row) if row else None


async def due(db: Database, now: datetime, limit: int = 100_000) -> list[Subscription]:
    rows = await db.fetchall(
        "SELECT * FROM digest_subscriptions WHERE active = 1 AND next_run_at <= ?"
        " ORDER BY next_run_at, id LIMIT ?", (now.isoformat(), limit))
    return [_sub(r) for r in rows]


async def claim_due(db: Database, now: datetime, holder: str, until: datetime,
                    platforms: list[str], limit: int = 500) -> list[Subscription]:
    """Claim up to ``limit`` due subscriptions nobody holds, until ``until``, in one statement.

    The claim updates the rows it selects (``UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP
    LOCKED) RETURNING``): on PostgreSQL concurrent schedulers skip each other's rows instead
    of waiting on them, so they neither deadlock nor claim a row twice. A killed scheduler's
    claims expire at ``until``. The slot itself is still claimed per delivery (``claim``).
    """
    if not platforms:
        return []
    marks = ",".join("?" * len(platforms))
    rows = await db.fetchall(
        "UPDATE digest_subscriptions SET claimed_by = ?, claim_expires = ?"
        " WHERE id IN (SELECT id FROM digest_subscriptions WHERE active = 1"
        f" AND next_run_at <= ? AND claim_expires <= ? AND platform IN ({marks})"
        f" ORDER BY next_run_at, id LIMIT ?{db.skip_locked()}) RETURNING *",
        (holder, until.isoformat(), now.isoformat(), now.isoformat(), *platforms, limit))
    return sorted((_sub(r) for r in rows), key=lambda s: (s.next_run_at, s.id))


async def subscription_holders(db: Database, now: datetime) -> list[str]:
    """Who holds a live claim on any subscription (each holder once)."""
    rows = await db.fetchall("SELECT DISTINCT claimed_by FROM digest_subscriptions"
                             " WHERE claim_expires > ? AND claimed_by <> ''",
                             (now.isoformat(),))
    return [str(r["claimed_by"]) for r in rows]


async def release_subscriptions(db: Database, holder: str, now: datetime) -> int:
    """End ``holder``'s claims on subscriptions at once (a process known to have ended)."""
    return await db.write("UPDATE digest_subscriptions SET claim_expires = ? WHERE claimed_by = ?"
                          " AND claim_expires > ?", (now.isoformat(), holder, now.isoformat()))


async def deactivate_in(conn: Connection, subscription_id: int, reason: str) -> None:
    await conn.execute("UPDATE digest_subscriptions SET active = 0, disabled_reason = ?"
                       " WHERE id = ?", (reason, subscription_id))


async def advance(db: Database, subscription_id: int, next_run_at: datetime,
                  sent_at: datetime | None = None) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE digest_subscriptions SET next_run_at = ?, claim_expires = '',"
            " last_sent_at = COALESCE(?, last_sent_at) WHERE id = ?",
            (next_run_at.isoformat(), sent_at.isoformat() if sent_at else None, subscription_id))


_CLAIM = (
    "INSERT INTO digest_deliveries (subscription_id, slot, status, claimed_by, lease_expires,"
    " attempts) VALUES {rows}"
    " ON CONFLICT (subscription_id, slot) DO UPDATE SET status = 'claimed',"
    " claimed_by = excluded.claimed_by, lease_expires = excluded.lease_expires,"
    " attempts = digest_deliveries.attempts + 1 WHERE digest_deliveries.status != 'sent'"
    " AND digest_deliveries.lease_expires <= ? RETURNING subscription_id, attempts")


async def claim(db: Database, subscription_id: int, slot: datetime, holder: str, now: datetime,
                lease_until: datetime) -> bool:
    """Claim a slot for sending, in one atomic statement. False if it was sent, or is held by a
    lease (another sender's, or a failure's back-off) that has not expired."""
    return subscription_id in await claim_many(db, [(subscription_id, slot)], holder, now,
                                               lease_until)


async def claim_many(db: Database, slots: list[tuple[int, datetime]], holder: str,
                     now: datetime, lease_until: datetime) -> dict[int, int]:
    """Claim many (subscription, slot) pairs in one statement, as ``claim`` does each: the
    attempt each claimed one is on, by subscription (those sent or held are left out)."""
    if not slots:
        return {}
    rows = ",".join("(?, ?, 'claimed', ?, ?, 1)" for _ in slots)
    params = [v for sub, slot in slots
              for v in (sub, slot.isoformat(), holder, lease_until.isoformat())]
    claimed = await db.fetchall(_CLAIM.format(rows=rows), (*params, now.isoformat()))
    return {int(r["subscription_id"]): int(r["attempts"]) for r in claimed}


async def claimed_by(db: Database, subscription_id: int, slot: datetime
                     ) -> tuple[str, int] | None:
    """Who holds a slot's live claim, and the attempt it is on; None if it is not claimed."""
    row = await db.fetchone(
        "SELECT claimed_by, attempts FROM digest_deliveries WHERE subscription_id = ?"
        " AND slot = ? AND status = 'claimed'", (subscription_id, slot.isoformat()))
    return (row["claimed_by"], int(row["attempts"])) if row else None


async def take_over(db: Database, subscription_id: int, slot: datetime, dead: str, holder: str,
                    lease_until: datetime) -> bool:
    """Take a slot claimed by a process known to have ended (compare and set on its holder)."""
    changed = await db.write(
        "UPDATE digest_deliveries SET claimed_by = ?, lease_expires = ?, attempts = attempts + 1"
        " WHERE subscription_id = ? AND slot = ? AND status = 'claimed' AND claimed_by = ?",
        (holder, lease_until.isoformat(), subscription_id, slot.isoformat(), dead))
    return changed == 1


async def attempt(db: Database, subscription_id: int, slot: datetime) -> int:
    """The attempt a claimed slot is on (1 for the first)."""
    row = await db.fetchone("SELECT attempts FROM digest_deliveries WHERE subscription_id = ?"
                            " AND slot = ?", (subscription_id, slot.isoformat()))
    return int(row["attempts"]) if row else 0


async def delivered(db: Database, subscription_id: int, slot: datetime, message_ref: str,
                    at: datetime, next_run_at: datetime) -> None:
    """Record the post; a trigger moves the subscription to its next slot in the same statement."""
    await db.write(
        "UPDATE digest_deliveries SET status = 'sent', sent_at = ?, message_ref = ?, error = NULL,"
        " next_run_at = ? WHERE subscription_id = ? AND slot = ?",
        (at.isoformat(), message_ref, next_run_at.isoformat(), subscription_id, slot.isoformat()))


async def failed(db: Database, subscription_id: int, slot: datetime, error: str,
                 retry_after: datetime) -> None:
    async with db.transaction() as conn:
        await conn.execute(
            "UPDATE digest_deliveries SET status = 'failed', error = ?, lease_expires = ?"
            " WHERE subscription_id = ? AND slot = ?",
            (error[:500], retry_after.isoformat(), subscription_id, slot.isoformat()))
        # nobody claims the subscription again before the retry is due
        await conn.execute("UPDATE digest_subscriptions SET claim_expires = ? WHERE id = ?",
                           (retry_after.isoformat(), subscription_id))


async def release_claims(db: Database, holder: str, now: datetime, reason: str) -> int:
    """Give up the slots (and subscriptions) ``holder`` claimed but never recorded, so another
    sender may take them at once instead of when the lease runs out."""
    async with db.transaction() as conn:
        await conn.execute("UPDATE digest_subscriptions SET claim_expires = ''"
                           " WHERE claimed_by = ?", (holder,))
        return await conn.execute(
            "UPDATE digest_deliveries SET status = 'failed', error = ?, lease_expires = ?"
            " WHERE claimed_by = ? AND status = 'claimed'", (reason, now.isoformat(), holder))


async def deliveries(db: Database, subscription_id: int) -> list[tuple[str, str, int]]:
    rows = await db.fetchall("SELECT slot, status, attempts FROM digest_deliveries"
                             " WHERE subscription_id = ? ORDER BY slot", (subscription_id,))
    return [(r["slot"], r["status"], r["attempts"]) for r in rows]


ActivityRow = tuple[str, str, str, str, str, str]  # platform, workspace, channel, command,
# question, at (ISO)


async def record_activities(db: Database, rows: list[ActivityRow]) -> None:
    """Many noted commands in one transaction."""
    async with db.transaction() as conn:
        await conn.executemany("INSERT INTO activity (platform, workspace, channel, command,"
                               " question, at) VALUES (?,?,?,?,?,?)", rows)


Activity = tuple[dict[str, int], list[tuple[str, int]]]  # commands used, top questions


async def activity_for(db: Database, platform: str, workspace: str, channels: list[str],
                       since: datetime | None) -> dict[str, Activity]:
    """Commands used (by name) and the most asked questions in each of a workspace's
    ``channels`` since a moment, in one query."""
    marks = ",".join("?" * len(channels))
    rows = await db.fetchall(
        "SELECT channel, command, lower(question) AS q, COUNT(*) AS n FROM activity WHERE"
        f" platform = ? AND workspace = ? AND channel IN ({marks}) AND at > ?"
        " GROUP BY channel, command, lower(question)",
        (platform, workspace, *channels, since.isoformat() if since else "")) if channels else []
    used: dict[str, dict[str, int]] = {c: {} for c in channels}
    asked: dict[str, dict[str, int]] = {c: {} for c in channels}
    for r in rows:
        one, questions = used[r["channel"]], asked[r["channel"]]
        one[r["command"]] = one.get(r["command"], 0) + r["n"]
        if r["q"]:
            questions[r["q"]] = questions.get(r["q"], 0) + r["n"]
    return {c: (dict(sorted(used[c].items(), key=lambda kv: (-kv[1], kv[0]))),
                sorted(asked[c].items(), key=lambda kv: (-kv[1], kv[0]))[:3]) for c in channels}


async def retime(db: Database, subscription_id: int, timezone: str, next_run_at: datetime
                 ) -> None:
    """Move a subscription to another time zone (and its next slot with it)."""
    await db.write("UPDATE digest_subscriptions SET timezone = ?, next_run_at = ? WHERE id = ?",
                   (timezone, next_run_at.isoformat(), subscription_id))


async def for_workspace(db: Database, platform: str, workspace: str, limit: int = 50
                        ) -> list[Subscription]:
    """The active digests of a whole workspace, soonest first."""
    rows = await db.fetchall(
        "SELECT * FROM digest_subscriptions WHERE platform = ? AND workspace = ? AND active = 1"
        " ORDER BY next_run_at, id LIMIT ?", (platform, workspace, limit))
    return [_sub(r) for r in rows]


async def activity_by_day(db: Database, platform: str, workspace: str, channel: str,
                          since: datetime, until: datetime) -> dict[str, tuple[int, int]]:
    """Commands and questions a day (UTC, ``YYYY-MM-DD``) in a channel between two moments."""
    rows = await db.fetchall(
        "SELECT substr(at, 1, 10) AS day, COUNT(*) AS n,"
        " SUM(CASE WHEN question <> '' THEN 1 ELSE 0 END) AS asked FROM activity"
        " WHERE platform = ? AND workspace = ? AND channel = ? AND at > ? AND at <= ?"
        " GROUP BY substr(at, 1, 10)",
        (platform, workspace, channel, since.isoformat(), until.isoformat()))
    return {r["day"]: (int(r["n"]), int(r["asked"] or 0)) for r in rows}
