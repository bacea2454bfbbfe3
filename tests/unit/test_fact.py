"""/fact: ranking, statuses and sources, honest misses, and hostile input."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime

import pytest

from parley.core.ingest.pipeline import ingest_path
from parley.core.models import Role
from parley.core.search.query import build_query, question_type
from parley.core.services import Services
from tests.conftest import ARTICLES, FIXTURES, Ask, discuss

NOW = datetime(2025, 5, 1, tzinfo=UTC)


async def test_trade_question_finds_the_trade_claim_with_its_pack_verdict(ask: Ask) -> None:
    reply = await ask("/fact how much is trade between the two countries")
    best = reply.data["hits"][0]
    assert "$20.5 billion" in best["text"] and best["id"].endswith("#c24")
    assert best["status"] == "unsupported"
    assert any("AmCham Peru" in s for s in best["sources"])
    assert {"id", "text", "status", "score", "sources"} <= set(best)
    assert "⚪ **Unsupported**" in reply.text and "Trade That Packs a Punch" in reply.text
    assert [s.title for s in reply.sources][:1] == ["Logística360, Jul 2023"]
    scores = [h["score"] for h in reply.data["hits"]]
    assert scores == sorted(scores, reverse=True)


async def test_the_knowledge_base_adds_checks_on_what_the_article_only_touches(
        ask: Ask) -> None:
    reply = await ask("/fact is China Peru's largest trading partner")
    known = [h for h in reply.data["hits"] if h["kind"] == "factcheck"]
    assert len(known) == 1 and known[0]["id"].startswith("factcheck-")
    assert "China" in known[0]["text"] and "Chancay" in known[0]["text"]
    assert known[0]["status"] == "supported" and known[0]["sources"] and known[0]["explanation"]
    assert reply.data["hits"][0]["kind"] != "factcheck"  # never above the article's own claims


async def test_leaving_a_treaty_in_other_words(ask: Ask) -> None:
    text = ("Treaty Exit Announced\n\nPublished: October 23, 2018\n\nThe government defended "
            "the treaty on Monday. The next day the government announced it was pulling out "
            "of the 1987 missile treaty with Moscow. Allies were told of the move by phone.")
    await discuss(ask, text)
    reply = await ask("/fact is the government leaving the treaty")
    assert "pulling out of the 1987 missile treaty" in reply.data["hits"][0]["text"]


async def test_questions_in_other_words(ask: Ask) -> None:
    reply = await ask("/fact how much money did Americans put into the country")
    assert "$6.6 billion" in reply.data["hits"][0]["text"]
    typo = await ask("/fact who met the forein minster")
    assert "Christopher Landau’s meeting" in typo.data["hits"][0]["text"]


async def test_unrelated_questions_get_no_answer(ask: Ask) -> None:
    for question in ("pizza recipes for beginners", "what is the capital of Mongolia",
                     "submarine warfare tactics"):
        reply = await ask(f"/fact {question}")
        assert reply.kind == "not_found" and reply.data["hits"] == [], question
        assert "/claims" in reply.text


@pytest.mark.parametrize("question", [
    '" * NEAR - : ( )', "trade* NEAR(investment, 2)", "-trade OR investment:", "' OR 1=1 --",
    "\"; DROP TABLE claims; --", "\x00\x01\x1b[31m", "trade \u202e\u200b investment",
    "what is it", "ﬁ ﬂ 🤔 ∑", "a" * 499,
])
async def test_hostile_questions_get_a_clear_reply(ask: Ask, question: str) -> None:
    reply = await ask(f"/fact {question}")
    assert reply.kind in ("answer", "not_found", "error", "usage")
    assert reply.text and len(reply.text) < 2000


async def test_empty_and_huge_questions_are_refused(ask: Ask) -> None:
    assert (await ask("/fact")).kind == "usage"
    huge = await ask("/fact " + "trade " * 1000)
    assert huge.kind == "usage" and "too long" in huge.text


def test_question_types() -> None:
    assert question_type("How much did it cost?") == "amount"
    assert question_type("how many troops") == "count"
    assert question_type("how fast is growth") == "percent"
    assert question_type("how long have they been allies") == "duration"
    assert question_type("When did they meet?") == "time"
    assert question_type("who opposed it") == "person"
    assert question_type("is it true") == "other"


def test_query_expansion_and_relative_years() -> None:
    from datetime import date

    query = build_query("which leaders met last year", published=date(2025, 4, 8))
    phrases = {" ".join(t.words): t.origin for t in query.terms}
    assert phrases["2024"] == "synonym" and phrases["meet"] == "synonym"
    assert {"last", "year"} & set(phrases) == set()  # one concept, not three
    bicentennial = build_query("when is the bicentennial")
    assert ("200th", "anniversary") in {t.words for t in bicentennial.terms}
    earn = {t.words for t in build_query("how much do workers earn an hour").terms}
    assert {("wage",), ("pay",)} <= earn  # what a worker earns is a wage


async def test_question_table_top1_at_least_90_percent(services: Services) -> None:
    for path in sorted(ARTICLES.iterdir()):
        await ingest_path(services.db, services.workers, path, NOW, lexicon=services.lexicon)
    from parley.core.search.lookup import lookup

    questions = tomllib.loads((FIXTURES / "questions.toml").read_text())["question"]
    assert len(questions) >= 30
    top1 = 0
    for q in questions:
        _, hits = await lookup(services.db, q["article"], q["ask"])
        top1 += bool(hits) and q["expect"] in hits[0].text
    assert top1 / len(questions) >= 0.9


async def test_member_can_ask_but_not_check(ask: Ask) -> None:
    reply = await ask("/factcheck c24 false The figure is wrong. https://example.org/x",
                      role=Role.MEMBER)
    assert reply.kind == "denied"


async def test_a_reanalysis_by_another_process_is_picked_up(ask: Ask, services: Services) -> None:
    from parley.core.ingest.pipeline import reanalyse
    from parley.core.search import lookup as lookup_module
    from parley.store.db import Database

    await ask("/fact how much is trade between the two countries")
    before = lookup_module._indexes(services.db).get("peru-illegal-immigration")
    assert before is not None
    # what `parley reanalyze` in another process does: its own connections, its own caches
    other = await Database.open(services.db.target)
    try:
        assert await reanalyse(other, services.workers, services.lexicon, everything=True)
    finally:
        await other.close()
    reply = await ask("/fact how much is trade between the two countries")
    assert "$20.5 billion" in reply.data["hits"][0]["text"]
    after = lookup_module._indexes(services.db).get("peru-illegal-immigration")
    assert after is not None and after is not before
    assert after.stamp != before.stamp  # rebuilt: the stamp told us


def test_a_typo_fix_is_the_same_whatever_the_hash_seed() -> None:
    # Three words one edit from "tradez": the fix is the first in spelling order, not the first
    # a set happens to yield (which changes with PYTHONHASHSEED).
    vocabulary = frozenset({"trades", "trader", "traded"})
    fixed = build_query("what tradez", vocabulary).fixes
    assert fixed == (("tradez", "traded"),)


async def test_a_claim_inside_someones_long_quotation_is_shown_as_theirs(ask: Ask) -> None:
    text = ("Ferry Cuts Planned\n\nPublished: March 3, 2025\n\n"
            "The harbour board raised ferry fares by 5 percent on Monday.\n\n"
            "“We have waited long enough for the board. The board will cut the winter sailings "
            "by half, to 14 a week, before anyone notices. Nobody on the islands was asked,” "
            "said Jo Bloggs, who organises the riders' union.\n\n"
            "“It was a hard choice. Fuel costs rose 40 percent in two years,” a board member said.")
    await discuss(ask, text)
    reply = await ask("/fact how many winter sailings will there be")
    best = reply.data["hits"][0]
    assert "cut the winter sailings" in best["text"]
    assert best["quoted"] and best["speaker"] == "Jo Bloggs"
    assert "· quoting Jo Bloggs" in reply.text
    fuel = await ask("/fact how much did fuel costs rise")
    assert fuel.data["hits"][0]["quoted"] and fuel.data["hits"][0]["speaker"] is None
    assert "· inside a quotation" in fuel.text
    fares = await ask("/fact how much did fares rise")
    assert not fares.data["hits"][0]["quoted"] and "quot" not in fares.text.split("\n")[1]
    claims = await ask("/claims")
    lines = {c["text"]: c for c in claims.data["claims"]}
    winter = next(c for t, c in lines.items() if "winter sailings" in t)
    assert winter["quoted"] and winter["speaker"] == "Jo Bloggs"
    assert "· quoting Jo Bloggs" in claims.text
