"""A new question's ``/fact`` CPU part by part, through the Discord adapter in
``bench.platforms_fair``'s setup (the article not encoded, so no encoder runs): each part's
process CPU per round trip, beside the whole round trip's, the same question asked again, and
the fair cog's; Parley's own path too (the adapter's Request, dispatch with the handler inside
it, the rendering). The parts are timed by wrapping them (about a microsecond a call added)."""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import functools
import json
import pstats
import time
from collections.abc import Awaitable, Callable
from typing import Any

from bench.platforms_e2e import FACT
from bench.platforms_fair import (
    FLOOR_FACT,
    PARLEY,
    PEER,
    _round,
    _round_trip,
    discord_pair,
    new_questions,
)
from parley.adapters.discord import client as discord_client
from parley.core.commands import fact as fact_command
from parley.core.search import lookup as lookup_module
from parley.store import factchecks, search

# (owner, attribute, label): what is timed. Nested parts count inside their callers too.
SYNC_PARTS = [(lookup_module, "_query_and_vector", "query and static vector"),
              (lookup_module, "build_query", "  build_query"),
              (lookup_module, "embed", "  static model (question and unknown words)"),
              (lookup_module, "_nearest", "  the unknown words' neighbours"),
              (lookup_module, "evidence", "evidence (terms' sentences, BM25, coverage)"),
              (lookup_module, "_hits", "hits"),
              (lookup_module.ArticleIndex, "remember", "remembered answers kept"),
              (discord_client.ParleyDiscord, "_request", "path: the adapter's Request"),
              (discord_client.ParleyDiscord, "_render", "path: rendering (embeds, buttons)")]
ASYNC_PARTS = [(discord_client, "dispatch", "path: dispatch (gate, limits, handler, note)"),
               (fact_command, "_answer", "/fact's answer (lookup and reply)"),
               (fact_command, "lookup", "lookup"),
               (search, "knowledge_candidates", "knowledge base"),
               (factchecks, "latest", "check statuses")]


def _timed(spent: dict[str, float], label: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.process_time() - started
    return wrapper


def _timed_async(spent: dict[str, float], label: str,
                 fn: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    @functools.wraps(fn)
    async def wrapper(*args: Any, **kwargs: Any) -> Any:
        started = time.process_time()
        try:
            return await fn(*args, **kwargs)
        finally:
            spent[label] = spent.get(label, 0.0) + time.process_time() - started
    return wrapper


def _instrument(spent: dict[str, float]) -> Callable[[], None]:
    """Wrap every part; returns what puts them back."""
    saved = [(owner, name, getattr(owner, name)) for owner, name, _ in SYNC_PARTS + ASYNC_PARTS]
    for owner, name, label in SYNC_PARTS:
        setattr(owner, name, _timed(spent, label, getattr(owner, name)))
    for owner, name, label in ASYNC_PARTS:
        setattr(owner, name, _timed_async(spent, label, getattr(owner, name)))

    def restore() -> None:
        for owner, name, original in saved:
            setattr(owner, name, original)
    return restore


async def run(count: int, rounds: int) -> dict[str, Any]:
    """``rounds`` of ``count`` new questions (Parley), the same question (Parley) and new
    questions (the cog), one after the other; each part's ms per round trip, each round."""
    spent: dict[str, float] = {}
    out: list[dict[str, Any]] = []
    restore = _instrument(spent)
    try:
        async with discord_pair() as pair:
            for _ in range(20):
                await _round_trip(pair.fake, PARLEY, FACT)
            ours, theirs = new_questions(50_000), new_questions(50_000)
            await _round(pair.fake, PARLEY, 30, FACT, ours)
            for _ in range(rounds):
                spent.clear()
                cpu = (await _round(pair.fake, PARLEY, count, FACT, ours))[2]
                parts = {k: round(v * 1000 / count, 3) for k, v in spent.items()}
                again = (await _round(pair.fake, PARLEY, count, FACT))[2]
                peer = (await _round(pair.fake, PEER, count, FACT, theirs))[2]
                out.append({"new question, whole round trip": round(cpu * 1000 / count, 3),
                            **parts,
                            "the same question again, whole": round(again * 1000 / count, 3),
                            "the fair cog, new question, whole": round(peer * 1000 / count, 3)})
    finally:
        restore()
    keys = list(dict.fromkeys(k for r in out for k in r))
    return {"ms_cpu_per_round_trip": {k: [r.get(k, 0.0) for r in out] for k in keys}}


PROFILED = ("on_interaction", "send_message", "parse_interaction_create", "_first_delivery",
            "_request", "_resolved", "dispatch", "server_limits", "check", "convert_args",
            "note_activity", "peer_fact", "of", "pages", "_embeds", "model_copy", "lookup",
            "_query_and_vector", "build_query", "_fix", "_correct", "embed", "_nearest",
            "evidence", "knowledge_candidates", "latest", "_hits", "execute")


async def profile(count: int, out: str, new: bool = False) -> dict[str, Any]:
    """``count`` ``/peerfact`` round trips (Parley's path around the cog's own lookup), or with
    ``new`` ``/fact`` round trips each asking a new question (``new_questions``: SQuAD dev's with
    ``PARLEY_BENCH_QUESTIONS=squad``), under cProfile by process CPU, written to ``out``; each
    named function's profiled µs a round trip (cumulative, so nested ones count in their
    callers; the profiler inflates them all, small functions most)."""
    command = FACT if new else FLOOR_FACT
    async with discord_pair() as pair:
        questions = new_questions() if new else None
        await _round(pair.fake, PARLEY, 100, command, questions)
        profiler = cProfile.Profile(time.process_time)
        profiler.enable()
        await _round(pair.fake, PARLEY, count, command, questions)
        profiler.disable()
    profiler.dump_stats(out)
    stats: dict[Any, Any] = pstats.Stats(out).stats  # type: ignore[attr-defined]
    found: dict[str, float] = {}
    for (path, line, name), (_, _, _, cumulative, _) in stats.items():
        if name == "<method 'execute' of 'sqlite3.Connection' objects>":
            found["sqlite3 execute"] = found.get("sqlite3 execute", 0.0) + cumulative
        elif name in PROFILED and any(part in path for part in ("parley", "discord", "bench",
                                                                "pydantic")):
            # discord/client.py:dispatch; the line too, where a file has two of a name
            label = f"{'/'.join(path.rsplit('/', 2)[-2:])}:{line}:{name}"
            found[label] = found.get(label, 0.0) + cumulative
    total = sum(row[3] for key, row in stats.items() if key[2] == "_run_once")
    return {"profiled_us_per_round_trip": {k: round(v * 1e6 / count) for k, v in
                                           sorted(found.items(), key=lambda kv: -kv[1])},
            "profiled_loop_us_per_round_trip": round(total * 1e6 / count)}


def main(argv: list[str] | None = None) -> None:
    """``python -m bench.fact_parts [--count N] [--rounds N] [--profile FILE [--new]]``"""
    parser = argparse.ArgumentParser(prog="python -m bench.fact_parts")
    parser.add_argument("--count", type=int, default=200, help="round trips a round")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--profile", default=None,
                        help="instead: 1,000 /peerfact round trips under cProfile, to FILE")
    parser.add_argument("--new", action="store_true",
                        help="with --profile: /fact round trips, a new question each")
    args = parser.parse_args(argv)
    if args.profile:
        print(json.dumps(asyncio.run(profile(1000, args.profile, args.new)), indent=1))
        return
    result = asyncio.run(run(args.count, args.rounds))
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
