"""The Slack app manifest, generated from the command registry."""

from __future__ import annotations

from typing import Any

from parley.adapters.slack.app import UMBRELLA
from parley.core.registry import Registry, callback_id
from parley.core.settings import Settings

# commands: slash commands; chat:write(.public): digests in any channel; users:read: roles;
# channels:history, groups:history: before posting a digest again after a crash or a dropped
# connection, look in the channel for the copy Slack may already have accepted
BOT_SCOPES = ["commands", "chat:write", "chat:write.public", "users:read", "channels:history",
              "groups:history"]
GROUP_SCOPE = "usergroups:read"  # only to read SLACK_MODERATOR_GROUP's members
FILES_SCOPE = "files:write"  # only to upload pictures (PARLEY_PICTURES)
HOME_EVENTS = ["app_home_opened"]


def bot_scopes(settings: Settings | None) -> list[str]:
    """The scopes this configuration uses, and no others."""
    pictures = settings is None or settings.parley_pictures
    groups = settings is not None and bool(settings.slack_moderator_group)
    return [*BOT_SCOPES, *([FILES_SCOPE] if pictures else []), *([GROUP_SCOPE] if groups else [])]


def manifest(registry: Registry, request_url: str | None = None, socket_mode: bool = False,
             only_umbrella: bool = False, settings: Settings | None = None) -> dict[str, Any]:
    """A manifest for Slack's "create app from manifest": every command group, plus /parley
    (``only_umbrella``: /parley alone, where generic names are taken or unwelcome)."""
    url = request_url or "https://YOUR-HOST/slack/events"
    commands = []
    for group, cmds in ({} if only_umbrella else registry.groups()).items():
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
    events: dict[str, Any] = {"bot_events": HOME_EVENTS}
    if not socket_mode:
        interactivity["request_url"] = url
        events["request_url"] = url
    return {
        "display_information": {
            "name": "Parley",
            "description": "Common ground on contentious articles: neutral summaries, checked "
                           "claims and the other side.",
        },
        "features": {"bot_user": {"display_name": "Parley", "always_online": True},
                     "app_home": {"home_tab_enabled": True, "messages_tab_enabled": False,
                                  "messages_tab_read_only_enabled": False},
                     "slash_commands": commands, "shortcuts": shortcuts},
        "oauth_config": {"scopes": {"bot": bot_scopes(settings)}},
        "settings": {"event_subscriptions": events, "interactivity": interactivity,
                     "socket_mode_enabled": socket_mode,
                     "org_deploy_enabled": False, "token_rotation_enabled": False},
    }
