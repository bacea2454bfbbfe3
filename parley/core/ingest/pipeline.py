"""The ingestion pipeline: bytes or a URL in, a parsed, analysed and stored article out."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

import aiosqlite
from charset_normalizer import from_bytes

from parley.core.analysis.article import ANALYSIS_VERSION, analyse
from parley.core.analysis.lexicon import Lexicon, load_lexicon
from parley.core.coverage.index import index_article as index_coverage
from parley.core.factcheck.link import match_new_article
from parley.core.ingest.errors import IngestError
from parley.core.ingest.fetch import FetchPolicy, fetch_url
from parley.core.ingest.files import read_bounded
from parley.core.ingest.html import parse_html
from parley.core.ingest.identity import content_hash, make_slug
from parley.core.ingest.markdown import parse_markdown
from parley.core.ingest.plaintext import parse_plain_text
from parley.core.meaning import MODEL_ID, embed
from parley.core.meaning.vectors import pack
from parley.core.models import Article, ParsedArticle
from parley.core.workers import Workers
from parley.store import analysis as analysis_store
from parley.store import articles as article_store
from parley.store import meaning as meaning_store
from parley.store.articles import OnStore
from parley.store.db import Database

log = logging.getLogger("parley.ingest")

MAX_BYTES = 2_000_000
# Analysis time and memory grow with the sentences (similarity is sparse, never N×N, but the
# summary's selection is N×k): 5,000 short sentences analyse in seconds within ~150 MB.
MAX_SENTENCES = 5_000
Format = Literal["text", "markdown", "html"]
_SUFFIXES: dict[str, Format] = {
    ".txt": "text", ".text": "text", ".md": "markdown", ".markdown": "markdown",
    ".html": "html", ".htm": "html", ".xhtml": "html",
}


@dataclass(frozen=True)
class IngestResult:
    """The stored article, and whether this call created it."""

    article: Article
    created: bool


def too_large(size: int, what: str = "That") -> IngestError:
    return IngestError(f"{what} is {size / 1e6:.1f} MB; articles are limited to "
                       f"{MAX_BYTES // 1_000_000} MB.")


def refuse_at_once(data: bytes) -> None:
    """Refuse what needs no parsing to refuse (too large, empty), before any worker is used."""
    if len(data) > MAX_BYTES:
        raise too_large(len(data))
    if not data.strip():
        raise IngestError("That is empty; there is no article to add.")


def decode(data: bytes) -> str:
    """Text from bytes, refusing empty, oversized and binary input with a clear reason."""
    refuse_at_once(data)
    if b"\x00" in data[:8192]:
        raise IngestError("That looks like a binary file, not an article's text.")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        best = from_bytes(data).best()
        if best is None:
            raise IngestError("That looks like a binary file, not an article's text.") from None
        text = str(best)
    printable = sum(ch.isprintable() or ch in "\n\r\t" for ch in text[:10000])
    if printable < 0.95 * min(len(text), 10000):
        raise IngestError("That looks like a binary file, not an article's text.")
    return text


def detect_format(text: str, name: str | None = None) -> Format:
    """The format from a file name's suffix, else from the content."""
    if name:
        suffix = Path(name.split("?", 1)[0]).suffix.lower()
        if suffix in _SUFFIXES:
            return _SUFFIXES[suffix]
    head = text.lstrip()[:2000].lower()
    if head.startswith(("<!doctype html", "<html")) or any(
        tag in head for tag in ("<body", "<article", "<p>", "<div", "<h1")
    ):
        return "html"
    lines = text.lstrip().splitlines()
    if text.lstrip().startswith("---\n") or any(
        line.startswith(("# ", "## ")) for line in lines[:50]
    ):
        return "markdown"
    return "text"


def parse(text: str, fmt: Format, url: str | None = None) -> ParsedArticle:
    if fmt == "html":
        return parse_html(text, url=url)
    if fmt == "markdown":
        return parse_markdown(text)
    return parse_plain_text(text)


def _format_from_content_type(content_type: str) -> Format | None:
    kind = content_type.split(";", 1)[0].strip().lower()
    if kind in ("text/html", "application/xhtml+xml"):
        return "html"
    if kind in ("text/markdown", "text/x-markdown"):
        return "markdown"
    if kind == "text/plain":
        return "text"
    return None


def prepare(data: bytes, fmt: Format | None, name: str | None, url: str | None
            ) -> ParsedArticle:
    """Decode and parse one document (pure: run in a worker process)."""
    text = decode(data)
    parsed = parse(text, fmt or detect_format(text, name), url=url)
    if url and not parsed.url:
        parsed = parsed.model_copy(update={"url": url})
    return parsed


def prepare_typed(source: str) -> ParsedArticle:
    """What a moderator pasted, parsed, refused if too short to be an article (pure)."""
    parsed = parse(decode(source.encode("utf-8")), detect_format(source))
    if sum(len(s.text.split()) for sec in parsed.sections for s in sec.sentences) < 30:
        raise IngestError("That's too short to be an article (under 30 words). Paste the "
                          "whole text or give its web address.")
    return parsed


async def store_parsed(db: Database, workers: Workers, parsed: ParsedArticle, now: datetime,
                       origin_note: str = "", lexicon: Lexicon | None = None,
                       on_store: OnStore | None = None) -> IngestResult:
    """Analyse (in a worker process) and store a parsed article whole, or find the identical
    one already stored."""
    if origin_note and not parsed.origin_note:
        parsed = parsed.model_copy(update={"origin_note": origin_note})
    if parsed.sentence_count > MAX_SENTENCES:
        raise IngestError(f"That article has {parsed.sentence_count:,} sentences; Parley "
                          f"analyses articles of up to {MAX_SENTENCES:,}. Nothing was added.")
    digest = content_hash(parsed)
    existing = await article_store.find_by_hash(db, digest)
    if existing is not None:
        return IngestResult(existing, False)
    analysis = await workers.run(analyse, parsed, lexicon or load_lexicon())
    texts = [s.text for section in parsed.sections for s in section.sentences]
    packed = pack(await workers.run(embed, texts))

    async def with_vectors(conn: aiosqlite.Connection, article_id: str) -> None:
        await meaning_store.save_vectors_in(conn, article_id, MODEL_ID, len(texts), packed)
        if on_store is not None:
            await on_store(conn, article_id)

    article, created = await article_store.save(db, parsed, make_slug(parsed), digest, now,
                                                analysis, with_vectors)
    if created:
        await match_new_article(db, article.id, now)
        await index_coverage(db, article.id, parsed, analysis, now)
    log.info("ingested" if created else "already stored",
             extra={"article": article.id, "sentences": parsed.sentence_count})
    return IngestResult(article, created)


async def ingest_bytes(db: Database, workers: Workers, data: bytes, now: datetime, *,
                       name: str | None = None, fmt: Format | None = None,
                       url: str | None = None, origin_note: str = "",
                       lexicon: Lexicon | None = None,
                       on_store: OnStore | None = None) -> IngestResult:
    """Decode, parse, analyse (all three in a worker process) and store one document."""
    refuse_at_once(data)  # before a copy of it travels to a worker (or one is started)
    parsed = await workers.run(prepare, data, fmt, name, url)
    return await store_parsed(db, workers, parsed, now, origin_note, lexicon, on_store)


async def ingest_path(db: Database, workers: Workers, path: Path, now: datetime,
                      origin_note: str = "", lexicon: Lexicon | None = None) -> IngestResult:
    """Ingest one file from disk, read with a bounded reader (devices and pipes included)."""
    data = await asyncio.to_thread(read_bounded, path, MAX_BYTES)
    return await ingest_bytes(db, workers, data, now, name=path.name, origin_note=origin_note,
                              lexicon=lexicon)


async def ingest_url(db: Database, workers: Workers, url: str, now: datetime,
                     lexicon: Lexicon | None = None, on_store: OnStore | None = None,
                     policy: FetchPolicy | None = None
                     ) -> IngestResult:
    """Fetch a web page (public addresses only, unless ``policy`` allows more) and ingest it."""
    fetched = await fetch_url(url, MAX_BYTES, policy=policy)
    fmt = _format_from_content_type(fetched.content_type)
    if fmt is None and fetched.content_type:
        raise IngestError(f"That address serves {fetched.content_type.split(';')[0]}, not an "
                          "article page.")
    return await ingest_bytes(db, workers, fetched.body, now, name=fetched.url, fmt=fmt,
                              url=fetched.url, lexicon=lexicon, on_store=on_store)


def is_url(text: str) -> bool:
    return text.strip().lower().startswith(("http://", "https://")) and " " not in text.strip()


async def ingest_text_or_url(db: Database, workers: Workers, source: str, now: datetime,
                             lexicon: Lexicon | None = None,
                             on_store: OnStore | None = None,
                             policy: FetchPolicy | None = None) -> IngestResult:
    """What a moderator typed in chat: a web address to fetch, or the article's text itself."""
    source = source.strip()
    if is_url(source):
        return await ingest_url(db, workers, source, now, lexicon, on_store, policy)
    parsed = await workers.run(prepare_typed, source)
    return await store_parsed(db, workers, parsed, now, lexicon=lexicon, on_store=on_store)


async def reanalyse(db: Database, workers: Workers, lexicon: Lexicon, everything: bool = False,
                    now: datetime | None = None) -> list[str]:
    """Analyse stored articles again (in worker processes): those analysed by an older version,
    or all of them."""
    ids = ([a.id for a in await article_store.list_all(db, limit=10**9)] if everything
           else await analysis_store.stale_articles(db, ANALYSIS_VERSION))
    for article_id in ids:
        article = await article_store.get(db, article_id)
        if article is None:
            continue
        parsed = await article_store.as_parsed(db, article)
        analysis = await workers.run(analyse, parsed, lexicon)
        await article_store.save_analysis(db, article_id, analysis)
        await index_coverage(db, article_id, parsed, analysis, now or article.ingested_at)
        log.info("reanalysed", extra={"article": article_id})
    await embed_stored(db)
    return ids


async def embed_stored(db: Database) -> list[str]:
    """Store the sentence vectors of articles stored without them (by an older Parley) or by
    another meaning model."""
    ids = await meaning_store.articles_without(db, MODEL_ID)
    for article_id in ids:
        texts = [s.text for s in await article_store.sentences(db, article_id)]
        vectors = await asyncio.to_thread(embed, texts)
        await meaning_store.save_vectors(db, article_id, MODEL_ID, len(texts), pack(vectors))
    if ids:
        log.info("embedded", extra={"articles": len(ids)})
    return ids
