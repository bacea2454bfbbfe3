"""/fact's fast path: candidates scored from the postings match the one-sentence scorers, and an
article's remembered answers never hide a verdict or outlive the analysis they were ranked on."""

from __future__ import annotations

import tomllib
from pathlib import Path

from parley.core.ingest.pipeline import prepare
from parley.core.meaning import embed
from parley.core.models import Role
from parley.core.search.lookup import (
    ANSWERS,
    ArticleIndex,
    article_index,
    build_index,
    candidates,
    lookup,
)
from parley.core.search.query import MIN_TYPO_LENGTH, build_query
from parley.core.search.rank import bm25, concept_weights, score
from parley.core.services import Services
from tests.conftest import ARTICLES, FIXTURES, Ask

TRADE = "how much is trade between the two countries"


def _rows(path: Path) -> list[tuple[str, int, str]]:
    """A test article's sentences as ingestion stores them: id, section, text."""
    parsed = prepare(path.read_bytes(), None, path.name, None)
    return [(f"s{i}", n, s.text) for i, (n, s) in enumerate(
        (n, s) for n, sec in enumerate(parsed.sections) for s in sec.sentences)]


def _index(path: Path) -> ArticleIndex:
    """A test article's index, as ingestion builds one."""
    return build_index(_rows(path))


def test_candidates_score_exactly_as_the_one_sentence_scorers() -> None:
    questions = tomllib.loads((FIXTURES / "questions.toml").read_text())["question"]
    compared = 0
    for path in sorted(ARTICLES.iterdir())[:2]:
        index = _index(path)
        for q in questions[::3]:
            query = build_query(q["ask"], index.vocabulary, index.published)
            found = candidates(index, query, embed([q["ask"]])[0])
            features = [index.features[c.position] for c in found]
            raw = [bm25(query, f, index.idf, index.avg_length) for f in features]
            top = max(raw, default=0.0) or 1.0
            weights = concept_weights(query, index.idf)
            for c, f, r in zip(found, features, raw, strict=True):
                assert (c.lexical, c.coverage, c.typed) == score(query, f, index.idf, r / top,
                                                                 None, weights)
                compared += 1
    assert compared > 50


def test_the_candidates_made_before_the_vector_are_those_made_after_it_afresh() -> None:
    from dataclasses import replace

    import numpy as np

    from parley.core.search.lookup import evidence
    from parley.core.search.rank import ENCODER_FUSION

    questions = tomllib.loads((FIXTURES / "questions.toml").read_text())["question"]
    compared = 0
    rng = np.random.default_rng(19)
    for path in sorted(ARTICLES.iterdir())[:2]:
        rows = _rows(path)
        # Stand-in encodings (unit rows): the reuse must hold whatever the encoder's nearest.
        fake = rng.standard_normal((len(rows), 8)).astype(np.float32)
        fake /= np.linalg.norm(fake, axis=1, keepdims=True)
        index = build_index(rows, encodings=fake)
        for q in questions[::2]:
            query = build_query(q["ask"], index.vocabulary, index.published)
            found = evidence(index, query, embed([q["ask"]])[0], ENCODER_FUSION)
            asked = fake[rng.integers(len(rows))]
            reused = found.candidates(asked)  # the lexical scores made before the vector
            afresh = replace(found, made={}).candidates(asked)  # every one scored after it
            assert reused == afresh, q["ask"]
            assert {c.position for c in reused} >= found.positions
            compared += len(reused)
    assert compared > 50


async def test_a_question_asked_again_is_answered_alike_and_verdicts_show_at_once(
        ask: Ask, services: Services) -> None:
    first = await ask(f"/fact {TRADE}")
    index = await article_index(services.db, first.data["article"])
    assert TRADE in index.answers  # remembered …
    again = await ask(f"/fact   {TRADE} ")  # … for the same words however spaced
    assert again.data["hits"] == first.data["hits"] and len(index.answers) == 1
    best = first.data["hits"][0]
    assert best["status"] == "unsupported"  # the pack's verdict, added to a copy …
    kept = index.answers.get(TRADE)
    assert kept is not None and all(h.status == "unverified" for h in kept[1])  # … not the memory
    claim = best["id"].rsplit("#", 1)[-1]
    recorded = await ask(f"/factcheck {claim} supported The customs figures for the year "
                         "confirm it. https://example.org/t", role=Role.MODERATOR)
    assert recorded.kind != "error", recorded.text
    after = await ask(f"/fact {TRADE}")
    assert after.data["hits"][0]["status"] == "supported"  # the store is read every time


async def test_remembered_answers_are_bounded(ask: Ask, services: Services) -> None:
    first = await ask(f"/fact {TRADE}")
    for n in range(ANSWERS + 5):
        await lookup(services.db, first.data["article"], f"{TRADE} in {1990 + n}")
    index = await article_index(services.db, first.data["article"])
    assert len(index.answers) == ANSWERS and TRADE not in index.answers


def test_the_postings_find_every_sentence_holding_a_term_and_no_other() -> None:
    from parley.core.search.rank import contains
    from parley.core.search.scoring import lexical_positions, term_sets

    questions = tomllib.loads((FIXTURES / "questions.toml").read_text())["question"]
    found = 0
    for path in sorted(ARTICLES.iterdir())[:2]:
        index = _index(path)
        for q in questions:
            query = build_query(q["ask"], index.vocabulary, index.published)
            scanned = {p for p, f in enumerate(index.features)
                       if any(contains(f, t.stems) for t in query.terms)}
            assert lexical_positions(term_sets(query, index.features, index.postings)) == \
                scanned, q["ask"]
            found += len(scanned)
    assert found > 100


def test_remembered_typo_fixes_and_neighbours_are_those_made_afresh() -> None:
    from parley.core.lru import LRU
    from parley.core.search.lookup import NEIGHBOUR, NEIGHBOURS, _nearest

    path = sorted(ARTICLES.iterdir())[0]
    index = _index(path)
    asked = ["how much do the contries trade", "waht did the goverment anounce",
             "how many kids lost their homes", "how much do the contries trade"]
    memo: LRU[str, str] = LRU(8)
    for q in asked:
        assert build_query(q, index.vocabulary, None, memo) == build_query(q, index.vocabulary)
    fixes = {w: memo.get(w) for w in ("contries", "goverment")}
    assert any(fixes.values()), fixes
    # only words that may be misspellings are kept: none of the article's own, none too short
    assert all(w not in index.vocabulary and len(w) >= MIN_TYPO_LENGTH for w in memo)
    # Words the article does not use: its own words' plurals, and a few others.
    words = [w + "s" for w in index.lexicon[::7] if w + "s" not in index.vocabulary][:30]
    words += ["kids", "1000", "xylophone"]
    vectors = embed(words)
    table = vectors @ index.lexicon_vectors.T
    near = _nearest(index, words, vectors)
    for word, row in zip(words, table, strict=True):
        best = sorted(((float(c), -i) for i, c in enumerate(row) if c >= NEIGHBOUR),
                      reverse=True)[:NEIGHBOURS]
        assert near[word] == [(index.lexicon[-i], c) for c, i in best], word
    assert any(near.values()) and not all(near.values())
