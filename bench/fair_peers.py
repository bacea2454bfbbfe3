"""The fair peers: what a hand-written fact lookup does, built on the same libraries.

- Discord: a bare discord.py cog whose ``/fact`` runs one aiosqlite FTS5 query over the
  article's sentences and answers with an embed.
- Slack: a bare slack-bolt app whose ``/fact`` acks, runs the same FTS5 query and answers
  through ``response_url`` (over one shared HTTP session, as Parley does).

Both index the example article's sentences, the article Parley answers from in the benchmarks.
``add_floor_command`` gives a running Parley the same lookup as one more command, so Parley's
own path (adapter, dispatch, limits, rendering) is measured around the peers' exact work.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import aiosqlite
import discord
from discord import app_commands
from discord.ext import commands
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bench.workloads import example_article
from parley.core.ingest.pipeline import prepare
from parley.core.models import Reply, Request
from parley.core.registry import Command, Param, Registry
from parley.core.services import Services
from parley.core.text import member_text, shorten

_WORD = re.compile(r"\w+")


async def build_index(path: Path) -> None:
    """An FTS5 table of the example article's sentences (porter stemming, like a hand-written
    bot would choose)."""
    parsed = prepare(example_article(), None, "example.txt", None)
    async with aiosqlite.connect(path) as db:
        await db.execute("CREATE VIRTUAL TABLE sentences USING fts5(text, tokenize='porter')")
        await db.executemany("INSERT INTO sentences (text) VALUES (?)",
                             [(s.text,) for sec in parsed.sections for s in sec.sentences])
        await db.commit()


class Lookup:
    """One connection and one query: the sentence that best matches any word of the question."""

    def __init__(self, db: aiosqlite.Connection) -> None:
        self.db = db

    @classmethod
    async def open(cls, path: Path) -> Lookup:
        return cls(await aiosqlite.connect(path))

    async def best(self, question: str) -> str | None:
        terms = " OR ".join(f'"{w}"' for w in _WORD.findall(question.lower()))
        if not terms:
            return None
        rows = list(await self.db.execute_fetchall(
            "SELECT text FROM sentences WHERE sentences MATCH ? ORDER BY rank LIMIT 1",
            (terms,)))
        return str(rows[0][0]) if rows else None

    async def close(self) -> None:
        await self.db.close()


class FactCog(commands.Cog):
    """The Discord peer's one command."""

    def __init__(self, lookup: Lookup) -> None:
        self.lookup = lookup

    @app_commands.command(name="fact", description="The sentence that answers a question.")
    async def fact(self, interaction: discord.Interaction, question: str) -> None:
        found = await self.lookup.best(question)
        embed = discord.Embed(title=f"Fact: {question[:200]}",
                              description=f"> {found}" if found else "Nothing found.")
        await interaction.response.send_message(
            embed=embed, allowed_mentions=discord.AllowedMentions.none())


async def discord_peer(lookup: Lookup) -> commands.Bot:
    """The bot, its cog added (commands are not synced: the fake routes by name)."""
    bot = commands.Bot(command_prefix="!", intents=discord.Intents.none())
    await bot.add_cog(FactCog(lookup))
    return bot


def slack_peer(lookup: Lookup, client: AsyncWebClient, secret: str,
               session: aiohttp.ClientSession) -> AsyncApp:
    """The bolt app: ack, one query, then the answer to ``response_url``."""
    app = AsyncApp(client=client, signing_secret=secret)

    @app.command("/fact")
    async def fact(ack: Callable[[], Awaitable[None]], body: dict[str, Any]) -> None:
        await ack()
        question = str(body.get("text") or "")
        found = await lookup.best(question)
        text = f"> {found}" if found else "Nothing found."
        blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
        async with session.post(str(body["response_url"]),
                                json={"text": text, "blocks": blocks}) as resp:
            await resp.read()

    return app


FLOOR = "peerfact"  # the benchmark-only command: the peers' lookup through Parley's path


def add_floor_command(registry: Registry, lookup: Lookup) -> None:
    """``/peerfact <question>``: the peers' one FTS5 query, answered as Parley answers (its
    adapter, dispatch, rate limits, activity note, escaping and rendering); a benchmark's
    registry only, never the product's."""

    async def peer_fact(request: Request, services: Services) -> Reply:
        question = str(request.args["question"])
        found = await lookup.best(question)
        return Reply(title=f"Fact: {member_text(shorten(question, 200))}",
                     text=f"> {found}" if found else "Nothing found.")

    registry.add(Command(FLOOR, "The peers' lookup, through Parley (benchmark only).",
                         peer_fact, (Param("question", "A question.", greedy=True,
                                           max_length=500),)))
