"""``/help``: generated from the registry, so it always matches what the bot can do."""

from __future__ import annotations

from parley.core.commands import command
from parley.core.errors import NotFound
from parley.core.models import Reply, ReplySection, Request, Role
from parley.core.registry import Param
from parley.core.services import Services


@command("help", "List Parley's commands, or explain one.",
         Param("command", "A command to explain, e.g. `fact` or `article use`.", required=False,
               greedy=True, max_length=60, complete="command"),
         ephemeral=True)
async def help_command(request: Request, services: Services) -> Reply:
    registry = services.registry
    wanted = request.args.get("command")
    if wanted:
        name = wanted.lstrip("/").lower()
        matches = [c for c in registry if c.name == name]
        matches = matches or [c for c in registry if c.group == name]
        if not matches:
            hint = registry.suggest(name)
            raise NotFound(f"No command `/{name}`." + (f" Did you mean `/{hint}`?" if hint else ""))
        sections = []
        for cmd in matches:
            lines = [cmd.description]
            lines += [f"• `{p.name}`{'' if p.required else ' (optional)'}: {p.description}"
                      for p in cmd.params]
            if cmd.role > Role.MEMBER:
                lines.append(f"Only {cmd.role.label}s can use it.")
            sections.append(ReplySection(title=cmd.usage(), text="\n".join(lines)))
        return Reply(title=f"Help: /{name}", sections=sections, data={
            "commands": [c.name for c in matches]})
    sections = []
    for group, cmds in registry.groups().items():
        lines = []
        for cmd in cmds:
            marker = "" if cmd.role == Role.MEMBER else f" _({cmd.role.label})_"
            lines.append(f"`{cmd.usage()}` — {cmd.description}{marker}")
        sections.append(ReplySection(title=f"/{group}", text="\n".join(lines)))
    return Reply(
        title="Parley commands",
        text="Parley helps a channel discuss an article on common ground. "
             "`/help <command>` explains one command.",
        sections=sections,
        data={"commands": [c.name for c in registry]},
    )
