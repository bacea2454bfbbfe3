"""``/factcheck queue`` and ``/factcheck answer``: the moderators' side of members' requests."""

from __future__ import annotations

from parley.core.commands import command
from parley.core.commands.factcheck import moderator_review
from parley.core.errors import NotFound, UserError
from parley.core.factcheck.verdicts import CHOICES, ICONS, REPLY_STATUS
from parley.core.models import Reply, Request, Role, Source
from parley.core.registry import Param
from parley.core.services import Services
from parley.core.text import inert, shorten
from parley.store import audit, checks, factchecks


@command("factcheck queue", "Messages members asked the moderators to check, most asked first.",
         role=Role.MODERATOR, ephemeral=True)
async def factcheck_queue(request: Request, services: Services) -> Reply:
    waiting = await checks.queue(services.db)
    if not waiting:
        return Reply(kind="info", title="Nothing to check", ephemeral=True,
                     text="No member is waiting for a verdict.", data={"queue": []})
    lines = [f"**#{r.id}** · asked {r.asked}× · {r.created_at:%Y-%m-%d}\n> "
             f"{shorten(inert(r.text), 300)}" for r in waiting]
    return Reply(title=f"Check requests ({len(waiting)})", ephemeral=True,
                 text="\n\n".join(lines) + "\n\nAnswer one with `/factcheck answer <number> "
                      "<verdict> <explanation> <source-url>`.",
                 data={"queue": [{"id": r.id, "text": r.text, "asked": r.asked,
                                  "created_at": r.created_at.isoformat()} for r in waiting]})


@command("factcheck answer", "Record a verdict on a check request; everyone who asked sees it.",
         Param("request", "The request number in `/factcheck queue`.", kind="int", min_value=1),
         Param("verdict", "supported, partly-supported, misleading, false or unsupported.",
               kind="choice", choices=CHOICES),
         Param("explanation", "What the sources show, in a sentence or two.", greedy=True,
               max_length=1000),
         Param("source", "A web address that backs the verdict.", tail=True, max_length=500),
         role=Role.MODERATOR)
async def factcheck_answer(request: Request, services: Services) -> Reply:
    found = await checks.find(services.db, request.args["request"])
    if found is None:
        raise NotFound(f"No check request #{request.args['request']}. "
                       "`/factcheck queue` lists them.")
    if found.fact_check_id is not None:
        raise UserError(f"Request #{found.id} is already answered.")
    review = moderator_review(request, services, found.text)
    status, source, explanation = review.status, review.sources[0], review.explanation
    async with services.db.transaction() as conn:
        # In the knowledge base: the next /check of the same claim finds it like any other.
        check_id = await factchecks.add_in(conn, None, review, "moderator", services.now())
        await checks.answer_in(conn, found.id, check_id, services.now())
        await audit.record(conn, request, "factcheck.answer", f"request-{found.id}",
                           {"status": status, "fact_check": check_id, "source": source},
                           services.now())
    return Reply(title=f"Answered #{found.id}: {status}", status=REPLY_STATUS[status],
                 text=f"{ICONS[status]} **{status}**\n> {shorten(inert(found.text), 300)}\n"
                      f"{explanation}\nThe {found.asked} member(s) who asked see it the next "
                      "time they run `/check`.",
                 sources=[Source(title=source, url=source)],
                 data={"request": found.id, "status": status, "fact_check": check_id,
                       "asked": found.asked})
