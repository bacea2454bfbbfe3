"""The ``parley`` command line: run, console, ask, ingest and articles."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import signal
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from parley.cli.app import open_services
from parley.core.analysis.lexicon import LexiconError
from parley.core.errors import UserError
from parley.core.log import configure_logging
from parley.core.models import Reply, Request, Role
from parley.core.registry import run_line
from parley.core.services import Services
from parley.core.settings import Settings, SettingsError, load_settings, unknown_variables
from parley.store.db import StoreError

log = logging.getLogger("parley.cli")

EXIT_OK, EXIT_USER_ERROR, EXIT_USAGE = 0, 1, 2
INGEST_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm"}
PROGRESS_THRESHOLD = 3


def exit_code(reply: Reply) -> int:
    if reply.kind == "usage":
        return EXIT_USAGE
    return EXIT_USER_ERROR if reply.is_error else EXIT_OK


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="parley", description="Parley: common ground on "
                                     "contentious articles, in Discord, Slack or a console.")
    sub = parser.add_subparsers(dest="cmd")
    sub.add_parser("run", help="start every configured adapter (the console when none is)")
    sub.add_parser("health", help="exit 0 if a running Parley's heartbeat is fresh (for a "
                   "container HEALTHCHECK)")
    sub.add_parser("discord-sync", help="upload the Discord command definitions now")
    slack_manifest = sub.add_parser("slack-manifest", help="print the Slack app manifest (JSON)")
    slack_manifest.add_argument("--url", help="public https address of /slack/events")
    slack_manifest.add_argument("--socket-mode", action="store_true",
                                help="for Socket Mode (no public address needed)")
    console = sub.add_parser("console", help="an interactive prompt taking slash commands")
    console.add_argument("--as", dest="role", choices=[r.label for r in Role], default="admin")
    console.add_argument("--channel", default="console")
    ask = sub.add_parser("ask", help="run one command and print its reply")
    ask.add_argument("line", help='the command line, e.g. "/summary"')
    ask.add_argument("--json", action="store_true", help="print the reply as one JSON object")
    ask.add_argument("--as", dest="role", choices=[r.label for r in Role], default="member")
    ask.add_argument("--channel", default="console")
    ingest = sub.add_parser("ingest", help="add articles from files, folders or web addresses")
    ingest.add_argument("sources", nargs="+", help="paths, folders or http(s) addresses")
    sub.add_parser("articles", help="list the stored articles")
    backup = sub.add_parser("backup", help="an online copy of the database")
    backup.add_argument("path")
    restore = sub.add_parser("restore", help="replace the database with a backup (stop Parley "
                             "first)")
    restore.add_argument("path")
    digest = sub.add_parser("digest", help="scheduled digests")
    digest_sub = digest.add_subparsers(dest="action", required=True)
    tick = digest_sub.add_parser("tick", help="post every digest due now (or --at) and exit")
    tick.add_argument("--at", help="the instant to act as of (ISO-8601; default now)")
    sub.add_parser("reanalyze", help="analyse every stored article again (after a lexicon edit)")
    bench = sub.add_parser("bench", help="the benchmarks (from a source checkout): python -m bench")
    bench.add_argument("--quick", action="store_true", help="small sizes, under two minutes")
    factcheck = sub.add_parser("factcheck", help="import or export fact checks (ClaimReview)")
    fc = factcheck.add_subparsers(dest="action", required=True)
    fc_import = fc.add_parser("import", help="import schema.org ClaimReview JSON-LD")
    fc_import.add_argument("file", help="a .json or .jsonld file (- for standard input)")
    fc_export = fc.add_parser("export", help="print current verdicts as ClaimReview JSON-LD")
    fc_export.add_argument("--article", help="only this article's claims")
    export = sub.add_parser("export", help="the audit log, fact checks, counterpoints or "
                            "activity as CSV or JSON")
    export.add_argument("table", choices=["audit", "factchecks", "counterpoints", "activity"])
    export.add_argument("--format", choices=["csv", "json"], default="csv")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.cmd == "bench":
        return _bench(args.quick)
    try:
        settings = load_settings()
    except SettingsError as exc:
        print(f"parley: {exc}", file=sys.stderr)
        return EXIT_USAGE
    interactive = args.cmd in ("console", "ask", "slack-manifest") or (
        args.cmd in (None, "run") and not settings.slack_bot_token and not settings.discord_token)
    quiet = interactive and "parley_log_level" not in settings.model_fields_set
    configure_logging("WARNING" if quiet else settings.parley_log_level,
                      settings.parley_log_format, settings.secrets())
    for line in unknown_variables(os.environ):
        log.warning(line)
    refused = _refuse_early(args, settings)
    if refused:
        print(f"parley: {refused}", file=sys.stderr)
        return EXIT_USAGE
    command: Callable[[Services], Awaitable[int]]
    match args.cmd:
        case None | "run":
            command = _run
        case "console":
            command = lambda s: _console(s, Role.parse(args.role), args.channel)  # noqa: E731
        case "ask":
            command = lambda s: _ask(s, args.line, args.json, Role.parse(args.role),  # noqa: E731
                                     args.channel)
        case "ingest":
            command = lambda s: _ingest(s, args.sources)  # noqa: E731
        case "articles":
            command = _articles
        case "reanalyze":
            command = _reanalyze
        case "digest":
            command = lambda s: _digest_tick(s, args.at)  # noqa: E731
        case "slack-manifest":
            command = lambda s: _slack_manifest(s, args.url, args.socket_mode)  # noqa: E731
        case "discord-sync":
            command = _discord_sync
        case "factcheck" if args.action == "import":
            command = lambda s: _factcheck_import(s, args.file)  # noqa: E731
        case "factcheck":
            command = lambda s: _factcheck_export(s, args.article)  # noqa: E731
        case "export":
            command = lambda s: _export(s, args.table, args.format)  # noqa: E731
    if args.cmd == "health":  # never opens (or creates) the database
        from parley.cli.health import check, heartbeat_path

        problem = check(heartbeat_path(Path(settings.parley_db)))
        print(f"parley: {problem}" if problem else "parley: alive",
              file=sys.stderr if problem else sys.stdout)
        return EXIT_USER_ERROR if problem else EXIT_OK
    if args.cmd == "restore":  # before opening the database it replaces
        return asyncio.run(_restore(settings, Path(args.path)))
    if args.cmd == "backup":
        command = lambda s: _backup(s, Path(args.path))  # noqa: E731
    try:
        return asyncio.run(_with_services(settings, command))
    except (StoreError, LexiconError) as exc:
        print(f"parley: {exc}", file=sys.stderr)
        return EXIT_USER_ERROR
    except KeyboardInterrupt:
        return EXIT_OK


def _refuse_early(args: argparse.Namespace, settings: Settings) -> str | None:
    """A reason to stop before any database is created or migrated, or None."""
    if args.cmd == "discord-sync" and not settings.discord_token:
        return "set DISCORD_TOKEN to sync Discord commands; nothing was done"
    if args.cmd == "slack-manifest" and args.url is not None:
        parts = urlsplit(args.url)
        if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in args.url):
            shown = args.url if len(args.url) <= 60 else args.url[:59] + "…"
            return (f"--url must be the https:// address of /slack/events (Slack requires "
                    f"https), not {shown!r}")
    return None


def _bench(quick: bool) -> int:
    """``parley bench`` is ``python -m bench``: the suite lives in the source checkout."""
    checkout = Path(__file__).resolve().parent.parent
    if not (checkout / "bench" / "__main__.py").is_file():
        print("parley: the benchmarks need a source checkout; run `python -m bench` in it",
              file=sys.stderr)
        return EXIT_USAGE
    if str(checkout) not in sys.path:
        sys.path.insert(0, str(checkout))
    from bench.__main__ import main as bench_main

    bench_main(["--quick"] if quick else [])
    return EXIT_OK


async def _with_services(settings: Settings, command: Callable[[Services], Awaitable[int]]) -> int:
    async with open_services(settings) as services:
        return await command(services)


async def _run(services: Services) -> int:
    """Every configured platform at once; the console when none is."""
    from datetime import timedelta

    from parley.adapters.console import ConsolePoster
    from parley.cli.health import beat, heartbeat_path
    from parley.core.digest.scheduler import Poster, run_forever

    settings = services.settings
    posters: dict[str, Poster] = {"console": ConsolePoster()}
    grace = timedelta(minutes=settings.parley_digest_grace_minutes)
    stop = asyncio.Event()
    scheduler = asyncio.create_task(run_forever(services.db, posters, services.now, grace, stop))
    alive = asyncio.create_task(beat(heartbeat_path(Path(settings.parley_db)), stop))
    try:
        return await _serve_platforms(services, posters, stop)
    finally:
        stop.set()
        await scheduler
        await alive


async def _serve_platforms(services: Services, posters: dict[str, Any], stop: asyncio.Event
                           ) -> int:
    settings = services.settings
    if not settings.slack_bot_token and not settings.discord_token:
        return await _console(services, Role.ADMIN, "console")
    if settings.slack_bot_token and not settings.slack_app_token \
            and not settings.slack_signing_secret:
        print("parley: SLACK_SIGNING_SECRET is required to receive Slack's HTTP requests "
              "(or set SLACK_APP_TOKEN for Socket Mode)", file=sys.stderr)
        return EXIT_USAGE
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    adapters = []
    if settings.slack_bot_token:
        from parley.adapters.slack.app import make_client
        from parley.adapters.slack.poster import SlackPoster
        from parley.adapters.slack.server import serve as serve_slack

        posters["slack"] = SlackPoster(make_client(services))
        adapters.append(serve_slack(services, stop))
    if settings.discord_token:
        from parley.adapters.discord.client import serve as serve_discord

        adapters.append(serve_discord(services, stop, posters))
    try:
        await asyncio.gather(*adapters)
    except Exception as exc:  # a platform refused us (bad token, unreachable): one clear line
        log.error("adapter stopped", extra={"error": type(exc).__name__})
        message = str(exc)
        for secret in settings.secrets():
            message = message.replace(secret, "***")
        print(f"parley: {type(exc).__name__}: {message}", file=sys.stderr)
        return EXIT_USER_ERROR
    log.info("stopped")
    return EXIT_OK


async def _slack_manifest(services: Services, url: str | None, socket_mode: bool) -> int:
    from parley.adapters.slack.manifest import manifest

    print(json.dumps(manifest(services.registry, url, socket_mode), indent=2))
    return EXIT_OK


async def _console(services: Services, role: Role, channel: str) -> int:
    from parley.adapters.console import Console

    return await Console(services, role=role, channel=channel).run()


async def _ask(services: Services, line: str, as_json: bool, role: Role, channel: str) -> int:
    from parley.adapters.console import render_text

    base = Request(platform="console", channel=channel, user="cli-user", role=role,
                   command="help")
    reply = await run_line(services.registry, line, base, services)
    if as_json:
        print(json.dumps(reply.model_dump(mode="json"), ensure_ascii=False))
    else:
        print(render_text(reply))
    return exit_code(reply)


def _expand(sources: list[str]) -> list[str]:
    out: list[str] = []
    for source in sources:
        path = Path(source)
        if path.is_dir():
            out += sorted(str(p) for p in path.rglob("*")
                          if p.is_file() and p.suffix.lower() in INGEST_SUFFIXES)
        else:
            out.append(source)
    return out


async def _ingest(services: Services, sources: list[str]) -> int:
    from tqdm import tqdm

    from parley.core.ingest.pipeline import ingest_path, ingest_url, is_url

    items = _expand(sources)
    failures = 0
    bar = tqdm(items, unit="article", disable=len(items) <= PROGRESS_THRESHOLD, file=sys.stderr)
    for item in bar:
        try:
            if is_url(item):
                result = await ingest_url(services.db, item, services.now(), services.lexicon)
            else:
                result = await ingest_path(services.db, Path(item), services.now(),
                                           lexicon=services.lexicon)
        except UserError as exc:
            failures += 1
            tqdm.write(f"{item}: {exc}", file=sys.stderr)
            continue
        verb = "added" if result.created else "already stored"
        tqdm.write(f"{result.article.id}: {verb} — {result.article.title}", file=sys.stdout)
    return EXIT_USER_ERROR if failures else EXIT_OK


async def _articles(services: Services) -> int:
    from parley.store import articles as article_store

    for article in await article_store.list_all(services.db, limit=100_000):
        byline = article.byline()
        print(f"{article.id}\t{article.title}" + (f"\t{byline}" if byline else ""))
    return EXIT_OK


async def _reanalyze(services: Services) -> int:
    from parley.core.ingest.pipeline import reanalyse

    done = await reanalyse(services.db, services.lexicon, everything=True)
    print(f"reanalysed {len(done)} article(s) with {services.lexicon.terms()} lexicon terms")
    return EXIT_OK


async def _factcheck_import(services: Services, file: str) -> int:
    from parley.core.factcheck.claimreview import ClaimReviewError, parse_document
    from parley.core.factcheck.link import import_reviews

    try:
        raw = sys.stdin.read() if file == "-" else await asyncio.to_thread(
            Path(file).read_text, encoding="utf-8")
        reviews = parse_document(json.loads(raw))
    except OSError as exc:
        print(f"parley: cannot read {file}: {exc.strerror}", file=sys.stderr)
        return EXIT_USER_ERROR
    except json.JSONDecodeError as exc:
        print(f"parley: {file} is not JSON (line {exc.lineno}: {exc.msg})", file=sys.stderr)
        return EXIT_USER_ERROR
    except ClaimReviewError as exc:
        print(f"parley: {file}: {exc}; nothing was imported", file=sys.stderr)
        return EXIT_USER_ERROR
    report = await import_reviews(services.db, reviews, "import", services.now())
    for claim_id, status in report.linked:
        print(f"{claim_id}\t{status}")
    print(f"imported {len(report.linked)} on claims, {report.unlinked} into the knowledge base, "
          f"{report.skipped} already present", file=sys.stderr)
    return EXIT_OK


async def _factcheck_export(services: Services, article_id: str | None) -> int:
    from parley.core.factcheck.claimreview import to_claimreview
    from parley.store import articles as article_store
    from parley.store import factchecks

    if article_id and await article_store.get(services.db, article_id) is None:
        print(f"parley: no article {article_id}", file=sys.stderr)
        return EXIT_USER_ERROR
    checks = await factchecks.current_for_export(services.db, article_id)
    graph = [to_claimreview(c.review, c.claim_id) for c in checks]
    print(json.dumps({"@context": "https://schema.org", "@graph": graph}, ensure_ascii=False,
                     indent=1))
    return EXIT_OK


async def _export(services: Services, table: str, fmt: str) -> int:
    from parley.cli.export import to_csv, to_json
    from parley.store.exports import TABLES

    rows = await TABLES[table](services.db)
    if table == "counterpoints":
        from parley.core.counterpoints.find import standing_of

        for row in rows:
            row["standing"] = standing_of(row["fitted_status"], row["origin"])
    sys.stdout.write(to_csv(rows) if fmt == "csv" else to_json(table, rows))
    print(f"exported {len(rows)} {table} row(s)", file=sys.stderr)
    return EXIT_OK


async def _digest_tick(services: Services, at: str | None) -> int:
    from datetime import UTC, datetime, timedelta

    from parley.adapters.console import ConsolePoster
    from parley.core.digest.scheduler import Poster, tick

    if at:
        try:
            when = datetime.fromisoformat(at)
        except ValueError:
            print(f"parley: --at must be an ISO-8601 time such as 2025-04-09T09:30:00+00:00, "
                  f"not {at!r}", file=sys.stderr)
            return EXIT_USAGE
        when = when if when.tzinfo else when.replace(tzinfo=UTC)
    else:
        when = services.now()
    posters: dict[str, Poster] = {"console": ConsolePoster()}
    if services.settings.slack_bot_token:
        from parley.adapters.slack.app import make_client
        from parley.adapters.slack.poster import SlackPoster

        posters["slack"] = SlackPoster(make_client(services))
    grace = timedelta(minutes=services.settings.parley_digest_grace_minutes)
    report = await tick(services.db, posters, when.astimezone(UTC), grace)
    print(f"digests: {len(report.posted)} posted, {len(report.skipped)} skipped, "
          f"{len(report.failed)} failed, {len(report.disabled)} disabled", file=sys.stderr)
    return EXIT_USER_ERROR if report.failed else EXIT_OK


async def _discord_sync(services: Services) -> int:
    from parley.adapters.discord.client import sync_now

    count = await sync_now(services)
    print(f"synced {count} Discord commands")
    return EXIT_OK


async def _backup(services: Services, path: Path) -> int:
    from parley.store.db import backup

    await backup(services.db, path)
    print(f"backed up {services.settings.parley_db} to {path}")
    return EXIT_OK


async def _restore(settings: Settings, path: Path) -> int:
    import shutil

    from parley.store.db import bundled_migrations, check_backup

    try:
        version = await check_backup(path, bundled_migrations())
    except StoreError as exc:
        print(f"parley: {exc}; nothing was changed", file=sys.stderr)
        return EXIT_USER_ERROR
    target = Path(settings.parley_db)
    await asyncio.to_thread(target.parent.mkdir, parents=True, exist_ok=True)
    if await asyncio.to_thread(target.exists):
        keep = target.with_suffix(target.suffix + ".before-restore")
        await asyncio.to_thread(shutil.copy2, target, keep)
        print(f"kept the current database as {keep}")
    staging = target.with_suffix(target.suffix + ".restoring")
    await asyncio.to_thread(shutil.copy2, path, staging)
    for suffix in ("-wal", "-shm"):
        await asyncio.to_thread(Path(str(target) + suffix).unlink, missing_ok=True)
    await asyncio.to_thread(staging.replace, target)  # atomic on one filesystem
    print(f"restored {path} (schema version {version}) to {target}")
    return EXIT_OK
