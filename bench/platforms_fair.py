"""Parley beside the fair peers (``bench/fair_peers.py``), through the real discord.py and
slack-bolt against the local fakes, in alternating rounds of one run:

- Discord ``/fact`` round trips, one at a time (throughput, latency, process CPU);
- Slack ``/fact``: acks and answered commands per second under a closed loop, and each
  answer's delay at a moderate, paced load, with late acks counted;
- on both, Parley's own path around the peers' exact lookup (``/peerfact``, a benchmark-only
  command): what the adapters, dispatch and rendering cost, apart from /fact's search;
- on both, ``/fact`` asked a new question every time (the same questions to both sides:
  ``new_questions``), so that Parley ranks each one afresh rather than answering from the
  article's remembered answers (the peers remember nothing, so their cost is the same);
- bursts: thousands of simultaneous interactions, first responses later than Discord's 3 s;
- the largest article Parley analyses (2 MB of text is cut to its 5,000-sentence cap) being
  analysed while hundreds of interactions arrive (Parley only: the peer has no analysis).
"""

from __future__ import annotations

import asyncio
import contextlib
import cProfile
import itertools
import math
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aiohttp
from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from bench.fair_peers import (
    FLOOR,
    MEANING,
    Lookup,
    MeaningLookup,
    add_floor_command,
    build_index,
    discord_peer,
    slack_peer,
)
from bench.platforms_e2e import FACT, QUESTION, SECRET, TOKEN, _port
from bench.timing import p50_p99
from bench.workloads import REPO, bench_settings, large_article
from parley.adapters.discord.client import configure_endpoints
from parley.adapters.discord.client import serve as serve_discord
from parley.adapters.slack.server import serve as serve_slack
from parley.adapters.slack.server import web_app
from parley.cli.app import open_services
from parley.core.ingest.encodings import encode_stored
from parley.core.ingest.pipeline import MAX_SENTENCES, ingest_bytes, prepare
from parley.core.services import Services
from tests.fakes.discord_server import (
    GUILD_ID,
    FakeDiscord,
    guild_on,
    interaction,
    running_fake_discord,
    shard_of,
)
from tests.fakes.slack_server import FakeSlack, form, running_fake_slack, sign, slash_payload

LATE_S = 3.0  # Discord's and Slack's deadline for the first response (ack)
BURST_BACKLOG = 4096  # the fake's queue of connections not yet accepted (Linux's usual cap)
PEER, PARLEY = 0, 1  # the fake Discord's connections, in the order the bots connect
# The main rows ask the same question every time, on both sides: Parley answers it from the
# article's remembered answers after the first time (check statuses and the knowledge base are
# still read), the peers run their query again. The "new questions" rows ask each question once.
# In this benchmark the article is not encoded, so the encoder never runs.
FLOOR_FACT = {**FACT, "name": FLOOR}
COG = "fair discord.py cog (FTS5 + embed)"
BOLT = "fair slack-bolt app (ack, FTS5, response_url)"
FLOOR_LABEL = "Parley's path, the peer's lookup (/peerfact)"
NEW = ", a new question each time"
# The meaning rows (after the rows above, once Parley's article is encoded, as `parley run`
# does): Parley's /fact with the encoder against the peers' /meaningfact (fair_peers.py).
MEANING_COG = "meaning discord.py cog (FTS5 + the encoder on the question + cosine)"
MEANING_BOLT = "meaning slack-bolt app (ack, FTS5 + the encoder + cosine, response_url)"
ENCODED = ", a new question each time, article encoded"
MEANING_FACT = {**FACT, "name": MEANING}


SLACK_MEANING_START = 500_000  # beyond any year the Discord rows reach


# ``PARLEY_BENCH_QUESTIONS=squad`` (``--diverse``): new questions are SQuAD v1.1 dev's own, each
# asked once, instead of one question with a new year (which repeats every other word, so the
# thesaurus's and the typo memo's caches serve them); the same sequence for both bots.
DIVERSE = "PARLEY_BENCH_QUESTIONS"
BLOCK = 2_000  # SQuAD questions a row may ask; each start below gets a block of its own
BLOCKS = {1000: 0, 50_000: 1, 100_000: 2, SLACK_MEANING_START: 3, 900_000: 4}


def new_questions(start: int = 1000) -> Iterator[str]:
    """The benchmark's question about a different year each time (none ever asked twice), or,
    with ``PARLEY_BENCH_QUESTIONS=squad``, SQuAD dev's questions from the start's own block."""
    if os.environ.get(DIVERSE) == "squad":
        from bench import squad

        asked = list(dict.fromkeys(q.text for a in squad.articles() for q in a.questions))
        block = BLOCKS[start] * BLOCK
        return iter(asked[block:block + BLOCK])
    return (f"{QUESTION} in {year}" for year in itertools.count(start))


def fact_command(question: str, command: dict[str, Any] = FACT) -> dict[str, Any]:
    """A Discord ``/fact`` command (or ``command``) asking ``question``."""
    return {**command, "options": [{"name": "question", "type": 3, "value": question}]}


# --- Discord ---------------------------------------------------------------------------------
@dataclass
class DiscordPair:
    """Both bots connected to one fake Discord."""

    fake: FakeDiscord
    services: Services


@asynccontextmanager
async def discord_pair(meaning: bool = False) -> AsyncIterator[DiscordPair]:
    """Both bots on one fake Discord; with ``meaning``, the cog's /meaningfact too."""
    async with running_fake_discord() as fake:
        configure_endpoints(fake.api, fake.gateway)
        with tempfile.TemporaryDirectory() as tmp:
            await build_index(Path(tmp) / "peer.db", meaning=meaning)
            lookup = await Lookup.open(Path(tmp) / "peer.db")
            floor_lookup = await Lookup.open(Path(tmp) / "peer.db")
            by_meaning = await MeaningLookup.open(Path(tmp) / "peer.db") if meaning else None
            peer = await discord_peer(lookup, by_meaning)
            await peer.login(TOKEN)
            peer_task = asyncio.create_task(peer.connect(reconnect=False))
            await asyncio.wait_for(fake.ready.wait(), 15)
            fake.ready.clear()
            settings = bench_settings(Path(tmp) / "d.db", discord_token=TOKEN,
                                      discord_api_base_url=fake.api,
                                      discord_gateway_url=fake.gateway,
                                      discord_guild_ids=[int(GUILD_ID)])
            try:
                async with open_services(settings) as services:
                    add_floor_command(services.registry, floor_lookup)
                    stop = asyncio.Event()
                    runner = asyncio.create_task(serve_discord(services, stop))
                    await asyncio.wait_for(fake.ready.wait(), 15)
                    await fake.wait(lambda: bool(fake.commands))
                    try:
                        yield DiscordPair(fake, services)
                    finally:
                        stop.set()
                        await runner
            finally:
                await peer.close()
                peer_task.cancel()
                await lookup.close()
                await floor_lookup.close()
                if by_meaning is not None:
                    await by_meaning.close()


async def _round_trip(fake: FakeDiscord, bot: int, command: dict[str, Any] = FACT,
                      guild_id: str = GUILD_ID) -> None:
    before = len(fake.callbacks)
    await fake.dispatch_to(bot, "INTERACTION_CREATE", interaction(2, command,
                                                                  guild_id=guild_id))
    await fake.wait(lambda: len(fake.callbacks) > before)


async def _round(fake: FakeDiscord, bot: int, count: int, command: dict[str, Any] = FACT,
                 questions: Iterator[str] | None = None) -> tuple[list[float], float, float]:
    """(each round trip's ms, wall seconds, process CPU seconds); with ``questions``, each
    round trip asks the next one."""
    times = []
    cpu, started = time.process_time(), time.perf_counter()
    for _ in range(count):
        asked = command if questions is None else fact_command(next(questions), command)
        t0 = time.perf_counter()
        await _round_trip(fake, bot, asked)
        times.append((time.perf_counter() - t0) * 1000)
    return times, time.perf_counter() - started, time.process_time() - cpu


def _summary(times: list[float], wall: float, cpu: float) -> dict[str, float]:
    return {"requests": len(times), "per_second": round(len(times) / wall, 1),
            "cpu_ms": round(cpu * 1000 / len(times), 3), **p50_p99(times)}


async def _discord_meaning(pair: DiscordPair, bots: dict[str, tuple[int, dict[str, Any]]],
                           measured: dict[str, list[tuple[list[float], float, float]]],
                           asked: dict[str, Iterator[str]], count: int, rounds: int) -> None:
    """The meaning rows, after the others: Parley's article encoded now (as ``parley run``
    does), its /fact against the cog's /meaningfact, a new question each time."""
    await encode_stored(pair.services.db, pair.services.workers)
    second = {"ours_meaning": (PARLEY, FACT), "peer_meaning": (PEER, MEANING_FACT)}
    asked.update(ours_meaning=new_questions(100_000), peer_meaning=new_questions(100_000))
    warm = new_questions(900_000)
    for bot, command in second.values():
        for _ in range(5):
            await _round(pair.fake, bot, 1, command, warm)
    bots.update(second)
    measured.update({n: [] for n in second})
    order = list(second)
    for r in range(rounds):
        for name in order[r % len(order):] + order[:r % len(order)]:
            bot, command = bots[name]
            measured[name].append(await _round(pair.fake, bot, count // rounds, command,
                                               asked[name]))


async def discord_rounds(count: int, rounds: int = 6, meaning: bool = False) -> dict[str, Any]:
    """``/fact`` round trips one at a time: Parley, the cog and Parley's path around the cog's
    lookup, then Parley and the cog asked a new question each time, in rotating rounds; each
    round's ratio is kept, so the spread shows how noisy the machine was."""
    bots = {"ours": (PARLEY, FACT), "peer": (PEER, FACT), "floor": (PARLEY, FLOOR_FACT),
            "ours_new": (PARLEY, FACT), "peer_new": (PEER, FACT)}
    # One stream of new questions for each side: the same questions, in the same order.
    asked = {"ours_new": new_questions(), "peer_new": new_questions()}
    async with discord_pair(meaning) as pair:
        for bot, command in bots.values():  # discord.py's lazy setup is not measured
            for _ in range(10):
                await _round_trip(pair.fake, bot, command)
        measured: dict[str, list[tuple[list[float], float, float]]] = {n: [] for n in bots}
        order = list(bots)
        for r in range(rounds):
            for name in order[r % len(order):] + order[:r % len(order)]:
                bot, command = bots[name]
                measured[name].append(await _round(pair.fake, bot, count // rounds, command,
                                                   asked.get(name)))
        if meaning:
            await _discord_meaning(pair, bots, measured, asked, count, rounds)

    def ratios(name: str, peer: str = "peer") -> list[float]:
        return [round(len(o[0]) / o[1] / (len(p[0]) / p[1]), 2)
                for o, p in zip(measured[name], measured[peer], strict=True)]

    def cpu_ratios(name: str, peer: str = "peer") -> list[float]:
        # the peer's process CPU per round trip over Parley's, round by round: what a loaded
        # machine's run queue does to wall-clock throughput does not enter it
        return [round(p[2] / len(p[0]) / (o[2] / len(o[0])), 2)
                for o, p in zip(measured[name], measured[peer], strict=True)]

    def merged(name: str) -> dict[str, float]:
        runs = measured[name]
        return _summary([t for r in runs for t in r[0]], sum(r[1] for r in runs),
                        sum(r[2] for r in runs))

    return {"Parley": merged("ours"), COG: merged("peer"), FLOOR_LABEL: merged("floor"),
            "Parley" + NEW: merged("ours_new"), COG + NEW: merged("peer_new"),
            "ratio_per_round": ratios("ours"), "floor_ratio_per_round": ratios("floor"),
            "new_question_ratio_per_round": ratios("ours_new", "peer_new"),
            "cpu_ratio_per_round": cpu_ratios("ours"),
            "floor_cpu_ratio_per_round": cpu_ratios("floor"),
            "new_question_cpu_ratio_per_round": cpu_ratios("ours_new", "peer_new"),
            **({} if not meaning else {
                "Parley" + ENCODED: merged("ours_meaning"),
                MEANING_COG + NEW: merged("peer_meaning"),
                "meaning_new_question_ratio_per_round": ratios("ours_meaning", "peer_meaning"),
                "meaning_new_question_cpu_ratio_per_round": cpu_ratios("ours_meaning",
                                                                       "peer_meaning")})}


def _cpu_s(pid: int | None) -> float:
    """A process's CPU seconds so far (user and system; Linux's ``/proc``), 0 if unknown."""
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _all_in(keys: list[str], found: dict[str, float]) -> Callable[[], bool]:
    """A check that every key is in ``found`` (which only grows), each call going on from the
    first key the last call was still waiting for (the fake's own CPU, in a burst's polls)."""
    at = [0]

    def check() -> bool:
        while at[0] < len(keys) and keys[at[0]] in found:
            at[0] += 1
        return at[0] == len(keys)

    return check


async def _until(done: Callable[[], bool], within_s: float, every_s: float = 0.25) -> None:
    """Poll ``done`` every ``every_s`` (checking thousands of ids at every request the fake
    records would be the fake's own work) until it holds or ``within_s`` passes."""
    for _ in range(int(within_s / every_s)):
        if done():
            return
        await asyncio.sleep(every_s)


async def _burst(fake: FakeDiscord, side: list[int], size: int, pids: list[int | None],
                 within_s: float = 60, answered_within_s: float = 180,
                 profile: cProfile.Profile | None = None) -> dict[str, Any]:
    """``size`` ``/fact`` interactions from the fake's servers in turn, delivered back to back
    to the bot connections ``side`` (its shards' sessions), each to the one serving its
    server's shard; each first response's delay on the fake's clock (delivered → the
    callback's arrival), late past 3 s; each of the bot's processes' (``pids``) CPU."""
    guilds = fake.guild_ids
    payloads = [interaction(2, FACT, guild_id=guilds[i % len(guilds)]) for i in range(size)]
    ids = [p["id"] for p in payloads]
    tokens = [p["token"] for p in payloads]
    shard_of_each = [fake.sockets.index(fake.session_for(p["guild_id"], side)) for p in payloads]
    cpu, fake_cpu = [_cpu_s(pid) for pid in pids], time.process_time()
    if profile is not None:
        profile.enable()
    await fake.deliver_routed(payloads, side)  # as fast as the gateway can carry them
    delivered_s = fake.delivered[ids[-1]] - fake.delivered[ids[0]]
    # 20 times a second (each check goes on from the first id still waiting: microseconds),
    # so the CPU to the last first response takes in at most 50 ms of the answers' work
    await _until(_all_in(ids, fake.first_response), within_s, 0.05)
    first_cpu = [_cpu_s(pid) - c for pid, c in zip(pids, cpu, strict=True)]
    fake_first_cpu = time.process_time() - fake_cpu
    if profile is not None:
        profile.disable()
    await _until(_all_in(tokens, fake.answered), answered_within_s)
    waits = [(fake.first_response[i] - fake.delivered[i]) * 1000
             if i in fake.first_response else math.inf for i in ids]
    finite = [w for w in waits if w != math.inf] or [math.inf]
    answers = [fake.answered[t] for t in tokens if t in fake.answered]
    last_first = max((fake.first_response[i] for i in ids if i in fake.first_response),
                     default=math.inf)
    per_process = [sum(1 for s in shard_of_each if s == bot) for bot in side]
    result: dict[str, Any] = {
        "interactions": size, "late": sum(w > LATE_S * 1000 for w in waits),
        "never_answered": sum(w == math.inf for w in waits),
        "no_final_answer": size - len(answers),
        # answers worked on before the last first response went (work that competed with it)
        "answered_before_last_first_response": sum(a < last_first for a in answers),
        **{f"first_response_{k}": v for k, v in p50_p99(finite).items()},
        "first_response_max_ms": round(max(waits), 1),
        "delivered_in_s": round(delivered_s, 2),
        "all_answered_s": round(max(answers, default=math.inf) - fake.delivered[ids[0]], 1),
        "bot_cpu_s": round(sum(_cpu_s(pid) - c for pid, c in zip(pids, cpu, strict=True)), 1),
        "bot_cpu_to_first_responses_s": round(sum(first_cpu), 2),
        "fake_cpu_to_first_responses_s": round(fake_first_cpu, 1),
        # how much of a core the bot had until its last first response (under 1: it waited
        # for a core, a loaded machine's doing, or it was waiting on the fake)
        "bot_core_share_to_last_first_response": [
            round(c / (last_first - fake.delivered[ids[0]]), 2) for c in first_cpu]}
    if len(side) > 1:  # each shard process's own
        result["late_per_process"] = [
            sum(w > LATE_S * 1000 for w, s in zip(waits, shard_of_each, strict=True) if s == b)
            for b in side]
        result["cpu_ms_per_first_response_per_process"] = [
            round(c * 1000 / n, 2) if n else 0.0 for c, n in zip(first_cpu, per_process,
                                                                 strict=True)]
    elif pids[0] is not None:
        result["cpu_ms_per_first_response"] = round(first_cpu[0] * 1000 / size, 2)
    return result


def _bursts_merged(runs: list[dict[str, Any]]) -> dict[str, Any]:
    return {"interactions_per_burst": runs[0]["interactions"], "bursts": len(runs),
            **{key: [r[key] for r in runs] for key in runs[0] if key != "interactions"}}


async def burst_rounds(fake: FakeDiscord, size: int, rounds: int,
                       pids: tuple[Any, Any] = (None, None), settle_s: float = 1.0,
                       sides: tuple[list[int], list[int]] = ([PEER], [PARLEY]),
                       labels: tuple[str, str] = (COG, "Parley"),
                       fake_profile: Path | None = None) -> dict[str, Any]:
    """Bursts of ``size`` to the cog and to Parley (both connected to ``fake``: ``sides`` are
    each one's connections, one per shard), alternating which goes first, ``settle_s`` apart;
    ``pids`` are the bots' processes (a list per side with shards) for their CPU;
    ``fake_profile``: where this process (the fake) writes its cProfile of Parley's bursts,
    from the first frame sent to the last first response, on its thread time."""
    side_pids = [p if isinstance(p, list) else [p] * len(s)
                 for p, s in zip(pids, sides, strict=True)]
    for side in sides:  # each bot's lazy setup is not measured (every shard's session)
        for bot in side:
            shard, count = fake.shards[fake.sockets[bot]]
            guild = next(g for g in fake.guild_ids if shard_of(g, count) == shard)
            for _ in range(5):
                await _round_trip(fake, bot, guild_id=guild)
    runs: dict[int, list[dict[str, Any]]] = {0: [], 1: []}
    profile = cProfile.Profile(time.thread_time) if fake_profile is not None else None
    for r in range(rounds):
        for n in (0, 1) if r % 2 == 0 else (1, 0):
            runs[n].append(await _burst(fake, sides[n], size, side_pids[n],
                                        profile=profile if n == 1 else None))
            await asyncio.sleep(settle_s)  # the last answers' follow-ups settle
    if profile is not None and fake_profile is not None:
        profile.dump_stats(fake_profile)
    return {labels[1]: _bursts_merged(runs[1]), labels[0]: _bursts_merged(runs[0])}


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:]


NO_ORJSON = ("import sys, runpy; sys.modules['orjson'] = None; "  # `import orjson` then fails
             "runpy.run_module('bench.burst_bots', run_name='__main__', alter_sys=True)")


async def _bot_process(name: str, fake: FakeDiscord, where: Path, log: Path,
                       extra: list[str] | None = None, orjson: bool = True,
                       nice: int = 0) -> asyncio.subprocess.Process:
    """One bot (``bench/burst_bots.py``) in a process of its own, connected to ``fake``;
    without ``orjson``, discord.py there parses the gateway's JSON with the standard
    library's ``json``, as on an install without orjson; ``nice``: its scheduling priority
    below this process's (the fake's), every thread of it."""
    fake.ready.clear()
    start = ["-m", "bench.burst_bots"] if orjson else ["-c", NO_ORJSON]
    niced = ["nice", "-n", str(nice)] if nice and shutil.which("nice") else []
    proc = await asyncio.create_subprocess_exec(
        *niced, sys.executable, *start, name, fake.api, fake.gateway, str(where),
        *(extra or []),
        cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)},
        stdout=asyncio.subprocess.DEVNULL, stderr=log.open("wb"))
    try:
        await asyncio.wait_for(fake.ready.wait(), 60)
    except TimeoutError:
        with contextlib.suppress(ProcessLookupError):  # it may have ended already
            proc.kill()
        raise RuntimeError(f"{name} did not connect: {_tail(log)}") from None
    return proc


GUILDS_PER_SHARD = 2
# The bots' scheduling priority below the fake's: the fake stands in for Discord, whose work
# is on Discord's machines, not the bot's. On this benchmark's shared cores a fake that waits
# for a core behind a bot sends events late and reads callbacks late, and every such delay
# was counted against the bot (the same for both bots: both get it). 5 makes the kernel give
# the fake about three times a bot's share when both want a core; 0 shares equally (as before
# the twelfth session). Measured both ways in docs/benchmarks.md.
BOT_NICE = 5


async def discord_burst(size: int, rounds: int = 2, shards: int = 1, orjson: bool = True,
                        profile: Path | None = None, fake_profile: Path | None = None,
                        bot_nice: int = BOT_NICE) -> dict[str, Any]:
    """``size`` simultaneous ``/fact`` interactions to each bot, ``rounds`` times each,
    alternating: the fake Discord and this driver in this process, the cog and Parley each in
    a process of its own (as in production), all on loopback. With ``shards`` > 1 each bot
    runs as that many processes, one shard each (Parley's sharing one store, as ``parley run
    --role discord`` processes share their database), and the interactions come from
    ``GUILDS_PER_SHARD`` servers of every shard in turn. ``profile``: where Parley's (first)
    process writes its cProfile; ``fake_profile``: the fake's (this process's) during Parley's
    bursts. Both bots run ``bot_nice`` below this process (:data:`BOT_NICE`)."""
    with tempfile.TemporaryDirectory() as tmp:
        where = Path(tmp)
        async with running_fake_discord(backlog=BURST_BACKLOG) as fake:
            if shards > 1:
                fake.guild_ids = [guild_on(s, shards, k) for k in range(GUILDS_PER_SHARD)
                                  for s in range(shards)]
            guild_arg = ["--guilds", ",".join(fake.guild_ids)]
            procs: dict[str, list[asyncio.subprocess.Process]] = {"cog": [], "parley": []}
            try:
                for name in ("cog", "parley"):  # in connection order: the cog's, then Parley's
                    for shard in range(shards):
                        folder = where / (name if name == "parley" else f"{name}{shard}")
                        folder.mkdir(exist_ok=True)
                        extra = [*guild_arg, *(["--shard", f"{shard}/{shards}"]
                                               if shards > 1 else [])]
                        if profile is not None and name == "parley" and shard == 0:
                            extra += ["--profile", str(profile)]
                        procs[name].append(await _bot_process(
                            name, fake, folder, where / f"{name}{shard}.log", extra, orjson,
                            bot_nice))
                await fake.wait(lambda: len(fake.commands) == len(fake.guild_ids), 60)
                sides = (list(range(shards)), list(range(shards, 2 * shards)))
                pids = ([p.pid for p in procs["cog"]], [p.pid for p in procs["parley"]])
                labels = (COG, "Parley") if shards == 1 else (
                    f"{COG}, {shards} shard processes", f"Parley, {shards} shard processes")
                result = await burst_rounds(fake, size, rounds, pids, sides=sides,
                                            labels=labels, fake_profile=fake_profile)
                result["orjson"] = orjson
                result["bot_nice"] = bot_nice
            finally:
                everyone = procs["cog"] + procs["parley"]
                for proc in everyone:
                    with contextlib.suppress(ProcessLookupError):
                        proc.terminate()
                for proc in everyone:
                    try:
                        await asyncio.wait_for(proc.wait(), 30)
                    except TimeoutError:
                        with contextlib.suppress(ProcessLookupError):
                            proc.kill()
    return result


def largest_analysed(article_bytes: int) -> tuple[bytes, int]:
    """An article of at most ``article_bytes`` that Parley analyses rather than refuses (it
    analyses up to ``MAX_SENTENCES`` sentences, so 2 MB of ordinary prose is cut to that), and
    its sentence count."""
    data = large_article(article_bytes)[:article_bytes].rsplit(b"\n\n", 1)[0]
    while True:
        count = prepare(data, None, "large.txt", None).sentence_count
        if count <= MAX_SENTENCES:
            return data, count
        keep = int(len(data) * MAX_SENTENCES / count * 0.98)
        data = data[:keep].rsplit(b"\n\n", 1)[0]


async def discord_during_analysis(interactions: int, per_second: float = 50.0,
                                  article_bytes: int = 1_990_000) -> dict[str, Any]:
    """The largest article Parley analyses (up to 2 MB, up to ``MAX_SENTENCES`` sentences)
    ingested while ``interactions`` arrive, paced; none may be late."""
    data, sentences = largest_analysed(article_bytes)
    async with discord_pair() as pair:
        await _round_trip(pair.fake, PARLEY)
        ingest = asyncio.create_task(ingest_bytes(pair.services.db, pair.services.workers,
                                                  data, pair.services.now()))
        await asyncio.sleep(0.5)  # decoded and parsed; the analysis has started
        sent: dict[str, float] = {}
        for _ in range(interactions):
            payload = interaction(2, FACT)
            sent[payload["id"]] = time.perf_counter()
            await pair.fake.dispatch_to(PARLEY, "INTERACTION_CREATE", payload)
            await asyncio.sleep(1 / per_second)
        fake = pair.fake
        with contextlib.suppress(TimeoutError):  # one never answered counts as late
            await fake.wait(lambda: all(i in fake.first_response for i in sent), 60)
        still_analysing = not ingest.done()
        if ingest.done() and ingest.exception() is not None:
            raise RuntimeError("the article was refused") from ingest.exception()
        waits = [(fake.first_response[i] - t) * 1000 if i in fake.first_response
                 else math.inf for i, t in sent.items()]
        ingest.cancel()  # services closing cut the analysis off (the worker is stopped)
    return {"article_kb": round(len(data) / 1000), "sentences": sentences,
            "interactions": interactions,
            "late": sum(w > LATE_S * 1000 for w in waits),
            "analysis_still_running": still_analysing, **p50_p99(waits)}


# --- Slack -----------------------------------------------------------------------------------
async def _post(session: aiohttp.ClientSession, url: str, body: str) -> float:
    t0 = time.perf_counter()
    async with session.post(url, data=body, headers=sign(SECRET, body)) as resp:
        await resp.read()
        assert resp.status == 200, resp.status
    return (time.perf_counter() - t0) * 1000


def _answer_id(body: dict[str, str]) -> str:
    return body["response_url"].rsplit("/", 1)[1]


async def _slack_closed_loop(fake: FakeSlack, url: str, count: int, concurrency: int,
                             command: str = "/fact", questions: Iterator[str] | None = None
                             ) -> dict[str, float]:
    """``concurrency`` clients posting back to back: acks per second, and commands answered
    per second (until the last answer arrived); with ``questions``, each asks the next one."""
    payloads = [slash_payload(fake, command, QUESTION if questions is None else next(questions))
                for _ in range(count)]
    queue = list(reversed(payloads))
    acks: list[float] = []
    cpu, started = time.process_time(), time.perf_counter()

    async def client(session: aiohttp.ClientSession) -> None:
        while queue:
            acks.append(await _post(session, url, form(queue.pop())))

    async with aiohttp.ClientSession() as session:
        await asyncio.gather(*(client(session) for _ in range(concurrency)))
    acked = time.perf_counter()
    ids = [_answer_id(p) for p in payloads]
    await _answered(fake, ids)
    last = max(fake.answered_at[i] for i in ids)
    return {"requests": count, "cpu_ms": round((time.process_time() - cpu) * 1000 / count, 3),
            "acks_per_second": round(count / (acked - started), 1),
            "answered_per_second": round(count / (last - started), 1),
            "late_acks": sum(a > LATE_S * 1000 for a in acks),
            "ack_p99_ms": p50_p99(acks)["p99_ms"]}


async def _answered(fake: FakeSlack, ids: list[str], within: float = 120) -> None:
    async with fake.new_response:
        await asyncio.wait_for(fake.new_response.wait_for(
            lambda: all(i in fake.answered_at for i in ids)), within)


async def _slack_paced(fake: FakeSlack, url: str, count: int, per_second: float,
                       command: str = "/fact", questions: Iterator[str] | None = None
                       ) -> dict[str, float]:
    """A moderate load: ``per_second`` commands, each sent on time whatever the last one
    did; each answer's delay from its command's sending (``questions`` as above)."""
    sent: dict[str, float] = {}
    acks: list[float] = []

    async def one(session: aiohttp.ClientSession, payload: dict[str, str]) -> None:
        sent[_answer_id(payload)] = time.perf_counter()
        acks.append(await _post(session, url, form(payload)))

    async with aiohttp.ClientSession() as session:
        tasks = []
        for _ in range(count):
            question = QUESTION if questions is None else next(questions)
            tasks.append(asyncio.create_task(one(session, slash_payload(fake, command,
                                                                        question))))
            await asyncio.sleep(1 / per_second)
        await asyncio.gather(*tasks)
    await _answered(fake, list(sent))
    delays = [(fake.answered_at[i] - t) * 1000 for i, t in sent.items()]
    answer = p50_p99(delays)
    return {"requests": count, "per_second": per_second, "answer_p50_ms": answer["p50_ms"],
            "answer_p99_ms": answer["p99_ms"], "late_acks": sum(a > LATE_S * 1000
                                                                 for a in acks),
            "ack_p50_ms": p50_p99(acks)["p50_ms"]}


async def slack_rounds(count: int, concurrency: int = 8, rounds: int = 4,
                       paced: int = 200, per_second: float = 50.0, meaning: bool = False
                       ) -> dict[str, Any]:
    """Both apps up at once, driven in rotating rounds (closed loop, then paced): the bolt
    app, Parley's /fact, Parley's path around the bolt app's lookup (/peerfact), and the bolt
    app and Parley asked a new question each time."""
    async with running_fake_slack() as fake, aiohttp.ClientSession() as peer_session:
        with tempfile.TemporaryDirectory() as tmp:
            await build_index(Path(tmp) / "peer.db", meaning=meaning)
            lookup = await Lookup.open(Path(tmp) / "peer.db")
            floor_lookup = await Lookup.open(Path(tmp) / "peer.db")
            by_meaning = await MeaningLookup.open(Path(tmp) / "peer.db") if meaning else None
            peer = slack_peer(lookup, AsyncWebClient(token="xoxb-peer", base_url=fake.api),
                              SECRET, peer_session, by_meaning)
            runner = web.AppRunner(web_app(peer))
            await runner.setup()
            peer_port = _port()
            await web.TCPSite(runner, "127.0.0.1", peer_port).start()
            port = _port()
            settings = bench_settings(Path(tmp) / "s.db", slack_bot_token="xoxb-parley",
                                      slack_signing_secret=SECRET, slack_api_base_url=fake.api,
                                      parley_slack_port=port, parley_slack_host="127.0.0.1")
            ours = f"http://127.0.0.1:{port}/slack/events"
            theirs = f"http://127.0.0.1:{peer_port}/slack/events"
            apps = {"peer": (theirs, "/fact"), "ours": (ours, "/fact"),
                    "floor": (ours, f"/{FLOOR}"), "peer_new": (theirs, "/fact"),
                    "ours_new": (ours, "/fact")}
            asked = {"ours_new": new_questions(), "peer_new": new_questions()}
            closed: dict[str, list[dict[str, float]]] = {name: [] for name in apps}
            moderate: dict[str, list[dict[str, float]]] = {name: [] for name in apps}
            order = list(apps)
            try:
                async with open_services(settings) as services:
                    add_floor_command(services.registry, floor_lookup)
                    stop = asyncio.Event()
                    task = asyncio.create_task(serve_slack(services, stop))
                    await asyncio.sleep(0.5)
                    for url, command in apps.values():  # warm each
                        await _slack_closed_loop(fake, url, 20, 2, command)
                    for r in range(rounds):
                        for name in order[r % len(order):] + order[:r % len(order)]:
                            url, command = apps[name]
                            closed[name].append(await _slack_closed_loop(
                                fake, url, count // rounds, concurrency, command,
                                asked.get(name)))
                            moderate[name].append(await _slack_paced(
                                fake, url, paced // rounds, per_second, command,
                                asked.get(name)))
                    # The meaning rows: Parley's article encoded now (not for the rows above).
                    second = {} if not meaning else {"peer_meaning": (theirs, f"/{MEANING}"),
                              "ours_meaning": (ours, "/fact")}
                    # Years the Discord rows never asked: run after them in one process,
                    # Parley's question LRU would hold these questions' vectors already.
                    asked.update(ours_meaning=new_questions(SLACK_MEANING_START),
                                 peer_meaning=new_questions(SLACK_MEANING_START))
                    if second:
                        await encode_stored(services.db, services.workers)
                    for url, command in second.values():  # warm each
                        await _slack_closed_loop(fake, url, 10, 2, command,
                                                 new_questions(900_000))
                    apps.update(second)
                    closed.update({n: [] for n in second})
                    moderate.update({n: [] for n in second})
                    order = list(second)
                    for r in range(rounds if second else 0):
                        for name in order[r % len(order):] + order[:r % len(order)]:
                            url, command = apps[name]
                            closed[name].append(await _slack_closed_loop(
                                fake, url, count // rounds, concurrency, command, asked[name]))
                            moderate[name].append(await _slack_paced(
                                fake, url, paced // rounds, per_second, command, asked[name]))
                    stop.set()
                    await task
            finally:
                await runner.cleanup()
                await lookup.close()
                await floor_lookup.close()
                if by_meaning is not None:
                    await by_meaning.close()

    def ratios(name: str, peer: str = "peer", key: str = "answered_per_second"
               ) -> list[float]:
        return [round(o[key] / p[key], 2) if key != "cpu_ms" else round(p[key] / o[key], 2)
                for o, p in zip(closed[name], closed[peer], strict=True)]

    return {"Parley": _slack_merged(closed["ours"], moderate["ours"]),
            BOLT: _slack_merged(closed["peer"], moderate["peer"]),
            FLOOR_LABEL: _slack_merged(closed["floor"], moderate["floor"]),
            "Parley" + NEW: _slack_merged(closed["ours_new"], moderate["ours_new"]),
            BOLT + NEW: _slack_merged(closed["peer_new"], moderate["peer_new"]),
            "answered_ratio_per_round": ratios("ours"),
            "floor_answered_ratio_per_round": ratios("floor"),
            "new_question_answered_ratio_per_round": ratios("ours_new", "peer_new"),
            # the bolt app's process CPU per answered command over Parley's, by round
            "cpu_ratio_per_round": ratios("ours", key="cpu_ms"),
            "floor_cpu_ratio_per_round": ratios("floor", key="cpu_ms"),
            "new_question_cpu_ratio_per_round": ratios("ours_new", "peer_new", "cpu_ms"),
            **({} if not meaning else {
                "Parley" + ENCODED: _slack_merged(closed["ours_meaning"],
                                                  moderate["ours_meaning"]),
                MEANING_BOLT + NEW: _slack_merged(closed["peer_meaning"],
                                                  moderate["peer_meaning"]),
                "meaning_new_question_answered_ratio_per_round": ratios("ours_meaning",
                                                                        "peer_meaning"),
                "meaning_new_question_cpu_ratio_per_round": ratios("ours_meaning",
                                                                   "peer_meaning", "cpu_ms")})}


def _slack_merged(closed: list[dict[str, float]], moderate: list[dict[str, float]]
                  ) -> dict[str, float]:
    return {"cpu_ms": round(statistics.median(c["cpu_ms"] for c in closed), 3),
            "acks_per_second": round(statistics.median(c["acks_per_second"] for c in closed), 1),
            "answered_per_second": round(statistics.median(c["answered_per_second"]
                                                           for c in closed), 1),
            "late_acks": sum(c["late_acks"] for c in closed) + sum(m["late_acks"]
                                                                   for m in moderate),
            "ack_p99_ms": max(c["ack_p99_ms"] for c in closed),
            "moderate_per_second": moderate[0]["per_second"],
            "answer_p50_ms": round(statistics.median(m["answer_p50_ms"] for m in moderate), 1),
            "answer_p99_ms": max(m["answer_p99_ms"] for m in moderate)}


def jobs(quick: bool, shards: int = 1, orjson: bool = True, profile: Path | None = None,
         size: int | None = None, fake_profile: Path | None = None,
         bot_nice: int = BOT_NICE) -> dict[str, Callable[[], Coroutine[Any, Any, Any]]]:
    """Each part of this benchmark at its full or quick size; the burst's bots in ``shards``
    processes each, with or without orjson, Parley's first process profiled to ``profile``,
    ``size`` interactions a burst if given, the fake's side to ``fake_profile``, the bots
    ``bot_nice`` below the fake."""
    return {"discord": lambda: discord_rounds(300 if quick else 600, meaning=True),
            "slack": lambda: slack_rounds(200 if quick else 1600, paced=80 if quick else 400,
                                          meaning=True),
            "burst": lambda: discord_burst(size or (500 if quick else 4000),
                                           3 if quick else 2, shards, orjson, profile,
                                           fake_profile, bot_nice),
            "analysis": lambda: discord_during_analysis(
                100 if quick else 500, article_bytes=400_000 if quick else 1_990_000)}


def run(quick: bool) -> dict[str, Any]:
    return {name: asyncio.run(job()) for name, job in jobs(quick).items()}


def main(argv: list[str]) -> None:
    """``python -m bench.platforms_fair [discord] [slack] [burst] [analysis] [--quick]
    [--shards N] [--size N] [--no-orjson] [--profile FILE] [--profile-fake FILE]
    [--bot-nice N] [--diverse]``: each part printed as soon as it is measured."""
    import argparse
    import json

    parser = argparse.ArgumentParser(prog="python -m bench.platforms_fair")
    parser.add_argument("parts", nargs="*", default=[], help=", ".join(jobs(True)))
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--shards", type=int, default=1,
                        help="the burst's bots as this many shard processes each")
    parser.add_argument("--size", type=int, default=None,
                        help="interactions a burst (default 4,000; 500 with --quick)")
    parser.add_argument("--no-orjson", action="store_true",
                        help="the burst's bots without orjson (as a fresh install had it)")
    parser.add_argument("--profile", type=Path, default=None,
                        help="cProfile of Parley's (first) burst process, on its thread time")
    parser.add_argument("--profile-fake", type=Path, default=None,
                        help="cProfile of the fake Discord (this process) during Parley's "
                             "bursts, on its thread time")
    parser.add_argument("--bot-nice", type=int, default=BOT_NICE,
                        help="the burst's bots' priority below the fake's (0: equal)")
    parser.add_argument("--diverse", action="store_true",
                        help="new questions from SQuAD v1.1 dev ($SQUAD_DEV), each once, "
                             "instead of one question with a new year")
    args = parser.parse_args(argv)
    if args.diverse:
        os.environ[DIVERSE] = "squad"
    unknown = set(args.parts) - set(jobs(True))
    if unknown:
        parser.error(f"no such part: {', '.join(sorted(unknown))}")
    chosen = jobs(args.quick, args.shards, not args.no_orjson, args.profile, args.size,
                  args.profile_fake, args.bot_nice)
    for name, job in chosen.items():
        if not args.parts or name in args.parts:
            print(json.dumps({name: asyncio.run(job())}), flush=True)


if __name__ == "__main__":
    import logging

    logging.getLogger("discord").setLevel(logging.ERROR)
    main(sys.argv[1:])
