"""``/feed``: moderators follow RSS and Atom feeds so other coverage arrives by itself."""

from __future__ import annotations

from parley.core.commands import command
from parley.core.errors import NotFound, UserError
from parley.core.ingest.errors import IngestError
from parley.core.ingest.fetch import check_url
from parley.core.models import Reply, Request, Role
from parley.core.registry import Param
from parley.core.services import Services
from parley.core.text import shorten
from parley.store import audit, feeds

MAX_FEEDS = 200


def feed_line(feed: feeds.Feed) -> str:
    name = shorten(feed.title, 80) if feed.title else "(not read yet)"
    state = (f"⛔ disabled: {shorten(feed.disabled_reason, 160)}" if not feed.active else
             f"⚠️ {feed.failures} failed poll(s): {shorten(feed.last_error, 120)}"
             if feed.failures else "✅ active")
    return f"`{feed.ref}` · {name} · {feed.ingested} article(s) · {state}\n{feed.url}"


async def get_feed(services: Services, ref: str) -> feeds.Feed:
    number = ref.strip().lower().removeprefix("feed-").removeprefix("#")
    feed = await feeds.get(services.db, int(number)) if number.isdigit() and \
        len(number) < 12 else None
    if feed is None:
        raise NotFound(f"No feed `{shorten(ref, 40)}`. `/feed list` shows them.")
    return feed


@command("feed add", "Follow an RSS or Atom feed: its new articles are added as they appear.",
         Param("url", "The feed's web address (https://…).", max_length=2000),
         role=Role.MODERATOR)
async def feed_add(request: Request, services: Services) -> Reply:
    try:
        url = check_url(request.args["url"])
    except IngestError:
        raise UserError("Give the feed's web address, starting with https:// or http://.") from None
    if len(await feeds.all_feeds(services.db)) >= MAX_FEEDS:
        raise UserError(f"Parley follows at most {MAX_FEEDS} feeds; remove one first.")
    async with services.db.transaction() as conn:
        feed_id = await feeds.add_in(conn, url, request.user, services.now())
        if feed_id is not None:
            await audit.record(conn, request, "feed.add", f"feed-{feed_id}", {"url": url},
                               services.now())
    if feed_id is None:
        raise UserError("That feed is already followed (`/feed list`).")
    minutes = services.settings.parley_feed_poll_minutes
    return Reply(kind="info", title="Feed added",
                 text=f"`feed-{feed_id}` will be read shortly, then every {minutes} minutes; "
                      "each new item is added once.", data={"id": f"feed-{feed_id}",
                                                            "url": url})


@command("feed list", "The feeds Parley follows, with what each brought and its health.")
async def feed_list(request: Request, services: Services) -> Reply:
    followed = await feeds.all_feeds(services.db)
    data = {"feeds": [f.model_dump(mode="json", include={"id", "url", "title", "active",
                                                         "failures", "disabled_reason",
                                                         "ingested"}) for f in followed]}
    if not followed:
        return Reply(kind="info", title="No feeds", data=data,
                     text="Parley follows no feeds. A moderator can add one with "
                          "`/feed add <url>`.")
    return Reply(title=f"{len(followed)} feed(s)", data=data,
                 text="\n\n".join(feed_line(f) for f in followed[:25]))


@command("feed remove", "Stop following a feed (its articles stay).",
         Param("id", "Feed id, e.g. `feed-3`.", max_length=40), role=Role.MODERATOR)
async def feed_remove(request: Request, services: Services) -> Reply:
    feed = await get_feed(services, request.args["id"])
    async with services.db.transaction() as conn:
        await feeds.remove_in(conn, feed.id)
        await audit.record(conn, request, "feed.remove", feed.ref, {"url": feed.url},
                           services.now())
    return Reply(kind="info", title="Feed removed",
                 text=f"`{feed.ref}` is no longer followed; the articles it brought stay.",
                 data={"id": feed.ref})
