"""Article kind from the address, a label, a transcript and the text; views the article argues
against, never its own thesis (articles written for the test)."""

from __future__ import annotations

from parley.core.analysis.article import analyse
from parley.core.analysis.kind import classify_kind, kind_from_address, kind_from_label
from parley.core.analysis.lexicon import load_lexicon
from parley.core.ingest.pipeline import parse

OPINION = """We must stop pretending the ferry plan is a luxury

Harbor City has argued about its ferry for ten years, and I think the time for argument is over.

We should build it now. I believe the city cannot afford another decade of traffic on the bridge.

Some economists say that the ferry will never pay for itself. But they ignore the cost of the jams.

Many residents say that the ferry would change their commute for the better.

My view is simple: you should call your councillor today and tell them to vote yes.
"""

NEWS = """Council approves ferry route

The Harbor City council voted 7 to 2 on Tuesday to approve a ferry route to the campus.

The route will cost $4 million a year, according to the city's transport office.

Councillor Ana Ruiz said the route would take cars off the bridge.

Construction is due to begin in March and the first boats will sail in 2027, officials said.
"""


def test_the_address_and_a_label_name_the_kind() -> None:
    assert kind_from_address("https://example.com/opinion/2024/05/ferry") == "opinion"
    assert kind_from_address("https://example.com/news/fact-check/ferry-claims") == "factcheck"
    assert kind_from_address("https://example.com/news/local/ferry") is None
    assert kind_from_label("Fact check: Is the ferry cheaper than the bridge?", []) == "factcheck"
    assert kind_from_label("Analysis: What the ferry vote means", []) == "analysis"
    assert classify_kind("Ferry", "The ferry sails.", transcript=True) == "interview"


def test_the_text_alone_tells_opinion_from_news() -> None:
    lexicon = load_lexicon()
    assert analyse(parse(OPINION, "text"), lexicon).kind == "opinion"
    assert analyse(parse(NEWS, "text"), lexicon).kind == "news"
    addressed = parse(NEWS, "text").model_copy(update={"url": "https://x.example/opinion/a"})
    assert analyse(addressed, lexicon).kind == "opinion"  # the address decides when it speaks


def test_only_views_the_article_argues_against() -> None:
    analysis = analyse(parse(OPINION, "text"), load_lexicon())
    statements = [v.view.statement for v in analysis.views]
    assert any("never pay for itself" in s for s in statements)  # rebutted in the next words
    assert not any("commute" in s for s in statements)  # the article's own thesis


def test_news_points_stand_alone_and_the_peg_comes_first() -> None:
    summary = analyse(parse(NEWS, "text"), load_lexicon()).summary
    assert summary.short[0].text.startswith("The Harbor City council voted 7 to 2 on Tuesday")
    assert summary.bullets[0].sentence == 0


def test_an_articles_words_read_from_its_sentences_are_its_words() -> None:
    from parley.core.analysis.tokens import joined_words, words

    plain = ["The ferry sails at dawn.", "Pilots’ pay rose 6.5% in May."]
    accented = ["The café opened.", "Its menu ﬁts on a card: x² and more."]
    for pieces in (plain, accented):
        assert joined_words(pieces) == words(" ".join(pieces))
