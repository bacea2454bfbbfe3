"""The Slack app manifest, generated from the command registry."""

from __future__ import annotations

from typing import Any

from parley.adapters.slack.app import UMBRELLA
from parley.core.registry import Registry, callback_id

BOT_SCOPES = ["commands", "chat:write", "chat:write.public", "files:write", "users:read",
              "usergroups:read"]


def manifest(registry: Registry, request_url: str | None = None, socket_mode: bool = False
             ) -> dict[str, Any]:
    """A manifest for Slack's "create app from manifest": every command group, plus /parley."""
    url = request_url or "https://YOUR-HOST/slack/events"
    commands = []
    for group, cmds in registry.groups().items():
        subs = [c.name.split(" ", 1)[1] for c in cmds if " " in c.name]
        plain = next((c for c in cmds if c.name == group), None)
        description = plain.description if plain else f"{group.capitalize()}: {', '.join(subs)}"
        hint = " | ".join(c.usage().removeprefix(f"/{group}").strip() or "(no arguments)"
                          for c in cmds)
        entry: dict[str, Any] = {"command": f"/{group}", "description": description[:100],
                                 "usage_hint": hint[:1000], "should_escape": False}
        if not socket_mode:
            entry["url"] = url
        commands.append(entry)
    umbrella: dict[str, Any] = {"command": f"/{UMBRELLA}",
                                "description": "Any Parley command, e.g. /parley fact …",
                                "usage_hint": "<command> [arguments]", "should_escape": False}
    if not socket_mode:
        umbrella["url"] = url
    commands.append(umbrella)
    shortcuts = [{"name": c.message, "type": "message", "callback_id": callback_id(c),
                  "description": c.description[:150]} for c in registry.message_commands()]
    interactivity: dict[str, Any] = {"is_enabled": True}
    if not socket_mode:
        interactivity["request_url"] = url
    return {
        "display_information": {
            "name": "Parley",
            "description": "Common ground on contentious articles: neutral summaries, checked "
                           "claims and the other side.",
        },
        "features": {"bot_user": {"display_name": "Parley", "always_online": True},
                     "slash_commands": commands, "shortcuts": shortcuts},
        "oauth_config": {"scopes": {"bot": BOT_SCOPES}},
        "settings": {"interactivity": interactivity, "socket_mode_enabled": socket_mode,
                     "org_deploy_enabled": False, "token_rotation_enabled": False},
    }
