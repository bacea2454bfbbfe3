"""What Parley says when it arrives: a setup message for a new server, and a home overview.

Platform-neutral: an adapter says who may configure Parley there (its permissions) and renders
the reply (a Discord message in the system channel, a Slack App Home tab).
"""

from __future__ import annotations

from parley.core.digest.schedule import zone
from parley.core.models import Reply, ReplySection
from parley.core.registry import Registry
from parley.core.services import ACTIVE_ARTICLE, Services
from parley.store import articles as article_store
from parley.store import config, digests

# The first three commands a new server needs: read, ask, and (moderators) bring an article.
FIRST_COMMANDS = ("summary", "fact", "article add")
WHAT_IT_DOES = ("Parley helps this community discuss contentious articles on common ground: "
                "a neutral, attributed summary, the article's checkable claims with their check "
                "status, and the strongest other side, ranked by members who usually disagree.")


def first_steps(registry: Registry) -> str:
    """The first commands, by the registry's names (a platform that files them elsewhere, as
    Discord's ``/mod``, renders the names its own way)."""
    lines = []
    for name in FIRST_COMMANDS:
        cmd = registry.get(name)
        if cmd is not None:
            lines.append(f"• `{cmd.usage()}` — {cmd.description}")
    return "\n".join(lines)


def welcome(registry: Registry, who_configures: str) -> Reply:
    """The one short message posted when Parley joins a server."""
    return Reply(kind="info", title="Hello, I'm Parley", text=WHAT_IT_DOES, sections=[
        ReplySection(title="Who can configure it", text=who_configures + " `/settings show` "
                     "lists this server's settings; `/help` lists every command."),
        ReplySection(title="Three first commands", text=first_steps(registry)),
    ], data={"first_commands": list(FIRST_COMMANDS)})


async def home(services: Services, platform: str, workspace: str, who_configures: str
               ) -> Reply:
    """The welcome, plus which article each channel discusses and the digests scheduled."""
    reply = welcome(services.registry, who_configures)
    default = await article_store.named_by_setting(services.db, ACTIVE_ARTICLE, platform,
                                                   workspace, "")
    chosen = await config.channel_values(services.db, ACTIVE_ARTICLE, platform, workspace)
    lines = [f"• Default: `{default.id}` — {default.title}" if default else
             "• No default article: a moderator can add one with `/article add <url>`."]
    lines += [f"• channel `{channel}`: `{article_id}`" for channel, article_id in
              sorted(chosen.items())[:20]]
    subs = await digests.for_workspace(services.db, platform, workspace)
    digest_lines = [f"• channel `{s.channel}`: {s.label} ({s.timezone}); next "
                    f"{s.next_run_at.astimezone(zone(s.timezone)):%a %d %b %H:%M}" for s in subs]
    sections = [*reply.sections,
                ReplySection(title="Articles by channel", text="\n".join(lines)),
                ReplySection(title="Digests", text="\n".join(digest_lines) or
                             "None yet: a moderator can add one in a channel with "
                             "`/digest subscribe daily 09:00`.")]
    return reply.model_copy(update={"sections": sections, "data": {
        **reply.data, "default_article": default.id if default else None,
        "channels": chosen, "digests": [s.id for s in subs]}})
