"""The stand-alone rules for summary points and clauses (sentences written for the test)."""

from __future__ import annotations

import pytest

from parley.core.analysis.standalone import balanced_quotes, fragment, leans_back, stands_alone
from parley.core.analysis.summarize import clauses


@pytest.mark.parametrize("text", [
    "Insisting that the ferry policy would continue.",
    "Rather than to speak about problems that might be managed.",
    "The last time was in the 1974 election.",
    '"The ferry is our future," she said.',
    "He said the boats were late.",
    'The boats are late," the mayor said.',
    "“The boats,” the mayor said, “are late.",
    "So it was the search for a harbour that led the council astray.",
    "The council chose the route in Smith v.",
    "wait times rose in May.",
])
def test_these_do_not_stand_alone(text: str) -> None:
    assert not stands_alone(text)


@pytest.mark.parametrize("text", [
    '"The ferry is our future," Mayor Okafor said on Monday.',
    "So far, 13 boats have been built at the yard.",
    "Speaking to reporters, the mayor said the boats would sail in May.",
    "Nothing has changed since the vote in May.",
])
def test_these_stand_alone(text: str) -> None:
    assert stands_alone(text)


def test_the_pieces() -> None:
    assert balanced_quotes("She called it ‘a triumph’ on Monday.")
    assert not balanced_quotes("She called it “a triumph on Monday.")
    assert fragment("Because the boats were late.") and not fragment("Because boats were late, "
                                                                    "riders waited.")
    assert leans_back("However, the boats were late.") and not leans_back("Boats were late.")


def test_a_loaded_sentence_is_cut_only_to_its_main_clause() -> None:
    sentence = ("The mayor signed an order on Wednesday that extends the ferry service, "
                "while insisting that the reckless bridge plan would continue.")
    assert clauses(sentence) == ["The mayor signed an order on Wednesday that extends the ferry "
                                 "service."]
    assert clauses("The mayor signed the order on Wednesday.") == []
    # Cut before its "as …", a clause ending on a verb of timing says nothing.
    assert clauses("The ferry closures, aimed at keeping the reckless crews off the water, came "
                   "as storms reached the harbour.") == []
    assert clauses("The pilots smiled at the crowd as the reckless ferry left.") == [
        "The pilots smiled at the crowd."]
    # Nor one ending on the measure of time its "before …" belonged to, or on a preposition
    # whose object was cut.
    assert clauses("The mayor closed the pier on Friday night, days before the reckless ferry "
                   "was due to sail.") == []
    assert clauses("The council voted 7 to 2 for the plan, just 24 hours after the reckless "
                   "pilots struck.") == []
    assert clauses("The issue is the pier - over which the reckless crews clashed.") == []
    assert clauses("The council raised fares last year, after the reckless pilots struck.") == [
        "The council raised fares last year."]
