"""Registry → Discord application commands, and an interaction's options → a command and args."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from parley.core.models import Role
from parley.core.registry import Command, Param, Registry

STRING, INTEGER, SUB_COMMAND = 3, 4, 1
CHAT_INPUT, MESSAGE = 1, 3  # application command types
MAX_DESCRIPTION = 100
MAX_STRING = 6000
# Discord permission bits for default_member_permissions (Manage Messages, Manage Server).
PERMISSIONS = {Role.MEMBER: None, Role.MODERATOR: str(1 << 13), Role.ADMIN: str(1 << 5)}


def _option(param: Param) -> dict[str, Any]:
    option: dict[str, Any] = {"name": param.name,
                              "description": param.description[:MAX_DESCRIPTION],
                              "type": INTEGER if param.kind == "int" else STRING,
                              "required": param.required}
    if param.kind == "int":
        if param.min_value is not None:
            option["min_value"] = param.min_value
        if param.max_value is not None:
            option["max_value"] = param.max_value
    elif param.kind == "choice":
        option["choices"] = [{"name": c, "value": c} for c in param.choices[:25]]
    else:
        option["max_length"] = min(param.max_length, MAX_STRING)
        if param.complete in ("article", "claim", "topic"):
            option["autocomplete"] = True
    return option


def _options(cmd: Command) -> list[dict[str, Any]]:
    # Discord wants required options first.
    return [_option(p) for p in sorted(cmd.params, key=lambda p: not p.required)]


def application_commands(registry: Registry, permissions: dict[Role, str | None] | None = None
                         ) -> list[dict[str, Any]]:
    """One slash command per registry group; a group of several becomes sub-commands."""
    perms = permissions or PERMISSIONS
    out = []
    for group, cmds in registry.groups().items():
        lowest = min(c.role for c in cmds)
        entry: dict[str, Any] = {"name": group, "type": CHAT_INPUT, "dm_permission": False,
                                 "default_member_permissions": perms[lowest]}
        if len(cmds) == 1 and cmds[0].name == group:
            entry["description"] = cmds[0].description[:MAX_DESCRIPTION]
            entry["options"] = _options(cmds[0])
        else:
            entry["description"] = f"{group.capitalize()}: " + ", ".join(
                c.name.split(" ", 1)[1] if " " in c.name else c.sub_label for c in cmds)
            entry["options"] = [{"name": c.name.split(" ", 1)[1] if " " in c.name else c.sub_label,
                                 "description": c.description[:MAX_DESCRIPTION],
                                 "type": SUB_COMMAND, "options": _options(c)} for c in cmds]
        out.append(entry)
    for cmd in registry.message_commands():  # "Apps" on a message; no description allowed
        out.append({"name": cmd.message, "type": MESSAGE, "dm_permission": False,
                    "default_member_permissions": perms[cmd.role]})
    return out


def resolve_message(registry: Registry, data: dict[str, Any]
                    ) -> tuple[str, dict[str, Any]] | None:
    """For a message command, the registry command and its raw arguments (the target message's
    content, which the interaction carries without the Message Content intent); else None."""
    if data.get("type") != MESSAGE:
        return None
    cmd = registry.by_message(str(data.get("name", "")))
    if cmd is None:
        return str(data.get("name", "")), {}
    messages = (data.get("resolved") or {}).get("messages") or {}
    target = messages.get(str(data.get("target_id"))) or {}
    return cmd.name, cmd.message_args(str(target.get("content") or ""))


def definitions_hash(commands: list[dict[str, Any]]) -> str:
    return hashlib.sha256(json.dumps(commands, sort_keys=True).encode()).hexdigest()


def resolve(registry: Registry, data: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The registry command name and raw arguments an application-command interaction names."""
    found = resolve_message(registry, data)
    if found is not None:
        return found
    group = str(data.get("name", ""))
    options = list(data.get("options") or [])
    if options and options[0].get("type") == SUB_COMMAND:
        sub = options[0]
        cmds = registry.groups().get(group, [])
        root = next((c for c in cmds if c.name == group and c.sub_label == sub.get("name")), None)
        name = root.name if root else f"{group} {sub.get('name')}"
        options = list(sub.get("options") or [])
    else:
        name = group
    return name, {o["name"]: o.get("value") for o in options if "name" in o}


def focused_param(registry: Registry, data: dict[str, Any]) -> tuple[Param | None, str]:
    """The registry parameter being autocompleted (None if the interaction names none) and
    the text typed into it so far."""
    option, typed = focused_option(data)
    name, _ = resolve(registry, data)
    command = registry.get(name)
    param = next((p for p in command.params if p.name == option), None) if command else None
    return param, typed


def focused_option(data: dict[str, Any]) -> tuple[str, str]:
    """(option name, typed text) of the option being autocompleted."""
    options = list(data.get("options") or [])
    while options and options[0].get("type") == SUB_COMMAND:
        options = list(options[0].get("options") or [])
    for o in options:
        if o.get("focused"):
            return str(o.get("name")), str(o.get("value") or "")
    return "", ""
