"""State belongs to instances: each running Parley has its own registry and article memos, and
the store drops an article's memos where it writes that article."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from parley.cli.app import open_services
from parley.core.analysis.article import analyse
from parley.core.commands import build_registry
from parley.core.counterpoints.packs import _considered, apply_packs
from parley.core.ingest.pipeline import reanalyse
from parley.core.search.lookup import _indexes, article_index
from parley.core.search.query import build_query
from parley.core.search.rank import concept_weights, coverage, sentence_features
from parley.core.services import Services
from parley.store import articles as article_store
from tests.conftest import Stores

ARTICLE = "peru-illegal-immigration"
NOW = datetime(2025, 5, 1, tzinfo=UTC)


@pytest.fixture
async def pair(stores: Stores) -> AsyncIterator[tuple[Services, Services]]:
    async with open_services(stores.settings(stores.started("a.db"))) as one, \
            open_services(stores.settings(stores.started("b.db"))) as two:
        yield one, two


def test_every_build_is_a_registry_of_its_own() -> None:
    first, second = build_registry(), build_registry()
    assert first is not second and first.commands is not second.commands
    assert [c.name for c in first] == [c.name for c in second]
    first.commands.pop("summary")
    assert second.get("summary") is not None


async def test_two_parleys_keep_their_own_article_indexes(
        pair: tuple[Services, Services]) -> None:
    one, two = pair
    assert one.registry is not two.registry
    a, b = await article_index(one.db, ARTICLE), await article_index(two.db, ARTICLE)
    assert a is not b and _indexes(one.db).get(ARTICLE) is a
    assert await article_store.delete(one.db, ARTICLE)
    assert _indexes(one.db).get(ARTICLE) is None  # the store's delete dropped it
    assert _indexes(two.db).get(ARTICLE) is b  # the other database's is untouched


async def test_a_reanalysis_drops_the_index_without_the_caller_asking(
        services: Services) -> None:
    before = await article_index(services.db, ARTICLE)
    await reanalyse(services.db, services.workers, services.lexicon, everything=True)
    assert _indexes(services.db).get(ARTICLE) is None
    after = await article_index(services.db, ARTICLE)
    assert after is not before and after.claim_list == before.claim_list


async def test_packs_are_considered_again_once_the_article_is_written(
        services: Services) -> None:
    await apply_packs(services.db, ARTICLE, NOW)
    assert await apply_packs(services.db, ARTICLE, NOW) == 0
    assert _considered(services.db).get(ARTICLE)
    article = await article_store.get(services.db, ARTICLE)
    assert article is not None
    parsed = await article_store.as_parsed(services.db, article)
    await article_store.save_analysis(services.db, ARTICLE, analyse(parsed, services.lexicon))
    assert _considered(services.db).get(ARTICLE) is None


def test_concept_weights_given_or_computed_score_the_same() -> None:
    query = build_query("how much is trade between the two countries")
    sentence = sentence_features("Trade between Peru and the US reached $20.5 billion.")
    idf = {"trade": 2.0, "countri": 1.5, "peru": 3.0}
    weights = concept_weights(query, idf)
    assert weights and coverage(query, sentence, idf, weights) == coverage(query, sentence, idf)
    assert coverage(query, sentence, idf) > 0
