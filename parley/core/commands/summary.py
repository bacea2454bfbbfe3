"""``/summary``: the channel's article in brief, neutral and attributed, at three lengths."""

from __future__ import annotations

from parley.core.analysis.summarize import SummaryItem
from parley.core.commands import command
from parley.core.commands.article import article_sources
from parley.core.errors import NotFound
from parley.core.models import Reply, ReplySection, Request
from parley.core.registry import Param
from parley.core.services import Services
from parley.store import analysis as analysis_store
from parley.store import articles as article_store

LENGTHS = ("short", "normal", "detailed")


@command("summary", "A neutral summary of the channel's article: short, normal or detailed.",
         Param("length", "How long: short (a sentence or two), normal (bullets), detailed "
               "(per section).", kind="choice", choices=LENGTHS, required=False,
               default="normal"))
async def summary(request: Request, services: Services) -> Reply:
    article = await services.active_article(request)
    stored = await analysis_store.summary(services.db, article.id)
    if stored is None:
        raise NotFound("This article has no summary yet; a moderator can run "
                       "`parley reanalyze`.")
    sentence_ids = [s.id for s in await article_store.sentences(services.db, article.id)]
    headings = [s.heading for s in await article_store.sections(services.db, article.id)]
    length = request.args["length"]

    def data(items: list[SummaryItem]) -> list[dict[str, object]]:
        return [{"sentence_id": sentence_ids[i.sentence], "section": i.section,
                 "heading": headings[i.section], "text": i.text, "attributed": i.attributed}
                for i in items]

    byline = article.byline(with_kind=True)
    sections: list[ReplySection] = []
    if length == "short":
        items = stored.short
        body = " ".join(i.text for i in items)
    elif length == "normal":
        items = stored.bullets
        body = "\n".join(f"• {i.text}" for i in items)
    else:
        items = [i for group in stored.detailed for i in group]
        body = ""
        for index, group in enumerate(stored.detailed):
            if group:
                title = headings[group[0].section] or ("Opening" if index == 0 else "More")
                sections.append(ReplySection(title=title,
                                             text="\n".join(f"• {i.text}" for i in group)))
    return Reply(
        title=article.title, text="\n".join(x for x in (byline, body) if x), sections=sections,
        sources=article_sources(article),
        data={"article": article.id, "length": length, "kind": stored.kind,
              "items": data(items)},
    )
