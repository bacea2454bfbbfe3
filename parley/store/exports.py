"""Rows for ``parley export``: the audit log, fact checks, counterpoints with their ratings and
standings, and activity, as plain dictionaries in a stable column order."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from parley.store.db import Database

Row = dict[str, Any]


def _decoded(row: Any, json_columns: tuple[str, ...]) -> Row:
    out = {k: row[k] for k in row.keys()}  # noqa: SIM118 - neither row type is a mapping
    for name in json_columns:
        if isinstance(out.get(name), str):
            out[name] = json.loads(out[name])
    return out


async def audit_log(db: Database) -> list[Row]:
    rows = await db.fetchall("SELECT id, at, platform, workspace, channel, actor, role, action,"
                             " target, detail FROM audit_log ORDER BY id")
    return [_decoded(r, ("detail",)) for r in rows]


async def fact_checks(db: Database) -> list[Row]:
    rows = await db.fetchall(
        "SELECT f.id, c.article_id, f.claim_id, f.claim_reviewed, f.verdict, f.status,"
        " f.explanation, f.sources, f.origin, f.author, f.publisher, f.review_url,"
        " f.date_published, f.created_at FROM fact_checks f"
        " LEFT JOIN claims c ON c.id = f.claim_id ORDER BY f.id")
    return [_decoded(r, ("sources",)) for r in rows]


async def counterpoints(db: Database) -> list[Row]:
    """Each counterpoint with its rating counts (never who rated) and its fitted status."""
    rows = await db.fetchall(
        "SELECT c.id, c.article_id, c.claim_id, c.topic, c.text, c.sources, c.origin, c.author,"
        " c.hidden, c.hidden_reason, c.created_at,"
        " (SELECT COUNT(*) FROM ratings r WHERE r.counterpoint_id = c.id AND r.value = 1)"
        "   AS rated_helpful,"
        " (SELECT COUNT(*) FROM ratings r WHERE r.counterpoint_id = c.id AND r.value = 0.5)"
        "   AS rated_somewhat,"
        " (SELECT COUNT(*) FROM ratings r WHERE r.counterpoint_id = c.id AND r.value = 0)"
        "   AS rated_not_helpful,"
        " s.status AS fitted_status, s.intercept, s.factor,"
        " s.fitted_at FROM counterpoints c LEFT JOIN counterpoint_scores s"
        " ON s.counterpoint_id = c.id ORDER BY c.id")
    return [_decoded(r, ("sources",)) for r in rows]


async def activity(db: Database) -> list[Row]:
    rows = await db.fetchall("SELECT id, at, platform, workspace, channel, command, question"
                             " FROM activity ORDER BY id")
    return [_decoded(r, ()) for r in rows]


TABLES: dict[str, Callable[[Database], Awaitable[list[Row]]]] = {
    "audit": audit_log, "factchecks": fact_checks, "counterpoints": counterpoints,
    "activity": activity}
