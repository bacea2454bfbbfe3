"""``/fact``'s own question graph (5 integer layers and the shipped map) and its fusion (#19)."""

from __future__ import annotations

import asyncio
import hashlib
import io

import numpy as np
import pytest

from parley.core.ingest.encodings import encode_stored
from parley.core.meaning import ENCODER_DIMS, ENCODER_ID, FAST_ENCODER_ID, encode, layers
from parley.core.meaning.encoder import (
    QuestionVector,
    encode_fact_question,
    encode_question,
    fact_encoder,
    forget_questions,
    remembered_fact_question,
    remembered_question,
)
from parley.core.search.lookup import _ranked, article_index, build_index, rank
from parley.core.search.rank import ENCODER_FUSION, FACT_FUSION, fusion_of
from parley.core.services import Services
from tests.conftest import Ask, discuss
from tests.unit.test_encoder import QUESTIONS, SENTENCES
from tests.unit.test_meaning import BORDER, CARBON, RECOUNT


def test_facts_own_vectors_are_unit_float32_and_tagged_with_their_graph() -> None:
    for question in QUESTIONS:
        asked = encode_fact_question(question)
        assert asked.graph == layers.FACT_ENCODER_ID != FAST_ENCODER_ID
        assert asked.vector.shape == (ENCODER_DIMS,) and asked.vector.dtype == np.float32
        assert abs(float(np.linalg.norm(asked.vector)) - 1.0) < 1e-5


@pytest.mark.sqlite_only("the encoder's ranking does not depend on the store: one backend keeps "
                         "the suite's time (three articles are encoded)")
async def test_paraphrased_questions_on_encoded_articles_are_answered_by_facts_graph(
        services: Services, ask: Ask) -> None:
    # The paraphrase questions of test_meaning (kids/children, carbon tax/levy, margin/votes),
    # on the articles encoded as `parley run` encodes them: /fact takes its own graph's path.
    for article, question, expected in (
            (BORDER, "How many kids have been taken from their parents so far?", "2,300 children"),
            (CARBON, "How big a carbon tax does the UN panel propose?", "$27,000 per ton"),
            (RECOUNT, "What was the vote margin in the original count?", "905 votes")):
        article_id = await discuss(ask, article)
        await encode_stored(services.db, services.workers)
        assert (await article_index(services.db, article_id)).encodings is not None
        forget_questions()
        reply = await ask(f"/fact {question}")
        assert expected in reply.data["hits"][0]["text"], question
        assert remembered_fact_question(question) is not None  # by /fact's own graph …
        assert remembered_question(question) is None  # … not by /check's
    for question in ("pizza recipes for beginners", "what is the capital of Mongolia"):
        reply = await ask(f"/fact {question}")
        assert reply.kind == "not_found" and reply.data["hits"] == [], question


def test_facts_questions_are_remembered_apart_from_checks_messages() -> None:
    forget_questions()
    text = SENTENCES[2]
    assert remembered_fact_question(text) is None
    made = encode_fact_question(text)
    assert remembered_question(text) is None  # /check's memory holds nothing of it
    found = remembered_fact_question(text)
    assert found is not None and found.graph == made.graph
    assert np.array_equal(found.vector, made.vector)
    whole = encode_question(text)  # /check's: the whole integer graph, a different vector
    assert not np.array_equal(whole, made.vector)
    made.vector[0] = 9.0  # a caller changing its copy changes nothing remembered
    assert encode_fact_question(text).vector[0] != 9.0


def test_the_shipped_map_loads_and_a_wrong_one_is_refused() -> None:
    data = layers.map_bytes()
    weight, bias = layers.load_map(data)
    assert weight.shape == (ENCODER_DIMS, ENCODER_DIMS) and weight.dtype == np.float32
    assert bias.shape == (ENCODER_DIMS,) and bias.dtype == np.float32
    changed = bytearray(data)
    changed[len(changed) // 2] ^= 0xFF
    with pytest.raises(layers.MapUnsound, match="sha256"):
        layers.load_map(bytes(changed))
    # A well-formed file of the wrong shape, even with its own digest given, is refused too.
    for weight_shape, bias_shape in (((256, 384), (384,)), ((384, 384), (256,))):
        buffer = io.BytesIO()
        np.savez(buffer, weight=np.zeros(weight_shape, np.float16),
                 bias=np.zeros(bias_shape, np.float16), layers=np.array(layers.LAYERS))
        wrong = buffer.getvalue()
        with pytest.raises(layers.MapUnsound, match=r"shape|map"):
            layers.load_map(wrong, hashlib.sha256(wrong).hexdigest())
    buffer = io.BytesIO()
    np.savez(buffer, weight=np.zeros((384, 384), np.float16), bias=np.zeros(384, np.float16),
             layers=np.array(4))
    wrong = buffer.getvalue()
    with pytest.raises(layers.MapUnsound, match="4 layers"):
        layers.load_map(wrong, hashlib.sha256(wrong).hexdigest())


def test_the_fusion_follows_the_graph_that_made_the_vector() -> None:
    vector = np.zeros(ENCODER_DIMS, dtype=np.float32)
    assert fusion_of(QuestionVector(vector, layers.FACT_ENCODER_ID)) is FACT_FUSION
    assert fusion_of(QuestionVector(vector, FAST_ENCODER_ID)) is ENCODER_FUSION
    assert fusion_of(QuestionVector(vector, ENCODER_ID)) is ENCODER_FUSION
    # The static part is the same; the encoder's is the one chosen with the 5-layer graph.
    assert (FACT_FUSION.weight, FACT_FUSION.answers, FACT_FUSION.vector_candidates,
            FACT_FUSION.floor) == (ENCODER_FUSION.weight, ENCODER_FUSION.answers,
                                   ENCODER_FUSION.vector_candidates, ENCODER_FUSION.floor)
    assert (FACT_FUSION.encoder_weight, FACT_FUSION.encoder_answers,
            FACT_FUSION.encoder_floor) == (0.682, 0.3195, 0.1435)


async def test_a_given_vector_is_ranked_with_its_graphs_fusion() -> None:
    rows = [(f"s{i}", 0, text) for i, text in enumerate(SENTENCES)]
    index = build_index(rows, encodings=encode(SENTENCES))
    for question in QUESTIONS:
        whole = QuestionVector(encode_question(question), FAST_ENCODER_ID)  # /check's kind
        own = encode_fact_question(question)
        assert await _ranked(index, question, whole) == rank(
            index, question, ENCODER_FUSION, encoded_question=whole.vector), question
        assert await _ranked(index, question, own) == rank(
            index, question, FACT_FUSION, encoded_question=own.vector), question
        # under way, /fact's own graph's vector still gets its own fusion
        pending: asyncio.Future[QuestionVector | None] = (
            asyncio.get_running_loop().create_future())
        ranking = asyncio.create_task(_ranked(index, question, pending))
        await asyncio.sleep(0)
        pending.set_result(own)
        assert await ranking == await _ranked(index, question, own), question


async def test_checks_message_vector_is_the_whole_graphs() -> None:
    from parley.core.factcheck import knowledge
    from parley.core.meaning.encoder import clip

    message = "They have taken thousands of kids from their parents at the border"
    meaning = knowledge.MessageVector(message)
    try:
        made = await meaning.pending()
    finally:
        meaning.close()
    assert made is not None and made.graph == FAST_ENCODER_ID
    assert fusion_of(made) is ENCODER_FUSION
    expected = encode_question(clip(knowledge.message_text(message), knowledge.MESSAGE_TOKENS))
    assert np.array_equal(made.vector, expected)


def test_the_five_layer_vector_is_the_bench_builds() -> None:
    from bench.question_layers import MAP, mapped_encoder

    assert MAP.read_bytes() == layers.map_bytes()  # the bench reads the shipped map
    bench = mapped_encoder()
    shipped = fact_encoder()
    texts = [*QUESTIONS, "What did the top Senate Democrat think of the president's move?"]
    for text in texts:
        a, b = bench.encode([text])[0], encode_fact_question(text).vector
        np.testing.assert_allclose(a, b, atol=1e-5)
        assert float(a @ b) > 0.99999, text
    assert np.array_equal(shipped.encode(texts), shipped.encode(texts))  # deterministic
