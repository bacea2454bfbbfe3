"""The fair peers: what a hand-written fact lookup does, built on the same libraries.

- Discord: a bare discord.py cog whose ``/fact`` runs one aiosqlite FTS5 query over the
  article's sentences and answers with an embed.
- Slack: a bare slack-bolt app whose ``/fact`` acks, runs the same FTS5 query and answers
  through ``response_url`` (over one shared HTTP session, as Parley does).

Both index the example article's sentences, the article Parley answers from in the benchmarks.

The **meaning peers** (a second, clearly labelled row, issue #19/#22): the same bare cog and bolt
app whose ``/meaningfact`` does what a hand-written *meaning* lookup does: the same FTS5 query,
plus the same installed encoder on the question (its integer graph, in a thread, off the loop,
nothing remembered) and a cosine over the article's sentence vectors (encoded once, when the
index is built, and held in memory), answering with the sentence nearest in meaning (and the
words' best beside it when that differs). Parley's side of that row has its article encoded,
as ``parley run`` does, so both sides pay for the question's encoding.
``add_floor_command`` gives a running Parley the same lookup as one more command, so Parley's
own path (adapter, dispatch, limits, rendering) is measured around the peers' exact work.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import aiohttp
import aiosqlite
import discord
import numpy as np
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


async def build_index(path: Path, meaning: bool = False) -> None:
    """An FTS5 table of the example article's sentences (porter stemming, like a hand-written
    bot would choose); with ``meaning``, each sentence's vector by the encoder too."""
    parsed = prepare(example_article(), None, "example.txt", None)
    texts = [s.text for sec in parsed.sections for s in sec.sentences]
    async with aiosqlite.connect(path) as db:
        await db.execute("CREATE VIRTUAL TABLE sentences USING fts5(text, tokenize='porter')")
        await db.executemany("INSERT INTO sentences (text) VALUES (?)", [(t,) for t in texts])
        if meaning:
            from parley.core.meaning import encode

            vectors = await asyncio.to_thread(encode, texts)
            await db.execute("CREATE TABLE meanings (text TEXT, vector BLOB)")
            await db.executemany("INSERT INTO meanings VALUES (?, ?)",
                                 [(t, v.tobytes()) for t, v in zip(texts, vectors, strict=True)])
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


def _question_meaning(question: str) -> np.ndarray:
    """The question by the installed encoder's integer graph, as Parley's own (nothing
    remembered: a hand-written bot calls the session)."""
    from parley.core.meaning.encoder import question_encoder

    found: np.ndarray = question_encoder().encode([question])[0]
    return found


class MeaningLookup(Lookup):
    """The FTS5 query and, meanwhile, the question's encoding in a thread, then one cosine over
    the article's sentence vectors (read once, at open)."""

    def __init__(self, db: aiosqlite.Connection, texts: list[str], vectors: np.ndarray) -> None:
        super().__init__(db)
        self.texts = texts
        self.vectors = vectors

    @classmethod
    async def open(cls, path: Path) -> MeaningLookup:
        db = await aiosqlite.connect(path)
        rows = list(await db.execute_fetchall("SELECT text, vector FROM meanings ORDER BY rowid"))
        vectors = np.stack([np.frombuffer(r[1], dtype=np.float32) for r in rows])
        return cls(db, [str(r[0]) for r in rows], vectors)

    async def best(self, question: str) -> str | None:
        if not question.strip():
            return None
        words = asyncio.ensure_future(super().best(question))
        asked = await asyncio.to_thread(_question_meaning, question)
        by_words = await words
        nearest = self.texts[int(np.argmax(self.vectors @ asked))]
        return nearest if by_words in (None, nearest) else f"{nearest}\n> {by_words}"


async def _answer(interaction: discord.Interaction, question: str, found: str | None) -> None:
    """Both cogs' reply: the sentence found in an embed, pinging nobody."""
    embed = discord.Embed(title=f"Fact: {question[:200]}",
                          description=f"> {found}" if found else "Nothing found.")
    await interaction.response.send_message(
        embed=embed, allowed_mentions=discord.AllowedMentions.none())


class FactCog(commands.Cog):
    """The Discord peer's one command."""

    def __init__(self, lookup: Lookup) -> None:
        self.lookup = lookup

    @app_commands.command(name="fact", description="The sentence that answers a question.")
    async def fact(self, interaction: discord.Interaction, question: str) -> None:
        found = await self.lookup.best(question)
        await _answer(interaction, question, found)


MEANING = "meaningfact"  # the meaning peers' command


class MeaningFactCog(commands.Cog):
    """The Discord meaning peer's one command: the same cog, the meaning lookup."""

    def __init__(self, lookup: MeaningLookup) -> None:
        self.lookup = lookup

    @app_commands.command(name=MEANING, description="The sentence nearest a question.")
    async def meaning_fact(self, interaction: discord.Interaction, question: str) -> None:
        found = await self.lookup.best(question)
        await _answer(interaction, question, found)


async def discord_peer(lookup: Lookup, meaning: MeaningLookup | None = None) -> commands.Bot:
    """The bot, its cog added (commands are not synced: the fake routes by name), and the
    meaning peer's beside it when given."""
    bot = commands.Bot(command_prefix="!", intents=discord.Intents.none())
    await bot.add_cog(FactCog(lookup))
    if meaning is not None:
        await bot.add_cog(MeaningFactCog(meaning))
    return bot


def slack_peer(lookup: Lookup, client: AsyncWebClient, secret: str,
               session: aiohttp.ClientSession, meaning: MeaningLookup | None = None
               ) -> AsyncApp:
    """The bolt app: ack, one query, then the answer to ``response_url``; with ``meaning``,
    ``/meaningfact`` answers by the meaning lookup the same way."""
    app = AsyncApp(client=client, signing_secret=secret)

    def answering(found_by: Lookup) -> Callable[..., Awaitable[None]]:
        async def fact(ack: Callable[[], Awaitable[None]], body: dict[str, Any]) -> None:
            await ack()
            question = str(body.get("text") or "")
            found = await found_by.best(question)
            text = f"> {found}" if found else "Nothing found."
            blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": text}}]
            async with session.post(str(body["response_url"]),
                                    json={"text": text, "blocks": blocks}) as resp:
                await resp.read()

        return fact

    app.command("/fact")(answering(lookup))
    if meaning is not None:
        app.command(f"/{MEANING}")(answering(meaning))
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
