"""The stand-alone rules added after reading the session-8 corpus failures (bench/corpus_checks.py),
each on sentences written for the test, with the whole sentences they must leave alone."""

from __future__ import annotations

import pytest

from parley.core.analysis.article import analyse
from parley.core.analysis.lexicon import load_lexicon
from parley.core.analysis.sentences import split_sentences
from parley.core.analysis.standalone import (
    fragment,
    has_main_verb,
    instruction,
    leans_back,
    not_prose,
)
from parley.core.analysis.summarize import Candidate, eligible
from parley.core.ingest.plaintext import parse_plain_text


def _candidate(text: str) -> Candidate:
    return Candidate(index=0, section=0, paragraph=0, text=text, heat=0.0, opinion=False,
                     claim_score=0.0)


@pytest.mark.parametrize(("text", "expected"), [
    ("The court cited Bloggs v. Eastport in its ruling. It was brief.",
     ["The court cited Bloggs v. Eastport in its ruling.", "It was brief."]),
    ("Sens. Jo Bloggs and Ann Other voted for the ferry.",
     ["Sens. Jo Bloggs and Ann Other voted for the ferry."]),
    ("The poll, taken Oct. 31-Nov. 2, 2024, found support for the pier.",
     ["The poll, taken Oct. 31-Nov. 2, 2024, found support for the pier."]),
    ("Was the ferry saved? No. Move on to the pier.",
     ["Was the ferry saved?", "No.", "Move on to the pier."]),
    ("The pilot lives at No. 4 Harbour Row.", ["The pilot lives at No. 4 Harbour Row."]),
])
def test_the_splitter_keeps_case_names_plural_titles_and_date_ranges(
        text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


@pytest.mark.parametrize("text", [
    "Jo Bloggs, one of the harbour pilots.",  # ends on a plural: a noun phrase
    "More precisely — two ferries and one tug.",
    "Now with less than three sailings.",
    "The mayor's offer to the islanders north of the harbour.",
    "Eight years of promising to fix the pier.",
    "An increase in sailings of the ferry in almost every month of the year.",
    "The view of pilots in uniforms sitting on the blue-painted deck of the ferry.",
    "Harbour spokesman Jo Bloggs, briefing reporters on the quay.",
    "Better weather, shifting timetables among island commuters.",
    "Cutting back on ferry sailings and on crews.",
    "Trimming the timetable from six sailings to three, cutting fares and ending the night run.",
    "2, 2024, among a sample of ferry riders on the island.",
])
def test_noun_phrases_and_action_lists_are_fragments(text: str) -> None:
    assert fragment(text)


@pytest.mark.parametrize("text", [
    "Jo Bloggs, 51, travelled to Eastport on Monday.",
    "Jo Bloggs, harbour master of Eastport, expressed dismay at the fares.",
    "Ferry fares rose in the spring and the pier closed.",
    "The harbour board raised fares for island pilots.",
    "Cutting the night ferry saves the council two million a year.",
    "The pilots consisted of two crews from Eastport.",
])
def test_whole_sentences_keep_their_verb(text: str) -> None:
    assert has_main_verb(text) and not fragment(text)


@pytest.mark.parametrize("text", [
    "For that reason, the pilots voted to strike on Monday.",
    "Without that, the ferry cannot sail in the winter.",
    "Among them: fares, timetables and the crews' pay.",
    "Like the old timetable, it also drops the night crossing.",
    "Further, the pier needs repair before the summer.",
    "In the meantime, the ferry sails twice a day.",
])
def test_openings_that_stand_for_what_came_before_lean_back(text: str) -> None:
    assert leans_back(text)


@pytest.mark.parametrize("text", [
    "In the spring, the ferry sails twice a day.",
    "After the vote, it is clear that fares will rise.",
    "For the islanders, the ferry is the only link to Eastport.",
])
def test_openings_of_their_own_do_not_lean_back(text: str) -> None:
    assert not leans_back(text)


@pytest.mark.parametrize("text", [
    "Provide the islands with a second ferry by the summer.",
    "Develop model plans for the pier and the harbour office.",
    "Improve the timetable for riders of the night ferry.",
    "Move on to a second vote with some new rules.",
])
def test_a_list_of_demands_is_an_instruction(text: str) -> None:
    assert instruction(text) and not eligible(_candidate(text))


@pytest.mark.parametrize("text", [
    "Ferry report hits island budget debate",  # a headline: no full stop
    "Timetable: https://example.org/ferry/timetable.",
    "Riders per sailing 20% 30 40 50 60 island average.",
    "Summer 2024:Book early for the ferry to the islands.",
    "Second sailing Many riders wait for the later ferry on Fridays.",
])
def test_page_text_is_not_a_point(text: str) -> None:
    assert not_prose(text) and not eligible(_candidate(text))


@pytest.mark.parametrize("text", [
    "The ferry report hits the island's budget debate.",
    "The ferry left at 10:30 on Monday with 40 riders aboard.",
    "The islanders, most of whom work in Eastport, said they need the ferry.",
    "Fares rose 3 percent, 4 percent and 5 percent in three years.",
])
def test_prose_is_prose(text: str) -> None:
    assert not not_prose(text) and eligible(_candidate(text))


def test_the_summary_takes_the_next_sentence_rather_than_a_heading_or_a_demand() -> None:
    text = ("Ferry fares rise again\n\n"
            "Harbour board sets new island fares\n\n"
            "The harbour board raised ferry fares by 5 percent on Monday, its third rise in a "
            "year.\n\n"
            "Provide the islands with a cheaper winter ferry.\n\n"
            "Island riders said the new fares would cost a commuter about $300 a year.")
    summary = analyse(parse_plain_text(text), load_lexicon()).summary
    points = [p.text for p in [*summary.short, *summary.bullets]]
    assert points and points[0].endswith("its third rise in a year.")
    assert not any("Harbour board sets" in p or "Provide the islands" in p for p in points)


def test_an_instruction_after_rather_than_and_a_heading_before_after() -> None:
    assert instruction("Rather than waiting for the ferry, imagine it sailing every hour.")
    assert not_prose("Second sailing After the first ferry, half the riders stay home.")
    assert not not_prose("The riders stay home after the first ferry, the board said.")


@pytest.mark.parametrize(("text", "leans"), [
    ("The council blamed the harbour board for that and for the late ferries.", True),
    ("The pilots were angry about this, the union said on Monday.", True),
    ("The board said the fares were too high for that route in winter.", False),
    ("The pilots said that fares would rise and the pier would close.", False),
])
def test_a_demonstrative_alone_after_a_preposition_leans_back(text: str, leans: bool) -> None:
    assert leans_back(text) is leans
