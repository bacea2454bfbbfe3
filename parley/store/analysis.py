"""The stored analysis of an article: claims, loaded terms, opposing views and summaries."""

from __future__ import annotations

import json
import secrets
from typing import Any

from pydantic import BaseModel

from parley.core.analysis.article import ArticleAnalysis
from parley.core.analysis.figures import Figure
from parley.core.analysis.summarize import Summary
from parley.store.db import Connection, Database, Row, like_escape


class StoredClaim(BaseModel):
    """A claim as commands show it."""

    id: str
    article_id: str
    sentence_id: str
    section: int
    text: str
    type: str
    types: list[str]
    score: float
    checkworthiness: float
    figures: list[Figure]
    entities: list[str]


class StoredMark(BaseModel):
    """A loaded term in its sentence."""

    sentence_id: str
    section: int
    category: str
    term: str
    text: str
    sentence: str


class StoredView(BaseModel):
    """An opposing view the article mentions."""

    sentence_id: str
    section: int
    holder: str
    stance: str
    view: str
    statement: str
    framed: bool
    sentence: str


def claim_id(article_id: str, position: int) -> str:
    """``slug#c<n>``: n is the sentence's 1-based position, so ids survive re-analysis."""
    return f"{article_id}#c{position + 1}"


async def save_in(conn: Connection, article_id: str, analysis: ArticleAnalysis,
                  sentence_ids: list[str]) -> None:
    """Replace an article's analysis inside the caller's transaction."""
    await conn.execute("DELETE FROM rhetoric_marks WHERE article_id = ?", (article_id,))
    await conn.execute("DELETE FROM opposing_views WHERE article_id = ?", (article_id,))
    keep = [claim_id(article_id, c.sentence) for c in analysis.claims]
    others = f" AND id NOT IN ({','.join('?' * len(keep))})" if keep else ""
    await conn.execute(f"DELETE FROM claims WHERE article_id = ?{others}", (article_id, *keep))
    await add_in(conn, [(article_id, analysis, sentence_ids)])


Analysed = tuple[str, ArticleAnalysis, list[str]]  # article id, analysis, its sentences' ids


async def add_in(conn: Connection, analysed: list[Analysed]) -> None:
    """Write the analyses of articles that have none (or whose old rows were just deleted),
    each table in one statement for them all."""
    await conn.executemany(
        "UPDATE articles SET kind = ?, heat = ?, analysis_version = ?, analysis_stamp = ?"
        " WHERE id = ?", [(a.kind, a.heat, a.version, secrets.token_hex(8), article_id)
                          for article_id, a, _ in analysed])
    await conn.executemany(
        "UPDATE sentences SET heat = ?, opinion = ?, position = ? WHERE id = ?",
        [(s.heat, s.opinion, s.index, ids[s.index]) for _, a, ids in analysed
         for s in a.sentences])
    await conn.executemany(
        "INSERT INTO rhetoric_marks (article_id, sentence_id, category, term, start, \"end\", text)"
        " VALUES (?,?,?,?,?,?,?)",
        [(article_id, ids[s.index], m.category, m.term, m.start, m.end, m.text)
         for article_id, a, ids in analysed for s in a.sentences for m in s.marks])
    await conn.executemany(
        "INSERT INTO opposing_views (article_id, sentence_id, holder, stance, view, statement,"
        " framed) VALUES (?,?,?,?,?,?,?)",
        [(article_id, ids[v.sentence], v.view.holder, v.view.stance, v.view.view,
          v.view.statement, int(v.view.framed)) for article_id, a, ids in analysed
         for v in a.views])
    await conn.executemany(
        "INSERT INTO claims (id, article_id, sentence_id, number, text, type, types, score,"
        " checkworthiness, figures, entities) VALUES (?,?,?,?,?,?,?,?,?,?,?)"
        " ON CONFLICT (id) DO UPDATE SET text = excluded.text, type = excluded.type,"
        " types = excluded.types,"
        " score = excluded.score, checkworthiness = excluded.checkworthiness,"
        " figures = excluded.figures, entities = excluded.entities",
        [(claim_id(article_id, c.sentence), article_id, ids[c.sentence],
          c.sentence + 1, c.text, c.type, json.dumps(c.types), c.score, c.checkworthiness,
          json.dumps([f.model_dump(exclude_none=True) for f in c.figures]),
          json.dumps(c.entities)) for article_id, a, ids in analysed for c in a.claims])
    await conn.executemany(
        "INSERT INTO summaries (article_id, body) VALUES (?, ?) ON CONFLICT (article_id)"
        " DO UPDATE SET body = excluded.body",
        [(article_id, a.summary.model_dump_json()) for article_id, a, _ in analysed])


def _claim(row: Row) -> StoredClaim:
    return StoredClaim(
        id=row["id"], article_id=row["article_id"], sentence_id=row["sentence_id"],
        section=row["section"], text=row["text"], type=row["type"],
        types=json.loads(row["types"]), score=row["score"],
        checkworthiness=row["checkworthiness"],
        figures=[Figure(**f) for f in json.loads(row["figures"])],
        entities=json.loads(row["entities"]))


async def claims(db: Database, article_id: str, claim_type: str | None = None
                 ) -> list[StoredClaim]:
    """The article's claims, highest score first (ties in reading order)."""
    sql = ("SELECT c.*, s.section FROM claims c JOIN sentences s ON s.id = c.sentence_id"
           " WHERE c.article_id = ?")
    params: list[Any] = [article_id]
    if claim_type:
        # types is a JSON list of plain names: a quoted name inside it is that name
        sql += " AND c.types LIKE ? ESCAPE '\\'"
        params.append(f'%"{like_escape(claim_type)}"%')
    rows = await db.fetchall(sql + " ORDER BY c.score DESC, c.number", params)
    return [_claim(r) for r in rows]


async def marks(db: Database, article_id: str) -> list[StoredMark]:
    rows = await db.fetchall(
        "SELECT m.*, s.section, s.text AS sentence FROM rhetoric_marks m"
        " JOIN sentences s ON s.id = m.sentence_id WHERE m.article_id = ?"
        " ORDER BY s.position, m.start", (article_id,))
    return [StoredMark(sentence_id=r["sentence_id"], section=r["section"],
                       category=r["category"], term=r["term"], text=r["text"],
                       sentence=r["sentence"]) for r in rows]


async def views(db: Database, article_id: str) -> list[StoredView]:
    rows = await db.fetchall(
        "SELECT v.*, s.section, s.text AS sentence FROM opposing_views v"
        " JOIN sentences s ON s.id = v.sentence_id WHERE v.article_id = ? ORDER BY s.position",
        (article_id,))
    return [StoredView(sentence_id=r["sentence_id"], section=r["section"], holder=r["holder"],
                       stance=r["stance"], view=r["view"], statement=r["statement"],
                       framed=bool(r["framed"]), sentence=r["sentence"]) for r in rows]


async def summary(db: Database, article_id: str) -> Summary | None:
    row = await db.fetchone("SELECT body FROM summaries WHERE article_id = ?", (article_id,))
    return Summary.model_validate_json(row["body"]) if row else None


async def sentence_heat(db: Database, article_id: str) -> dict[str, float]:
    rows = await db.fetchall("SELECT id, heat FROM sentences WHERE article_id = ?", (article_id,))
    return {r["id"]: r["heat"] for r in rows}


async def stale_articles(db: Database, version: int) -> list[str]:
    """Articles analysed by an older version, read from their index (no full scan; sorted
    here, since an ORDER BY id would lead SQLite to walk every id instead)."""
    hint = " INDEXED BY articles_by_analysis_version" if db.dialect == "sqlite" else ""
    rows = await db.fetchall(f"SELECT id FROM articles{hint} WHERE analysis_version < ?",
                             (version,))
    return sorted(r["id"] for r in rows)
