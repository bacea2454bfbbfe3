"""Loaded language, heat and the opposing views an article mentions, on four articles."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest

from parley.core.analysis.article import analyse
from parley.core.analysis.lexicon import (
    CHARGED,
    LexiconError,
    build_lexicon,
    charged_words,
    load_lexicon,
)
from parley.core.analysis.opposing import find_opposing_views
from parley.core.analysis.rhetoric import quoted
from parley.core.ingest.plaintext import parse_plain_text
from tests.analysis_support import EXAMPLE, NAMES, analysed, sentences

LEXICON = load_lexicon()


def test_terms_match_whole_words_phrases_and_wildcards() -> None:
    found = [(m.category, m.text) for m in LEXICON.find(
        "The naysayers moaned, wringing their hands; open border advocates clutch their pearls.")]
    assert ("opponent_label", "naysayers") in found
    assert ("strawman", "moaned") in found
    assert ("opponent_label", "open border advocates") in found
    assert ("strawman", "clutch their pearls") in found
    listed = [m for m in LEXICON.find("Statistics show the chaotic season ended; an always-on "
                                      "service.") if m.category != CHARGED]
    assert listed == []  # "chaos" is not inside "chaotic" (which is a charged word of its own)


def test_inflections_and_derived_forms_match() -> None:
    found = {m.text: m.term for m in LEXICON.find(
        "Alarmism again: the alarmists were hamstringing the plan with hysterical doomsaying.")}
    assert found["Alarmism"] == "alarmist*" and "alarmists" in found
    assert "hamstringing" in found and "hysterical" in found and "doomsaying" in found
    assert LEXICON.find("The fire alarm rang at noon.") == []


def test_a_derived_lists_word_reaches_its_inflections_not_other_words_of_its_stem() -> None:
    # "sunny" and "calculating" are in the derived list of charged words; "Sunni" and
    # "calculations" share their stems but not their sense.
    charged = {m.text for m in LEXICON.find("Sunni pilots, by their own calculations, denounced "
                                            "the fares and rose dramatically to speak.")
               if m.category == CHARGED}
    assert charged == {"denounced", "dramatically"}


def test_the_lexicon_is_built_from_public_lists_with_their_sources() -> None:
    assert len(charged_words()) > 2000 and LEXICON.terms() > 10 * 189
    source = (resources.files("parley.core.data") / "SOURCE.md").read_text(encoding="utf-8")
    assert "charged_words.txt" in source and "MIT" in source and "PDDL" in source


def test_moderators_extend_the_lexicon_with_their_own_file(tmp_path: Path) -> None:
    extra = tmp_path / "ours.toml"
    extra.write_text('[categories.pejorative]\nterms = ["bureaucrats"]\n\n'
                     '[categories.euphemism]\ndescription = "Softening words"\nweight = 0.5\n'
                     'terms = ["collateral damage"]\n')
    lexicon = load_lexicon(extra)
    marks = lexicon.find("Bureaucrats called it collateral damage.")
    assert [(m.category, m.text) for m in marks] == [("pejorative", "Bureaucrats"),
                                                    ("euphemism", "collateral damage")]
    assert lexicon.terms() == LEXICON.terms() + 2


def test_a_term_in_its_everyday_sense_is_not_marked(tmp_path: Path) -> None:
    assert LEXICON.find("It is a step in the right direction, and the right thing to do.") == []
    assert LEXICON.find("Everyone has the right to a lawyer.") == []
    labels = [m.text for m in LEXICON.find("The right blames the left for everything.")]
    assert labels == ["The right", "the left"]
    extra = tmp_path / "ours.toml"
    extra.write_text('ordinary = ["radical change*"]\n[categories.pejorative]\nterms = []\n')
    ours = load_lexicon(extra)
    assert ours.find("Radical changes to the tax code passed.") == []
    assert [m.text for m in ours.find("A radical plan.")] == ["radical"]


@pytest.mark.parametrize("text", ["[categories", "terms = 3", "[categories.x]\nterms = [1]",
                                  'ordinary = "the right way"\n[categories.x]\nterms = ["x"]'])
def test_malformed_lexicon_is_a_clear_error(text: str) -> None:
    with pytest.raises(LexiconError, match=r"mine\.toml"):
        build_lexicon((text, "mine.toml"))


def test_heat_per_sentence_and_article() -> None:
    example = analysed(EXAMPLE)
    texts = sentences(EXAMPLE)
    heat = {texts[s.index]: s.heat for s in example.sentences}
    assert heat["They’re dead wrong."] > 0
    assert heat["Bilateral trade hit $20.5 billion last year, with American exports like "
                "machinery and Peruvian imports like copper keeping both economies humming."] == 0
    four_terms = next(t for t in texts if t.startswith("For too long, porous frontiers"))
    assert heat[four_terms] > 0.9 > heat["They’re dead wrong."]
    by_name = {name: analysed(name).heat for name in NAMES}
    assert by_name["harbor-bridge-news.html"] == 0.0
    assert by_name["carbon-pricing-explainer.md"] < 0.05
    assert by_name[EXAMPLE] > 0.15 and by_name["minimum-wage-opinion.txt"] > 0.15


def test_article_kinds() -> None:
    assert [analysed(n).kind for n in NAMES] == ["opinion", "news", "explainer", "opinion",
                                               "interview"]


def test_a_question_for_a_title_explains_news_but_not_an_argument() -> None:
    argued = parse_plain_text(
        "Has the harbour board lost its way?\n\n"
        "I have watched the harbour board for twenty years, and I have never seen it so "
        "careless with our money.\n\n"
        "We deserve better. The board should stop pretending that a second ferry is a luxury; "
        "it is a lifeline, and we must demand it.\n\n"
        "Frankly, the members who voted against it ought to be ashamed. Their excuses are weak, "
        "their arithmetic is worse, and their contempt for the islanders is plain.\n\n"
        "If the board will not act, voters should replace it in May. I know I will.")
    reported = parse_plain_text(
        "Will the ferry run on Sunday?\n\n"
        "The harbour board said on Friday that the Sunday ferry would run at 9 a.m. and 4 p.m. "
        "while the pier is repaired.\n\n"
        "Repairs to the pier began on Monday and are expected to cost $2.1 million, according to "
        "the board's engineers.\n\n"
        "The board said 1,200 riders used the Sunday service last month.")
    assert analyse(argued, load_lexicon()).kind == "opinion"
    assert analyse(reported, load_lexicon()).kind == "explainer"


def test_opposing_views_in_the_example_are_restated_plainly() -> None:
    views = [v.view for v in analysed(EXAMPLE).views]
    statements = [v.statement for v in views]
    assert "Some advocates argue that militarized frontiers hurt more than they help." in statements
    assert "Critics object to American ‘imperialism’." in statements
    assert all(v.framed for v in views)
    for statement in statements:  # the loaded label for the holders is not repeated
        assert "open-border" not in statement and "moan" not in statement


def test_opposing_views_elsewhere() -> None:
    explainer = [v.view for v in analysed("carbon-pricing-explainer.md").views]
    assert [(v.holder, v.framed) for v in explainer] == [("critics", False), ("supporters", False)]
    assert explainer[0].statement == ("Critics argue that the tax falls hardest on rural drivers "
                                      "and low-income households.")
    opinion = [v.view for v in analysed("minimum-wage-opinion.txt").views]
    assert opinion[0].statement == 'Critics object to "job-killing mandates".'
    assert analysed("harbor-bridge-news.html").views == []


@pytest.mark.parametrize("sentence", ["Critics.", "Some who", "Advocates who claim", "", "?" * 50])
def test_fragments_yield_no_view(sentence: str) -> None:
    assert find_opposing_views(sentence, LEXICON) == []


@pytest.mark.parametrize("sentence", [
    "Republicans argue that control of both the House and the harbour board.",  # no verb left
    "Experts argue that even if the ferry subsidy is cut, the route stays.",  # a condition
    "Some people say “are pretty much making that stuff up,” the pilot says.",  # no subject
    "I know zero pilots who believe that the ferry should sail at midnight.",  # nobody holds it
])
def test_a_view_that_cannot_be_restated_whole_is_left_out(sentence: str) -> None:
    assert find_opposing_views(sentence, LEXICON) == []


@pytest.mark.parametrize(("sentence", "statement"), [
    ("Opponents argue vigorously that the ferry subsidy is a waste of money.",
     "Opponents argue that the ferry subsidy is a waste of money."),
    # A label keeps no verb or preposition the sentence's run of words put before the holder.
    ("Argued against some say that the ferry cannot run at night.",
     "Some people say that the ferry cannot run at night."),
    ("Few analysts believe that the ferry will sail.", None),  # hardly anyone holds it
    ("Angered many people believe that the harbour board lied about the pier.",
     "People believe that the harbour board lied about the pier."),  # not "Angered people"
])
def test_a_view_is_restated_without_the_words_around_it(sentence: str,
                                                       statement: str | None) -> None:
    assert [v.statement for v in find_opposing_views(sentence, LEXICON)] == (
        [statement] if statement else [])


@pytest.mark.parametrize(("sentence", "fragment", "inside"), [
    ("Trump said Democrats want “open borders” now.", "open borders", True),
    ("It’s the open borders crowd again.", "open borders", False),
    ("He called them ‘naysayers’ on Monday.", "naysayers", True),
    ("The migrants’ naysayers are loud.", "naysayers", False),
    ('He said "they are parasites" twice.', "parasites", True),
    ("“We won,” he said, and critics moaned.", "moaned", False),
])
def test_quoted_words_are_told_from_the_article_s_own(sentence: str, fragment: str,
                                                      inside: bool) -> None:
    assert quoted(sentence, fragment) is inside
