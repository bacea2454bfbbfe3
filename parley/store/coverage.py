"""Coverage profiles, the topic-term index, related articles, matched passages, and outlet
leaning overrides."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np

from parley.core.coverage.meaning import VECTOR_DIMS
from parley.core.coverage.profile import Passage, Profile
from parley.store.db import Connection, Database, Row

MATCHES_KEPT = 12  # per point of an article, the best
LINKS_KEPT = 60  # per article, the closest


def _dump(profile: Profile) -> tuple[str, bytes, bytes]:
    body = {"outlet": profile.outlet, "terms": profile.terms, "entities": list(profile.entities),
            "published": profile.published.isoformat() if profile.published else None,
            "points": list(profile.points), "topic": profile.topic,
            "passages": [[p.position, p.sentence, list(p.stems), list(p.entities), list(p.figures),
                          int(p.disputes), int(p.negated)] for p in profile.passages]}
    return (json.dumps(body, separators=(",", ":")),
            profile.vector.astype(np.float16).tobytes(),
            profile.passage_vectors.astype(np.float16).tobytes())


def _load(row: Row) -> Profile:
    body = json.loads(row["body"])
    passages = tuple(Passage(position=p[0], sentence=p[1], stems=tuple(p[2]),
                             entities=tuple(p[3]), figures=tuple(p[4]), disputes=bool(p[5]),
                             negated=bool(p[6]))
                     for p in body["passages"])
    vectors = np.frombuffer(row["passage_vectors"], dtype=np.float16).astype(np.float32)
    return Profile(outlet=body["outlet"], terms=body["terms"], entities=tuple(body["entities"]),
                   published=date.fromisoformat(body["published"]) if body["published"]
                   else None, points=tuple(body["points"]), passages=passages,
                   vector=np.frombuffer(row["vector"], dtype=np.float16).astype(np.float32)
                   .reshape(1, VECTOR_DIMS),
                   passage_vectors=vectors.reshape(len(passages), -1 if passages else 0),
                   topic=body.get("topic", {}))


async def save_profile_in(conn: Connection, article_id: str, profile: Profile,
                          version: int, at: datetime) -> None:
    """Replace an article's profile and its entries in the term index."""
    body, vector, passages = _dump(profile)
    await conn.execute(
        "INSERT INTO coverage_profiles (article_id, version, body, vector, passage_vectors,"
        " indexed_at) VALUES (?,?,?,?,?,?) ON CONFLICT (article_id) DO UPDATE SET"
        " version = excluded.version, body = excluded.body, vector = excluded.vector,"
        " passage_vectors = excluded.passage_vectors, indexed_at = excluded.indexed_at",
        (article_id, version, body, vector, passages, at.isoformat()))
    await conn.execute("DELETE FROM coverage_terms WHERE article_id = ?", (article_id,))
    await conn.executemany("INSERT INTO coverage_terms (term, article_id, weight) VALUES (?,?,?)",
                           [(t, article_id, float(w)) for t, w in profile.terms.items()])


async def profiles(db: Database, article_ids: Sequence[str]) -> dict[str, Profile]:
    if not article_ids:
        return {}
    marks = ",".join("?" * len(article_ids))
    rows = await db.fetchall(f"SELECT * FROM coverage_profiles WHERE article_id IN ({marks})",
                             list(article_ids))
    return {r["article_id"]: _load(r) for r in rows}


async def unindexed(db: Database, version: int, limit: int = 1_000_000) -> list[str]:
    """Articles without a profile of this version (stored before coverage, or re-analysed)."""
    rows = await db.fetchall(
        "SELECT a.id FROM articles a LEFT JOIN coverage_profiles p ON p.article_id = a.id"
        " WHERE p.article_id IS NULL OR p.version < ? ORDER BY a.ingested_at, a.id LIMIT ?",
        (version, limit))
    return [r["id"] for r in rows]


async def encodings_for(db: Database, article_ids: Sequence[str], model: str
                        ) -> dict[str, tuple[int, bytes]]:
    """(rows, packed matrix) of each article's sentence-encoder vectors by ``model``, if made."""
    if not article_ids:
        return {}
    marks = ",".join("?" * len(article_ids))
    rows = await db.fetchall(
        f"SELECT article_id, rows, vectors FROM article_encodings WHERE model = ?"
        f" AND article_id IN ({marks})", [model, *article_ids])
    return {r["article_id"]: (int(r["rows"]), bytes(r["vectors"])) for r in rows}


async def to_rematch(db: Database, version: int, model: str, limit: int) -> list[str]:
    """Articles whose profile is at ``version`` (matched with the static vectors) and whose
    encoder vectors by ``model`` have arrived since, newest first."""
    rows = await db.fetchall(
        "SELECT p.article_id FROM coverage_profiles p JOIN article_encodings e"
        " ON e.article_id = p.article_id AND e.model = ? WHERE p.version = ?"
        " ORDER BY p.indexed_at DESC, p.article_id LIMIT ?", (model, version, limit))
    return [r["article_id"] for r in rows]


async def set_version_in(conn: Connection, article_id: str, version: int) -> None:
    await conn.execute("UPDATE coverage_profiles SET version = ? WHERE article_id = ?",
                       (version, article_id))


async def candidates(db: Database, article_id: str, terms: dict[str, float], limit: int
                     ) -> list[tuple[str, float]]:
    """Articles sharing the most weight of these terms, through the term index (no scan)."""
    if not terms:
        return []
    marks = ",".join("?" * len(terms))
    rows = await db.fetchall(
        f"SELECT article_id, SUM(weight) AS w FROM coverage_terms WHERE term IN ({marks})"
        " AND article_id <> ? GROUP BY article_id ORDER BY w DESC, article_id LIMIT ?",
        [*terms, article_id, limit])
    return [(r["article_id"], r["w"]) for r in rows]


@dataclass(frozen=True)
class MatchRow:
    article_id: str
    point: str
    other_id: str
    passage: str
    score: float
    stance: str


@dataclass(frozen=True)
class LinkRow:
    """A related article, and the passage of it nearest the article's main points, if one is."""

    article_id: str
    other_id: str
    score: float
    same_event: bool
    point: str | None = None  # the article's point that passage is nearest
    passage: str | None = None
    passage_score: float | None = None
    stance: str | None = None


async def save_links_in(conn: Connection, links: Iterable[LinkRow],
                        matches: Iterable[MatchRow]) -> None:
    """Record related articles (both directions given by the caller) and matched passages,
    keeping only the best per article and per point."""
    links = list(links)
    matches = list(matches)
    await conn.executemany(
        "INSERT INTO coverage_links (article_id, other_id, score, same_event, point, passage,"
        " passage_score, stance) VALUES (?,?,?,?,?,?,?,?) ON CONFLICT (article_id, other_id)"
        " DO UPDATE SET score = excluded.score, same_event = excluded.same_event,"
        " point = excluded.point, passage = excluded.passage,"
        " passage_score = excluded.passage_score, stance = excluded.stance",
        [(k.article_id, k.other_id, float(k.score), int(k.same_event), k.point, k.passage,
          None if k.passage_score is None else float(k.passage_score), k.stance)
         for k in links])
    await conn.executemany(
        "INSERT INTO coverage_matches (article_id, point, other_id, passage, score, stance)"
        " VALUES (?,?,?,?,?,?) ON CONFLICT (article_id, point, other_id) DO UPDATE SET"
        " passage = excluded.passage, score = excluded.score, stance = excluded.stance",
        [(m.article_id, m.point, m.other_id, m.passage, float(m.score), m.stance)
         for m in matches])
    for article_id in sorted({k.article_id for k in links}):
        await conn.execute(
            "DELETE FROM coverage_links WHERE article_id = ? AND other_id NOT IN (SELECT other_id"
            " FROM coverage_links WHERE article_id = ? ORDER BY score DESC, other_id LIMIT ?)",
            (article_id, article_id, LINKS_KEPT))
    for article_id, point in sorted({(m.article_id, m.point) for m in matches}):
        await conn.execute(
            "DELETE FROM coverage_matches WHERE article_id = ? AND point = ? AND other_id NOT IN"
            " (SELECT other_id FROM coverage_matches WHERE article_id = ? AND point = ?"
            " ORDER BY score DESC, other_id LIMIT ?)",
            (article_id, point, article_id, point, MATCHES_KEPT))


async def clear_links_in(conn: Connection, article_id: str) -> None:
    """Forget what was matched to or from an article (before it is matched again)."""
    for table in ("coverage_links", "coverage_matches"):
        await conn.execute(f"DELETE FROM {table} WHERE article_id = ? OR other_id = ?",
                           (article_id, article_id))


async def clear_pairs_in(conn: Connection, article_id: str, other_ids: Iterable[str]) -> None:
    """Forget what was matched between an article and each of these, both ways (before the
    pairs are matched again)."""
    for other_id in sorted(set(other_ids)):
        for table in ("coverage_links", "coverage_matches"):
            await conn.execute(
                f"DELETE FROM {table} WHERE (article_id = ? AND other_id = ?)"
                " OR (article_id = ? AND other_id = ?)",
                (article_id, other_id, other_id, article_id))


@dataclass(frozen=True)
class OtherPassage:
    """A matched passage with what a reply quotes beside it."""

    point: str
    point_text: str
    other_id: str
    passage: str
    text: str
    score: float
    stance: str
    title: str
    outlet: str
    url: str | None
    published: date | None


async def matches_for(db: Database, article_id: str) -> list[OtherPassage]:
    """The stored matches of an article's points: an index probe of at most ``MATCHES_KEPT`` a
    point, read on the loop (``Database.read``), so /counterpoint recomputes nothing."""
    rows = await db.read(
        "SELECT m.point, p.text AS point_text, m.other_id, m.passage, s.text, m.score, m.stance,"
        " a.title, a.outlet, a.url, a.published FROM coverage_matches m"
        " JOIN sentences p ON p.id = m.point JOIN sentences s ON s.id = m.passage"
        " JOIN articles a ON a.id = m.other_id WHERE m.article_id = ?"
        " ORDER BY m.score DESC, m.other_id", (article_id,))
    return [OtherPassage(point=r["point"], point_text=r["point_text"], other_id=r["other_id"],
                         passage=r["passage"], text=r["text"], score=r["score"],
                         stance=r["stance"], title=r["title"], outlet=r["outlet"], url=r["url"],
                         published=date.fromisoformat(r["published"]) if r["published"]
                         else None) for r in rows]


@dataclass(frozen=True)
class Related:
    id: str
    title: str
    outlet: str
    url: str | None
    published: date | None
    score: float
    same_event: bool
    point: str | None = None
    passage: str | None = None
    passage_score: float | None = None
    stance: str | None = None


async def related(db: Database, article_id: str) -> list[Related]:
    rows = await db.fetchall(
        "SELECT l.other_id, l.score, l.same_event, l.point, l.passage, l.passage_score,"
        " l.stance, a.title, a.outlet, a.url, a.published FROM coverage_links l"
        " JOIN articles a ON a.id = l.other_id WHERE l.article_id = ?"
        " ORDER BY l.score DESC, l.other_id", (article_id,))
    return [Related(id=r["other_id"], title=r["title"], outlet=r["outlet"], url=r["url"],
                    published=date.fromisoformat(r["published"]) if r["published"] else None,
                    score=r["score"], same_event=bool(r["same_event"]), point=r["point"],
                    passage=r["passage"], passage_score=r["passage_score"],
                    stance=r["stance"]) for r in rows]


async def leaning_overrides(db: Database) -> dict[str, str]:
    rows = await db.read("SELECT outlet, leaning FROM outlet_leanings")  # a few rows at most
    return {r["outlet"]: r["leaning"] for r in rows}


async def set_leaning_in(conn: Connection, outlet: str, leaning: str, by: str,
                         at: datetime) -> None:
    await conn.execute(
        "INSERT INTO outlet_leanings (outlet, leaning, updated_by, updated_at) VALUES (?,?,?,?)"
        " ON CONFLICT (outlet) DO UPDATE SET leaning = excluded.leaning,"
        " updated_by = excluded.updated_by, updated_at = excluded.updated_at",
        (outlet, leaning, by, at.isoformat()))


@dataclass(frozen=True)
class Broader:
    """A linked article (same topic, not found to address any point) and its passage nearest
    the article's main points, when one is near enough (``point``, ``text`` and ``stance`` are
    then set)."""

    id: str
    score: float
    title: str
    outlet: str
    url: str | None
    published: date | None
    passage: str | None
    text: str | None
    passage_score: float | None
    stance: str | None
    point: str | None
    point_text: str | None
    main_claim: str | None = None  # its own most check-worthy claim, quoted when unquoted above
    main_claim_sentence: str | None = None  # that claim's sentence id


async def broader(db: Database, article_id: str, least: float, limit: int) -> list[Broader]:
    """An article's closest linked articles (topic similarity at least ``least``), each with
    its passage nearest the article's points (chosen at ingestion) and its own most
    check-worthy claim: index probes (the links by article, the sentences by id, the claims by
    score), read on the loop like ``matches_for``."""
    rows = await db.read(
        "SELECT l.other_id, l.score, l.passage, l.passage_score, l.stance, l.point, a.title,"
        " a.outlet, a.url, a.published, s.text, p.text AS point_text, m.text AS main_claim,"
        " m.id AS main_claim_sentence"
        " FROM coverage_links l JOIN articles a ON a.id = l.other_id"
        " LEFT JOIN sentences s ON s.id = l.passage LEFT JOIN sentences p ON p.id = l.point"
        " LEFT JOIN sentences m ON m.id = (SELECT c.sentence_id FROM claims c"
        " WHERE c.article_id = l.other_id ORDER BY c.score DESC, c.number LIMIT 1)"
        " WHERE l.article_id = ? AND l.score >= ? ORDER BY l.score DESC, l.other_id LIMIT ?",
        (article_id, least, limit))
    out = []
    for r in rows:
        quoted = r["text"] is not None and r["point_text"] is not None
        out.append(Broader(
            id=r["other_id"], score=r["score"], title=r["title"], outlet=r["outlet"],
            url=r["url"], published=date.fromisoformat(r["published"]) if r["published"]
            else None, passage=r["passage"] if quoted else None,
            text=r["text"] if quoted else None,
            passage_score=r["passage_score"] if quoted else None,
            stance=r["stance"] if quoted else None, point=r["point"] if quoted else None,
            point_text=r["point_text"] if quoted else None, main_claim=r["main_claim"],
            main_claim_sentence=r["main_claim_sentence"]))
    return out
