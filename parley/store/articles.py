"""Articles, their sections and sentences: saved whole in one transaction, read back as models."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime

from parley.core.analysis.article import ArticleAnalysis
from parley.core.models import (
    Article,
    ParsedArticle,
    ParsedSection,
    ParsedSentence,
    Section,
    Sentence,
)
from parley.store import analysis as analysis_store
from parley.store import config
from parley.store.db import Connection, Database, Row, like_escape


def _article(row: Row) -> Article:
    return Article(
        id=row["id"], title=row["title"], standfirst=row["standfirst"], outlet=row["outlet"],
        author=row["author"],
        published=date.fromisoformat(row["published"]) if row["published"] else None,
        url=row["url"], source_format=row["source_format"], origin_note=row["origin_note"],
        content_hash=row["content_hash"], word_count=row["word_count"],
        ingested_at=datetime.fromisoformat(row["ingested_at"]), kind=row["kind"], heat=row["heat"],
        analysis_stamp=row["analysis_stamp"],
    )


def sentence_id(article_id: str, section: int, index: int) -> str:
    """The stable, readable id of a sentence: ``slug#s<section>.<index>``."""
    return f"{article_id}#s{section}.{index}"


async def find_by_hash(db: Database, content_hash: str) -> Article | None:
    row = await db.fetchone("SELECT * FROM articles WHERE content_hash = ?", (content_hash,))
    return _article(row) if row else None


async def get(db: Database, article_id: str) -> Article | None:
    row = await db.fetchone("SELECT * FROM articles WHERE id = ?", (article_id,))
    return _article(row) if row else None


async def named_by_setting(db: Database, key: str, platform: str, workspace: str, channel: str
                           ) -> Article | None:
    """The article a scoped setting (the channel's, else the workspace's, else the global one)
    names, in one query: the hot path of every command about "this channel's article"."""
    rows = await db.read(
        f"SELECT a.* FROM articles a JOIN (SELECT value, {config.SCOPE_ORDER} AS rank"
        f" FROM scoped_settings WHERE {config.IN_SCOPE} ORDER BY rank LIMIT 1) chosen"
        f" ON a.id = {db.json_text('chosen.value')}",
        config.scope_params(key, platform, workspace, channel))
    return _article(rows[0]) if rows else None


async def list_all(db: Database, limit: int = 1000, offset: int = 0) -> list[Article]:
    rows = await db.fetchall(
        "SELECT * FROM articles ORDER BY ingested_at, id LIMIT ? OFFSET ?", (limit, offset))
    return [_article(r) for r in rows]


async def count(db: Database) -> int:
    row = await db.fetchone("SELECT COUNT(*) AS n FROM articles")
    return int(row["n"]) if row else 0


async def ids_matching(db: Database, fragment: str, limit: int = 25) -> list[str]:
    """Article ids that start with, then contain, the fragment (for lookups and autocomplete)."""
    escaped = like_escape(fragment)
    rows = await db.fetchall(
        "SELECT id FROM articles WHERE lower(id) LIKE lower(?) ESCAPE '\\'"
        " OR lower(title) LIKE lower(?) ESCAPE '\\'"
        " ORDER BY (lower(id) LIKE lower(?) ESCAPE '\\') DESC, id LIMIT ?",
        (f"%{escaped}%", f"%{escaped}%", f"{escaped}%", limit),
    )
    return [r["id"] for r in rows]


OnStore = Callable[[Connection, str], Awaitable[None]]


async def save(
    db: Database, parsed: ParsedArticle, slug: str, content_hash: str, now: datetime,
    analysis: ArticleAnalysis, on_store: OnStore | None = None,
) -> tuple[Article, bool]:
    """Store a parsed article and its analysis whole, or return the one with the same content.

    ``True`` if new. Text and analysis commit together, so no half-written article exists;
    ``on_store`` (an audit entry, say) runs in the same transaction with the new id.
    """
    async with db.transaction() as conn:
        existing = await conn.fetchone("SELECT id FROM articles WHERE content_hash = ?",
                                       (content_hash,))
        if existing is None:
            article_id = await _free_id(conn, slug)
            words = sum(len(s.text.split()) for sec in parsed.sections for s in sec.sentences)
            await conn.execute(
                "INSERT INTO articles (id, title, standfirst, outlet, author, published, url,"
                " source_format, origin_note, content_hash, word_count, ingested_at)"
                " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (article_id, parsed.title, parsed.standfirst, parsed.outlet, parsed.author,
                 parsed.published.isoformat() if parsed.published else None, parsed.url,
                 parsed.source_format, parsed.origin_note, content_hash, words, now.isoformat()),
            )
            await conn.executemany(
                "INSERT INTO sections (article_id, idx, heading) VALUES (?,?,?)",
                [(article_id, i, sec.heading) for i, sec in enumerate(parsed.sections)],
            )
            ids = [sentence_id(article_id, i, j) for i, sec in enumerate(parsed.sections)
                   for j in range(len(sec.sentences))]
            rows = [(i, j, s) for i, sec in enumerate(parsed.sections)
                    for j, s in enumerate(sec.sentences)]
            await conn.executemany(
                "INSERT INTO sentences (id, article_id, section, idx, paragraph, text, position)"
                " VALUES (?,?,?,?,?,?,?)",
                [(ids[n], article_id, i, j, s.paragraph, s.text, n)
                 for n, (i, j, s) in enumerate(rows)],
            )
            await analysis_store.save_in(conn, article_id, analysis, ids)
            if on_store is not None:
                await on_store(conn, article_id)
    if existing is not None:
        article = await get(db, existing["id"])
        assert article is not None
        return article, False
    db.memos.changed(article_id)  # an id can be reused after a delete
    article = await get(db, article_id)
    assert article is not None
    return article, True


async def _free_id(conn: Connection, slug: str) -> str:
    """The slug itself, or ``slug-N`` with the next free N.

    Both reads are ranges of the primary key's index (a ``LIKE`` would read every id), so the
    cost is logarithmic in the store and linear only in the articles sharing this slug (ids
    sort byte by byte on both backends: PostgreSQL's database must use the C collation)."""
    if await conn.fetchone("SELECT 1 FROM articles WHERE id = ?", (slug,)) is None:
        return slug
    # ":" follows "9": the range holds exactly the ids "slug-" followed by a digit.
    rows = await conn.fetchall("SELECT id FROM articles WHERE id >= ? AND id < ?",
                               (f"{slug}-0", f"{slug}-:"))
    numbers = [int(tail) for r in rows if (tail := str(r["id"])[len(slug) + 1:]).isdigit()]
    return f"{slug}-{max([1, *numbers]) + 1}"


async def sections(db: Database, article_id: str) -> list[Section]:
    rows = await db.fetchall(
        "SELECT idx, heading FROM sections WHERE article_id = ? ORDER BY idx", (article_id,))
    return [Section(index=r["idx"], heading=r["heading"]) for r in rows]


async def sentences(db: Database, article_id: str) -> list[Sentence]:
    rows = await db.fetchall(
        "SELECT * FROM sentences WHERE article_id = ? ORDER BY position", (article_id,))
    return [Sentence(id=r["id"], article_id=r["article_id"], section=r["section"], index=r["idx"],
                     paragraph=r["paragraph"], text=r["text"]) for r in rows]


async def as_parsed(db: Database, article: Article) -> ParsedArticle:
    """Rebuild the parsed form of a stored article, to analyse it again."""
    heads = await sections(db, article.id)
    parsed_sections = [ParsedSection(heading=h.heading) for h in heads]
    for s in await sentences(db, article.id):
        parsed_sections[s.section].sentences.append(
            ParsedSentence(paragraph=s.paragraph, text=s.text))
    return ParsedArticle(title=article.title, standfirst=article.standfirst,
                         outlet=article.outlet, author=article.author,
                         published=article.published, url=article.url,
                         source_format=article.source_format,
                         origin_note=article.origin_note, sections=parsed_sections)


async def save_analysis(db: Database, article_id: str, analysis: ArticleAnalysis) -> None:
    """Replace a stored article's analysis in one transaction."""
    ids = [s.id for s in await sentences(db, article_id)]
    async with db.transaction() as conn:
        await analysis_store.save_in(conn, article_id, analysis, ids)
    db.memos.changed(article_id)


async def delete(db: Database, article_id: str) -> bool:
    async with db.transaction() as conn:
        deleted = await conn.execute("DELETE FROM articles WHERE id = ?", (article_id,)) > 0
    db.memos.changed(article_id)
    return deleted
