"""The fake Discord's own CPU per interaction callback (what a burst benchmark's fake spends on
the bots' two cores for each first response), driven by a client in another process.

``python -m bench.fake_cost [--callbacks N] [--rounds N] [--against DIR]``: this tree's fake,
and with ``--against`` the fake of another tree (a ``git archive`` of an earlier commit, say)
alternately in the same process, so the two are compared under the same load. Only this
process's CPU is counted (``time.process_time``), so the client's is not.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import sys
import time
from pathlib import Path
from types import ModuleType

CLIENT = r"""
import asyncio, sys, aiohttp, json
async def main(base, n):
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=64)) as session:
        slots = asyncio.Semaphore(64)
        async def one(i):
            async with slots, session.post(
                    f"{base}/api/v10/interactions/{i}/tok-{i}/callback?with_response=true",
                    data=json.dumps({"type": 5, "data": {"flags": 0}}),
                    headers={"Content-Type": "application/json"}) as resp:
                await resp.read()
        await asyncio.gather(*(one(i) for i in range(n)))
asyncio.run(main(sys.argv[1], int(sys.argv[2])))
"""


def _fake_of(tree: Path) -> ModuleType:
    """``tests/fakes/discord_server.py`` of another tree, under a name of its own (its imports
    of ``tests.fakes`` resolve to this tree's, which serve both)."""
    spec = importlib.util.spec_from_file_location(
        "other_discord_server", tree / "tests" / "fakes" / "discord_server.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def per_callback_us(fake_module: ModuleType, callbacks: int) -> float:
    """This process's CPU per callback while the client posts ``callbacks`` deferrals."""
    async with fake_module.running_fake_discord(backlog=4096) as fake:
        started = time.process_time()
        client = await asyncio.create_subprocess_exec(sys.executable, "-c", CLIENT, fake.base,
                                                      str(callbacks))
        await client.wait()
        used = time.process_time() - started
        if len(fake.first_response) != callbacks:
            raise RuntimeError(f"{len(fake.first_response)} of {callbacks} callbacks arrived")
    return round(used * 1e6 / callbacks, 1)


async def compare(callbacks: int, rounds: int, against: Path | None) -> dict[str, list[float]]:
    from tests.fakes import discord_server

    fakes = {"this tree": discord_server}
    if against is not None:
        fakes[str(against)] = _fake_of(against)
    found: dict[str, list[float]] = {name: [] for name in fakes}
    order = list(fakes)
    for r in range(rounds):
        for name in order[r % len(order):] + order[:r % len(order)]:
            found[name].append(await per_callback_us(fakes[name], callbacks))
    return found


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.fake_cost")
    parser.add_argument("--callbacks", type=int, default=4000)
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--against", type=Path, default=None,
                        help="another tree whose fake to measure alternately")
    args = parser.parse_args(argv)
    result = asyncio.run(compare(args.callbacks, args.rounds, args.against))
    print(json.dumps({"fake_cpu_us_per_callback": result}))


if __name__ == "__main__":
    main()
