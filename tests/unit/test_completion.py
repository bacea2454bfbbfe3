"""The core's completion service: choices by a parameter's declared kind, for any adapter."""

from __future__ import annotations

import logging

import pytest

from parley.cli.app import open_services
from parley.core.completion import MAX_CHOICES, MAX_TEXT, complete
from parley.core.models import Request
from parley.core.services import Services
from parley.store.db import StoreDamaged
from tests.conftest import Stores

MEMBER = Request(platform="discord", workspace="g1", channel="c1", user="u1", command="help")


async def test_claim_kind_offers_short_claim_ids_of_the_channel_article(
        services: Services) -> None:
    found = await complete(services, MEMBER, "claim", "c2")
    assert found and all(c.value.startswith("c2") and "#" not in c.value for c in found)
    assert all(c.label.startswith(f"{c.value} — ") for c in found)


async def test_topic_kind_offers_the_claims_text(services: Services) -> None:
    found = await complete(services, MEMBER, "topic", "trade")
    assert found and all("trade" in c.value.lower() and len(c.value) <= MAX_TEXT
                         for c in found)
    assert not any(c.value.startswith("c") and c.value[1:].isdigit() for c in found)


async def test_article_kind_offers_matching_article_ids(services: Services) -> None:
    article = await services.active_article(MEMBER)
    found = await complete(services, MEMBER, "article", article.id[:5])
    assert article.id in [c.value for c in found]
    assert await complete(services, MEMBER, "article", "no-such-article-zzz") == []


async def test_command_kind_offers_registry_commands(services: Services) -> None:
    found = await complete(services, MEMBER, "command", "/fact")
    assert [c.value for c in found][:1] == ["fact"]
    assert {c.value for c in found} <= {c.name for c in services.registry}


async def test_no_kind_and_an_empty_search_answer_nothing(services: Services) -> None:
    assert await complete(services, MEMBER, None, "anything") == []
    assert len(await complete(services, MEMBER, "claim", "")) <= MAX_CHOICES


async def test_a_channel_without_an_article_gets_no_claims(stores: Stores) -> None:
    async with open_services(stores.settings(stores.fresh()), load_example=False) as bare:
        assert await complete(bare, MEMBER, "claim", "") == []
        assert await complete(bare, MEMBER, "topic", "trade") == []


async def test_a_store_that_cannot_answer_gives_no_choices_and_a_log_line(
        services: Services, monkeypatch: pytest.MonkeyPatch,
        caplog: pytest.LogCaptureFixture) -> None:
    async def damaged(*_: object) -> None:
        raise StoreDamaged("file is not a database (SQLITE_NOTADB)")

    monkeypatch.setattr(services.db, "fetchall", damaged)  # a fault in the store's reads
    monkeypatch.setattr(services.db, "fetchone", damaged)
    monkeypatch.setattr(services.db, "read", damaged)  # the hot reads, on the loop
    with caplog.at_level(logging.WARNING, "parley.core"):
        assert await complete(services, MEMBER, "article", "a") == []
        assert await complete(services, MEMBER, "claim", "c2") == []
    assert sum(r.getMessage() == "completion unavailable" for r in caplog.records) == 2
