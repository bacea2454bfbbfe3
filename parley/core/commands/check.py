"""``/check``: a member's message matched against known fact checks, the channel's article's
claims and its counterpoints, answered to that member alone; ``/check ask`` queues it."""

from __future__ import annotations

import asyncio
import hashlib
from typing import Literal

from pydantic import BaseModel

from parley.core.commands import command
from parley.core.counterpoints.find import find as find_counterpoints
from parley.core.errors import NotFound, UserError
from parley.core.factcheck import knowledge
from parley.core.factcheck.message import INLINE_CHARS, Reading, read, read_in_worker
from parley.core.factcheck.retrieval import (
    MATCH_THRESHOLD,
    SHOW_THRESHOLD,
    Probe,
    contradicts,
    search_terms,
)
from parley.core.factcheck.verdicts import ICONS, REPLY_STATUS, CheckStatus
from parley.core.meaning.model import Matrix
from parley.core.models import Action, Article, Reply, ReplySection, Request, Source
from parley.core.registry import Param
from parley.core.search.lookup import ArticleIndex, article_index
from parley.core.services import Services
from parley.core.text import inert, shorten
from parley.store import checks, factchecks
from parley.store.analysis import StoredClaim
from parley.store.checks import CheckRequest
from parley.store.factchecks import FactCheck

SHOWN = 3
CONSIDERED = 3  # the ranking's best, of which the first sure one is shown
# One known fact check at most: a message usually repeats one checked claim, and on the CLEF
# train tweets the second and third sure candidates were mostly wrong (precision of all shown
# 0.72 with three, 0.92 for the first alone).
SHOWN_KNOWN = 1
ASK_LABEL = "Ask the moderators to check"
CLAIM_VECTORS = "check-claim-vectors"


class CheckMatch(BaseModel):
    """One match, in the shape ``data.matches`` promises (plus what the reply shows)."""

    id: str
    claim: str  # the matched claim's own text
    verdict: CheckStatus
    score: float
    source: str
    kind: Literal["factcheck", "article"]
    explanation: str = ""
    sought: str = ""  # the message's claim it matches

    def public(self) -> dict[str, object]:
        return self.model_dump(include={"id", "claim", "verdict", "score", "source", "kind"})


def _source(check: FactCheck) -> str:
    review = check.review
    return (review.review_url or (review.sources[0] if review.sources else "")
            or review.publisher or review.author or check.origin)


def request_key(text: str) -> str:
    """The same words, however spaced or cased, are one request in the queue."""
    return hashlib.sha256(" ".join(search_terms(text)).encode()).hexdigest()[:32]


async def _known(services: Services, ranking: asyncio.Task[list[knowledge.Ranked]],
                 whole: Probe) -> list[CheckMatch]:
    """The fact checks that state what the message states: the ranking's best, shown only when
    sure (a confident wrong verdict is worse than "ask the moderators"), never one whose
    figures differ from the message's (``whole``: the message read, with its figures)."""
    out: list[CheckMatch] = []
    for ranked in await ranking:
        check = ranked.check
        if (ranked.sure < SHOW_THRESHOLD
                or contradicts(whole, check.review.claim_reviewed)):
            continue
        out.append(CheckMatch(id=f"factcheck-{check.id}", claim=check.review.claim_reviewed,
                              verdict=check.review.status, score=ranked.score,
                              source=_source(check), kind="factcheck",
                              explanation=check.review.explanation, sought=whole.text))
        if len(out) == SHOWN_KNOWN:
            break
    return out


async def _read(services: Services, text: str, article: Article | None
                ) -> tuple[Reading, ArticleIndex | None]:
    """The message read (on the loop when short, in a worker when long), and the index of the
    article whose claims it was compared with."""
    claims: tuple[StoredClaim, ...] = ()
    vectors = index = None
    if article is not None:
        index = await article_index(services.db, article.id, article.analysis_stamp)
        claims, vectors = index.claim_list, _claim_vectors(services, article.id, index)
    if len(text) <= INLINE_CHARS:
        return read(text, services.lexicon, claims, vectors), index
    return await services.workers.run(read_in_worker, text, services.settings.parley_lexicon,
                                      claims, vectors), index


def _claim_vectors(services: Services, article_id: str, index: ArticleIndex) -> Matrix | None:
    """:func:`claim_vectors` of this index, made once per index (the database's memo, emptied
    when the article changes)."""
    memo = services.db.memos.memo(CLAIM_VECTORS, 8)
    kept: tuple[ArticleIndex, Matrix | None] | None = memo.get(article_id)
    if kept is None or kept[0] is not index:
        kept = (index, claim_vectors(index))
        memo.put(article_id, kept)
    return kept[1]


def claim_vectors(index: ArticleIndex) -> Matrix | None:
    """The article's claims' static vectors, from its sentences' (a claim is its sentence),
    rather than embedding them again each check; None if a claim's sentence is not indexed."""
    rows = {sid: i for i, (sid, _, _) in enumerate(index.sentences)}
    found = [rows.get(c.sentence_id) for c in index.claim_list]
    if any(i is None for i in found) or len(index.vectors) != len(index.sentences):
        return None
    return index.vectors[[i for i in found if i is not None]]


async def _article_match(services: Services, article: Article, claim: Probe,
                         found: tuple[int, float] | None, claims: tuple[StoredClaim, ...]
                         ) -> CheckMatch | None:
    """The article claim ``found`` closest to the message's claim, with its status (even a weak
    one: the reply shows it as the closest, and only a close one counts as a match)."""
    if found is None:
        return None
    stored = claims[found[0]]
    latest = (await factchecks.latest(services.db, [stored.id])).get(stored.id)
    status: CheckStatus = latest.review.status if latest else "unverified"
    return CheckMatch(id=stored.id, claim=stored.text, verdict=status, score=found[1],
                      source=(_source(latest) if latest else "") or article.url or article.title,
                      kind="article", explanation=latest.review.explanation if latest else "",
                      sought=claim.text)


async def _article(services: Services, request: Request) -> Article | None:
    try:
        return await services.active_article(request)
    except NotFound:
        return None


def _line(match: CheckMatch) -> str:
    where = "the article" if match.kind == "article" else "a known fact check"
    text = (f"{ICONS[match.verdict]} **{match.verdict.capitalize()}** — {where} "
            f"(`{match.id}`):\n> {shorten(inert(match.claim), 300)}")
    if match.explanation:
        text += f"\n{shorten(inert(match.explanation), 300)}"
    return text


async def _answers(services: Services, request: Request,
                   due: asyncio.Task[list[tuple[CheckRequest, FactCheck]]]
                   ) -> ReplySection | None:
    """Verdicts recorded on requests this member made, not shown to them yet (``due``: their
    read, started with the check)."""
    told = await due
    if not told:
        return None
    await checks.mark_told(services.db, [r.id for r, _ in told], request, services.now())
    return ReplySection(title="Answered since you asked", text="\n".join(
        f"{ICONS[c.review.status]} **{c.review.status}**: “{shorten(inert(r.text), 150)}” — "
        f"{shorten(inert(c.review.explanation), 200)}" for r, c in told))


@command("check", "Check a message's claims against known fact checks and the article.",
         Param("text", "The text to check, e.g. a claim someone made in the channel.",
               greedy=True, max_length=2000),
         ephemeral=True, message="Check with Parley")
async def check(request: Request, services: Services) -> Reply:
    text = request.args["text"]
    # The message's one encoding (the knowledge base's ranking and the counterpoint search
    # share it) runs in a thread while the loop reads the message and the article's part.
    meaning = knowledge.MessageVector(text, knowledge.held_now(services.db))
    try:
        return await _check(services, request, text, meaning)
    finally:
        meaning.close()


async def _check(services: Services, request: Request, text: str,
                 meaning: knowledge.MessageVector) -> Reply:
    article = await _article(services, request)
    # What needs only the message's text starts now, in the store's thread (the full-text
    # search) and the encoder's, while the loop reads the message; the answers due too.
    ranking = asyncio.create_task(knowledge.rank(
        services.db, text, limit=CONSIDERED, background=services.background, encoded=meaning))
    due = asyncio.create_task(checks.untold(services.db, request))
    try:
        await asyncio.sleep(0)  # let both reach the store before the reading holds the loop
        reading, index = await _read(services, text, article)
        article_claims = index.claim_list if index is not None else ()
        claims = reading.claims
        if not claims:
            raise UserError("I found nothing checkable in that text: give a claim in words, "
                            "e.g. `/check the border wall cost $15 billion`.")
        nearest: CheckMatch | None = None
        found: list[CheckMatch] = []
        for claim, closest in zip(claims, reading.closest, strict=True):
            near = (await _article_match(services, article, claim, closest, article_claims)
                    if article else None)
            if near is not None:
                if nearest is None or near.score > nearest.score:
                    nearest = near
                if near.score >= MATCH_THRESHOLD:
                    found.append(near)
        sections = await _private_notes(services, request, reading.loaded, article, claims,
                                        meaning if index is not None
                                        and index.encodings is not None else None, due)
        known = await _known(services, ranking, reading.whole)
    except BaseException:
        ranking.cancel()
        due.cancel()
        raise
    matches: dict[str, CheckMatch] = {m.id: m for m in known}
    for match in found:
        kept = matches.get(match.id)
        if kept is None or match.score > kept.score:
            matches[match.id] = match
    ordered = sorted(matches.values(), key=lambda m: (-m.score, m.id))
    data: dict[str, object] = {
        "claims": [c.text for c in claims], "article": article.id if article else None,
        "matches": [m.public() for m in ordered],
        "closest": nearest.public() if nearest else None}
    if not ordered:
        return await _unmatched(services, request, text, nearest, sections, data)
    best = ordered[0]
    body = "\n\n".join(_line(m) for m in ordered[:SHOWN])
    if nearest is not None and nearest.id not in {m.id for m in ordered[:SHOWN]}:
        sections.insert(0, ReplySection(title="Closest claim in the article", text=_line(nearest)))
    sources = [Source(title=shorten(m.source, 200), url=m.source
                      if m.source.startswith(("http://", "https://")) else None)
               for m in ordered[:SHOWN] if m.source]
    return Reply(title=f"Check: {len(ordered)} match{'es' if len(ordered) != 1 else ''}",
                 text=body, sections=sections, sources=sources, ephemeral=True,
                 status=REPLY_STATUS[best.verdict], data=data)


async def _private_notes(services: Services, request: Request, loaded: list[str],
                         article: Article | None, claims: list[Probe],
                         meaning: knowledge.MessageVector | None,
                         due: asyncio.Task[list[tuple[CheckRequest, FactCheck]]]
                         ) -> list[ReplySection]:
    """The loaded wording, the other side of the first claim (its words, and the whole
    message's meaning when the article is encoded: one encoding a check) and answers due
    (marked told only once everything before them is made, so a failure loses none)."""
    sections = []
    if loaded:
        sections.append(ReplySection(
            title="Loaded wording (only you see this)",
            text=", ".join(f"“{inert(t)}”" for t in loaded[:8])
            + ": words like these carry a judgement; the claim reads fairer without them."))
    if article is not None:
        hits = await find_counterpoints(
            services.db, article.id, claims[0].text, services.now(),
            stamp=article.analysis_stamp,
            # the encoding under way: the search's words are scored while it runs
            encoded=meaning.pending() if meaning is not None else None, views=False)
        if hits:
            sections.append(ReplySection(title="The other side", text=(
                f"{shorten(inert(hits[0].text), 400)} (`{hits[0].id}`)")))
    answered = await _answers(services, request, due)
    if answered is not None:
        sections.append(answered)
    return sections


async def _unmatched(services: Services, request: Request, text: str,
                     nearest: CheckMatch | None, sections: list[ReplySection],
                     data: dict[str, object]) -> Reply:
    request_id = await checks.draft(services.db, request_key(text), shorten(text, 1000),
                                    request, services.now())
    data["request"] = request_id
    if nearest is not None:
        sections.insert(0, ReplySection(title="Closest claim in the article (not the same claim)",
                                        text=_line(nearest)))
    return Reply(kind="not_found", title="No fact check matches", ephemeral=True,
                 text="I know no fact check of this claim, and the article does not make it. "
                      "The moderators can check it if you ask.",
                 sections=sections, data=data,
                 actions=[Action(label=ASK_LABEL, command=f"/check ask {request_id}",
                                 style="primary")])


@command("check ask", "Ask the moderators to check a message /check found no verdict for.",
         Param("request", "The request number /check gave.", kind="int", min_value=1),
         ephemeral=True, contributes=True)
async def check_ask(request: Request, services: Services) -> Reply:
    found = await checks.find(services.db, request.args["request"])
    if found is None:
        raise NotFound("No such check request. Run `/check` on the message again.")
    if found.fact_check_id is not None:
        verdict = await factchecks.get(services.db, found.fact_check_id)
        if verdict is not None:
            return Reply(kind="info", title="Already answered", ephemeral=True,
                         status=REPLY_STATUS[verdict.review.status],
                         text=f"{ICONS[verdict.review.status]} **{verdict.review.status}**: "
                              f"{shorten(inert(verdict.review.explanation), 300)}",
                         data={"request": found.id, "verdict": verdict.review.status})
    new = await checks.ask(services.db, found.id, request, services.now())
    asked = found.asked + (1 if new else 0)
    return Reply(kind="info", title="Asked the moderators", ephemeral=True,
                 text=("Queued for the moderators" if new else "You had asked already")
                 + f" ({asked} asked). You will see their verdict the next time you run "
                   "`/check`.", data={"request": found.id, "asked": asked, "new": new})
