"""Claims on four kinds of article: what is checkable, how it ranks, and its type."""

from __future__ import annotations

import re

import pytest

from parley.core.analysis.checkworthiness import (
    CONTEXT_FEATURES,
    HAND_FEATURES,
    MEANING_FEATURES,
    checkworthiness,
    hand_features,
    model,
)
from parley.core.analysis.claims import CLAIM_TYPES, claim_types
from parley.core.analysis.entities import extract_entities
from parley.core.analysis.figures import extract_figures
from tests.analysis_support import EXAMPLE, NAMES, analysed, sentences

# Independent of the engine: a digit, a month name or "last/this year" states a figure or date.
FIGURE_OR_DATE = re.compile(r"\d|\b(?:January|February|March|April|May|June|July|August|"
                            r"September|October|November|December)\b|\b(?:last|this) year\b")


@pytest.mark.parametrize("name", NAMES)
def test_every_sentence_with_a_figure_or_date_is_a_claim(name: str) -> None:
    claimed = {c.sentence for c in analysed(name).claims}
    for i, text in enumerate(sentences(name)):
        if FIGURE_OR_DATE.search(text) and len(text.split()) >= 5 and not text.endswith("?"):
            assert i in claimed, text


def test_example_events_and_reported_speech_are_claims() -> None:
    texts = {c.text: c for c in analysed(EXAMPLE).claims}
    praising = next(t for t in texts if t.startswith("Landau didn’t mince words, praising"))
    assert texts[praising].type == "attribution"
    deter = next(t for t in texts if "tough enforcement doesn’t just deter" in t)
    assert texts[deter].type == "causal"


@pytest.mark.parametrize("name", NAMES)
def test_no_claim_without_an_anchor_ranks_above_one_with(name: str) -> None:
    claims = sorted(analysed(name).claims, key=lambda c: -c.score)
    anchored = [bool(c.figures) or c.score >= 0.5 for c in claims]
    assert anchored == sorted(anchored, reverse=True)


def test_pure_opinion_sentences_are_not_claims() -> None:
    claimed = {c.text for c in analysed(EXAMPLE).claims}
    for opinion in ("They’re dead wrong.", "Peru’s not playing around.",
                    "This is what leadership looks like, and it’s about time we doubled down "
                    "on it.",
                    "Weak borders and weaker resolve only invite chaos."):
        assert opinion in sentences(EXAMPLE)
        assert opinion not in claimed


def test_claim_figures_are_normalised_in_context() -> None:
    trade = next(c for c in analysed(EXAMPLE).claims if "$20.5 billion" in c.text)
    money = next(f for f in trade.figures if f.kind == "money")
    assert (trade.type, money.value, money.currency, money.year) == ("statistic", 20.5e9,
                                                                     "USD", 2024)
    assert trade.entities == ["American", "Peruvian"]


def test_types_on_the_other_articles() -> None:
    by_text = {c.text: c for name in NAMES[1:] for c in analysed(name).claims}
    vote = next(c for t, c in by_text.items() if t.startswith("The Riverside City Council voted"))
    assert vote.type == "statistic" and "date_event" in vote.types
    said = next(c for t, c in by_text.items() if t.startswith('"Waiting another two years'))
    assert "attribution" in said.types and "prediction" in said.types
    sweden = next(c for t, c in by_text.items() if t.startswith("Sweden introduced"))
    assert sweden.type == "date_event"
    cbo = next(c for t, c in by_text.items() if "Congressional Budget Office" in t)
    assert cbo.types[:2] == ["prediction", "statistic"]  # "would raise": a conditional estimate
    assert cbo.entities[0] == "Congressional Budget Office"
    assert all(c.type in CLAIM_TYPES and c.type == c.types[0] for c in by_text.values())


def test_checkworthiness_features_and_weights_are_published() -> None:
    _, weights = model()
    assert set(HAND_FEATURES) <= set(weights)
    assert weights["f:money"] > 0 > weights["f:question"]
    feats = hand_features("Did we really spend $4 billion in 2019?")
    assert {"f:money", "f:year", "f:question"} <= set(feats)
    assert checkworthiness("Unemployment fell to 3.5 percent in 2019, the lowest since 1969.") > \
        checkworthiness("I think that is just wonderful, folks.")


def test_every_weighted_feature_is_one_the_scorer_produces() -> None:
    _, weights = model()
    assert all(name in HAND_FEATURES or name in MEANING_FEATURES or name in CONTEXT_FEATURES
               or name.startswith(("w:", "b:")) for name in weights)


def types_of(text: str) -> list[str]:
    return list(claim_types(text, extract_figures(text), extract_entities(text)))


def test_would_in_a_relative_clause_describes_content_not_a_prediction() -> None:
    bill = "Senators wrote a bill that would provide $25 billion for border security."
    assert "prediction" not in types_of(bill) and types_of(bill)[0] == "statistic"
    pipeline = "Germany backed a pipeline which would double gas imports to 110 billion metres."
    assert "prediction" not in types_of(pipeline)
    assert types_of("That would mean tariffs of 25% on $200 billion of goods.")[0] == "prediction"


@pytest.mark.parametrize(("text", "comparison"), [
    ("Fares grew faster than wages in Eastport last year.", True),
    ("Ferry Co now carries more riders than Harbour Lines does.", True),
    ("More than a million riders used the Eastport ferry in 2024.", False),  # a bound, not a
    ("The board said the ferry would stay in service, at least for now.", False),  # comparison
    ("Mayor Okafor held her first meeting with the pilots' union on Monday.", False),
])
def test_a_bound_on_a_figure_or_at_least_is_no_comparison(text: str, comparison: bool) -> None:
    assert ("comparison" in types_of(text)) is comparison
