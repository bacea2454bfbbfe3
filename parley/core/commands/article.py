"""``/article``: list, show, add and choose the article a channel is discussing."""

from __future__ import annotations

from parley.core.commands import command
from parley.core.ingest.fetch import policy_for
from parley.core.ingest.pipeline import ingest_text_or_url
from parley.core.models import Action, Article, Reply, ReplySection, Request, Role, Source
from parley.core.registry import Param
from parley.core.services import ACTIVE_ARTICLE, Services
from parley.core.text import shorten
from parley.store import articles as article_store
from parley.store import audit, config
from parley.store.db import Connection

PAGE_SIZE = 10


def describe(article: Article) -> str:
    line = f"`{article.id}` — {article.title}"
    return line + (f" ({article.byline()})" if article.byline() else "")


def article_sources(article: Article) -> list[Source]:
    if article.url:
        return [Source(title=f"{article.title} — {article.outlet or 'original'}", url=article.url)]
    if article.outlet:
        return [Source(title=f"{article.title} — {article.outlet}")]
    return []


async def _active_id(request: Request, services: Services) -> str | None:
    value = await config.get_value(services.db, ACTIVE_ARTICLE, request.platform,
                                   request.workspace, request.channel)
    return str(value) if value else None


@command("article list", "List the articles Parley knows.",
         Param("page", "Page number.", kind="int", required=False, min_value=1, max_value=10_000,
               default=1))
async def article_list(request: Request, services: Services) -> Reply:
    page = request.args["page"]
    total = await article_store.count(services.db)
    if total == 0:
        return Reply(kind="info", title="No articles yet",
                     text="A moderator can add one with `/article add <url>`.")
    pages = (total + PAGE_SIZE - 1) // PAGE_SIZE
    if page > pages:
        return Reply(kind="not_found", ephemeral=True,
                     text=f"There are only {pages} page(s) of articles.")
    items = await article_store.list_all(services.db, PAGE_SIZE, (page - 1) * PAGE_SIZE)
    active = await _active_id(request, services)
    lines = [describe(a) + ("  ← this channel" if a.id == active else "") for a in items]
    actions = []
    if page < pages:
        actions.append(Action(label="Next page", command=f"/article list {page + 1}"))
    return Reply(
        title=f"Articles ({total})" + (f" — page {page}/{pages}" if pages > 1 else ""),
        text="\n".join(lines), actions=actions,
        data={"articles": [{"id": a.id, "title": a.title, "outlet": a.outlet,
                            "author": a.author,
                            "published": a.published.isoformat() if a.published else None,
                            "active": a.id == active} for a in items],
              "page": page, "pages": pages, "total": total},
    )


@command("article show", "Show an article's details (the channel's article by default).",
         Param("id", "Article id.", required=False, max_length=200, complete="article"))
async def article_show(request: Request, services: Services) -> Reply:
    article = (await services.find_article(request.args["id"]) if request.args["id"]
               else await services.active_article(request))
    sections = await article_store.sections(services.db, article.id)
    sentences = await article_store.sentences(services.db, article.id)
    parts = [article.byline()] if article.byline() else []
    if article.standfirst:
        parts.append(f"_{article.standfirst}_")
    parts.append(f"{len(sections)} sections, {len(sentences)} sentences, "
                 f"{article.word_count:,} words.")
    out = [ReplySection(title="Sections",
                        text="\n".join(f"{s.index + 1}. {s.heading or '(opening)'}"
                                       for s in sections))]
    if article.origin_note:
        out.append(ReplySection(title="Origin", text=article.origin_note))
    return Reply(title=article.title, text="\n".join(parts), sections=out,
                 sources=article_sources(article),
                 data={"id": article.id, "sections": [s.heading for s in sections],
                       "sentences": len(sentences)})


@command("article use", "Make an article the one this channel discusses.",
         Param("id", "Article id (see `/article list`).", max_length=200, complete="article"),
         role=Role.MODERATOR)
async def article_use(request: Request, services: Services) -> Reply:
    article = await services.find_article(request.args["id"])
    scope_id = config.channel_scope_id(request.platform, request.workspace, request.channel)
    async with services.db.transaction() as conn:
        await config.set_value_in(conn, "channel", scope_id, ACTIVE_ARTICLE, article.id,
                                  services.now())
        await audit.record(conn, request, "article.use", article.id, {}, services.now())
    return Reply(kind="info", title="Article set",
                 text=f"This channel now discusses {describe(article)}.",
                 data={"id": article.id})


@command("article add", "Add an article from a web address or pasted text.",
         Param("source", "A web address (https://…) or the article's text.", greedy=True,
               max_length=200_000),
         role=Role.MODERATOR, slow=True)
async def article_add(request: Request, services: Services) -> Reply:
    async def audited(conn: Connection, article_id: str) -> None:  # commits with the article
        await audit.record(conn, request, "article.add", article_id, {"created": True},
                           services.now())

    result = await ingest_text_or_url(services.db, services.workers, request.args["source"],
                                      services.now(), services.lexicon, on_store=audited,
                                      policy=policy_for(services.settings))
    article = result.article
    if not result.created:
        async with services.db.transaction() as conn:
            await audit.record(conn, request, "article.add", article.id, {"created": False},
                               services.now())
        return Reply(kind="info", title="Already here",
                     text=f"I already have that article: {describe(article)}.",
                     data={"id": article.id, "created": False},
                     actions=[Action(label="Use in this channel",
                                     command=f"/article use {article.id}")])
    return Reply(title="Article added",
                 text=f"{describe(article)}\n`/article use {article.id}` makes it this "
                      "channel's article.",
                 sections=[ReplySection(title="Opening", text=shorten(article.standfirst, 500))]
                 if article.standfirst else [],
                 sources=article_sources(article),
                 data={"id": article.id, "created": True},
                 actions=[Action(label="Use in this channel", command=f"/article use {article.id}",
                                 style="primary")])
