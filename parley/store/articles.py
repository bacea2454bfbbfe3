"""Articles, their sections and sentences: saved whole in one transaction, read back as models."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
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


async def ids_by_url(db: Database, urls: Sequence[str]) -> dict[str, str]:
    """The stored article id of each address that is stored (one indexed read per 500)."""
    out: dict[str, str] = {}
    wanted = list(dict.fromkeys(u for u in urls if u))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        rows = await db.fetchall(
            f"SELECT id, url FROM articles WHERE url IN ({', '.join('?' * len(chunk))})"
            " ORDER BY ingested_at, id", tuple(chunk))
        for row in rows:
            out.setdefault(row["url"], row["id"])
    return out


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
        existing, article_id = await save_in(conn, parsed, slug, content_hash, now, analysis)
        if existing is None and on_store is not None:
            await on_store(conn, article_id)
    if existing is not None:
        article = await get(db, existing)
        assert article is not None
        return article, False
    db.memos.changed(article_id)  # an id can be reused after a delete
    article = await get(db, article_id)
    assert article is not None
    return article, True


async def save_in(conn: Connection, parsed: ParsedArticle, slug: str,
                  content_hash: str, now: datetime, analysis: ArticleAnalysis
                  ) -> tuple[str | None, str]:
    """:func:`save`'s writes inside the caller's transaction: the id of an article with the
    same content (nothing written), else None and the new id. The caller tells the memos
    (``db.memos.changed``) after committing."""
    existing = await conn.fetchone("SELECT id FROM articles WHERE content_hash = ?",
                                   (content_hash,))
    if existing is not None:
        return str(existing["id"]), ""
    article_id = await _free_id(conn, slug)
    await _insert_in(conn, [(article_id, parsed, content_hash, now, analysis)])
    return None, article_id


ToSave = tuple[ParsedArticle, str, str, datetime, ArticleAnalysis]  # parsed, slug, hash, now,
# analysis


async def save_many_in(conn: Connection, batch: list[ToSave]) -> list[str]:
    """Many new articles inside the caller's transaction (bulk loads), each table written in
    one statement for the batch: the ids stored, in order, an article whose content is already
    stored given that one's id. Slugs already taken (or repeated in the batch) get their
    ``slug-N`` one by one, as :func:`save_in` does."""
    hashes = [h for _, _, h, _, _ in batch]
    known = dict(await _pairs(conn, "SELECT content_hash, id FROM articles WHERE content_hash"
                              " IN ({})", hashes))
    taken = {i for i, _ in await _pairs(conn, "SELECT id, id FROM articles WHERE id IN ({})",
                                        [slug for _, slug, _, _, _ in batch])}
    ids: list[str] = []
    fresh: list[tuple[str, ParsedArticle, str, datetime, ArticleAnalysis]] = []
    later: list[int] = []
    for parsed, slug, content_hash, now, analysis in batch:
        if content_hash in known:
            ids.append(known[content_hash])
        elif slug in taken:
            later.append(len(ids))
            ids.append("")
        else:
            taken.add(slug)
            known[content_hash] = slug
            fresh.append((slug, parsed, content_hash, now, analysis))
            ids.append(slug)
    await _insert_in(conn, fresh)
    for n in later:
        parsed, slug, content_hash, now, analysis = batch[n]
        existing, new_id = await save_in(conn, parsed, slug, content_hash, now, analysis)
        ids[n] = existing or new_id
    return ids


async def _pairs(conn: Connection, sql: str, values: list[str]
                 ) -> list[tuple[str, str]]:
    """``sql``'s two columns for ``values`` (its ``IN ({})``), 500 values a query."""
    found: list[tuple[str, str]] = []
    for i in range(0, len(values), 500):
        chunk = values[i:i + 500]
        rows = await conn.fetchall(sql.format(",".join("?" * len(chunk))), chunk)
        found.extend((str(r[0]), str(r[1])) for r in rows)
    return found


async def _insert_in(conn: Connection,
                     rows: list[tuple[str, ParsedArticle, str, datetime, ArticleAnalysis]]
                     ) -> None:
    """Write new articles with free ids: text, sections, sentences and analysis."""
    if not rows:
        return
    await conn.executemany(
        "INSERT INTO articles (id, title, standfirst, outlet, author, published, url,"
        " source_format, origin_note, content_hash, word_count, ingested_at)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        [(article_id, parsed.title, parsed.standfirst, parsed.outlet, parsed.author,
          parsed.published.isoformat() if parsed.published else None, parsed.url,
          parsed.source_format, parsed.origin_note, content_hash,
          sum(len(s.text.split()) for sec in parsed.sections for s in sec.sentences),
          now.isoformat()) for article_id, parsed, content_hash, now, _ in rows])
    await conn.executemany(
        "INSERT INTO sections (article_id, idx, heading) VALUES (?,?,?)",
        [(article_id, i, sec.heading) for article_id, parsed, _, _, _ in rows
         for i, sec in enumerate(parsed.sections)])
    analysed: list[analysis_store.Analysed] = []
    sentence_rows: list[tuple[str, str, int, int, int, str, int]] = []
    for article_id, parsed, _, _, analysis in rows:
        placed = [(i, j, s) for i, sec in enumerate(parsed.sections)
                  for j, s in enumerate(sec.sentences)]
        ids = [sentence_id(article_id, i, j) for i, j, _ in placed]
        sentence_rows.extend((ids[n], article_id, i, j, s.paragraph, s.text, n)
                             for n, (i, j, s) in enumerate(placed))
        analysed.append((article_id, analysis, ids))
    await conn.executemany(
        "INSERT INTO sentences (id, article_id, section, idx, paragraph, text, position)"
        " VALUES (?,?,?,?,?,?,?)", sentence_rows)
    await analysis_store.add_in(conn, analysed)


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


async def around(db: Database, sentence_ids: Sequence[str]) -> dict[str, list[Sentence]]:
    """Each sentence's paragraph with the paragraphs either side of it (of its section), in
    reading order: what tells whether it sits inside someone's quotation."""
    if not sentence_ids:
        return {}
    wanted = sorted(set(sentence_ids))
    rows = await db.fetchall(
        "SELECT x.id AS anchor, s.* FROM sentences x JOIN sentences s"
        " ON s.article_id = x.article_id AND s.section = x.section"
        " AND s.paragraph BETWEEN x.paragraph - 1 AND x.paragraph + 1"
        f" WHERE x.id IN ({', '.join('?' * len(wanted))}) ORDER BY x.id, s.position",
        tuple(wanted))
    out: dict[str, list[Sentence]] = {}
    for r in rows:
        out.setdefault(r["anchor"], []).append(Sentence(
            id=r["id"], article_id=r["article_id"], section=r["section"], index=r["idx"],
            paragraph=r["paragraph"], text=r["text"]))
    return out


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
