"""Ingestion of the example article and of test articles in text, Markdown and HTML; bad input."""

from __future__ import annotations

from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path

import pytest

from parley.core.ingest.errors import IngestError
from parley.core.ingest.pipeline import (
    MAX_BYTES,
    decode,
    detect_format,
    ingest_bytes,
    ingest_path,
    ingest_text_or_url,
    parse,
)
from parley.core.models import ParsedArticle
from parley.core.services import Services
from parley.store import articles as article_store
from tests.conftest import ARTICLES

NOW = datetime(2025, 5, 1, tzinfo=UTC)
EXAMPLE = (resources.files("parley.core.data") / "articles"
           / "peru-immigration-breakingcentral-2025-04-08.txt")


def parse_file(path: Path) -> ParsedArticle:
    text = decode(path.read_bytes())
    return parse(text, detect_format(text, path.name))


def test_example_article_layout() -> None:
    article = parse(EXAMPLE.read_text(encoding="utf-8"), "text")
    assert article.title == "Peru Shuts Down Illegal Immigration: Will Others Follow?"
    assert article.standfirst.startswith("Peru’s bold moves against illegal immigration")
    assert article.outlet == "BreakingCentral"
    assert article.published == date(2025, 4, 8)
    assert article.author == "Paul Baker"
    assert [s.heading for s in article.sections] == [
        "A Line in the Sand", "Borders That Mean Business", "Trade That Packs a Punch",
        "A Hemisphere Worth Fighting For", "The Verdict’s In",
    ]
    texts = [s.text for sec in article.sections for s in sec.sentences]
    assert "U.S. investment in Peru topped $6.6 billion, funding projects that modernize " \
           "infrastructure and lift small businesses out of the dirt." in texts
    assert "Growth’s stuck at a measly 2%, and groups like Tren de Aragua exploit every crack " \
           "in the system." in texts
    # No heading, byline or date line leaks into the sentences.
    assert not any(t.startswith(("Published:", "Written by", "A Line in the Sand")) for t in texts)


def test_html_article_with_metadata() -> None:
    article = parse_file(ARTICLES / "harbor-bridge-news.html")
    assert article.source_format == "html"
    assert article.title == "Council approves $48 million Harbor Bridge repair"
    assert article.author == "Dana Okafor"
    assert article.outlet == "Riverside Ledger"
    assert article.published == date(2024, 11, 12)
    assert article.standfirst.startswith("The repair will close two of four lanes")
    headings = [s.heading for s in article.sections]
    assert headings == ["", "How the repair will be paid for", "Objections from businesses",
                        "What happens next"]
    texts = " ".join(s.text for sec in article.sections for s in sec.sentences)
    assert "Dr. Lena Ward, an engineer at Tamsin State University" in texts
    for boilerplate in ("Subscribe", "window.tracking", "font-family", "Sports"):
        assert boilerplate not in texts


def test_markdown_article_with_front_matter() -> None:
    article = parse_file(ARTICLES / "carbon-pricing-explainer.md")
    assert article.source_format == "markdown"
    assert article.title == "How does a carbon tax actually work?"
    assert (article.author, article.outlet) == ("Priya Raman", "The Plain Explainer")
    assert article.published == date(2024, 6, 3)
    assert article.url == "https://example.org/explainers/carbon-tax"
    assert [s.heading for s in article.sections] == [
        "", "What is being taxed?", "Where has it been tried?", "What does the evidence say?"]
    first = article.sections[0].sentences[0].text
    assert first == ("A carbon tax puts a price on each tonne of carbon dioxide that a "
                     "business releases.")


def test_markdown_without_front_matter_takes_h1_and_byline() -> None:
    md = "# Water Rates Rise\n\n**By Ana Ruiz**\n\nRates rise 4% in May. The board voted 5 to 1.\n"
    article = parse(md, detect_format(md))
    assert (article.title, article.author) == ("Water Rates Rise", "Ana Ruiz")
    assert [s.text for s in article.sections[0].sentences] == ["Rates rise 4% in May.",
                                                                "The board voted 5 to 1."]


def test_plain_text_opinion_fixture() -> None:
    article = parse_file(ARTICLES / "minimum-wage-opinion.txt")
    assert (article.title, article.author, article.outlet) == (
        "It's Time to Stop Starving Workers", "Marcus Hale", "The Commons Review")
    assert article.published == date(2024, 9, 14)
    assert len(article.sections) == 3


def test_title_then_address_layout() -> None:
    text = ("Port strike ends\nhttps://news.example/port\n\nDock workers returned on Monday. "
            "The deal raises pay 6%.\n")
    article = parse(text, "text")
    assert article.title == "Port strike ends"
    assert article.url == "https://news.example/port"
    assert article.sections[0].sentences[1].text == "The deal raises pay 6%."


def test_rules_between_parts_are_neither_headings_nor_text() -> None:
    text = ("Port strike ends\nhttps://news.example/port\n\nDock workers returned on Monday.\n\n"
            "___\n\nThe deal raises pay 6%.\n\n* * *\n\nShips were unloaded by evening.\n\n"
            "---\n\nReporters contributed.\n")
    article = parse(text, "text")
    assert [s.heading for s in article.sections] == [""]
    assert [x.text for x in article.sections[0].sentences] == [
        "Dock workers returned on Monday.", "The deal raises pay 6%.",
        "Ships were unloaded by evening.", "Reporters contributed."]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"   \n\t  ", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary"),
        (b"x" * (MAX_BYTES + 1), "limited to 2 MB"),
    ],
)
def test_bad_bytes_are_refused(data: bytes, message: str) -> None:
    with pytest.raises(IngestError, match=message):
        decode(data)


def test_latin1_text_is_decoded() -> None:
    text = decode("Café owners in Medellín protested the 8% tax. Tourists stayed away.".encode(
        "latin-1"))
    assert "Medellín" in text


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><div><p></p></div></body></html>",
        "<html><head><title>Only a title</title></head><body></body></html>",
        "<<<>>><p <div </article",
    ],
)
def test_html_without_article_text_is_refused(html: str) -> None:
    with pytest.raises(IngestError):
        parse(html, "html")


async def test_ingest_is_idempotent(services: Services) -> None:
    data = (ARTICLES / "harbor-bridge-news.html").read_bytes()
    first = await ingest_bytes(services.db, services.workers, data, NOW, name="bridge.html")
    again = await ingest_bytes(services.db, services.workers, data, NOW, name="copy.html")
    assert first.created and not again.created
    assert again.article.id == first.article.id == "council-harbor-bridge"
    sentences = await article_store.sentences(services.db, first.article.id)
    assert sentences[0].id == "council-harbor-bridge#s0.0"
    assert sentences[-1].id == "council-harbor-bridge#s3.1"
    assert await article_store.count(services.db) == 2  # the example article and this one


async def test_different_articles_with_the_same_slug_get_distinct_ids(services: Services) -> None:
    a = await ingest_bytes(services.db, services.workers,
                           b"Storm Hits Coast\n\nWinds reached 120 km/h on Monday.", NOW)
    b = await ingest_bytes(services.db, services.workers,
                           b"Storm Hits Coast\n\nWinds reached 90 km/h on Friday.", NOW)
    assert a.article.id == "storm-hits-coast"
    assert b.article.id == "storm-hits-coast-2"


async def test_failed_ingest_writes_nothing(services: Services, tmp_path: Path) -> None:
    before = await article_store.count(services.db)
    bad = tmp_path / "bad.html"
    bad.write_text("<html><body><nav>menu</nav></body></html>")
    with pytest.raises(IngestError):
        await ingest_path(services.db, services.workers, bad, NOW)
    with pytest.raises(IngestError, match="can't read"):
        await ingest_path(services.db, services.workers, tmp_path / "missing.txt", NOW)
    with pytest.raises(IngestError, match="too short"):
        await ingest_text_or_url(services.db, services.workers, "Just a few words here.", NOW)
    assert await article_store.count(services.db) == before


async def test_pasted_single_line_text_becomes_an_article(services: Services) -> None:
    text = ("The county opened three new clinics in May. Each clinic can see about 200 patients "
            "a week, officials said. The clinics cost $2.4 million in total, paid for by a state "
            "grant awarded in 2023.")
    result = await ingest_text_or_url(services.db, services.workers, text, NOW)
    assert result.created
    assert result.article.title == "The county opened three new clinics in May."
