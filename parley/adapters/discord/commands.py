"""Registry → Discord application commands, and an interaction's options → a command and args."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from parley.core.models import Role
from parley.core.registry import Command, Param, Registry

STRING, INTEGER, SUB_COMMAND, SUB_COMMAND_GROUP = 3, 4, 1, 2
CHAT_INPUT, MESSAGE = 1, 3  # application command types
GUILD, GUILD_INSTALL = 0, 0  # interaction context: servers only; installed to a server
# Where a mixed family's moderator and admin actions go, as their own top-level commands.
ELEVATED = {Role.MODERATOR: "mod", Role.ADMIN: "admin"}
MAX_DESCRIPTION = 100
MAX_STRING = 6000
# Discord permission bits for default_member_permissions (Manage Messages, Manage Server).
PERMISSIONS = {Role.MEMBER: None, Role.MODERATOR: str(1 << 13), Role.ADMIN: str(1 << 5)}


def plain(text: str) -> str:
    """Discord shows descriptions as they are: no Markdown, so no backticks."""
    return text.replace("`", "")[:MAX_DESCRIPTION]


def _option(param: Param) -> dict[str, Any]:
    option: dict[str, Any] = {"name": param.name, "description": plain(param.description),
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


def sub_name(cmd: Command) -> str:
    """A command's name within its family (the family's own command takes its sub_label)."""
    return cmd.name.split(" ", 1)[1] if " " in cmd.name else cmd.sub_label


def _leaves(cmds: list[Command]) -> list[dict[str, Any]]:
    return [{"name": sub_name(c), "description": plain(c.description), "type": SUB_COMMAND,
             "options": _options(c)} for c in cmds]


def _family(group: str, cmds: list[Command]) -> tuple[str, list[dict[str, Any]]]:
    """A family's description and options: its one command's options, or sub-commands."""
    if len(cmds) == 1 and cmds[0].name == group:
        return plain(cmds[0].description), _options(cmds[0])
    return plain(f"{group.capitalize()}: " + ", ".join(sub_name(c) for c in cmds)), _leaves(cmds)


def _top(name: str, description: str, options: list[dict[str, Any]],
         permission: str | None) -> dict[str, Any]:
    return {"name": name, "type": CHAT_INPUT, "description": description, "options": options,
            "default_member_permissions": permission, "contexts": [GUILD],
            "integration_types": [GUILD_INSTALL]}


def shape(registry: Registry) -> tuple[dict[str, list[Command]], dict[Role, dict[str,
                                                                                 list[Command]]]]:
    """Which commands keep their family's top-level command, and which move under ``/mod`` or
    ``/admin``: Discord hides a top-level command as a whole (``default_member_permissions``),
    so a family's members' and moderators' commands cannot share one."""
    kept: dict[str, list[Command]] = {}
    moved: dict[Role, dict[str, list[Command]]] = {Role.MODERATOR: {}, Role.ADMIN: {}}
    for group, cmds in registry.groups().items():
        if group in ELEVATED.values():
            raise ValueError(f"a command family may not be named {group!r} on Discord")
        if len({c.role for c in cmds}) == 1:
            kept[group] = cmds
            continue
        kept[group] = [c for c in cmds if c.role == Role.MEMBER]
        for role in moved:
            if mine := [c for c in cmds if c.role == role]:
                moved[role][group] = mine
    return kept, moved


def application_commands(registry: Registry, permissions: dict[Role, str | None] | None = None
                         ) -> list[dict[str, Any]]:
    """The registry as Discord application commands: a family per slash command (sub-commands
    for several), and the moderator and admin actions of mixed families under ``/mod`` and
    ``/admin`` so that members never see them."""
    perms = permissions or PERMISSIONS
    kept, moved = shape(registry)
    out = []
    for group, cmds in kept.items():
        description, options = _family(group, cmds)
        out.append(_top(group, description, options, perms[max(c.role for c in cmds)]))
    for role, families in moved.items():
        if not families:
            continue
        options = []
        for group, cmds in families.items():
            if len(cmds) == 1 and cmds[0].name == group:  # /mod factcheck <claim> …
                options.append({"name": group, "description": plain(cmds[0].description),
                                "type": SUB_COMMAND, "options": _options(cmds[0])})
            else:  # /mod article use <id>
                options.append({"name": group, "description": _family(group, cmds)[0],
                                "type": SUB_COMMAND_GROUP, "options": _leaves(cmds)})
        names = ", ".join(families)
        out.append(_top(ELEVATED[role], plain(f"{role.label.capitalize()} actions: {names}"),
                        options, perms[role]))
    for cmd in registry.message_commands():  # "Apps" on a message; no description allowed
        out.append({"name": cmd.message, "type": MESSAGE,
                    "default_member_permissions": perms[cmd.role], "contexts": [GUILD],
                    "integration_types": [GUILD_INSTALL]})
    return out


def _paths_in(prefix: str, group: str, cmds: list[Command]) -> dict[str, str]:
    if len(cmds) == 1 and cmds[0].name == group:  # the family's one command: /fact
        return {group: f"{prefix}{group}"}
    return {c.name: f"{prefix}{group} {sub_name(c)}" for c in cmds}  # /counterpoint find


def paths(registry: Registry) -> dict[str, str]:
    """Each registry command's name → how a Discord member types it, as
    :func:`application_commands` files it (``article use`` → ``mod article use``,
    ``counterpoint`` → ``counterpoint find``), for texts that name commands."""
    kept, moved = shape(registry)
    out: dict[str, str] = {}
    for group, cmds in kept.items():
        out.update(_paths_in("", group, cmds))
    for role, families in moved.items():
        for group, cmds in families.items():
            out.update(_paths_in(f"{ELEVATED[role]} ", group, cmds))
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
    if group in ELEVATED.values() and group not in registry.groups() and options:
        # /mod <family> [<sub>] …: the family is the first option (a sub-command group, or
        # a sub-command for a family's own command); read the rest as /<family> [<sub>] …
        family = options[0]
        return resolve(registry, {"name": family.get("name"), "options": family.get("options")})
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
    while options and options[0].get("type") in (SUB_COMMAND, SUB_COMMAND_GROUP):
        options = list(options[0].get("options") or [])
    for o in options:
        if o.get("focused"):
            return str(o.get("name")), str(o.get("value") or "")
    return "", ""
