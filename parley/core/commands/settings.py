"""``/settings``: this server's or workspace's own settings, shown and changed by its admins."""

from __future__ import annotations

from typing import Any

from parley.core.commands import command
from parley.core.models import Reply, Request, Role
from parley.core.registry import Param
from parley.core.server_settings import SETTINGS, ServerSetting, setting
from parley.core.services import Services
from parley.store import audit, config

NAMES = tuple(s.name for s in SETTINGS)
NAME_PARAM = Param("name", "Which setting: " + ", ".join(NAMES) + ".", kind="choice",
                   choices=NAMES)


def _shown(value: Any) -> str:
    return "none" if value is None or value == "" else f"`{value}`"


async def _listing(request: Request, services: Services) -> tuple[list[str], dict[str, Any]]:
    scope_id = config.workspace_scope_id(request.platform, request.workspace)
    own = await config.values_in(services.db, "workspace", scope_id)
    lines, data = [], {}
    for item in SETTINGS:
        default = item.default(services.settings)
        if item.field is None:
            default = await config.get_value(services.db, item.key, "", "", "")
        mine = own.get(item.key)
        value = default if mine is None else mine
        origin = "set here" if mine is not None else "default"
        lines.append(f"• **{item.name}**: {_shown(value)} ({origin}) — {item.description}")
        data[item.name] = {"value": value, "default": default, "set_here": mine is not None}
    return lines, data


@command("settings show", "This server's settings, and which of them it set itself.",
         role=Role.ADMIN, ephemeral=True)
async def settings_show(request: Request, services: Services) -> Reply:
    lines, data = await _listing(request, services)
    return Reply(title="Settings for this server", data={"settings": data},
                 text="\n".join(lines) + "\n\nChange one with `/settings set <name> <value>`; "
                      "`/settings reset <name>` goes back to the default.")


async def _checked(item: ServerSetting, raw: str, services: Services) -> Any:
    if item.field is None:  # the default article: an article that exists
        return (await services.find_article(raw)).id
    return item.check(raw)


@command("settings set", "Change one of this server's settings.", NAME_PARAM,
         Param("value", "The new value.", greedy=True, max_length=200),
         role=Role.ADMIN, ephemeral=True)
async def settings_set(request: Request, services: Services) -> Reply:
    item = setting(request.args["name"])
    value = await _checked(item, request.args["value"], services)
    scope_id = config.workspace_scope_id(request.platform, request.workspace)
    before = (await config.values_in(services.db, "workspace", scope_id)).get(item.key)
    async with services.db.transaction() as conn:
        await config.set_value_in(conn, "workspace", scope_id, item.key, value, services.now())
        await audit.record(conn, request, "settings.set", item.name,
                           {"value": value, "before": before}, services.now())
    services.server.forget(request.platform, request.workspace)
    return Reply(kind="info", text=f"**{item.name}** is now {_shown(value)} on this server.",
                 data={"name": item.name, "value": value, "before": before})


@command("settings reset", "Put one of this server's settings back to the default.",
         NAME_PARAM, role=Role.ADMIN, ephemeral=True)
async def settings_reset(request: Request, services: Services) -> Reply:
    item = setting(request.args["name"])
    scope_id = config.workspace_scope_id(request.platform, request.workspace)
    before = (await config.values_in(services.db, "workspace", scope_id)).get(item.key)
    async with services.db.transaction() as conn:
        removed = await config.delete_value_in(conn, "workspace", scope_id, item.key)
        if removed:
            await audit.record(conn, request, "settings.reset", item.name, {"before": before},
                               services.now())
    services.server.forget(request.platform, request.workspace)
    text = (f"**{item.name}** is back to the default." if removed
            else f"**{item.name}** was not set here; it already follows the default.")
    return Reply(kind="info", text=text, data={"name": item.name, "reset": removed})
