"""``/summary``: the channel's article in brief, with its byline first."""

from __future__ import annotations

from bot.commands import command
from bot.commands.article import article_sources
from bot.models import Reply, Request
from bot.services import Services
from store import articles as article_store


@command("summary", "A short, neutral summary of the channel's article.")
async def summary(request: Request, services: Services) -> Reply:
    article = await services.active_article(request)
    sentences = await article_store.sentences(services.db, article.id)
    opening = [s for s in sentences if s.paragraph == sentences[0].paragraph]
    text = "\n".join(x for x in (article.byline(), " ".join(s.text for s in opening)) if x)
    return Reply(title=article.title, text=text, sources=article_sources(article),
                 data={"article": article.id, "sentences": [s.id for s in opening]})
