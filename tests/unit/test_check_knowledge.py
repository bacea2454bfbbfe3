"""/check's knowledge-base ranking: a message in other words finds the reviewed claim it repeats,
an unrelated one is shown nothing, figures that differ are not the same claim, posted text is
cleaned, and the claims' vectors are stored once and followed when the store changes."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from parley.core.factcheck import knowledge
from parley.core.factcheck.claimreview import parse_document
from parley.core.factcheck.link import import_reviews
from parley.core.factcheck.retrieval import (
    Fusion,
    clean_message,
    contradicts,
    probe,
    reciprocal_rank,
)
from parley.core.meaning import ENCODER_ID, FAST_ENCODER_ID, encode, encode_fast
from parley.core.services import Services
from parley.store import claim_vectors
from tests.conftest import Ask, needs_encoder

# Reviews written for these tests (not from any data set).
REVIEWS = [
    ("Eating carrots lets people see in the dark.", "Do carrots give you night vision?",
     "false"),
    ("The city of Springfield banned all dogs from its public parks.",
     "Did Springfield ban dogs from parks?", "false"),
    ("A new border wall cost taxpayers $25 billion.", "Did the wall cost $25 billion?",
     "mixed"),
    ("Volcanic eruptions release more carbon dioxide than all human activity.",
     "Do volcanoes emit more CO2 than people?", "false"),
]

def _doc() -> list[dict[str, Any]]:
    return [{"@type": "ClaimReview", "claimReviewed": claim, "name": title,
             "url": f"https://checker.example/{i}",
             "reviewRating": {"@type": "Rating", "alternateName": verdict}}
            for i, (claim, title, verdict) in enumerate(REVIEWS)]


async def _load(services: Services) -> None:
    await import_reviews(services.db, parse_document(_doc()), "import", services.now())
    await knowledge.ready(services.db)  # what the first check starts in the background


def test_posted_text_is_cleaned_of_links_dates_and_glued_tags() -> None:
    text = ("Huge news! #BorderWall costs https://t.co/abc pic.twitter.com/xyz "
            "— Jane Roe (@JaneRoe) January 6, 2020")
    cleaned = clean_message(text)
    assert "t.co" not in cleaned and "pic.twitter" not in cleaned and "2020" not in cleaned
    assert "Border Wall" in cleaned and "BorderWall" in cleaned and "Jane Roe" in cleaned


def test_a_different_figure_is_not_the_same_claim() -> None:
    assert contradicts(probe("the wall cost $15 billion"), "The wall cost $25 billion.")
    assert not contradicts(probe("the wall cost $25 billion"), "The wall cost $25 billion.")
    assert not contradicts(probe("the wall was expensive"), "The wall cost $25 billion.")


@needs_encoder
async def test_a_message_in_other_words_finds_the_reviewed_claim(services: Services) -> None:
    await _load(services)
    ranked = await knowledge.rank(services.db, "my gran swears munching carrots gives you "
                                  "night vision")
    assert ranked[0].check.review.claim_reviewed == REVIEWS[0][0]
    # no word of the claim but "dogs"/"parks" in other forms: meaning carries it
    ranked = await knowledge.rank(services.db, "Springfield has outlawed pets like puppies "
                                  "in every park")
    assert ranked[0].check.review.claim_reviewed == REVIEWS[1][0]


async def test_the_first_check_answers_by_words_while_vectors_load(
        ask: Ask, services: Services) -> None:
    await import_reviews(services.db, parse_document(_doc()), "import", services.now())
    reply = await ask("/check Eating carrots lets people see in the dark, my gran says")
    assert reply.data["matches"][0]["claim"] == REVIEWS[0][0]  # wording alone is sure here


@needs_encoder
async def test_check_shows_the_sure_match_and_nothing_for_unrelated_text(
        ask: Ask, services: Services) -> None:
    await _load(services)
    reply = await ask("/check Volcanoes put out more CO2 than all human activity combined!")
    assert reply.data["matches"][0]["claim"] == REVIEWS[3][0]
    assert reply.data["matches"][0]["verdict"] == "false"
    unrelated = await ask("/check The library will open a new reading room next spring")
    assert unrelated.kind == "not_found" and unrelated.data["matches"] == []


async def test_a_different_figure_is_not_shown_as_the_check(ask: Ask, services: Services) -> None:
    await _load(services)
    reply = await ask("/check The new border wall cost taxpayers $15 billion")
    assert all(m["claim"] != REVIEWS[2][0] for m in reply.data["matches"])


@needs_encoder
async def test_vectors_are_stored_once_and_followed_when_checks_are_added(
        services: Services) -> None:
    await _load(services)
    first = await knowledge.held(services.db)
    assert first is not None and first.complete
    assert await claim_vectors.missing(services.db, FAST_ENCODER_ID) == []
    assert await knowledge.held(services.db) is first  # nothing written: the same matrix
    extra = {"@type": "ClaimReview", "claimReviewed": "Goldfish remember only three seconds.",
             "reviewRating": {"@type": "Rating", "alternateName": "False"}}
    await import_reviews(services.db, parse_document(extra), "import", services.now())
    assert await knowledge.held(services.db) is first  # still used while it is refreshed
    second = await knowledge.ready(services.db)
    assert second is not None and second is not first
    assert len(second.ids) == len(first.ids) + 1
    ranked = await knowledge.rank(services.db, "a goldfish's memory lasts 3 seconds")
    assert ranked[0].check.review.claim_reviewed == "Goldfish remember only three seconds."


def test_reciprocal_rank_fuses_the_two_orders() -> None:
    fused = reciprocal_rank([1, 2, 3], [2, 4], Fusion(1.0, 1.0, 10))
    assert fused[2] > fused[1] > fused[4] > fused[3]  # second in one, first in the other wins
    assert reciprocal_rank([7], [7], Fusion(1.0, 1.0, 10)) == {7: 1.0}
    only_words = reciprocal_rank([1, 2], [2, 1], Fusion(1.0, 0.0, 10))
    assert only_words[1] > only_words[2]


@needs_encoder
async def test_vectors_made_in_threads_belong_to_their_own_claims(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(knowledge, "CHUNK", 1)  # each claim its own chunk, finished in any order
    monkeypatch.setattr(knowledge, "BATCH", 3)  # stored in several transactions
    await import_reviews(services.db, parse_document(_doc()), "import", services.now())
    todo = await claim_vectors.missing(services.db, FAST_ENCODER_ID)  # with the example pack's
    assert len(todo) >= len(REVIEWS)
    assert await knowledge.fill(services.db, threads=2) == len(todo)
    assert await claim_vectors.missing(services.db, FAST_ENCODER_ID) == []
    stored = dict(await claim_vectors.load(services.db, FAST_ENCODER_ID))
    assert len(stored) >= len(todo)
    for check_id, claim, title in todo:
        mine = np.frombuffer(stored[check_id], dtype=np.float16).astype(np.float32)
        assert float(mine @ encode_fast([knowledge.claim_text(claim, title)])[0]) > 0.999


@needs_encoder
@pytest.mark.parametrize("fill_on_check", [32, 1])  # a few stale, and more than a check embeds
async def test_vectors_stored_by_another_encoder_are_made_again(
        services: Services, monkeypatch: pytest.MonkeyPatch, fill_on_check: int) -> None:
    monkeypatch.setattr(knowledge, "FILL_ON_CHECK", fill_on_check)
    await import_reviews(services.db, parse_document(_doc()), "import", services.now())
    todo = await claim_vectors.missing(services.db, FAST_ENCODER_ID)
    ids = [i for i, _, _ in todo]
    exact = encode([knowledge.claim_text(c, t) for _, c, t in todo])
    await claim_vectors.save(services.db, ENCODER_ID,  # what the exact graph stored before
                             zip(ids, [r.astype(np.float16).tobytes() for r in exact],
                                 strict=True))
    assert await claim_vectors.stale(services.db, FAST_ENCODER_ID) == len(ids)
    assert len(await claim_vectors.missing(services.db, FAST_ENCODER_ID)) == len(ids)
    held = await knowledge.ready(services.db)
    assert held is not None and held.complete and sorted(held.ids.tolist()) == sorted(ids)
    assert await claim_vectors.stale(services.db, FAST_ENCODER_ID) == 0
    assert await claim_vectors.load(services.db, ENCODER_ID) == []
    fast = encode_fast([knowledge.claim_text(c, t) for _, c, t in todo])
    rows = {i: n for n, i in enumerate(held.ids.tolist())}
    for n, check_id in enumerate(ids):
        assert float(held.matrix[rows[check_id]] @ fast[n]) > 0.99
    ranked = await knowledge.rank(services.db, "munching carrots gives you night vision")
    assert ranked[0].check.review.claim_reviewed == REVIEWS[0][0]


@needs_encoder
async def test_incomplete_vectors_are_read_again_later(
        services: Services, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(knowledge, "FILL_ON_CHECK", 0)  # too many to embed during a check
    await import_reviews(services.db, parse_document(_doc()), "import", services.now())
    assert await knowledge.ready(services.db) is None  # by words until they are made
    monkeypatch.setattr(knowledge, "FILL_ON_CHECK", 32)
    assert await knowledge.held(services.db) is None  # the stamp is unchanged: not yet due
    assert services.db.memos.memo(knowledge.REFRESH, 1).get(knowledge.REFRESH) is None
    monkeypatch.setattr(knowledge, "RETRY", 0.0)
    assert await knowledge.held(services.db) is None
    refresh = services.db.memos.memo(knowledge.REFRESH, 1).get(knowledge.REFRESH)
    assert refresh is not None
    again = await refresh
    assert again is not None and again.complete
    assert await knowledge.held(services.db) is again


@needs_encoder
async def test_a_limited_ranking_is_the_head_of_the_whole(services: Services) -> None:
    await _load(services)
    whole = await knowledge.rank(services.db, "volcanoes emit more CO2 than all people")
    head = await knowledge.rank(services.db, "volcanoes emit more CO2 than all people", limit=1)
    assert len(head) == 1 and len(whole) > 1 and head[0].check.id == whole[0].check.id


@needs_encoder
def test_a_long_message_is_encoded_up_to_its_token_cap() -> None:
    from parley.core.meaning.encoder import clip, question_encoder

    tokenizer = question_encoder().tokenizer
    short = "Volcanoes emit more carbon dioxide than people"
    assert clip(short, 64) == short
    long = " ".join(["The unbelievably disproportionate wall cost taxpayers billions."] * 12)
    cut = clip(long, knowledge.MESSAGE_TOKENS)
    assert len(tokenizer.encode(cut).ids) <= knowledge.MESSAGE_TOKENS < len(
        tokenizer.encode(long).ids)
    assert long.startswith(cut) and long[len(cut)] == " "  # never in the middle of a word


@needs_encoder
@pytest.mark.sqlite_only("the encoder's runs do not depend on the store: one backend keeps the "
                         "suite's time (this test encodes the example article)")
async def test_a_check_encodes_the_message_once(ask: Ask, services: Services) -> None:
    # The one proof that the knowledge base's ranking and the counterpoint search share one
    # encoding (a few seconds: the example article is encoded for it).
    from parley.core.ingest.encodings import encode_stored
    from parley.core.meaning.encoder import _asked, _asked_fact, forget_questions

    await _load(services)
    await encode_stored(services.db, services.workers)
    message = "I read it everywhere. The new border wall cost taxpayers $25 billion, a waste!"
    forget_questions()
    reply = await ask(f"/check {message}")
    assert reply.data["claims"][0] != knowledge.message_text(message)  # two texts, one run
    assert _asked.cache_info().misses == 1
    assert _asked_fact.cache_info().misses == 0  # the whole graph's, not /fact's own
    assert reply.data["matches"][0]["claim"] == REVIEWS[2][0]


def test_the_nearest_and_the_asked_cosines_come_from_one_product() -> None:
    rng = np.random.default_rng(21)
    matrix = rng.standard_normal((40, 8)).astype(np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    held = knowledge.Held((1, 1), np.arange(10, 50, dtype=np.int64), matrix)
    query = matrix[3]
    top = {int(i) + 10 for i in np.argsort(-(matrix @ query))[:2]}
    near = knowledge.nearest(held, query, 2, also=[30, 11, 999])
    assert set(near) == top | {30, 11}  # 999 is not held: no cosine
    for check_id in near:
        assert near[check_id] == pytest.approx(float(matrix[check_id - 10] @ query), abs=1e-6)


@pytest.mark.sqlite_only("whether the encoder starts does not depend on the store")
async def test_a_message_without_words_to_search_starts_no_encoding(ask: Ask) -> None:
    from parley.core.meaning.encoder import _asked

    empty = knowledge.MessageVector("https://t.co/abc 🔥🔥 ...")
    assert empty._task is None  # nothing to search, nothing checkable: no encoder run
    empty.close()
    before = _asked.cache_info().misses
    reply = await ask("/check https://t.co/abc 🔥🔥 ...")
    assert reply.kind == "error" and "nothing checkable" in reply.text
    assert _asked.cache_info().misses == before
