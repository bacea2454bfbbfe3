"""``/digest``: scheduled digests in a channel — subscribe, list, preview, post now, time zone."""

from __future__ import annotations

from datetime import timedelta

from parley.core.commands import command
from parley.core.digest.compose import compose
from parley.core.digest.schedule import next_run, to_cron, zone
from parley.core.errors import NotFound, UserError
from parley.core.models import Reply, Request, Role
from parley.core.registry import Param
from parley.core.services import Services
from parley.store import articles as article_store
from parley.store import audit, config, digests

TIMEZONE_KEY = "timezone"


async def channel_zone(request: Request, services: Services) -> str:
    value = await config.get_value(services.db, TIMEZONE_KEY, request.platform,
                                   request.workspace, request.channel)
    return str(value) if value else services.settings.parley_timezone


@command("digest subscribe", "Post a digest of the article here on a schedule.",
         Param("schedule", "e.g. `daily 09:00`, `weekdays 17:30`, `weekly mon 09:00`, or cron; "
               "an article id may follow.", greedy=True, max_length=200),
         role=Role.MODERATOR)
async def digest_subscribe(request: Request, services: Services) -> Reply:
    text = request.args["schedule"]
    article_id = None
    words = text.split()
    if len(words) > 1:
        try:
            to_cron(text)
        except UserError:
            article_id = (await services.find_article(words[-1])).id
            text = " ".join(words[:-1])
    cron = to_cron(text)
    tz = await channel_zone(request, services)
    first = next_run(cron, tz, services.now())
    async with services.db.transaction() as conn:
        sub_id = await digests.add_in(conn, request, article_id, cron, text, tz, first,
                                      services.now())
        await audit.record(conn, request, "digest.subscribe", f"digest-{sub_id}",
                           {"schedule": cron, "timezone": tz, "article": article_id},
                           services.now())
    local = first.astimezone(zone(tz))
    return Reply(kind="info", title="Digest scheduled",
                 text=f"`digest-{sub_id}`: {text} ({tz}). The first one is due "
                      f"{local:%a %d %b %H:%M} local time.",
                 data={"id": sub_id, "cron": cron, "timezone": tz,
                       "next_run_at": first.isoformat()})


@command("digest list", "The digests scheduled in this channel.")
async def digest_list(request: Request, services: Services) -> Reply:
    subs = await digests.for_channel(services.db, request.platform, request.workspace,
                                     request.channel)
    if not subs:
        return Reply(kind="info", text="No digest is scheduled here. A moderator can add one "
                     "with `/digest subscribe daily 09:00`.", data={"subscriptions": []})
    lines = [f"`digest-{s.id}` — {s.label} ({s.timezone}); next "
             f"{s.next_run_at.astimezone(zone(s.timezone)):%a %d %b %H:%M}"
             + (f"; article `{s.article_id}`" if s.article_id else "") for s in subs]
    return Reply(title="Digests in this channel", text="\n".join(lines),
                 data={"subscriptions": [s.model_dump(mode="json") for s in subs]})


@command("digest unsubscribe", "Stop a digest here (all of them if no id is given).",
         Param("id", "Digest id, e.g. `digest-3`.", required=False, max_length=40),
         role=Role.MODERATOR)
async def digest_unsubscribe(request: Request, services: Services) -> Reply:
    subs = await digests.for_channel(services.db, request.platform, request.workspace,
                                     request.channel)
    wanted = request.args["id"]
    if wanted:
        number = wanted.lower().removeprefix("digest-")
        subs = [s for s in subs if str(s.id) == number]
        if not subs:
            raise NotFound(f"No digest `{wanted[:40]}` in this channel. `/digest list` shows "
                           "them.")
    async with services.db.transaction() as conn:
        for s in subs:
            await digests.deactivate_in(conn, s.id, f"unsubscribed by {request.user}")
            await audit.record(conn, request, "digest.unsubscribe", f"digest-{s.id}", {},
                               services.now())
    return Reply(kind="info", text=f"Stopped {len(subs)} digest(s).",
                 data={"stopped": [s.id for s in subs]})


async def _digest_reply(request: Request, services: Services) -> Reply:
    subs = await digests.for_channel(services.db, request.platform, request.workspace,
                                     request.channel)
    article = (await article_store.get(services.db, subs[0].article_id)
               if subs and subs[0].article_id else await services.active_article(request))
    if article is None:
        raise NotFound("This digest's article no longer exists.")
    since = subs[0].last_sent_at if subs else None
    await services.activity.flush()  # the commands just noted count
    return await compose(services.db, article, request.platform, request.workspace,
                         request.channel, since, services.now(),
                         pictures=await services.pictures_wanted(request))


@command("digest preview", "What the next digest here would say.", ephemeral=True)
async def digest_preview(request: Request, services: Services) -> Reply:
    return await _digest_reply(request, services)


@command("digest now", "Post a digest here now.", role=Role.MODERATOR)
async def digest_now(request: Request, services: Services) -> Reply:
    reply = await _digest_reply(request, services)
    async with services.db.transaction() as conn:
        await audit.record(conn, request, "digest.now", request.channel, {}, services.now())
    return reply


@command("digest timezone", "Set this channel's time zone for digests.",
         Param("zone", "An IANA time zone, e.g. `Europe/Lima`.", max_length=60),
         role=Role.MODERATOR)
async def digest_timezone(request: Request, services: Services) -> Reply:
    name = request.args["zone"]
    zone(name)
    scope = config.channel_scope_id(request.platform, request.workspace, request.channel)
    subs = await digests.for_channel(services.db, request.platform, request.workspace,
                                     request.channel)
    async with services.db.transaction() as conn:
        await config.set_value_in(conn, "channel", scope, TIMEZONE_KEY, name, services.now())
        await audit.record(conn, request, "digest.timezone", request.channel, {"zone": name},
                           services.now())
    for s in subs:  # existing digests follow the channel's new zone
        await digests.retime(services.db, s.id, name, next_run(s.schedule, name,
                                                               services.now()))
    grace = await services.server.value(request.platform, request.workspace, "digest-grace")
    return Reply(kind="info", text=f"Digests here now follow {name}.",
                 data={"timezone": name, "grace": str(timedelta(minutes=int(grace)))})

