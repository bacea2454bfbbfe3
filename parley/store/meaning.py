"""Each article's sentence vectors: one packed matrix a row, tagged with the model that made it."""

from __future__ import annotations

from parley.store.db import Connection, Database


async def save_vectors_in(conn: Connection, article_id: str, model: str, rows: int,
                          packed: bytes) -> None:
    """Replace an article's vectors inside the caller's transaction."""
    await conn.execute(
        "INSERT INTO article_vectors (article_id, model, rows, vectors) VALUES (?,?,?,?)"
        " ON CONFLICT (article_id) DO UPDATE SET model = excluded.model, rows = excluded.rows,"
        " vectors = excluded.vectors", (article_id, model, rows, packed))


async def save_vectors(db: Database, article_id: str, model: str, rows: int,
                       packed: bytes) -> None:
    async with db.transaction() as conn:
        await save_vectors_in(conn, article_id, model, rows, packed)
    db.memos.changed(article_id)


async def vectors(db: Database, article_id: str, model: str) -> tuple[int, bytes] | None:
    """(rows, packed matrix) of the article's vectors by ``model``; None if absent or stale."""
    row = await db.fetchone("SELECT rows, vectors FROM article_vectors WHERE article_id = ?"
                            " AND model = ?", (article_id, model))
    return (int(row["rows"]), bytes(row["vectors"])) if row else None


async def articles_without(db: Database, model: str) -> list[str]:
    """Articles with no vectors by ``model`` (new to this version of Parley, or older ones)."""
    rows = await db.fetchall(
        "SELECT a.id FROM articles a LEFT JOIN article_vectors v ON v.article_id = a.id"
        " AND v.model = ? WHERE v.article_id IS NULL ORDER BY a.id", (model,))
    return [r["id"] for r in rows]


async def save_encodings(db: Database, article_id: str, model: str, rows: int,
                         packed: bytes) -> bool:
    """Store an article's encoder vectors; False when the article is gone (deleted meanwhile)."""
    async with db.transaction() as conn:
        saved = await conn.execute(
            "INSERT INTO article_encodings (article_id, model, rows, vectors)"
            " SELECT id, ?, ?, ? FROM articles WHERE id = ?"
            " ON CONFLICT (article_id) DO UPDATE SET model = excluded.model,"
            " rows = excluded.rows, vectors = excluded.vectors",
            (model, rows, packed, article_id)) > 0
    db.memos.changed(article_id)
    return saved


async def encodings(db: Database, article_id: str, model: str) -> tuple[int, bytes] | None:
    """(rows, packed matrix) of the article's encoder vectors by ``model``; None if absent."""
    row = await db.fetchone("SELECT rows, vectors FROM article_encodings WHERE article_id = ?"
                            " AND model = ?", (article_id, model))
    return (int(row["rows"]), bytes(row["vectors"])) if row else None


async def articles_unencoded(db: Database, model: str, limit: int = 100) -> list[str]:
    """Articles with no encoder vectors by ``model``, newest first (those asked about most)."""
    rows = await db.fetchall(
        "SELECT a.id FROM articles a LEFT JOIN article_encodings e ON e.article_id = a.id"
        " AND e.model = ? WHERE e.article_id IS NULL ORDER BY a.ingested_at DESC, a.id"
        " LIMIT ?", (model, limit))
    return [r["id"] for r in rows]
