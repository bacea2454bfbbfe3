"""The corpus checks' own reading of a point (bench/corpus_checks.py), on sentences written for
the test: each class of error the word-list check and the word-by-word tagger made, and what the
parse must still catch."""

from __future__ import annotations

import pytest

from bench.corpus_checks import _FURNITURE, stands_alone


@pytest.mark.parametrize("text", [
    "I am offering the islanders a new timetable.",  # "am"
    "We spend more on the ferry than on the bridge.",  # a bare present after its subject
    "Harbour pilots disagree about the new timetable.",
    "A shrinking minority still oppose the new fares.",
    "The pilots ate lunch on the quay.",  # an irregular past
    "The captain also fatally misjudged the tide.",
    "The captain and I so clearly like the new ferry.",
    "WHO reported the figure on 3 March.",  # an acronym, not the pronoun "who"
    "The author argues: Harbour pilots understood the risk.",
])
def test_whole_sentences_the_word_list_missed_stand_alone(text: str) -> None:
    assert stands_alone(text)


@pytest.mark.parametrize("text", [
    "Jo Bloggs, 51, a harbour pilot from Eastport.",
    "The ferry subsidies, for instance.",  # passed the old "-s" rule
    "Taking the ferry out of the budget.",
    "Pilots, angered by the new timetable in Eastport.",
    "Who reported the figure on 3 March.",
    "It sailed at dawn.",
    "Harbour master Jo Bloggs understood that.",
    "“The ferry will sail, he said.",
])
def test_fragments_and_references_back_still_fail(text: str) -> None:
    assert not stands_alone(text)


def test_a_picture_agency_is_furniture_only_as_a_credit() -> None:
    assert _FURNITURE.search("A pilot on the quay. (Getty Images)")
    assert _FURNITURE.search("Photo: Jo Bloggs / Getty Images")
    assert not _FURNITURE.search("The picture was sold to the agency Getty Images in 2019.")


@pytest.mark.parametrize("text", [
    # The verb after an insertion between commas, brackets or dashes: its subject is before it.
    "Harbour pilots, including two from Eastport, continue to oppose the timetable.",
    "Pilots (and their union) oppose the new timetable.",
    "Islanders—especially the pilots—stand to lose two sailings a week.",
    "Jo Bloggs, harbour master of Eastport, expressed dismay at the fares.",
    "The pilot, Jo Bloggs, steered down 20 metres of channel.",
    # A plural-looking word after a noun, then a determiner: a verb, not a compound.
    "The harbour statement marks a new low for the ferry.",
    # A point of two sentences: the last "that" may stand for the first.
    "The board said it would cut two sailings. The pilots were angry about that.",
])
def test_readings_the_tagger_missed_stand_alone(text: str) -> None:
    assert stands_alone(text)


@pytest.mark.parametrize("text", [
    "Jo Bloggs, a harbour pilot from Eastport, angered by the new timetable.",
    "Two harbour pilots, angered by the new timetable in Eastport.",
    "The ferry subsidies, for instance.",
    "The harbour master understood that.",  # one sentence: "that" points back
])
def test_the_insertion_and_compound_readings_do_not_pass_fragments(text: str) -> None:
    assert not stands_alone(text)


@pytest.mark.parametrize("text", [
    # Presents the old tagger read as nouns: the parse reads the clause.
    "Renewables account for a fifth of the island's power.",
    "Two ferry companies including Eastport Lines sail on 7 June.",
    "In 12 harbours, night pilotage costs more than a day's sailing.",
    "The timetable features two extra sailings in May.",
    "US pilots arrive in Eastport on Tuesday.",  # "US", not "us"
    # A past after an apposition; a year as the subject.
    "Sam Smith, a pilot of 20 years, travelled to Eastport with two friends.",
    "The board, meanwhile, accused the pilots of playing games.",
    "2019 brought two new ferries to Eastport.",
])
def test_the_parse_reads_whole_sentences_the_tagger_misread(text: str) -> None:
    assert stands_alone(text)


@pytest.mark.parametrize("text", [
    "The owners of the three ferry companies that now run the crossings.",  # a relative clause
    "Review safety standards for ferry ramps (Harbour Board).",  # a command
    "From Eastport to island pilots Jo Bloggs and Sam Smith.",  # a range, no verb
    "Just the usual - a ticket, a map and a bit of cake.",
    "The pilots sailed at dawn. The harbour master, a man of few words.",  # the second sentence
])
def test_the_parse_finds_no_main_clause_in_fragments(text: str) -> None:
    assert not stands_alone(text)
