"""One article must not take the host: similarity memory stays linear, an article over the
sentence cap is refused with a clear reason, and analysis runs off the event loop."""

from __future__ import annotations

import random
import tracemalloc

import numpy as np

from parley.core.analysis.similarity import cosine_matrix, lexrank, tfidf_rows
from parley.core.ingest.errors import IngestError
from parley.core.ingest.pipeline import MAX_SENTENCES, ingest_text_or_url
from parley.core.services import Services
from parley.store import articles as article_store
from tests.unit.test_factcheck import NOW

WORDS = ("council budget bridge harbor repair vote tax school road police water park fund "
         "tariff trade wage port ferry rail clinic").split()


def short_sentences(n: int, seed: int = 1) -> list[str]:
    rng = random.Random(seed)
    return [f"The {rng.choice(WORDS)} {rng.choice(WORDS)} plan {i} passed." for i in range(n)]


def article_of(n: int) -> str:
    sentences = short_sentences(n)
    return "Report\n\n" + "\n\n".join(" ".join(sentences[i:i + 5]) for i in range(0, n, 5))


def test_similarity_of_the_largest_accepted_article_stays_small() -> None:
    texts = short_sentences(MAX_SENTENCES)
    tracemalloc.start()
    try:
        sim = cosine_matrix(texts)
        scores = lexrank(sim)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert scores.shape == (MAX_SENTENCES,)
    # a dense N×N float64 matrix alone would be 200 MB here
    assert peak < 25_000_000, f"peak {peak / 1e6:.0f} MB"


def test_sparse_similarity_and_lexrank_equal_the_dense_computation() -> None:
    texts = [*short_sentences(60, seed=3), "", "Nothing shared here at all."]
    sim = cosine_matrix(texts)
    rows, vocabulary = tfidf_rows(texts)
    vectors = np.zeros((len(texts), max(1, vocabulary)))
    for i, row in enumerate(rows):
        for term, weight in row.items():
            vectors[i, term] = weight
    dense = vectors @ vectors.T
    np.fill_diagonal(dense, 0.0)
    assert np.allclose(sim.dense(), dense)
    x = np.random.default_rng(0).random(len(texts))
    assert np.allclose(sim.matvec(x), dense @ x)
    totals = dense.sum(axis=1, keepdims=True)
    totals[totals == 0] = 1.0
    transition, scores = dense / totals, np.full(len(texts), 1.0 / len(texts))
    for _ in range(50):
        scores = 0.15 / len(texts) + 0.85 * (transition.T @ scores)
    assert np.allclose(lexrank(sim), scores / scores.max(), atol=1e-6)


async def test_an_article_over_the_sentence_cap_is_refused_clearly(services: Services) -> None:
    before = await article_store.count(services.db)
    try:
        await ingest_text_or_url(services.db, services.workers, article_of(MAX_SENTENCES + 5),
                                 NOW)
    except IngestError as exc:
        assert f"up to {MAX_SENTENCES:,}" in str(exc) and "Nothing was added" in str(exc)
    else:
        raise AssertionError("an article over the cap was accepted")
    assert await article_store.count(services.db) == before
