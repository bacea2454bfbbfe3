"""/check reads a message once: the same reading on the loop and in a worker, a long message
answered through the worker pool, one article comparison equal to the per-claim score."""

from __future__ import annotations

import numpy as np
import pytest

from parley.core.analysis.entities import extract_entities, first_word
from parley.core.analysis.lexicon import load_lexicon
from parley.core.commands.check import claim_vectors
from parley.core.factcheck.matching import match_score, nearest
from parley.core.factcheck.message import INLINE_CHARS, read, read_in_worker
from parley.core.factcheck.retrieval import closest, probe
from parley.core.meaning import embed
from parley.core.models import Request
from parley.core.search.lookup import article_index
from parley.core.services import Services
from parley.store import analysis
from tests.conftest import Ask

NOT_THE_STORE = pytest.mark.sqlite_only("reads the example article's claims; the store's part "
                                        "is tested elsewhere on both backends")
# Ordinary words around a claim, long enough that the message is read in a worker.
FILLER = ("We talked about this at dinner for a long time and nobody could agree on much, "
          "so here is what my cousin kept saying over and over again. ") * 6


@NOT_THE_STORE
async def test_a_long_message_is_read_in_a_worker_and_matched_as_a_short_one(
        ask: Ask) -> None:
    claim = "I read that bilateral trade hit $20.5 billion last year"
    long = f"{FILLER}{claim}. What a disgraceful scheme."
    assert len(long) > INLINE_CHARS
    short, read_long = await ask(f"/check {claim}"), await ask(f"/check {long}")
    assert read_long.data["matches"][0]["id"] == short.data["matches"][0]["id"]
    assert read_long.data["matches"][0]["id"].endswith("#c24")
    assert any(s.title.startswith("Loaded wording") and "disgraceful" in s.text
               for s in read_long.sections)


@NOT_THE_STORE
async def test_the_worker_reads_as_the_loop_does(services: Services) -> None:
    article = (await services.active_article(_request())).id
    claims = tuple(await analysis.claims(services.db, article))
    text = f"{FILLER}Peru's trade with China hit $20.5 billion, a disgraceful 40% rise."
    inline = read(text, load_lexicon(None), claims)
    assert read_in_worker(text, None, claims) == inline
    assert inline.claims and inline.loaded == ["disgraceful"]
    assert [f.value for f in inline.whole.figures] == [20.5e9, 40.0]
    assert inline.closest[0] is not None and claims[inline.closest[0][0]].id.endswith("#c24")
    assert read(text, load_lexicon(None)).closest == [None] * len(inline.claims)


@NOT_THE_STORE
async def test_nearest_scores_each_claim_as_match_score_does(services: Services) -> None:
    article = (await services.active_article(_request())).id
    claims = await analysis.claims(services.db, article)
    for said in ("Bilateral trade hit $20.5 billion", "Landau said Peru is a partner",
                 "Migrants crossed the border in 2023", "nothing at all like these"):
        scores = [match_score(said, c) for c in claims]
        found = nearest(said, claims)
        assert found is not None
        assert abs(found[1] - max(scores)) < 1e-6 and scores[found[0]] == max(scores)
    assert nearest("anything", []) is None


def test_first_word_is_the_word_known_names_decide() -> None:
    assert first_word("Landau met them") == "Landau"
    assert first_word("Peru’s bold moves") == "Peru"
    assert first_word("  ...") == ""
    # Known or not decides only whether that first word opens a name.
    assert extract_entities("Landau met Boluarte", {"Landau"}) == ["Landau", "Boluarte"]
    assert extract_entities("Landau met Boluarte", None) == ["Boluarte"]
    assert probe("Landau met Boluarte").entities == ["Boluarte"]


def _request() -> Request:
    return Request(workspace="w1", channel="general", user="u1", command="check")


@NOT_THE_STORE
async def test_the_claims_vectors_are_their_sentences(services: Services) -> None:
    article = await services.active_article(_request())
    index = await article_index(services.db, article.id, article.analysis_stamp)
    held = claim_vectors(index)
    assert held is not None and len(held) == len(index.claim_list) > 0
    made = embed([c.text for c in index.claim_list])
    # The stored rows are the same vectors, packed for storage (so not to the last bit).
    assert float(np.min(np.sum(held * made, axis=1))) > 0.995
    said = probe("Bilateral trade hit $20.5 billion")
    assert closest(said, index.claim_list, held) == closest(said, index.claim_list)
