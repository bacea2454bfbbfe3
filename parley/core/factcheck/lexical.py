"""The knowledge base's full-text ranking for ``/check``: FTS5's ``bm25`` computed over the
words held in memory while they are the stored ones, the store's own search otherwise (on
PostgreSQL, before they are read, while they are read again after a change)."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence

from parley.core.background import Background
from parley.store import fresh, knowledge_terms, search
from parley.store.db import Database, StoreClosed, StoreError
from parley.store.knowledge_terms import Terms, Tokenizer

MEMO = "knowledge-terms"
REFRESH = "knowledge-terms-refresh"
TOKENIZER = "knowledge-terms-tokenizer"
log = logging.getLogger(__name__)


def tokenizer(db: Database) -> Tokenizer:
    """The store's FTS5 tokenizer (an in-memory database of its own), made on first use."""
    kept: Tokenizer | None = db.memos.memo(TOKENIZER, 1).get(TOKENIZER)
    if kept is None:
        kept = Tokenizer()
        db.memos.memo(TOKENIZER, 1).put(TOKENIZER, kept)
    return kept


async def ranked(db: Database, terms: Sequence[str], limit: int,
                 background: Background | None = None) -> list[tuple[int, float]]:
    """:func:`parley.store.search.knowledge_ranked`'s answer: the ``limit`` best fact checks
    sharing a term, with their relevance. From the held words when they are current (the
    same scores, no query to the store); else from the store, and the words are read again
    in the background (a task of ``background`` when given)."""
    if db.dialect == "sqlite":
        held = await _current(db, background)
        if held is not None:
            found = held.ranked(tokenizer(db), terms, limit)
            if found is not None:
                return found
    return await search.knowledge_ranked(db, terms, limit)


async def ready(db: Database) -> None:
    """Hold the knowledge base's words now (what a start or an import does before checks)."""
    if db.dialect == "sqlite":
        await _refresh(db, await fresh.generation(db))


async def _current(db: Database, background: Background | None) -> Terms | None:
    kept: Terms | None = db.memos.memo(MEMO, 1).get(MEMO)
    generation = await fresh.generation(db)
    if kept is not None and kept.generation == generation:
        return kept
    running: asyncio.Task[None] | None = db.memos.memo(REFRESH, 1).get(REFRESH)
    if running is None or running.done():
        task = (background.spawn(_refresh(db, generation)) if background is not None
                else asyncio.get_running_loop().create_task(_refresh(db, generation)))
        db.memos.memo(REFRESH, 1).put(REFRESH, task)
    return None


async def _refresh(db: Database, generation: int) -> None:
    """Read every row of the knowledge base's full-text table and hold its words (the
    generation read before the rows: a change meanwhile makes the next check read again)."""
    try:
        rows = await knowledge_terms.rows(db)
        held = await asyncio.to_thread(knowledge_terms.build, tokenizer(db), rows, generation)
    except StoreClosed:  # Parley is stopping
        return
    except StoreError:  # busy meanwhile: the next check tries again
        log.warning("knowledge terms not read", exc_info=True)
        return
    db.memos.memo(MEMO, 1).put(MEMO, held)
