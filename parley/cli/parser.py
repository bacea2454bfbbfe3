"""The ``parley`` argument parser: every sub-command, its help line and the function it runs."""

from __future__ import annotations

import argparse
import importlib
from typing import Any

from parley import __version__
from parley.core.roles import Role
from parley.store.exports import TABLES

ROLES = [r.label for r in Role]


def _lazy(module: str, name: str) -> Any:
    """``parley.cli.<module>.<name>``, imported only when the sub-command runs: ``--help``,
    ``--version`` and a usage mistake never load the analysis engine or a platform."""

    def call(*args: Any) -> Any:
        return getattr(importlib.import_module(f"parley.cli.{module}"), name)(*args)

    call.__qualname__ = call.__name__ = f"{module}.{name}"
    return call


def build_parser() -> argparse.ArgumentParser:
    """Each sub-command sets ``with_services``, ``with_settings`` or ``alone`` (what it runs
    with) and ``interactive`` (quiet logs unless PARLEY_LOG_LEVEL is set)."""
    parser = argparse.ArgumentParser(prog="parley", description="Parley: common ground on "
                                     "contentious articles, in Discord, Slack or a console.")
    parser.add_argument("--version", action="version", version=f"parley {__version__}")
    parser.set_defaults(with_services=_lazy("run", "run"), interactive=False)
    sub = parser.add_subparsers(dest="cmd", metavar="<command>")

    def command(name: str, help: str, interactive: bool = False,
                parent: argparse._SubParsersAction[argparse.ArgumentParser] = sub
                ) -> argparse.ArgumentParser:
        made = parent.add_parser(name, help=help, description=help[:1].upper() + help[1:] + ".")
        made.set_defaults(interactive=interactive)
        return made

    command("run", "start every configured platform (the console when none is)"
            ).set_defaults(with_services=_lazy("run", "run"))
    command("console", "an interactive prompt taking slash commands", True).set_defaults(
        with_services=_lazy("console", "console"))
    add = sub.choices["console"].add_argument
    add("--as", dest="role", choices=ROLES, default="admin", help="the role to act with")
    add("--channel", default="console", help="the channel to act in")
    ask = command("ask", "run one command and print its reply", True)
    ask.set_defaults(with_services=_lazy("console", "ask"))
    ask.add_argument("line", help='the command line, e.g. "/summary"')
    ask.add_argument("--json", action="store_true", help="print the reply as one JSON object")
    ask.add_argument("--as", dest="role", choices=ROLES, default="member",
                     help="the role to act with")
    ask.add_argument("--channel", default="console", help="the channel to act in")
    ingest_cmd = command("ingest", "add articles from files, folders or web addresses")
    ingest_cmd.set_defaults(with_services=_lazy("ingest", "ingest"))
    ingest_cmd.add_argument("sources", nargs="+", help="paths, folders or http(s) addresses")
    command("articles", "list the stored articles").set_defaults(
        with_services=_lazy("ingest", "articles"))
    command("reanalyze", "analyse every stored article again (after a lexicon edit)"
            ).set_defaults(with_services=_lazy("ingest", "reanalyze"))
    backup_cmd = command("backup", "an online copy of the database")
    backup_cmd.set_defaults(with_services=_lazy("backup", "backup"))
    backup_cmd.add_argument("path", help="where to write the copy")
    restore = command("restore", "replace the database with a backup (stop Parley first)")
    restore.set_defaults(with_settings=_lazy("backup", "restore"), with_services=None)
    restore.add_argument("path", help="the backup to restore")
    digest_cmd = command("digest", "scheduled digests")
    digests = digest_cmd.add_subparsers(dest="action", required=True, metavar="<action>")
    tick = command("tick", "post every digest due now (or --at) and exit", parent=digests)
    tick.set_defaults(with_services=_lazy("digest", "digest_tick"))
    tick.add_argument("--at", help="the instant to act as of (ISO-8601; default now)")
    feeds_cmd = command("feeds", "RSS and Atom feeds: list, add, remove, poll")
    feed_actions = feeds_cmd.add_subparsers(dest="action", required=True, metavar="<action>")
    command("list", "the feeds followed, with their health", True,
            parent=feed_actions).set_defaults(with_services=_lazy("feeds", "feeds"))
    feed_add = command("add", "follow a feed", True, parent=feed_actions)
    feed_add.set_defaults(with_services=_lazy("feeds", "feeds"))
    feed_add.add_argument("url", help="the feed's web address")
    feed_remove = command("remove", "stop following a feed", True, parent=feed_actions)
    feed_remove.set_defaults(with_services=_lazy("feeds", "feeds"))
    feed_remove.add_argument("id", help="the feed, e.g. feed-3")
    feed_poll = command("poll", "poll every feed due now (or --at) and exit",
                        parent=feed_actions)
    feed_poll.set_defaults(with_services=_lazy("feeds", "poll"))
    feed_poll.add_argument("--at", help="the instant to act as of (ISO-8601; default now)")
    factcheck_cmd = command("factcheck", "import or export fact checks (ClaimReview)")
    checks = factcheck_cmd.add_subparsers(dest="action", required=True, metavar="<action>")
    fc_import = command("import", "import schema.org ClaimReview JSON-LD", parent=checks)
    fc_import.set_defaults(with_services=_lazy("factcheck", "factcheck_import"))
    fc_import.add_argument("file", help="a .json or .jsonld file (- for standard input)")
    fc_export = command("export", "print current verdicts as ClaimReview JSON-LD", parent=checks)
    fc_export.set_defaults(with_services=_lazy("factcheck", "factcheck_export"))
    fc_export.add_argument("--article", help="only this article's claims")
    export_cmd = command("export", "the audit log, fact checks, counterpoints or activity as "
                         "CSV or JSON")
    export_cmd.set_defaults(with_services=_lazy("export", "export"))
    export_cmd.add_argument("table", choices=list(TABLES), help="what to export")
    export_cmd.add_argument("--format", choices=["csv", "json"], default="csv",
                            help="CSV (the default) or JSON")
    command("health", "exit 0 if a running Parley's heartbeat is fresh (a container "
            "HEALTHCHECK)").set_defaults(with_settings=_lazy("health", "health"),
                                         with_services=None)
    command("discord-sync", "upload the Discord command definitions now").set_defaults(
        with_services=_lazy("discord_sync", "discord_sync"),
        refuse=_lazy("discord_sync", "refuse"))
    manifest = command("slack-manifest", "print the Slack app manifest (JSON)", True)
    manifest.set_defaults(with_services=_lazy("slack_manifest", "slack_manifest"),
                          refuse=_lazy("slack_manifest", "refuse"))
    manifest.add_argument("--url", help="public https address of /slack/events")
    manifest.add_argument("--socket-mode", action="store_true",
                          help="for Socket Mode (no public address needed)")
    manifest.add_argument("--only-umbrella", action="store_true",
                          help="only /parley, for workspaces where /help or /summary are taken")
    bench_cmd = command("bench", "the benchmarks (from a source checkout): python -m bench")
    bench_cmd.set_defaults(alone=_lazy("bench", "bench"), with_services=None)
    bench_cmd.add_argument("--quick", action="store_true", help="small sizes, under two minutes")
    return parser
