"""/summary, /claims and /rhetoric through the core, and re-analysis of stored articles."""

from __future__ import annotations

from pathlib import Path

from parley.cli.app import open_services
from parley.core.analysis.lexicon import load_lexicon
from parley.core.ingest.pipeline import reanalyse
from parley.core.models import Request
from parley.core.registry import run_line
from parley.store import analysis as analysis_store
from tests.conftest import ARTICLES, Ask, Stores, discuss

EXAMPLE_ID = "peru-illegal-immigration"


async def test_claims_data_holds_every_claim_by_score(ask: Ask) -> None:
    reply = await ask("/claims")
    claims = reply.data["claims"]
    assert len(claims) > 8 > reply.text.count("`peru-illegal-immigration#c") - 1
    assert [c["score"] for c in claims] == sorted((c["score"] for c in claims), reverse=True)
    first = claims[0]
    assert set(first) >= {"id", "text", "type", "score", "figures", "entities"}
    assert first["id"].startswith(f"{EXAMPLE_ID}#c")
    trade = next(c for c in claims if "$20.5 billion" in c["text"])
    assert trade["figures"][0] == {"text": "$20.5 billion", "kind": "money", "value": 20.5e9,
                                   "currency": "USD", "scale": 1e9, "year": 2024}
    page2 = await ask("/claims all 2")
    assert page2.data["page"] == 2 and page2.data["claims"] == claims


async def test_claims_by_type_and_bad_type(ask: Ask) -> None:
    stats = await ask("/claims statistic")
    assert stats.data["claims"] and all("statistic" in c["types"] for c in stats.data["claims"])
    bad = await ask("/claims opinions")
    assert bad.kind == "usage" and "one of: all, prediction" in bad.text


async def test_summary_lengths(ask: Ask) -> None:
    normal = await ask("/summary")
    assert normal.text.startswith("Opinion · By Paul Baker · BreakingCentral · 8 April 2025\n• ")
    assert {i["heading"] for i in normal.data["items"]} == {
        "A Line in the Sand", "Borders That Mean Business", "Trade That Packs a Punch",
        "A Hemisphere Worth Fighting For", "The Verdict’s In"}
    assert all(i["sentence_id"].startswith(f"{EXAMPLE_ID}#s") for i in normal.data["items"])
    short = await ask("/summary short")
    assert len(short.data["items"]) in (1, 2) and "•" not in short.text
    detailed = await ask("/summary detailed")
    assert detailed.sections[0].title == "A Line in the Sand"
    assert (await ask("/summary long")).kind == "usage"
    lexicon = load_lexicon()
    for reply in (normal, short, detailed):
        assert lexicon.find(reply.text) == []


async def test_rhetoric_quotes_terms_by_section(ask: Ask) -> None:
    reply = await ask("/rhetoric")
    terms = reply.data["terms"]
    limp = next(t for t in terms if t["text"] == "limp-wristed")
    assert limp["category"] == "pejorative" and limp["sentence"].startswith("For too long")
    assert reply.sections[0].title == "A Line in the Sand"
    assert "“porous”, “limp-wristed”" in reply.sections[0].text
    assert reply.sections[-1].title.startswith("Views the article argues against")
    holding = len({t["sentence_id"] for t in terms})
    assert reply.text.startswith("Heat 0.")
    assert f": {len(terms)} loaded terms in {holding} of " in reply.text
    assert "labels for opponents" in reply.text and "sweeping absolutes" in reply.text


async def test_rhetoric_on_a_neutral_report(ask: Ask) -> None:
    html = (ARTICLES / "harbor-bridge-news.html").read_text()
    await discuss(ask, html)
    reply = await ask("/rhetoric")
    assert reply.data["terms"] == [] and "reads as neutral" in reply.text
    assert "no loaded terms in its" in reply.text
    summary = await ask("/summary")
    assert summary.text.startswith("News · By Dana Okafor · Riverside Ledger · 12 November 2024")


async def test_rhetoric_tells_quoted_words_from_the_article_s_own(ask: Ask) -> None:
    text = ("Caravan Claims Checked\n\nPublished: October 22, 2018\n\nThe president said "
            "Democrats want “open borders” and cheered the troops at the border on Monday. "
            "Reporters counted about 7,000 people walking north that week. The naysayers were "
            "not consulted about the new policy.")
    await discuss(ask, text)
    reply = await ask("/rhetoric")
    shown = "\n".join(s.text for s in reply.sections)
    assert "“open borders” (label for opponents, quoted)" in shown
    assert "“naysayers” (label for opponents) —" in shown
    assert "1 of them is quoted from others, not the article's own words." in reply.text


async def test_reanalysis_keeps_claim_ids_and_applies_a_new_lexicon(tmp_path: Path,
                                                                  stores: Stores) -> None:
    extra = tmp_path / "extra.toml"
    extra.write_text('[categories.pejorative]\nterms = ["bilateral"]\n')
    settings = stores.settings()
    async with open_services(settings) as services:
        stored = await analysis_store.claims(services.db, EXAMPLE_ID)
        before = [c.id for c in stored]
        # A claim analysed by an older version reads as it did then: the new analysis's text
        # (a dateline left out, say) replaces it.
        await services.db.execute("UPDATE claims SET text = 'OLD TEXT' WHERE id = ?",
                                  (stored[0].id,))
        await reanalyse(services.db, services.workers, load_lexicon(extra), everything=True)
        after = await analysis_store.claims(services.db, EXAMPLE_ID)
        assert sorted(before) == sorted(c.id for c in after)
        assert {c.id: c.text for c in after}[stored[0].id] == stored[0].text
        marks = await analysis_store.marks(services.db, EXAMPLE_ID)
        assert any(m.text == "Bilateral" for m in marks)
        await services.db.execute("UPDATE articles SET analysis_version = 0")
    # A stale analysis is redone at start, with the configured lexicon (here: the bundled one).
    async with open_services(settings) as services:
        marks = await analysis_store.marks(services.db, EXAMPLE_ID)
        assert not any(m.text == "Bilateral" for m in marks)
        reply = await run_line(services.registry, "/rhetoric", Request(command="x"), services)
        assert reply.data["terms"]
