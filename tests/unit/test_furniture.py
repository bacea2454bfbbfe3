"""Page furniture is removed at ingestion, in pasted text and HTML alike, as whole blocks and as
prefixes glued to a sentence (fixtures written for the test)."""

from __future__ import annotations

from pathlib import Path

import pytest

from parley.core.ingest.blocks import without_title
from parley.core.ingest.furniture import (
    drop_boxes,
    is_furniture_block,
    strip_prefix,
    strip_widgets,
)
from parley.core.ingest.pipeline import decode, detect_format, parse
from parley.core.ingest.plaintext import parse_plain_text

FURNITURE = Path(__file__).resolve().parent.parent / "fixtures" / "furniture"


def sentences_of(name: str) -> list[str]:
    path = FURNITURE / name
    text = decode(path.read_bytes())
    parsed = parse(text, detect_format(text, path.name))
    return [s.text for sec in parsed.sections for s in sec.sentences]


@pytest.mark.parametrize("name", ["pasted-news.txt", "pasted-news.html"])
def test_furniture_is_gone_and_the_article_stays(name: str) -> None:
    texts = sentences_of(name)
    joined = " ".join(texts)
    for furniture in ("CLOSE", "Advertisement", "Facebook", "Pinterest", "Photograph",
                      "Read more", "More:", "Sign up", "Join our", "Read or Share", "Show",
                      "Hide", "Was this helpful", "HARBOR TIMES"):
        assert furniture not in joined, (furniture, texts)
    assert texts[0].startswith("The Harbor City council voted 7 to 2")
    # the glued prefix goes, the sentence behind it stays whole
    assert "The route will cost $4 million a year to run, according to the city's transport " \
           "office." in texts
    # "Close to" is the article's own words, not the "CLOSE" of a video teaser
    assert any(t.startswith("Close to 300 residents") for t in texts)


def test_the_explainer_box_is_dropped_in_pasted_text() -> None:
    texts = sentences_of("pasted-news.txt")
    assert not any("every twenty minutes" in t or "bus fare" in t for t in texts)
    assert any(t.startswith("Councillor Ana Ruiz said") for t in texts)


def test_rules_one_by_one() -> None:
    assert is_furniture_block("Facebook Twitter Pinterest Email A boat at dawn.")
    assert is_furniture_block("Enlarge this image toggle caption Jo Bloggs/AP Jo Bloggs/AP")
    assert is_furniture_block("A boat at dawn on Monday. (Photo: Jo Bloggs, AP)")
    assert is_furniture_block("Story Continued Below")
    assert not is_furniture_block("Close to half the boats were late.")
    assert not is_furniture_block("Advertisements on buses paid for the campaign.")
    assert strip_prefix("Advertisement The ferry runs hourly.") == "The ferry runs hourly."
    assert strip_prefix("Closed ferries reopen today.") == "Closed ferries reopen today."
    box = ["Intro line.", "Quick guide", "What is it?", "Show", "Hide", "Inside the box.",
           "Was this helpful?", "After the box."]
    assert drop_boxes(box) == {1, 2, 3, 4, 5, 6}
    assert drop_boxes(["Quick guide", "What is it?", "Show Hide", "Text."]) == {0, 1, 2}


def test_headline_links_glued_after_a_name_are_dropped() -> None:
    # The Hill's link on a name: the full name glued to other stories' headlines, then "MORE".
    text = ("Mayor Jo Okafor Josephine Ada OkaforFerry fares rise again Pier repairs run late "
            "Pilots vote to strike MORE’s plan for a second ferry passed on Monday.")
    assert strip_widgets(text) == "Mayor Jo Okafor’s plan for a second ferry passed on Monday."
    assert strip_widgets("Sen. Sam McCain Samuel Ray McCainMcCain: no more ferries MORE (R-Ariz.) "
                         "voted no.") == "Sen. Sam McCain (R-Ariz.) voted no."
    # "MORE" in capitals alone, or a name said twice, is the article's.
    for kept in ("The council will say MORE about fares on Monday.",
                 "Okafor Okafor said nothing MORE."):
        assert strip_widgets(kept) == kept
    parsed = parse_plain_text(f"Ferry plan passes\n\n{text}")
    assert parsed.sections[0].sentences[0].text.startswith("Mayor Jo Okafor’s plan")


def test_the_headline_run_into_a_sentence_is_cut_off() -> None:
    title = "Council gearing up to deliver a rebuke to the mayor over the ferry"
    parsed = parse_plain_text(f"{title}\n\n{title} The board has defended its ferry deal as "
                              "tougher than the original.\n\nJo Bloggs said the deal was fair.")
    texts = [s.text for sec in parsed.sections for s in sec.sentences]
    assert texts[0] == "The board has defended its ferry deal as tougher than the original."
    # A sentence that only opens like the title is the article's own.
    assert without_title("Council gearing up to deliver a rebuke to the mayor over the "
                         "ferryman's pay, the papers say.", title).startswith("Council")
