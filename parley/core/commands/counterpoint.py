"""``/counterpoint``: the strongest other side, sourced; members add and rate, moderators hide."""

from __future__ import annotations

import re
from datetime import timedelta

from parley.core.charts import attach
from parley.core.commands import command
from parley.core.commands.fact import quoted_note
from parley.core.commands.factcheck import CLAIM_PARAM, find_claim, source_url
from parley.core.counterpoints.bridging import RATING_VALUES, SIDE_EPSILON
from parley.core.counterpoints.find import CounterpointHit, find
from parley.core.coverage.find import (
    BroaderCoverage,
    OtherCoverage,
    broader_coverage,
    other_coverage,
)
from parley.core.coverage.render import (
    BROADER_NOTE,
    SOURCE_NOTE,
    passage_sources,
    render_broader,
    render_passage,
    whose_point,
)
from parley.core.errors import NotFound, UserError
from parley.core.models import Action, Reply, ReplySection, Request, Role, Source
from parley.core.registry import Param
from parley.core.search.lookup import article_index, lookup
from parley.core.search.query import build_query
from parley.core.search.rank import MIN_COVERAGE, coverage, sentence_features
from parley.core.services import Services
from parley.core.text import member_text, shorten
from parley.store import audit, counterpoints
from parley.store import requests as requests_store

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


async def needs_your_help(services: Services, request: Request, hits: list[CounterpointHit]
                          ) -> list[CounterpointHit]:
    """As Community Notes does: a counterpoint awaiting ratings, rated so far only by members
    who lean the other way from this member, is shown to them first and marked so."""
    mine = await counterpoints.rater_factor(services.db, rater_key(request))
    waiting = [h for h in hits if h.status == "needs more ratings"]
    if mine is None or abs(mine) < SIDE_EPSILON or not waiting:
        return hits
    sides = await counterpoints.rater_sides(services.db, [int(h.id[2:]) for h in waiting],
                                            SIDE_EPSILON)
    for hit in waiting:
        pos, neg = sides.get(int(hit.id[2:]), (0, 0))
        same, other = (pos, neg) if mine > 0 else (neg, pos)
        hit.needs_your_help = other > 0 and same == 0
    return sorted(hits, key=lambda h: not h.needs_your_help)


def render_hit(hit: CounterpointHit) -> str:
    status = "needs your rating: people who see it differently rated it; you have not" \
        if hit.needs_your_help else hit.status
    lines = [f"{STANDING_ICONS.get(hit.status, '•')} **{status}** · `{hit.id}`",
             member_text(hit.text)]
    if hit.evidence:
        lines.append(f"_Evidence:_ {shorten(hit.evidence, 500)}")
    if hit.answers:
        lines.append(f"_Answers_ `{hit.answers.id}`: “{shorten(hit.answers.text, 160)}”"
                     + quoted_note(hit.answers.quoted, hit.answers.speaker))
    if hit.article_view:
        lines.append(f"_The article mentions this view as:_ “{shorten(hit.article_view, 200)}”")
    return "\n".join(lines)


def hit_data(hit: CounterpointHit) -> dict[str, object]:
    return hit.model_dump(include={"id", "text", "answers", "status", "sources", "origin",
                                   "evidence", "relevance", "article_view", "needs_your_help"})


TOPIC_POINTS = 5  # /fact's best sentences for a topic whose other coverage is shown


async def _on_topic(services: Services, article_id: str, items: list[OtherCoverage],
                    topic: str) -> list[OtherCoverage]:
    """Other coverage of the points /fact finds for the topic (the same meaning: its hybrid
    ranking, with the sentence encoder once the article is encoded), or whose point or passage
    covers most of the topic's words."""
    query = build_query(topic)
    if not query.terms or not items:
        return []
    index = await article_index(services.db, article_id)
    sentence_of = {c.id: c.sentence_id for c in index.claim_list}
    _, hits = await lookup(services.db, article_id, topic, statuses=False)
    found = {sentence_of.get(h.id, h.id) for h in hits[:TOPIC_POINTS]}
    return [c for c in items if c.point in found
            or coverage(query, sentence_features(f"{c.point_text} {c.text}"), {}) >= MIN_COVERAGE]


def coverage_sections(items: list[OtherCoverage]) -> list[ReplySection]:
    """One section a point: the article's point quoted, then other outlets' passages on it."""
    by_point: dict[str, list[OtherCoverage]] = {}
    for c in items:
        by_point.setdefault(c.point, []).append(c)
    return [ReplySection(title=shorten("Other coverage of "
                                       f"{whose_point(g.point_quoted, g.point_speaker)}"
                                       f"“{shorten(g.point_text, 160)}”", 250),
                         text="\n\n".join(render_passage(c) for c in group))
            for group in by_point.values() for g in group[:1]]


def broader_section(items: list[BroaderCoverage]) -> ReplySection:
    """Other outlets on the article's topic, labelled as broader than its event."""
    return ReplySection(title="Other outlets on this topic (broader than this article's event)",
                        text="\n\n".join([BROADER_NOTE, *(render_broader(c) for c in items)]))


@command("counterpoint", "The strongest other side of the article's argument, sourced.",
         Param("topic", "A topic or claim id, e.g. “border enforcement” or `c19`; empty for the "
               "article's main arguments.", required=False, greedy=True, max_length=500,
               complete="topic"),
         sub_label="find", message="Other side")
async def counterpoint(request: Request, services: Services) -> Reply:
    article = await services.active_article(request)
    topic = request.args["topic"]
    claim = None
    if topic and CLAIM_REF.fullmatch(topic.split()[0]):  # "c19", "#c19" or a full claim id
        claim = await find_claim(request, services, topic.split()[0])
    claim_id = claim.id if claim else None
    bar = await services.server.value(request.platform, request.workspace, "helpful-intercept")
    hits = await needs_your_help(services, request, await find(
        services.db, article.id, None if claim_id else topic, services.now(), claim_id,
        article.analysis_stamp, float(bar)))
    others = await other_coverage(services.db, article, claim.sentence_id if claim else None)
    if topic and claim is None:
        others = await _on_topic(services, article.id, others, topic)
    # only the article's own topic, never a topic asked about, and never beside on-point ones
    broader = await broader_coverage(services.db, article) \
        if not others and not (topic and claim is None) else []
    data = {"article": article.id, "topic": topic, "hits": [hit_data(h) for h in hits],
            "coverage": [c.model_dump(mode="json") for c in others],
            "broader": [c.model_dump(mode="json") for c in broader]}
    if not hits and not others and broader:
        what = "this claim" if claim else "the article's points"
        return Reply(title=f"Other outlets on this topic: “{shorten(article.title, 150)}”",
                     text="No one has written a counterpoint here yet, and no other outlet's "
                          f"stored coverage was found to address {what}. These stored "
                          "articles from other outlets, other leanings first, are on the same "
                          "broader topic only: they are not this event, and not an answer to "
                          "its claims.",
                     sections=[broader_section(broader),
                               ReplySection(title="Sources", text=SOURCE_NOTE)],
                     sources=passage_sources(broader), data=data)
    if not hits and not others:
        about = f" on “{shorten(topic, 100)}”" if topic else ""
        what = "this claim" if claim else "its points"
        return Reply(kind="not_found", title="No counterpoint yet", data=data,
                     text=f"I know no counterpoint{about} for this article yet, and no other "
                          f"outlet's stored coverage addresses {what} yet"
                          + ("" if topic and claim is None else
                             ", nor is any close enough to its topic to show")
                          + ". Anyone can add one with a source: "
                          "`/counterpoint add <claim-id> <text> <source-url>`, or ask "
                          "for one with `/counterpoint request <claim-id>` (`/claims` lists the "
                          "claim ids).")
    extra = coverage_sections(others) + ([broader_section(broader)] if broader else [])
    sources = passage_sources([*others, *broader])
    if not hits:
        return Reply(title=f"Other coverage of “{shorten(article.title, 150)}”",
                     text="No one has written a counterpoint here yet; this is how other "
                          "outlets, other leanings first, cover the article's main points.",
                     sections=[*extra, ReplySection(title="Sources", text=SOURCE_NOTE)],
                     sources=sources, data=data)
    if topic:
        best, rest = hits[0], hits[1:SHOWN]
        sections = [ReplySection(title="Also", text="\n\n".join(render_hit(h) for h in rest))] \
            if rest else []
        return Reply(title=f"Counterpoint: {shorten(topic, 150)}", text=render_hit(best),
                     sections=sections + extra,
                     sources=[Source(title=shorten(s, 200)) for s in best.sources] + sources,
                     actions=rating_actions(best), data=data)
    by_claim: dict[str, CounterpointHit] = {}
    for hit in hits:
        key = hit.answers.id if hit.answers else hit.id
        by_claim.setdefault(key, hit)
    sections = [ReplySection(title=shorten(f"{whose_point(h.answers.quoted, h.answers.speaker)}"
                                           f"“{shorten(h.answers.text, 200)}”" if h.answers
                                           else "On the article as a whole", 250),
                             text=render_hit(h))
                for h in list(by_claim.values())[:6]]
    helping = next((h for h in hits if h.needs_your_help), None)
    standing = (await attach.standings(services.db, article,
                                       services.settings.parley_helpful_intercept)
                if await services.pictures_wanted(request) else None)
    return Reply(title=f"The other side of “{shorten(article.title, 150)}”",
                 actions=rating_actions(helping) if helping else [],
                 text="The article's main arguments, each with its strongest counterpoint, "
                      "then other outlets' coverage of its points. Rate them so the most useful "
                      "rise for everyone.",
                 sections=sections + extra, sources=sources, data=data,
                 pictures=[standing] if standing else [])


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
        answered = await requests_store.answer_in(conn, claim.id, new_id, services.now())
    ref = f"cp{new_id}"
    return Reply(title="Counterpoint added", kind="answer",
                 text=f"`{ref}` answers `{claim.id}`. Others can rate it; it is shown as "
                      "“needs more ratings” until people who usually disagree find it helpful."
                      + (f" It answers {answered} member request(s) for the other side."
                         if answered else ""),
                 sources=[Source(title=source, url=source)],
                 data={"id": ref, "claim": claim.id, "answered_requests": answered})


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
    if await counterpoints.is_author(services.db, cp, rater):
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


@command("counterpoint request", "Ask contributors for the other side of one of the article's "
         "claims.", CLAIM_PARAM, contributes=True)
async def counterpoint_request(request: Request, services: Services) -> Reply:
    claim = await find_claim(request, services, request.args["claim"])
    async with services.db.transaction() as conn:
        new = await requests_store.add_in(conn, request, rater_key(request), claim.article_id,
                                          claim.id, services.now())
    waiting = [r for r in await requests_store.open_requests(services.db, claim.article_id)
               if r.claim_id == claim.id]
    asked = waiting[0].asked if waiting else 1
    verb = "Asked" if new else "You had already asked"
    return Reply(kind="info", title="Other side requested",
                 text=f"{verb}: contributors see `{claim.id}` in `/counterpoint requests` "
                      f"({asked} member(s) asking). You'll find the answer under "
                      f"`/counterpoint {claim.id.rsplit('#', 1)[1]}` once someone adds one "
                      "with a source.", data={"claim": claim.id, "new": new, "asked": asked})


@command("counterpoint requests", "Claims members asked the other side of, the longest "
         "waiting first.")
async def counterpoint_requests(request: Request, services: Services) -> Reply:
    article = await services.active_article(request)
    waiting = await requests_store.open_requests(services.db, article.id)
    data = {"article": article.id, "requests": [r.model_dump(mode="json") for r in waiting]}
    if not waiting:
        return Reply(kind="info", title="No open requests", data=data,
                     text="Nobody is waiting for the other side of a claim in this article. "
                          "Ask for one with `/counterpoint request <claim-id>`.")
    now = services.now()
    lines = [f"`{r.claim_id}` · {r.asked} asking · waiting {_waited(now - r.since)}\n"
             f"“{shorten(r.text, 220)}”" for r in waiting[:10]]
    return Reply(title=f"{len(waiting)} claim(s) waiting for the other side",
                 text="\n\n".join(lines) + "\n\nAnswer one with `/counterpoint add <claim-id> "
                 "<text> <source-url>`.", data=data)


def _waited(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    return f"{hours:.0f} h" if hours >= 1 else f"{max(1, round(hours * 60))} min"
