"""Sentence meaning: the shipped model, stored vectors, and /fact on questions in other words."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from parley.core.ingest.pipeline import embed_stored, ingest_bytes
from parley.core.meaning import DIMS, MODEL_ID, embed, similarity
from parley.core.meaning.vectors import pack, unpack
from parley.core.services import Services
from parley.store import articles as article_store
from parley.store import meaning as meaning_store
from tests.conftest import Ask, discuss

NOW = datetime(2025, 5, 1, tzinfo=UTC)

BORDER = ("Families Split at the Border\n\nPublished: June 20, 2018\n\n"
          "The administration said on Tuesday that it would end the practice at the border. "
          "Officials confirmed the separation of 2,300 children from their families since May. "
          "A federal judge in San Diego ordered the government to reunite the families within "
          "30 days. Advocacy groups said many parents had already been deported. A 1997 "
          "settlement sets a 20-day limit on detaining minors, which the new order tries to "
          "sidestep.")
CARBON = ("Climate Panel Report\n\nPublished: October 8, 2018\n\n"
          "The UN climate panel released its report on Monday after a week of talks in South "
          "Korea. To keep warming below 1.5 degrees, governments would need a carbon levy of up "
          "to $27,000 per ton by 2100, the panel said. Coal use would have to fall sharply "
          "within two decades. Several oil-producing nations objected to the wording of the "
          "summary for policymakers.")
RECOUNT = ("Recount Ends in the 2nd District\n\nPublished: December 7, 2018\n\n"
           "The recount in the state's 2nd District ended on Friday. In the original count, the "
           "Republican incumbent led by 905 votes out of more than 280,000 cast. After the "
           "recount his lead shrank to 612. The challenger said she would not contest the "
           "result in court. A recount in 1974 changed the outcome of a race for the Senate.")

SENTENCED = ("Harbour Master Sentenced\n\nPublished: March 3, 2021\n\n"
             "Jo Bloggs, the former harbour master of Eastport, was sentenced on Tuesday. "
             "The judge called her 30-month prison term fair. "
             "The city was founded on fishing and the ferry trade. "
             "Bloggs was convicted in 2020 of taking bribes and falsifying the pier's safety "
             "records. Bloggs is 58. Her lawyer said she would appeal.")


def test_embeddings_are_unit_rows_and_deterministic() -> None:
    texts = ["How many kids were separated?", "the separation of 2,300 children", ""]
    first, again = embed(texts), embed(texts)
    assert first.shape == (3, DIMS) and first.dtype == np.float32
    assert np.array_equal(first, again)
    assert np.allclose(np.linalg.norm(first[:2], axis=1), 1.0, atol=1e-5)
    assert not first[2].any()  # nothing to embed: a zero row, never NaN
    assert embed([]).shape == (0, DIMS)


def test_similar_meanings_are_nearer_than_unrelated_ones() -> None:
    kids, children, goats, levy, tax, pizza = embed(
        ["kids", "children", "goats", "a carbon levy", "a carbon tax", "pizza recipes"])
    assert similarity(kids, children) > similarity(kids, goats) + 0.3
    assert similarity(levy, tax) > similarity(levy, pizza) + 0.3
    table = similarity(np.stack([kids, goats]), np.stack([children, pizza]))
    assert table.shape == (2, 2) and table[0, 0] > table[0, 1]


@pytest.mark.parametrize("text", ["\x00\x01\x1b[31m", "ﬁ ﬂ 🤔 ∑ 東京", "a" * 20_000,
                                  "word " * 5_000, "\u202e\u200b"])
def test_hostile_text_embeds_without_error(text: str) -> None:
    vector = embed([text])[0]
    assert vector.shape == (DIMS,) and np.isfinite(vector).all()


def test_stored_vectors_round_trip_closely() -> None:
    matrix = embed(["one sentence", "another one entirely", "a third"])
    back = unpack(pack(matrix), 3)
    assert back is not None and back.shape == matrix.shape
    assert np.abs((back * matrix).sum(axis=1) - 1.0).max() < 0.01
    assert unpack(pack(matrix), 4) is None  # a torn or foreign blob is refused, not misread
    with pytest.raises(ValueError):
        pack(matrix[:, :10])


async def test_ingestion_stores_vectors_and_start_refills_missing_ones(
        services: Services) -> None:
    result = await ingest_bytes(services.db, services.workers, RECOUNT.encode(), NOW,
                                name="recount.txt")
    stored = await meaning_store.vectors(services.db, result.article.id, MODEL_ID)
    assert stored is not None
    rows, blob = stored
    vectors = unpack(blob, rows)
    sentences = await article_store.sentences(services.db, result.article.id)
    assert vectors is not None and rows == len(sentences) > 3  # every sentence, in order
    assert np.allclose(vectors, embed([s.text for s in sentences]), atol=0.02)
    await services.db.execute("DELETE FROM article_vectors WHERE article_id = ?",
                              (result.article.id,))
    await meaning_store.save_vectors(services.db, "peru-illegal-immigration", "older-model",
                                     1, b"\x00" * (DIMS + 4))
    refilled = await embed_stored(services.db)
    assert set(refilled) == {result.article.id, "peru-illegal-immigration"}
    again = await meaning_store.vectors(services.db, result.article.id, MODEL_ID)
    assert again is not None and again[1] == blob
    assert await embed_stored(services.db) == []


async def test_kids_taken_from_parents_finds_the_children_separated(ask: Ask) -> None:
    await discuss(ask, BORDER)
    reply = await ask("/fact How many kids have been taken from their parents so far?")
    assert "2,300 children" in reply.data["hits"][0]["text"]


async def test_a_levy_asked_about_as_a_tax(ask: Ask) -> None:
    await discuss(ask, CARBON)
    reply = await ask("/fact How big a carbon tax does the UN panel propose?")
    assert "$27,000 per ton" in reply.data["hits"][0]["text"]


async def test_a_margin_asked_for_finds_the_votes(ask: Ask) -> None:
    await discuss(ask, RECOUNT)
    reply = await ask("/fact What was the vote margin in the original count?")
    assert "905 votes" in reply.data["hits"][0]["text"]
    assert "1974" not in reply.data["hits"][0]["text"]


async def test_found_guilty_is_convicted_and_a_hyphenated_term_is_how_long(ask: Ask) -> None:
    await discuss(ask, SENTENCED)
    # "found" is "find", not "founded"; "found guilty" is "convicted".
    reply = await ask("/fact What was Bloggs found guilty of?")
    assert "convicted in 2020" in reply.data["hits"][0]["text"]
    # "a 30-month prison term" is a length of time; "Bloggs is 58" is not.
    reply = await ask("/fact How long will Bloggs be locked up?")
    assert "30-month" in reply.data["hits"][0]["text"]


PIER = ("Pier Inquiry Opens\n\nPublished: May 4, 2021\n\n"
        "The inquiry into the Eastport pier opened on Monday. "
        "Why did the harbour board wait so long to close the pier? "
        "The board kept the pier open because its engineers rated it safe until 2020. "
        "The inquiry will report in June.")
JOBS = ("Jobs Report\n\nPublished: June 7, 2013\n\n"
        "Employers added 175,000 jobs in May, the Labor Department said. "
        "The unemployment rate rose to 7.6% from 7.5% in April. "
        "Retailers added 28,000 jobs, and health care added 26,000. The share of Americans in "
        "work is 58.6%. That rate has barely budged in three years, economists said.")


@pytest.mark.parametrize(("article", "question", "answer"), [
    # The article's own question ("Why did the harbour board wait …?") is never the answer.
    (PIER, "Why did the harbour board wait to close the pier?", "engineers rated it safe"),
    # "jobless" is "unemployment", not the rate the sentence before names.
    (JOBS, "What is the jobless rate now?", "7.6%"),
])
async def test_the_answer_in_other_words_is_never_the_articles_own_question(
        ask: Ask, article: str, question: str, answer: str) -> None:
    await discuss(ask, article)
    hits = (await ask(f"/fact {question}")).data["hits"]
    assert not any(h["text"].endswith("?") for h in hits)
    assert answer in hits[0]["text"]


async def test_questions_the_article_does_not_answer_still_get_nothing(ask: Ask) -> None:
    await discuss(ask, RECOUNT)
    for question in ("pizza recipes for beginners", "submarine warfare tactics",
                     "what is the capital of Mongolia"):
        reply = await ask(f"/fact {question}")
        assert reply.kind == "not_found" and reply.data["hits"] == [], question


def test_claim_matching_knows_a_claim_in_other_words() -> None:
    from parley.core.factcheck.matching import best_match, match_score

    class Said:
        def __init__(self, text: str) -> None:
            self.text, self.figures, self.entities = text, [], []

    claims = [Said("The president signed a new trade deal with Peru."),
              Said("The president withdrew the nation from the missile treaty.")]
    found = best_match("The president pulled the country out of the missile treaty.", claims)
    assert found is not None and found[0] == 1
    assert match_score("The president pulled the country out of the missile treaty.",
                       claims[0]) < 0.6
