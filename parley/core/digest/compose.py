"""What a digest says: the article in brief, what changed, the other side, and activity."""

from __future__ import annotations

from datetime import datetime
from statistics import median

from parley.core.charts import attach
from parley.core.counterpoints.find import find
from parley.core.factcheck.verdicts import ICONS
from parley.core.models import Article, Picture, Reply, ReplySection
from parley.core.text import member_text, shorten
from parley.store import analysis as analysis_store
from parley.store import digests, factchecks
from parley.store import requests as requests_store
from parley.store.db import Database

TOP_COUNTERPOINTS = 3
MAX_CHANGES = 8
# What a digest says of its article, shared by the channels on it: summary text, sections,
# whether anything changed, and the claim-status chart when pictures are wanted.
ArticlePart = tuple[str, list[ReplySection], bool, list[Picture]]


async def article_part(db: Database, article: Article, since: datetime | None,
                       now: datetime, pictures: bool = False) -> ArticlePart:
    """The parts of a digest that depend only on the article and the time since the last
    one (see :data:`ArticlePart`)."""
    summary = await analysis_store.summary(db, article.id)
    short = " ".join(i.text for i in summary.short) if summary else ""
    text = "\n".join(x for x in (article.byline(with_kind=True), short) if x)
    sections: list[ReplySection] = []
    claims = {c.id: c for c in await analysis_store.claims(db, article.id)}
    latest = await factchecks.latest(db, claims)
    changed = [(cid, c) for cid, c in latest.items()
               if since is None or c.created_at > since]
    if changed:
        lines = [f"{ICONS[c.review.status]} **{c.review.status}** — "
                 f"{shorten(claims[cid].text, 160)} (`{cid}`)" for cid, c in changed[:MAX_CHANGES]]
        sections.append(ReplySection(title="Check status changes" if since else "Checked claims",
                                     text="\n".join(lines)))
    hits = await find(db, article.id, None, now, stamp=article.analysis_stamp)
    top = [h for h in hits if h.status in ("rated helpful", "curated")][:TOP_COUNTERPOINTS]
    waiting = [h for h in hits if h.status == "needs more ratings"][:TOP_COUNTERPOINTS]
    if top:
        sections.append(ReplySection(title="The other side", text="\n".join(
            f"• {member_text(shorten(h.text, 240))} (`{h.id}`, {h.status})" for h in top)))
    if waiting:
        sections.append(ReplySection(title="New counterpoints that need ratings", text="\n".join(
            f"• {member_text(shorten(h.text, 200))} — `/rate {h.id} helpful|somewhat|not-helpful`"
            for h in waiting)))
    chart = await attach.claim_status(db, article) if pictures else None
    return text, sections, bool(changed or waiting), [chart] if chart else []


# A channel's activity since its last digest: commands used and top questions, then the
# requests for the other side (opened, hours answered ones waited, hours open ones wait).
ChannelPart = tuple[digests.Activity, requests_store.Waits]


async def channel_parts(db: Database, platform: str, workspace: str, channels: list[str],
                        since: datetime | None, now: datetime) -> dict[str, ChannelPart]:
    """The channel-specific reads of many channels' digests, two queries in all."""
    used = await digests.activity_for(db, platform, workspace, channels, since)
    waits = await requests_store.waits_for(db, platform, workspace, channels, since, now)
    return {c: (used[c], waits[c]) for c in channels}


async def compose(db: Database, article: Article, platform: str, workspace: str, channel: str,
                  since: datetime | None, now: datetime, part: ArticlePart | None = None,
                  pictures: bool = False, own: ChannelPart | None = None) -> Reply:
    """A channel's digest; ``part`` may be shared by channels on the same article (it must
    have been made with the same ``pictures``), and ``own`` read with other channels'."""
    text, sections, changed, charts = part or await article_part(db, article, since, now,
                                                                pictures)
    if own is None:
        own = (await channel_parts(db, platform, workspace, [channel], since, now))[channel]
    (used, questions), (opened, answered, waiting) = own
    asked: ReplySection | None = None
    if opened or answered or waiting:
        lines = [f"{opened} new request(s) for the other side of a claim"]
        if answered:
            lines.append(f"{len(answered)} answered, after {median(answered):.1f} h (median)")
        if waiting:
            lines.append(f"{len(waiting)} still waiting, the longest {max(waiting):.1f} h — "
                         "`/counterpoint requests`")
        asked = ReplySection(title="Requests for the other side", text="\n".join(lines))
    if since is not None and not changed and not used and not opened and not answered:
        return Reply(title=f"Digest: {shorten(article.title, 200)}",
                     text=f"Quiet since the last digest ({since:%d %b %H:%M} UTC): no new "
                          "checks, counterpoints or questions.",
                     data={"article": article.id, "quiet": True})
    sections = list(sections) + ([asked] if asked else [])
    if used:
        lines = [", ".join(f"/{name} ×{n}" for name, n in used.items())]
        lines += [f"• “{shorten(q, 150)}” ({n}×)" for q, n in questions]
        sections.append(ReplySection(title="Activity" + (" since the last digest" if since
                                                         else ""), text="\n".join(lines)))
    charts = list(charts)
    if pictures and used:
        busy = await attach.activity(db, platform, workspace, channel, since, now)
        charts += [busy] if busy else []
    return Reply(title=f"Digest: {shorten(article.title, 200)}", text=text, sections=sections,
                 data={"article": article.id, "quiet": False,
                       "requests": {"opened": opened, "answered_hours": answered,
                                    "waiting_hours": waiting}}, pictures=charts)
