"""The sentence encoder (all-MiniLM-L6-v2 in onnxruntime): paraphrases nearest, deterministic."""

from __future__ import annotations

import asyncio

import numpy as np

from parley.core.ingest.encodings import encode_forever, encode_stored
from parley.core.meaning import (
    ENCODER_DIMS,
    ENCODER_ID,
    FAST_ENCODER_ID,
    encode,
    encode_fast,
    encode_one,
    encode_question,
    similarity,
)
from parley.core.meaning.encoder import _graph, _session, encoder, question_encoder
from parley.core.search.lookup import article_index, lookup
from parley.core.services import Services
from parley.store import articles as article_store
from parley.store import meaning as meaning_store
from tests.conftest import Ask, discuss
from tests.unit.test_meaning import BORDER

# Written for this test: each question is answered, in other words, by one of the sentences.
SENTENCES = [
    "The council approved a levy of forty dollars on every tonne of carbon dioxide.",
    "Border agents have separated more than two thousand children from their families.",
    "The recount left the incumbent ahead by 905 votes.",
    "Heavy rain flooded the old market on Tuesday night.",
]
QUESTIONS = {
    "How big a carbon tax did the council agree to?": 0,
    "How many kids were taken from their parents?": 1,
    "What was the margin in the second count?": 2,
    "Which part of town was under water after the storm?": 3,
}


def test_each_paraphrase_finds_its_sentence() -> None:
    sentences = encode(SENTENCES)
    assert sentences.shape == (len(SENTENCES), ENCODER_DIMS)
    assert sentences.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(sentences, axis=1), 1.0, atol=1e-5)
    for question, expected in QUESTIONS.items():
        scores = similarity(sentences, encode_one(question))
        assert int(np.argmax(scores)) == expected, (question, scores)


def test_the_same_text_gives_the_same_vector_alone_or_in_a_batch() -> None:
    alone = encode([SENTENCES[2]])[0]
    batched = encode(SENTENCES)[2]
    again = encode([SENTENCES[2]])[0]
    assert np.array_equal(alone, again)
    np.testing.assert_allclose(alone, batched, atol=1e-5)
    assert np.array_equal(encode_one(SENTENCES[2]), encode_one(SENTENCES[2]))


def test_the_lighter_graph_gives_the_packaged_graphs_vectors_bit_for_bit() -> None:
    packaged = _session(_graph())  # as the package ships it: every weight folded to float32
    feeds = encoder().tokenizer.encode_batch(SENTENCES)
    ids = np.array([e.ids for e in feeds], dtype=np.int64)
    inputs = {"input_ids": ids, "attention_mask": np.array([e.attention_mask for e in feeds]),
              "token_type_ids": np.zeros_like(ids)}
    assert np.array_equal(packaged.run(None, inputs)[0], encoder().session.run(None, inputs)[0])


def test_questions_by_the_integer_graph_are_close_and_still_find_their_sentences() -> None:
    sentences = encode(SENTENCES)
    for question, expected in QUESTIONS.items():
        asked = encode_question(question)
        assert asked.shape == (ENCODER_DIMS,) and asked.dtype == np.float32
        assert float(similarity(asked, encode_one(question))) > 0.97, question
        assert int(np.argmax(similarity(sentences, asked))) == expected, question
    fresh = question_encoder().encode([SENTENCES[0]])[0]  # not remembered: computed again
    assert np.array_equal(fresh, question_encoder().encode([SENTENCES[0]])[0])
    assert np.array_equal(fresh, encode_question(SENTENCES[0]))
    first = encode_question(SENTENCES[0])
    first[0] = 9.0  # a caller changing its copy changes nothing remembered
    assert encode_question(SENTENCES[0])[0] != 9.0


def test_the_integer_graph_batched_is_close_to_the_exact_one_and_tagged_apart() -> None:
    texts = [*SENTENCES, "  ", *QUESTIONS]
    fast = encode_fast(texts)
    assert fast.shape == (len(texts), ENCODER_DIMS) and fast.dtype == np.float32
    assert not fast[len(SENTENCES)].any()  # the blank one
    exact = encode(texts)
    for row, text in enumerate(texts):
        if text.strip():
            assert abs(float(np.linalg.norm(fast[row])) - 1.0) < 1e-5
            assert float(fast[row] @ exact[row]) > 0.97, text
    assert np.array_equal(fast, encode_fast(texts))  # the same batches: the same vectors
    assert np.array_equal(encode_fast([SENTENCES[1]])[0], encode_question(SENTENCES[1]))
    assert FAST_ENCODER_ID != ENCODER_ID and question_encoder().id == FAST_ENCODER_ID


def test_blank_text_is_a_zero_row_and_no_texts_an_empty_matrix() -> None:
    rows = encode(["", "   ", "Rain."])
    assert not rows[0].any() and not rows[1].any() and rows[2].any()
    assert encode([]).shape == (0, ENCODER_DIMS)


async def test_encoded_articles_answer_paraphrases_and_still_refuse_the_unasked(
        services: Services, ask: Ask) -> None:
    article_id = await discuss(ask, BORDER)
    assert (await article_index(services.db, article_id)).encodings is None  # not yet: static
    done = await encode_stored(services.db, services.workers)
    assert article_id in done and await encode_stored(services.db, services.workers) == []
    stored = await meaning_store.encodings(services.db, article_id, ENCODER_ID)
    sentences = await article_store.sentences(services.db, article_id)
    assert stored is not None and stored[0] == len(sentences)
    index = await article_index(services.db, article_id)  # the store dropped the old index
    assert index.encodings is not None
    assert index.encodings.shape == (len(sentences), ENCODER_DIMS)
    np.testing.assert_allclose((index.encodings * encode([s.text for s in sentences])).sum(1),
                               1.0, atol=0.01)
    _, hits = await lookup(services.db, article_id, "How many kids were taken from parents?")
    assert "2,300 children" in hits[0].text and hits[0].encoded is not None  # the encoder's path
    plain = "How many children have been separated?"
    _, hits = await lookup(services.db, article_id, plain)  # the encoder always
    assert "2,300 children" in hits[0].text and hits[0].encoded is not None
    reply = await ask("/fact How many kids have been taken from their parents so far?")
    assert "2,300 children" in reply.data["hits"][0]["text"]
    reply = await ask("/fact What time limit on holding kids does the order try to get around?")
    assert "20-day limit" in reply.data["hits"][0]["text"]
    for question in ("pizza recipes for beginners", "what is the capital of Mongolia"):
        reply = await ask(f"/fact {question}")
        assert reply.kind == "not_found" and reply.data["hits"] == [], question


async def test_the_background_encoder_stops_at_once_when_asked(services: Services) -> None:
    stop = asyncio.Event()
    task = asyncio.create_task(encode_forever(services.db, services.workers, stop,
                                              start_delay_s=30.0))
    await asyncio.sleep(0)
    stop.set()
    await asyncio.wait_for(task, 2.0)
    assert await meaning_store.encodings(services.db, "peru-illegal-immigration",
                                         ENCODER_ID) is None



async def test_a_new_question_overlapped_with_its_encoding_ranks_as_in_one_pass() -> None:
    from parley.core.meaning.encoder import encode_fact_question
    from parley.core.search.lookup import _ranked, build_index, rank
    from parley.core.search.rank import FACT_FUSION

    rows = [(f"s{i}", 0, text) for i, text in enumerate(SENTENCES)]
    index = build_index(rows, encodings=encode(SENTENCES))
    for question in [*QUESTIONS, "what is the capital of Mongolia"]:
        # The loop scores words and the static model while the thread encodes; one pass
        # after the encoding must give the same hits, scores and all (/fact's own graph and
        # its fusion).
        overlapped = await _ranked(index, question)
        asked = encode_fact_question(question).vector
        assert overlapped == rank(index, question, FACT_FUSION, encoded_question=asked), question
    _, hits = await _ranked(index, "How many kids were taken from their parents?")
    assert hits and hits[0].id == "s1" and hits[0].encoded is not None


async def test_an_encoding_still_under_way_ranks_as_the_made_one() -> None:
    from parley.core.meaning.encoder import QuestionVector
    from parley.core.search.lookup import _ranked, build_index, rank
    from parley.core.search.rank import ENCODER_FUSION

    rows = [(f"s{i}", 0, text) for i, text in enumerate(SENTENCES)]
    index = build_index(rows, encodings=encode(SENTENCES))
    message = "They have taken thousands of kids from their parents at the border"
    # /check's message encoding, shared with the search
    made = QuestionVector(encode_question(message), FAST_ENCODER_ID)
    for question in QUESTIONS:
        pending: asyncio.Future[QuestionVector | None] = (
            asyncio.get_running_loop().create_future())
        ranking = asyncio.create_task(_ranked(index, question, pending))
        await asyncio.sleep(0)  # the words are scored before the vector arrives
        assert not ranking.done()
        pending.set_result(made)
        assert await ranking == await _ranked(index, question, made), question
        # the whole graph's vector keeps the whole graph's fusion
        assert await ranking == rank(index, question, ENCODER_FUSION,
                                     encoded_question=made.vector), question


def test_a_remembered_question_is_found_without_encoding_and_a_new_one_is_not() -> None:
    from parley.core.meaning.encoder import _asked, forget_questions, remembered_question

    forget_questions()
    assert remembered_question(SENTENCES[3]) is None  # looking encodes nothing
    assert _asked.cache_info().misses == 0 and _asked.cache_info().currsize == 0
    made = encode_question(SENTENCES[3])
    found = remembered_question(SENTENCES[3])
    assert found is not None and np.array_equal(found, made)
    assert _asked.cache_info().misses == 1 and _asked.cache_info().hits == 1



def test_one_text_is_tokenized_alone_with_the_batch_tokenizers_ids() -> None:
    tokenizer = encoder().tokenizer
    for text in [*QUESTIONS, *SENTENCES]:
        alone = encoder().feeds([text])
        assert alone["input_ids"].tolist() == [tokenizer.encode_batch([text])[0].ids]
        assert alone["attention_mask"].all()

async def test_an_encoded_article_still_adds_the_knowledge_base_read_during_the_encoding(
        services: Services, ask: Ask) -> None:
    from dataclasses import replace

    from parley.core.meaning.encoder import forget_questions, remembered_fact_question
    from parley.core.search.lookup import _indexes

    article_id = "peru-illegal-immigration"
    plain = await article_index(services.db, article_id)
    # Stand-in sentence encodings (unit rows, fast to make): the article takes the encoder's path.
    rows = np.random.default_rng(19).standard_normal((len(plain.sentences), ENCODER_DIMS))
    encoded = replace(plain, encodings=(rows / np.linalg.norm(rows, axis=1, keepdims=True)
                                        ).astype(np.float32))
    _indexes(services.db).put(article_id, encoded)
    forget_questions()  # a new question: the knowledge base is read while it is encoded
    question = "is China Peru's largest trading partner"
    _, hits = await lookup(services.db, article_id, question)
    assert remembered_fact_question(question) is not None  # the question was encoded
    known = [h for h in hits if h.kind == "factcheck"]
    assert len(known) == 1 and "Chancay" in known[0].text and known[0].status == "supported"
    assert all(h.encoded is not None for h in hits if h.kind != "factcheck")


async def test_a_lookups_encoding_is_the_question_vector_and_a_dropped_one_stays_dropped(
        ) -> None:
    from parley.core.meaning.encoder import (
        encode_fact_question,
        forget_questions,
        remembered_fact_question,
    )
    from parley.core.search.lookup import _encoding

    question, other = SENTENCES[1], SENTENCES[2]
    forget_questions()
    made = await _encoding(question)
    forget_questions()
    assert made is not None
    assert made.vector.tobytes() == encode_fact_question(question).vector.tobytes()
    dropped = _encoding(other)
    dropped.cancel()
    await asyncio.wait_for(_encoding(question), 5)  # the thread has moved past the other job
    await asyncio.sleep(0)  # (the dropped one's callbacks, if any, have run)
    assert dropped.cancelled()
    found = remembered_fact_question(other)  # made or skipped, it is never half-remembered
    assert found is None or found.vector.tobytes() == encode_fact_question(other).vector.tobytes()
