"""``/counterpoint``: the strongest other side, sourced; members add and rate, moderators hide."""

from __future__ import annotations

import re

from parley.core.charts import attach
from parley.core.commands import command
from parley.core.commands.factcheck import CLAIM_PARAM, find_claim, source_url
from parley.core.counterpoints.bridging import RATING_VALUES
from parley.core.counterpoints.find import CounterpointHit, find
from parley.core.errors import NotFound, UserError
from parley.core.models import Action, Reply, ReplySection, Request, Role, Source
from parley.core.registry import Param
from parley.core.services import Services
from parley.core.text import shorten
from parley.store import audit, counterpoints

CLAIM_REF = re.compile(r"#?c\d+|\S+#c\d+")
MIN_TEXT_WORDS = 8
STANDING_ICONS = {"rated helpful": "🤝", "curated": "📚", "needs more ratings": "🗳️",
                  "not helpful": "👎"}
SHOWN = 3


def rater_key(request: Request) -> str:
    return f"{request.platform}:{request.workspace}:{request.user}"


def rating_actions(hit: CounterpointHit) -> list[Action]:
    return [Action(label="Helpful", command=f"/rate {hit.id} helpful", style="primary"),
            Action(label="Somewhat", command=f"/rate {hit.id} somewhat"),
            Action(label="Not helpful", command=f"/rate {hit.id} not-helpful")]


def render_hit(hit: CounterpointHit) -> str:
    lines = [f"{STANDING_ICONS.get(hit.status, '•')} **{hit.status}** · `{hit.id}`",
             hit.text]
    if hit.evidence:
        lines.append(f"_Evidence:_ {shorten(hit.evidence, 500)}")
    if hit.answers:
        lines.append(f"_Answers_ `{hit.answers.id}`: “{shorten(hit.answers.text, 160)}”")
    if hit.article_view:
        lines.append(f"_The article mentions this view as:_ “{shorten(hit.article_view, 200)}”")
    return "\n".join(lines)


def hit_data(hit: CounterpointHit) -> dict[str, object]:
    return hit.model_dump(include={"id", "text", "answers", "status", "sources", "origin",
                                   "evidence", "relevance", "article_view"})


@command("counterpoint", "The strongest other side of the article's argument, sourced.",
         Param("topic", "A topic or claim id, e.g. “border enforcement” or `c19`; empty for the "
               "article's main arguments.", required=False, greedy=True, max_length=500,
               complete="topic"),
         sub_label="find", message="Other side")
async def counterpoint(request: Request, services: Services) -> Reply:
    article = await services.active_article(request)
    topic = request.args["topic"]
    claim_id = None
    if topic and CLAIM_REF.fullmatch(topic.split()[0]):  # "c19", "#c19" or a full claim id
        claim_id = (await find_claim(request, services, topic.split()[0])).id
    hits = await find(services.db, article.id, None if claim_id else topic, services.now(),
                      claim_id, article.analysis_stamp)
    data = {"article": article.id, "topic": topic, "hits": [hit_data(h) for h in hits]}
    if not hits:
        about = f" on “{shorten(topic, 100)}”" if topic else ""
        return Reply(kind="not_found", title="No counterpoint yet", data=data,
                     text=f"I know no counterpoint{about} for this article yet. Anyone can add "
                          "one with a source: `/counterpoint add <claim-id> <text> <source-url>` "
                          "(`/claims` lists the claim ids).")
    if topic:
        best, others = hits[0], hits[1:SHOWN]
        sections = [ReplySection(title="Also", text="\n\n".join(render_hit(h) for h in others))] \
            if others else []
        return Reply(title=f"Counterpoint: {shorten(topic, 150)}", text=render_hit(best),
                     sections=sections, sources=[Source(title=shorten(s, 200)) for s in
                                                 best.sources],
                     actions=rating_actions(best), data=data)
    by_claim: dict[str, CounterpointHit] = {}
    for hit in hits:
        key = hit.answers.id if hit.answers else hit.id
        by_claim.setdefault(key, hit)
    sections = [ReplySection(title=shorten(f"“{h.answers.text}”" if h.answers else "On the "
                                           "article as a whole", 250), text=render_hit(h))
                for h in list(by_claim.values())[:6]]
    standing = (await attach.standings(services.db, article,
                                       services.settings.parley_helpful_intercept)
                if await services.pictures_wanted(request) else None)
    return Reply(title=f"The other side of “{shorten(article.title, 150)}”",
                 text="The article's main arguments, each with its strongest counterpoint. "
                      "Rate them so the most useful rise for everyone.",
                 sections=sections, data=data, pictures=[standing] if standing else [])


@command("counterpoint add", "Add a sourced counterpoint to one of the article's claims.",
         CLAIM_PARAM,
         Param("text", "The other side, stated fairly, in a sentence or two.", greedy=True,
               max_length=1000),
         Param("source", "A web address that backs it.", tail=True, max_length=500),
         contributes=True)
async def counterpoint_add(request: Request, services: Services) -> Reply:
    claim = await find_claim(request, services, request.args["claim"])
    source = source_url(request.args["source"])
    text = request.args["text"]
    if len(text.split()) < MIN_TEXT_WORDS:
        raise UserError(f"State the other side in at least {MIN_TEXT_WORDS} words.")
    hits = await services.lexicon_marks(text)
    if hits:
        raise UserError("Please state it without loaded words (" +
                        ", ".join(f"“{m}”" for m in hits[:3]) + "): counterpoints are "
                        "rated by people who disagree, and neutral wording wins.")
    async with services.db.transaction() as conn:
        new_id = await counterpoints.add_in(
            conn, article_id=claim.article_id, claim_id=claim.id, topic="", text=text,
            evidence="", sources=[source], origin="community", author=rater_key(request),
            at=services.now())
    ref = f"cp{new_id}"
    return Reply(title="Counterpoint added", kind="answer",
                 text=f"`{ref}` answers `{claim.id}`. Others can rate it; it is shown as "
                      "“needs more ratings” until people who usually disagree find it helpful.",
                 sources=[Source(title=source, url=source)],
                 data={"id": ref, "claim": claim.id})


@command("counterpoint hide", "Hide a counterpoint from everyone, with a reason.",
         Param("id", "Counterpoint id, e.g. `cp7`.", max_length=40),
         Param("reason", "Why it is hidden (kept in the audit log).", greedy=True,
               max_length=500),
         role=Role.MODERATOR)
async def counterpoint_hide(request: Request, services: Services) -> Reply:
    cp = await get_counterpoint(services, request.args["id"])
    async with services.db.transaction() as conn:
        await counterpoints.hide_in(conn, cp.id, request.args["reason"])
        await audit.record(conn, request, "counterpoint.hide", cp.ref,
                           {"reason": request.args["reason"]}, services.now())
    return Reply(kind="info", title="Hidden", text=f"`{cp.ref}` is hidden: "
                 f"{request.args['reason']}", data={"id": cp.ref})


async def get_counterpoint(services: Services, ref: str) -> counterpoints.Counterpoint:
    number = ref.strip().lower().removeprefix("cp")
    cp = await counterpoints.get(services.db, int(number)) if number.isdigit() else None
    if cp is None or cp.hidden:
        raise NotFound(f"No counterpoint `{shorten(ref, 40)}`.")
    return cp


@command("rate", "Rate a counterpoint: helpful, somewhat or not-helpful.",
         Param("id", "Counterpoint id, e.g. `cp7`.", max_length=40),
         Param("rating", "helpful, somewhat or not-helpful.", kind="choice",
               choices=tuple(RATING_VALUES)),
         ephemeral=True, contributes=True)
async def rate(request: Request, services: Services) -> Reply:
    cp = await get_counterpoint(services, request.args["id"])
    rater = rater_key(request)
    if cp.origin == "community" and cp.author == rater:
        raise UserError("You can't rate your own counterpoint.")
    async with services.db.transaction() as conn:
        replaced = await counterpoints.rate_in(conn, cp.id, rater,
                                               RATING_VALUES[request.args["rating"]],
                                               services.now())
    services.refitter.request()
    verb = "Changed your rating" if replaced else "Thanks — rated"
    return Reply(kind="info", text=f"{verb}: `{cp.ref}` is {request.args['rating']} to you.",
                 data={"id": cp.ref, "rating": request.args["rating"], "replaced": replaced})


@command("forget-me", "Delete your ratings, and remove or anonymise your counterpoints.",
         Param("contributions", "What happens to counterpoints you added: anonymise (keep the "
               "text, drop your name) or remove.", kind="choice",
               choices=("anonymise", "remove"), required=False, default="anonymise"),
         ephemeral=True)
async def forget_me(request: Request, services: Services) -> Reply:
    remove = request.args["contributions"] == "remove"
    ratings, contributions = await counterpoints.forget_rater(services.db, rater_key(request),
                                                              remove)
    services.refitter.request()
    done = "removed" if remove else "anonymised"
    return Reply(kind="info", title="Forgotten",
                 text=f"Deleted {ratings} rating(s); {contributions} counterpoint(s) of yours "
                      f"{done}. Moderators' records of their own actions stay in the audit log.",
                 data={"ratings": ratings, "contributions": contributions, "mode": done})
