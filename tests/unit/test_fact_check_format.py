"""A fact check in the wire format ("CLAIM-MAKER: … THE FACTS: …"), datelines, related-story
links and outlets named from an address (articles written for the test)."""

from __future__ import annotations

import pytest

from parley.core.analysis.article import analyse
from parley.core.analysis.kind import kind_from_label
from parley.core.analysis.lexicon import load_lexicon
from parley.core.analysis.speakers import is_verdict, speaker_name
from parley.core.analysis.summarize import without_dateline
from parley.core.coverage.leanings import leaning_of, outlet_of
from parley.core.ingest.furniture import is_furniture_block
from parley.core.ingest.plaintext import parse_plain_text

FACT_CHECK = "\n\n".join([
    "WIRE CHECK: The mayor's ferry arithmetic does not add up",
    'HARBOR CITY (Wire) — Mayor Okafor is repeating a mistaken claim that the new ferry '
    "already pays for itself, while the council's own figures show it loses money every "
    'month.',
    'The mayor has promised to add three more boats to the route by the end of the year.',
    'OKAFOR: "The ferry has paid for itself twice over in its first year." — speech Tuesday.',
    'THE FACTS: The ferry has not paid for itself.',
    "The council's transport office reported that the route lost $2.1 million in its first "
    'year, after fares covered only 40 percent of its running cost.',
    'The Harbor Riders Union disputed the mayor\'s statement on Wednesday. "Riders are paying '
    'more every month for a service that still loses money," it said.',
    'OKAFOR: "Ridership has tripled since the spring." — interview Monday.',
    "THE FACTS: Ridership rose by about half, according to the transport office's monthly "
    'counts.',
    'The office counted 41,000 trips in May and 62,000 trips in September.',
]) + "\n"


def test_an_outlet_before_fact_check_still_labels_it() -> None:
    assert kind_from_label("AP FACT CHECK: Trump's fallacious tariff tale", []) == "factcheck"
    assert kind_from_label("CNN Reality Check: the ferry's costs", []) == "factcheck"
    assert kind_from_label("Six of the mayor's claims fact-checked", []) == "factcheck"
    # A title that only mentions checking is not labelled by it.
    assert kind_from_label("Why the mayor's claims are hard to check", []) is None
    assert kind_from_label("Council checks the ferry's books: what it found", []) is None


def test_a_verdict_label_is_the_fact_checks_voice() -> None:
    assert is_verdict("THE FACTS") and is_verdict("VERDICT") and not is_verdict("OKAFOR")
    assert not is_verdict(None)
    assert speaker_name("THE FACTS") == "The fact check says"
    assert speaker_name("OKAFOR") == "Okafor"


def test_the_wire_format_is_a_fact_check_with_its_claims_attributed() -> None:
    analysis = analyse(parse_plain_text(FACT_CHECK), load_lexicon())
    assert analysis.kind == "factcheck"  # not an interview of "Okafor" and "The Facts"
    texts = [item.text for item in analysis.summary.bullets] + [
        item.text for section in analysis.summary.detailed for item in section]
    assert not any(t.startswith("The Facts:") for t in texts)
    assert any(t.startswith("Okafor: ") for t in texts)
    assert any(t.startswith("The fact check says: ") for t in texts)
    # The union's words are quoted under a verdict label, but they are the union's, never the
    # fact check's: a quotation whose speaker is named elsewhere is no point on its own (it may
    # follow the sentence that names the union, as it does in the article).
    assert not any(t.startswith('The fact check says: "Riders') for t in texts)
    assert any("Harbor Riders Union disputed" in t and "Riders are paying" in t for t in texts)
    # The dateline is the place of filing, not part of a point.
    assert not any("HARBOR CITY (Wire)" in t for t in texts)


def test_a_claim_leaves_the_dateline_out() -> None:
    story = parse_plain_text(
        "Council raises ferry fares\n\n"
        "HARBOR CITY (Reuters) - The council voted on Monday to raise ferry fares by 10 percent "
        "from June, the first rise since 2019.\n\n"
        "Riders' groups said the rise would cost a commuter about $120 a year.")
    claims = analyse(story, load_lexicon()).claims
    assert claims[0].text.startswith("The council voted on Monday to raise ferry fares")
    assert not any("HARBOR CITY" in c.text for c in claims)


@pytest.mark.parametrize(("sentence", "point"), [
    ("WASHINGTON (AP) — In escalating his trade war, he persists.",
     "In escalating his trade war, he persists."),
    ("NEW YORK (Reuters) - Stocks fell on Monday.", "Stocks fell on Monday."),
    ("LONDON — The talks ended.", "The talks ended."),
    ("(CNN) China lodged a complaint.", "China lodged a complaint."),
    ("(Reuters) - Oil fell.", "Oil fell."),
    ("WASHINGTON/BEIJING (Reuters) - Talks resumed.", "Talks resumed."),
    ("Hong Kong (CNN) After weeks of talks, the ferry deal was signed.",
     "After weeks of talks, the ferry deal was signed."),
    # Not a dateline: a tag that is no wire's, an ordinary sentence, or capitals followed by a
    # lower-case word.
    ("(Updated) Oil fell.", "(Updated) Oil fell."),
    ("The talks ended — for now.", "The talks ended — for now."),
    ("NATO - members disagree.", "NATO - members disagree."),
])
def test_a_dateline_is_left_out_of_a_point(sentence: str, point: str) -> None:
    assert without_dateline(sentence) == point


def test_a_link_to_another_story_is_furniture() -> None:
    assert is_furniture_block("Mayor claims the ferry pays for itself Read more")
    assert is_furniture_block("Last chance to ride? Five routes under threat READ MORE")
    assert not is_furniture_block("The council will read more of the report on Tuesday.")
    assert not is_furniture_block("Riders said they want to read more.")


def test_an_outlet_is_named_from_its_address() -> None:
    # A host that carries guest columnists too stands for its publisher.
    assert outlet_of("", "https://www.cnn.com/2015/07/05/opinions/x") == "CNN (Web News)"
    assert leaning_of("", "https://www.nationalreview.com/2018/10/x/", {}) == "right"
    # An unknown host names itself, never its top-level domain, and is unrated.
    assert outlet_of("", "https://news.example.org/a") == "news.example.org"
    assert leaning_of("", "https://news.example.org/a", {}) == "unrated"
    assert outlet_of("Harbor Gazette", "https://www.cnn.com/x") == "Harbor Gazette"


def test_a_verdict_label_alone_makes_a_fact_check_in_its_own_voice() -> None:
    # The claims are introduced in prose, only the verdicts carry a label: still a fact check,
    # and the label is not repeated in its points.
    text = FACT_CHECK.replace('OKAFOR: "The ferry', 'The mayor said on Tuesday: "The ferry') \
        .replace('OKAFOR: "Ridership', 'He said on Monday: "Ridership')
    analysis = analyse(parse_plain_text(text), load_lexicon())
    assert analysis.kind == "factcheck"
    texts = [item.text for section in analysis.summary.detailed for item in section]
    assert any(t.startswith("The fact check says: The ferry has not paid") for t in texts)
    assert not any("THE FACTS" in t or "The Facts:" in t for t in texts)
