"""Summaries on four kinds of article: neutral, attributed, complete and readable."""

from __future__ import annotations

import pytest

from parley.core.analysis.article import analyse
from parley.core.analysis.lexicon import load_lexicon
from parley.core.analysis.rhetoric import quoted
from parley.core.analysis.summarize import DANGLING, extract
from parley.core.ingest.pipeline import parse
from tests.analysis_support import EXAMPLE, NAMES, analysed, parsed

LEXICON = load_lexicon()


def all_items(name: str) -> list[list[str]]:
    s = analysed(name).summary
    return [[i.text for i in s.short], [i.text for i in s.bullets],
            [i.text for g in s.detailed for i in g]]


@pytest.mark.parametrize("name", NAMES)
def test_no_loaded_term_in_parleys_own_voice(name: str) -> None:
    s = analysed(name).summary
    for item in [*s.short, *s.bullets, *(i for g in s.detailed for i in g)]:
        own = [m for m in LEXICON.find(item.text) if not quoted(item.text, m.text)]
        assert item.attributed or own == [], item.text


@pytest.mark.parametrize("name", NAMES)
def test_normal_summary_covers_every_section_without_repeats(name: str) -> None:
    summary = analysed(name).summary
    assert {i.section for i in summary.bullets} == set(range(len(parsed(name).sections)))
    sentences = [i.sentence for i in summary.bullets]
    assert len(sentences) == len(set(sentences))
    assert len(summary.detailed) == len(parsed(name).sections)
    assert 1 <= len(summary.short) <= 2


@pytest.mark.parametrize("name", NAMES)
def test_whole_sentences_and_no_dangling_reference(name: str) -> None:
    for items in all_items(name):
        for text in items:
            assert text.lstrip("“\"")[0].isupper(), text
            assert text.rstrip("”’\"").endswith((".", "!")), text
            assert not DANGLING.match(text), text


@pytest.mark.parametrize("name", [EXAMPLE, "minimum-wage-opinion.txt"])
def test_opinion_pieces_attribute_every_point(name: str) -> None:
    for items in all_items(name):
        for text in items:
            assert text.startswith(("The author argues: ", "The author writes: ")), text
    assert any(i.text.startswith("The author argues: ") for i in analysed(name).summary.bullets)


@pytest.mark.parametrize("name", ["harbor-bridge-news.html", "carbon-pricing-explainer.md"])
def test_reports_are_not_put_in_the_authors_mouth(name: str) -> None:
    for items in all_items(name):
        assert not any(t.startswith("The author") for t in items)


def test_news_short_summary_is_its_lead() -> None:
    short = analysed("harbor-bridge-news.html").summary.short
    assert short[0].text.startswith("The Riverside City Council voted 7 to 2")


def test_extract_prefers_central_opening_sentences_and_avoids_repeats() -> None:
    texts = ["The dam burst on Monday, flooding 300 homes in Riverton.",
             "The dam burst on Monday and flooded 300 homes in Riverton.",
             "Rescue crews reached the town by evening.",
             "It was the worst flood there since 1952, officials said.",
             "Separately, the county fair opened on Saturday."]
    picked = extract(texts, 2)
    assert picked[0] == 0 and 1 not in picked


def test_a_point_never_opens_on_a_connective_without_the_sentence_it_answers() -> None:
    texts = ["The state opened a new ferry line to the islands on Monday.",
             "Tickets cost $12 for adults.",
             "But island residents say the weekend ferry schedule leaves them stranded on the "
             "islands.",
             "Island residents have asked for a better weekend ferry schedule for years.",
             "The weekend ferry schedule will be reviewed in June, island officials said."]
    picked = extract(texts, 2)
    assert picked[0] == 0 and 2 not in picked  # "But …" answers a sentence left out


@pytest.mark.parametrize("name", NAMES)
def test_the_detailed_summary_is_never_shorter_than_the_normal_one(name: str) -> None:
    summary = analysed(name).summary
    assert sum(len(g) for g in summary.detailed) >= len(summary.bullets)


def test_a_one_section_article_gets_a_longer_detailed_summary() -> None:
    towns = ["Ashford", "Brill", "Carne", "Dunmore", "Eskdale", "Fenwick", "Garth", "Holt",
             "Ivybridge", "Jarrow", "Kelso", "Lanark", "Moffat", "Nairn"]
    body = "\n\n".join(f"The {t} council spent {i + 3} million pounds on new {t} roads in "
                         f"{2010 + i}, officials said on Monday." for i, t in enumerate(towns))
    summary = analyse(parse(f"Road spending rises\n\n{body}\n", "text"), LEXICON).summary
    assert len(summary.detailed) == 1
    assert len(summary.detailed[0]) > len(summary.bullets) == 5
