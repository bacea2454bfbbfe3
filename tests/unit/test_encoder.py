"""The sentence encoder (all-MiniLM-L6-v2 in onnxruntime): paraphrases nearest, deterministic."""

from __future__ import annotations

import numpy as np

from parley.core.meaning import ENCODER_DIMS, encode, encode_one, similarity

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


def test_blank_text_is_a_zero_row_and_no_texts_an_empty_matrix() -> None:
    rows = encode(["", "   ", "Rain."])
    assert not rows[0].any() and not rows[1].any() and rows[2].any()
    assert encode([]).shape == (0, ENCODER_DIMS)
