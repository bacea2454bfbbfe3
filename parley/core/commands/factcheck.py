"""``/factcheck``: moderators record verdicts on claims; everyone can read a claim's history."""

from __future__ import annotations

from parley.core.commands import command
from parley.core.errors import NotFound, UserError
from parley.core.factcheck.claimreview import Review
from parley.core.factcheck.verdicts import CHOICES, ICONS, REPLY_STATUS, parse_verdict
from parley.core.ingest.errors import IngestError
from parley.core.ingest.fetch import check_url
from parley.core.models import Reply, Request, Role, Source
from parley.core.registry import Param
from parley.core.services import Services
from parley.core.text import shorten
from parley.store import analysis as analysis_store
from parley.store import audit, factchecks
from parley.store.analysis import StoredClaim

CLAIM_PARAM = Param("claim", "Claim id, e.g. `c24` or `peru-illegal-immigration#c24` "
                    "(see `/claims`).", max_length=200, complete="claim")


async def find_claim(request: Request, services: Services, ref: str) -> StoredClaim:
    """A claim by full id, or by ``c<n>`` in the channel's article."""
    ref = ref.strip().lstrip("#")
    if "#" not in ref:
        article = await services.active_article(request)
        ref = f"{article.id}#{ref if ref.startswith('c') else 'c' + ref}"
    article_id = ref.split("#", 1)[0]
    for claim in await analysis_store.claims(services.db, article_id):
        if claim.id == ref:
            return claim
    raise NotFound(f"No claim `{shorten(ref, 80)}`. `/claims` lists the article's claims.")


def source_url(text: str) -> str:
    """The source a member cites: an http(s) address, or a clear refusal."""
    try:
        return check_url(text)
    except IngestError:
        raise UserError("The last word must be the source's web address (https://…).") from None


def moderator_review(request: Request, services: Services, claim_text: str) -> Review:
    """A moderator's verdict on ``claim_text`` from the command's verdict, explanation and
    source, refused with a clear reason when one of them will not do."""
    status = parse_verdict(request.args["verdict"])
    if status is None or status == "unverified":
        raise UserError(f"Unknown verdict. Use one of: {', '.join(CHOICES)}.")
    source = source_url(request.args["source"])
    explanation = request.args["explanation"]
    if len(explanation.split()) < 3:
        raise UserError("Give a short explanation (a few words at least) before the source.")
    return Review(claim_reviewed=claim_text, status=status, explanation=explanation,
                  sources=[source], author=request.user_name or request.user,
                  date_published=services.now().date())


@command("factcheck", "Record a verdict on a claim, with an explanation and a source.",
         CLAIM_PARAM,
         Param("verdict", "supported, partly-supported, misleading, false or unsupported.",
               kind="choice", choices=CHOICES),
         Param("explanation", "What the sources show, in a sentence or two.", greedy=True,
               max_length=1000),
         Param("source", "A web address that backs the verdict.", tail=True, max_length=500),
         role=Role.MODERATOR, sub_label="record")
async def factcheck(request: Request, services: Services) -> Reply:
    claim = await find_claim(request, services, request.args["claim"])
    review = moderator_review(request, services, claim.text)
    status, source, explanation = review.status, review.sources[0], review.explanation
    async with services.db.transaction() as conn:
        check_id = await factchecks.add_in(conn, claim.id, review, "moderator", services.now())
        await audit.record(conn, request, "factcheck.add", claim.id,
                           {"status": status, "fact_check": check_id, "source": source},
                           services.now())
    return Reply(title=f"Recorded: {status}", status=REPLY_STATUS[status],
                 text=f"{ICONS[status]} `{claim.id}` is now **{status}**.\n> "
                      f"{shorten(claim.text, 300)}\n{explanation}",
                 sources=[Source(title=source, url=source)],
                 data={"claim": claim.id, "status": status, "fact_check": check_id})


@command("factcheck history", "Every verdict recorded on a claim, newest first.", CLAIM_PARAM)
async def factcheck_history(request: Request, services: Services) -> Reply:
    claim = await find_claim(request, services, request.args["claim"])
    checks = await factchecks.history(services.db, claim.id)
    if not checks:
        return Reply(title=f"No verdicts on {claim.id}", kind="info",
                     text=f"> {shorten(claim.text, 300)}\nNobody has checked this claim yet.",
                     data={"claim": claim.id, "history": []})
    lines = []
    for i, c in enumerate(checks):
        who = c.review.author or c.review.publisher or c.origin
        flag = " (matched — review)" if c.matched else ""
        current = " ← current" if i == 0 else ""
        lines.append(f"{ICONS[c.review.status]} **{c.review.status}**{flag} — {who}, "
                     f"{c.created_at:%Y-%m-%d %H:%M} UTC{current}\n{c.review.explanation}")
    return Reply(title=f"Verdicts on {claim.id}", text=f"> {shorten(claim.text, 300)}\n\n"
                 + "\n\n".join(lines), status=REPLY_STATUS[checks[0].review.status],
                 data={"claim": claim.id, "history": [
                     {"status": c.review.status, "explanation": c.review.explanation,
                      "sources": c.review.sources, "by": c.review.author, "origin": c.origin,
                      "matched": c.matched, "at": c.created_at.isoformat()} for c in checks]})
