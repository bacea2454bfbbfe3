"""Assembling a running Parley: open the store, build the registry, load the example article."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from parley.core.commands import build_registry
from parley.core.coverage.index import index_missing
from parley.core.example import ensure_example_article
from parley.core.ingest.pipeline import reanalyse
from parley.core.services import Services
from parley.core.settings import Settings
from parley.store.db import Database


@asynccontextmanager
async def open_services(settings: Settings, load_example: bool = True) -> AsyncIterator[Services]:
    """Everything a handler needs, closed cleanly on exit."""
    db = await Database.open(settings.database(),
                             busy_timeout_ms=settings.parley_db_busy_timeout_ms)
    try:
        services = Services(db=db, settings=settings, registry=build_registry())
        await services.load_limits()
        try:
            # articles analysed by an older Parley
            await reanalyse(db, services.workers, services.lexicon)
            if load_example:
                await ensure_example_article(services)
            await index_missing(db, services.now())  # articles stored before coverage existed
            try:
                yield services
            finally:
                await services.background.close()  # before the store they use closes
                await services.refitter.flush()
                await services.activity.close()
                await services.close_deliveries()
        finally:
            await services.save_limits()
            await services.workers.close()
    finally:
        await db.close()
