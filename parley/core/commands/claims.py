"""``/claims``: the article's checkable claims by score, with their ids, types and figures."""

from __future__ import annotations

from parley.core.analysis.claims import CLAIM_TYPES
from parley.core.analysis.quotations import speakers_by_sentence
from parley.core.charts import attach
from parley.core.commands import command
from parley.core.commands.fact import quoted_note, request_action
from parley.core.models import Action, Reply, Request
from parley.core.registry import Param
from parley.core.services import Services
from parley.core.text import shorten
from parley.store import analysis as analysis_store
from parley.store import articles as article_store
from parley.store.analysis import StoredClaim

PAGE_SIZE = 8
REQUEST_BUTTONS = 3  # "request the other side" under the page's first claims (Discord shows 5)
TYPE_LABELS = {"statistic": "statistic", "prediction": "prediction", "comparison": "comparison",
               "causal": "cause and effect", "attribution": "who said what",
               "date_event": "date or event"}


def claim_line(claim: StoredClaim, quotations: dict[str, str | None]) -> str:
    note = quoted_note(claim.sentence_id in quotations, quotations.get(claim.sentence_id))
    return (f"`{claim.id}` · {TYPE_LABELS[claim.type]} · {claim.score:.2f}{note}\n"
            f"{shorten(claim.text, 280)}")


def claim_data(claim: StoredClaim, quotations: dict[str, str | None]) -> dict[str, object]:
    return {"id": claim.id, "text": claim.text, "type": claim.type, "types": claim.types,
            "score": claim.score, "checkworthiness": claim.checkworthiness,
            "sentence_id": claim.sentence_id, "section": claim.section,
            "figures": [f.model_dump(exclude_none=True) for f in claim.figures],
            "entities": claim.entities, "quoted": claim.sentence_id in quotations,
            "speaker": quotations.get(claim.sentence_id)}


@command("claims", "The article's checkable claims, most check-worthy first.",
         Param("type", "Only claims of this type.", kind="choice",
               choices=("all", *CLAIM_TYPES), required=False, default="all"),
         Param("page", "Page number.", kind="int", required=False, min_value=1,
               max_value=10_000, default=1))
async def claims(request: Request, services: Services) -> Reply:
    article = await services.active_article(request)
    wanted = request.args["type"]
    found = await analysis_store.claims(services.db, article.id,
                                        None if wanted == "all" else wanted)
    label = "claims" if wanted == "all" else f"{TYPE_LABELS[wanted]} claims"
    if not found:
        return Reply(kind="not_found", title=f"No {label}",
                     text=f"I found no {label} in “{article.title}”.",
                     data={"article": article.id, "claims": []})
    pages = (len(found) + PAGE_SIZE - 1) // PAGE_SIZE
    page = min(request.args["page"], pages)
    shown = found[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    actions = [request_action(c.id, f"Other side of {c.id.rsplit('#', 1)[-1]}")
               for c in shown[:REQUEST_BUTTONS]]
    if page < pages:
        actions.append(Action(label="More claims", command=f"/claims {wanted} {page + 1}"))
    pictures = []
    if page == 1 and wanted == "all" and await services.pictures_wanted(request):
        pictures = [p for p in [await attach.claim_status(services.db, article)] if p]
    # A claim inside someone's quotation of several sentences is theirs, not the article's.
    quotations = speakers_by_sentence(await article_store.sentences(services.db, article.id))
    return Reply(
        pictures=pictures,
        title=f"{len(found)} {label} in “{shorten(article.title, 120)}”"
              + (f" — page {page}/{pages}" if pages > 1 else ""),
        text="\n\n".join(claim_line(c, quotations) for c in shown)
             + "\n\n`/fact <question>` finds the claims that answer a question.",
        actions=actions,
        data={"article": article.id, "type": wanted, "page": page, "pages": pages,
              "claims": [claim_data(c, quotations) for c in found]},
    )
