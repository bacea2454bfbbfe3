"""``/coverage``: how the article's event is covered by left, center and right outlets, the
blindspot when a side is missing, and moderators' corrections to an outlet's leaning."""

from __future__ import annotations

from parley.core.analysis.tokens import fold
from parley.core.charts import attach
from parley.core.commands import command
from parley.core.coverage.find import coverage_split
from parley.core.coverage.leanings import (
    LEANINGS,
    UNRATED,
    bundled,
    outlet_names,
    outlet_of,
)
from parley.core.coverage.render import SOURCE_NOTE
from parley.core.errors import UserError
from parley.core.models import Reply, ReplySection, Request, Role
from parley.core.registry import Param
from parley.core.services import Services
from parley.core.text import shorten
from parley.store import audit
from parley.store import coverage as coverage_store

SIDES = {"left": "Left", "center": "Center", "right": "Right", UNRATED: "Unrated"}


@command("coverage", "How outlets of each leaning cover this article's event, and which side "
         "is missing.", sub_label="show")
async def coverage(request: Request, services: Services) -> Reply:
    article = await services.active_article(request)
    split = await coverage_split(services.db, article)
    data = split.model_dump(mode="json") | {"article": article.id}
    if len(split.articles) == 1:
        return Reply(kind="not_found", title="No other coverage yet", data=data,
                     text=f"No other outlet's article on this story is stored yet, so I can't "
                          f"compare coverage. “{shorten(article.title, 120)}” is from "
                          f"{outlet_of(article.outlet, article.url) or 'an unnamed outlet'} "
                          f"({split.leaning}). "
                          "Moderators can add articles with `/article add` or follow outlets "
                          "with `/feed add <url>`.")
    what = "this event" if split.same_event else "this topic (no article on the same event yet)"
    counts = " · ".join(f"{SIDES[s]} {split.counts[s]}" for s in (*LEANINGS, UNRATED)
                        if s != UNRATED or split.counts[s])
    lines = [f"{len(split.articles)} stored articles cover {what}: {counts}."]
    if split.missing:
        sides = " and ".join(SIDES[s].lower() for s in split.missing)
        lines.append(f"⚠️ **Blindspot:** no {sides}-leaning outlet in the store covers it.")
    sections = [ReplySection(title=f"{SIDES[side]} ({split.counts[side]})",
                             text=", ".join(shorten(o, 60) for o in names))
                for side, names in split.outlets.items()]
    sections.append(ReplySection(title="Sources", text=SOURCE_NOTE))
    pictures = ([await attach.coverage(split.outlets, split.counts, shorten(article.title, 80))]
                if await services.pictures_wanted(request) else [])
    return Reply(title=f"Coverage of “{shorten(article.title, 150)}”", text="\n".join(lines),
                 sections=sections, status="warning" if split.missing else "neutral", data=data,
                 pictures=pictures)


@command("coverage leaning", "Correct an outlet's leaning (left, center, right or unrated).",
         Param("outlet", "The outlet as articles name it, e.g. “Reuters”.", greedy=True,
               max_length=120),
         Param("leaning", "left, center, right or unrated.", kind="choice",
               choices=(*LEANINGS, UNRATED), tail=True),
         role=Role.MODERATOR)
async def coverage_leaning(request: Request, services: Services) -> Reply:
    outlet = " ".join(request.args["outlet"].split())
    if not outlet or len(outlet) < 2:
        raise UserError("Name the outlet, e.g. `/coverage leaning Reuters center`.")
    key = fold(outlet)
    before = bundled()[0].get(key, UNRATED)
    overrides = await coverage_store.leaning_overrides(services.db)
    before = overrides.get(key, before)
    leaning = request.args["leaning"]
    async with services.db.transaction() as conn:
        await coverage_store.set_leaning_in(conn, key, leaning, request.user, services.now())
        await audit.record(conn, request, "coverage.leaning", outlet,
                           {"from": before, "to": leaning}, services.now())
    name = outlet_names().get(key, outlet)
    return Reply(kind="info", title="Leaning set",
                 text=f"{shorten(name, 80)} is now {leaning} (was {before}).",
                 data={"outlet": name, "leaning": leaning, "was": before})
