"""Scoped settings with defaults: a channel's value wins over its workspace's, then the global."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from parley.store.db import Connection, Database

Scope = Literal["global", "workspace", "channel"]


def channel_scope_id(platform: str, workspace: str, channel: str) -> str:
    return f"{platform}:{workspace}:{channel}"


def workspace_scope_id(platform: str, workspace: str) -> str:
    return f"{platform}:{workspace}"


async def get_value(db: Database, key: str, platform: str, workspace: str, channel: str) -> Any:
    """The most specific value set for ``key`` in this channel's scopes, or ``None``."""
    row = await db.fetchone(
        f"SELECT value FROM scoped_settings WHERE {IN_SCOPE} ORDER BY {SCOPE_ORDER} LIMIT 1",
        scope_params(key, platform, workspace, channel))
    return json.loads(row["value"]) if row else None


async def values_for_channels(db: Database, key: str, platform: str, workspace: str,
                              channels: list[str]) -> dict[str, Any]:
    """``get_value`` for many channels of one workspace in one query (those with no value
    in any scope are left out)."""
    if not channels:
        return {}
    ids = {channel_scope_id(platform, workspace, c): c for c in channels}
    marks = ",".join("?" * len(ids))
    rows = await db.fetchall(
        "SELECT scope, scope_id, value FROM scoped_settings WHERE key = ? AND ((scope ="
        f" 'channel' AND scope_id IN ({marks})) OR (scope = 'workspace' AND scope_id = ?) OR"
        " (scope = 'global' AND scope_id = ''))",
        (key, *ids, workspace_scope_id(platform, workspace)))
    found = {(r["scope"], r["scope_id"]): json.loads(r["value"]) for r in rows}
    wider = [k for k in (("workspace", workspace_scope_id(platform, workspace)), ("global", ""))
             if k in found]
    out: dict[str, Any] = {}
    for scope_id, channel in ids.items():
        if ("channel", scope_id) in found:
            out[channel] = found[("channel", scope_id)]
        elif wider:
            out[channel] = found[wider[0]]
    return out


SCOPE_ORDER = ("CASE scope WHEN 'channel' THEN 0 WHEN 'workspace' THEN 1 ELSE 2 END")
IN_SCOPE = ("key = ? AND ((scope = 'channel' AND scope_id = ?) OR (scope = 'workspace' AND"
            " scope_id = ?) OR (scope = 'global' AND scope_id = ''))")


def scope_params(key: str, platform: str, workspace: str, channel: str) -> tuple[str, str, str]:
    return key, channel_scope_id(platform, workspace, channel), workspace_scope_id(platform,
                                                                                   workspace)


async def set_value(
    db: Database, scope: Scope, scope_id: str, key: str, value: Any, now: datetime
) -> None:
    async with db.transaction() as conn:
        await set_value_in(conn, scope, scope_id, key, value, now)


async def set_value_in(
    conn: Connection, scope: Scope, scope_id: str, key: str, value: Any, now: datetime
) -> None:
    """Set a value inside a transaction the caller already holds."""
    await conn.execute(
        "INSERT INTO scoped_settings (scope, scope_id, key, value, updated_at) VALUES (?,?,?,?,?)"
        " ON CONFLICT (scope, scope_id, key) DO UPDATE SET value = excluded.value,"
        " updated_at = excluded.updated_at",
        (scope, scope_id, key, json.dumps(value), now.isoformat()),
    )


async def delete_value_in(conn: Any, scope: Scope, scope_id: str, key: str) -> bool:
    """Remove a value inside the caller's transaction; False if none was set."""
    return bool(await conn.execute(
        "DELETE FROM scoped_settings WHERE scope = ? AND scope_id = ? AND key = ?",
        (scope, scope_id, key)))


async def values_in(db: Database, scope: Scope, scope_id: str) -> dict[str, Any]:
    """Every value set in one scope, by key."""
    rows = await db.fetchall("SELECT key, value FROM scoped_settings WHERE scope = ? AND"
                             " scope_id = ? ORDER BY key", (scope, scope_id))
    return {r["key"]: json.loads(r["value"]) for r in rows}


async def channel_values(db: Database, key: str, platform: str, workspace: str
                         ) -> dict[str, Any]:
    """Each channel of a workspace that set ``key`` itself, with its value."""
    prefix = channel_scope_id(platform, workspace, "")
    rows = await db.fetchall(
        "SELECT scope_id, value FROM scoped_settings WHERE scope = 'channel' AND key = ? AND"
        " substr(scope_id, 1, ?) = ? ORDER BY scope_id", (key, len(prefix), prefix))
    return {r["scope_id"][len(prefix):]: json.loads(r["value"]) for r in rows}
