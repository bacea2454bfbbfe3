"""The example article that ships with Parley, loaded on first start and active by default."""

from __future__ import annotations

import hashlib
import json
from importlib import resources

from parley import __version__
from parley.core.analysis.article import ANALYSIS_VERSION
from parley.core.counterpoints.packs import apply_packs
from parley.core.factcheck.claimreview import parse_document
from parley.core.factcheck.link import import_reviews
from parley.core.ingest.pipeline import IngestResult, ingest_bytes
from parley.core.models import Article
from parley.core.services import ACTIVE_ARTICLE, Services
from parley.store import articles as article_store
from parley.store import config

EXAMPLE_META = "peru-immigration-breakingcentral-2025-04-08.json"
# Which bundled file (and Parley) the stored example was parsed from, and its content hash: a
# later start with the same file finds it without parsing it again in a worker process.
EXAMPLE_SOURCE = "example_article.source"


async def ensure_example_article(services: Services) -> Article | None:
    """Ingest the example article once and make it the global default, unless turned off."""
    if not services.settings.parley_example_article:
        return None
    folder = resources.files("parley.core.data") / "articles"
    meta = json.loads((folder / EXAMPLE_META).read_text(encoding="utf-8"))
    data = (folder / meta["file"]).read_bytes()
    source = f"{hashlib.sha256(data).hexdigest()} {__version__} {ANALYSIS_VERSION}"
    result = await _stored(services, source)
    if result is None:
        result = await ingest_bytes(services.db, services.workers, data, services.now(),
                                    name=meta["file"], origin_note=meta["origin_note"],
                                    lexicon=services.lexicon)
        await services.keep(EXAMPLE_SOURCE, f"{source} {result.article.content_hash}")
    if result.created and meta.get("fact_check_pack"):
        pack_file = resources.files("parley.core.data") / "packs" / meta["fact_check_pack"]
        pack = json.loads(pack_file.read_text("utf-8"))
        await import_reviews(services.db, parse_document(pack), "pack", services.now())
    if result.created:  # its curated counterpoints exist from the first start
        await apply_packs(services.db, result.article.id, services.now())
    if services.settings.parley_default_active_article:
        current = await config.get_value(services.db, ACTIVE_ARTICLE, "", "", "")
        if current is None:
            await config.set_value(services.db, "global", "", ACTIVE_ARTICLE, result.article.id,
                                   services.now())
    return result.article


async def _stored(services: Services, source: str) -> IngestResult | None:
    """The example as ingest would find it (the identical article already stored), when it
    was parsed from this very file by this Parley; else None, and it is parsed again."""
    kept_source, _, digest = (await services.kept(EXAMPLE_SOURCE)).rpartition(" ")
    if kept_source != source:
        return None
    existing = await article_store.find_by_hash(services.db, digest)
    return IngestResult(existing, False) if existing is not None else None
