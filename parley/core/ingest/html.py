"""HTML articles: trafilatura finds the main text and metadata offline, then Markdown parsing."""

from __future__ import annotations

import logging

from parley.core.ingest.blocks import parse_date
from parley.core.ingest.errors import IngestError
from parley.core.ingest.markdown import parse_markdown
from parley.core.models import ParsedArticle

log = logging.getLogger("parley.ingest")


def parse_html(html: str, url: str | None = None) -> ParsedArticle:
    """Extract the article in an HTML page, with its title, author, outlet and date."""
    import trafilatura  # only where pages are parsed (a worker process), not at start-up

    try:
        doc = trafilatura.bare_extraction(
            html, url=url, include_formatting=True, with_metadata=True, include_comments=False,
            include_tables=False, favor_precision=True,
        )
    except Exception as exc:  # trafilatura raises assorted lxml errors on broken markup
        log.info("html extraction failed", extra={"error": type(exc).__name__})
        doc = None
    text = _field(doc, "text")
    if not text:
        raise IngestError("I couldn't find an article's text in that HTML page.")
    title = _field(doc, "title")
    markdown = text if text.lstrip().startswith("# ") or not title else f"# {title}\n\n{text}"
    article = parse_markdown(markdown, source_format="url" if url else "html")
    updates: dict[str, object] = {}
    if title:
        updates["title"] = title
    for key, field in (("author", "author"), ("outlet", "sitename"),
                       ("standfirst", "description")):
        if _field(doc, field) and not getattr(article, key):
            updates[key] = _field(doc, field)
    if _field(doc, "date") and not article.published:
        updates["published"] = parse_date(_field(doc, "date"))
    if url:
        updates["url"] = url
    return article.model_copy(update=updates)


def _field(doc: object, name: str) -> str:
    """A metadata field of trafilatura's result as stripped text ('' when absent)."""
    value = getattr(doc, name, None)
    return value.strip() if isinstance(value, str) else ""
