"""The fact-check workflow: verdicts with history and audit, ClaimReview, claim matching."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from parley.core.factcheck.claimreview import (
    ClaimReviewError,
    Review,
    parse_document,
    to_claimreview,
)
from parley.core.factcheck.link import import_reviews
from parley.core.factcheck.verdicts import parse_verdict
from parley.core.ingest.pipeline import ingest_bytes
from parley.core.models import Role
from parley.core.services import Services
from parley.store import audit, factchecks
from tests.conftest import Ask

NOW = datetime(2025, 5, 1, tzinfo=UTC)
URL = "https://www.bea.gov/data/intl-trade-investment/direct-investment-country-and-industry"


async def test_moderator_verdict_is_stored_shown_audited_and_kept_in_history(
        ask: Ask, services: Services) -> None:
    reply = await ask(f"/factcheck c25 false BEA data show a different figure for 2024. {URL}",
                      role=Role.MODERATOR)
    assert reply.title == "Recorded: false" and reply.data["claim"].endswith("#c25")
    fact = await ask("/fact how much did the US invest in Peru")
    assert fact.data["hits"][0]["status"] == "false"
    assert fact.data["hits"][0]["sources"] == [URL]
    entry = (await audit.recent(services.db))[0]
    assert (entry.action, entry.target, entry.role) == (
        "factcheck.add", "peru-illegal-immigration#c25", "moderator")
    history = await ask("/factcheck history peru-illegal-immigration#c25")
    assert [h["status"] for h in history.data["history"]] == ["false", "unsupported"]
    assert history.data["history"][1]["origin"] == "pack"


@pytest.mark.parametrize(("line", "message"), [
    ("/factcheck c999 false It is wrong here. https://e.org", "No claim"),
    ("/factcheck c25 maybe It is wrong here. https://e.org", "must be one of"),
    ("/factcheck c25 false It is wrong here. not-a-url", "web address"),
    ("/factcheck c25 false https://e.org", "explanation"),
    ("/factcheck c25 false Bad. https://e.org", "explanation"),
    ("/factcheck", "required"),
])
async def test_bad_verdicts_change_nothing(ask: Ask, services: Services, line: str,
                                           message: str) -> None:
    reply = await ask(line, role=Role.MODERATOR)
    assert reply.is_error and message in reply.text, reply.text
    assert len(await factchecks.history(services.db, "peru-illegal-immigration#c25")) == 1
    assert await audit.recent(services.db) == []


def test_verdict_words() -> None:
    assert parse_verdict("Partly-Supported") == "partly supported"
    assert parse_verdict("Pants on Fire") == "false"
    assert parse_verdict("no evidence") == "unsupported"
    assert parse_verdict("banana") is None


def test_claimreview_round_trip_and_errors() -> None:
    review = Review(claim_reviewed="The bridge carries 41,000 vehicles a day.",
                    status="misleading", explanation="Counts from 2019 show 35,000.",
                    sources=["https://example.org/count", "City traffic report 2019"],
                    author="Ana Ruiz", publisher="Riverside Checks",
                    appearance={"@type": "NewsArticle", "url": "https://example.org/a"})
    doc = to_claimreview(review, "x#c1")
    assert doc["reviewRating"] == {
        "@type": "Rating", "ratingValue": 2, "bestRating": 5, "worstRating": 1,
        "alternateName": "Misleading", "ratingExplanation": "Counts from 2019 show 35,000."}
    assert doc["citation"][1] == {"@type": "CreativeWork", "name": "City traffic report 2019"}
    assert parse_document({"@graph": [doc]})[0] == review
    by_number = dict(doc, reviewRating={"ratingValue": 1, "bestRating": 5, "worstRating": 1})
    assert parse_document(by_number)[0].status == "false"
    for bad in ({"@type": "Article"}, dict(doc, claimReviewed=""),
                dict(doc, reviewRating={"alternateName": "spicy"})):
        with pytest.raises(ClaimReviewError, match="item 1"):
            parse_document([bad])


async def test_imports_are_idempotent_and_unplaced_reviews_go_to_the_knowledge_base(
        services: Services) -> None:
    outside = Review(claim_reviewed="The moon is made of cheese.", status="false")
    first = await import_reviews(services.db, [outside], "import", NOW)
    again = await import_reviews(services.db, [outside], "import", NOW)
    assert (first.unlinked, again.skipped) == (1, 1)


async def test_a_new_article_repeating_a_checked_claim_is_matched_for_review(
        services: Services, ask: Ask) -> None:
    text = ("Peru and the US: the numbers\n\nPublished: May 2, 2025\n\n"
            "U.S. investment in Peru topped $6.6 billion, officials in Lima said on Friday. "
            "Trade officials met again in Washington.\n")
    result = await ingest_bytes(services.db, services.workers, text.encode(), NOW)
    claims = await factchecks.history(services.db, f"{result.article.id}#c1")
    assert len(claims) == 1 and claims[0].matched and claims[0].origin == "matched"
    assert claims[0].review.status == "unsupported"
    await ask(f"/article use {result.article.id}", role=Role.MODERATOR, channel="c2")
    reply = await ask("/fact how much did Americans invest", channel="c2")
    assert reply.data["hits"][0]["matched"] is True
    assert "matched from an earlier check — review" in reply.text


async def test_export_then_import_round_trips(services: Services, tmp_path: Path) -> None:
    checks = await factchecks.current_for_export(services.db, "peru-illegal-immigration")
    assert len(checks) == 13
    doc = {"@graph": [to_claimreview(c.review, c.claim_id) for c in checks]}
    (tmp_path / "out.json").write_text(json.dumps(doc))
    report = await import_reviews(services.db, parse_document(doc), "import", NOW)
    assert report.skipped == 13 and report.linked == []
