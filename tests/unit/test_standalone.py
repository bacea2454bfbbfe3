"""The stand-alone rules for summary points and clauses (sentences written for the test)."""

from __future__ import annotations

import pytest

from parley.core.analysis.standalone import balanced, fragment, leans_back, stands_alone
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
    assert balanced("She called it ‘a triumph’ on Monday.")
    assert not balanced("She called it “a triumph on Monday.")
    assert balanced("The ferry (the slow one) was late.") and balanced("2) The ferry was late.")
    assert not balanced("(The ferry herself sailed from Eastport, Mass.")
    assert not balanced("All but two ferries had sailed by then.)")
    assert not balanced("The ferry was late) and (the pier was shut.")
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
    # A pair of dashes holds an aside: the main clause goes on past it, so it is not cut there
    # ("… when he says that NATO – created in 1949 – has become obsolete" is not "… that NATO.").
    assert clauses("The reckless exchange showed that the mayor is right when he says that the "
                   "pier – built in 1949 – has become unsafe.") == []
    assert clauses("The council – a reckless body – voted for the plan, while the mayor – who "
                   "was away – objected.") == ["The council – a reckless body – voted for the "
                                              "plan."]
    assert clauses("The issue is the pier – over which the reckless crews clashed.") == []


@pytest.mark.parametrize("sentence", [
    # A restrictive "who" and an "as" before a complement belong to the main clause.
    "The first lady spoke about children who live in reckless neighbourhoods.",
    "The mayor was seen as a reckless gambler by the pilots.",
    "The pilots kept referring to the mayor as a reckless gambler who would sink the ferry.",
    "A 19-year-old man named as Jo Bloggs was arrested after the reckless attack.",
    "The skipper has lived in his house since 1994 and never liked the reckless ferry.",
    # A comma's aside whose main verb comes after it is not where the clause ends.
    "The paper reported that the skipper, who was hurt in the reckless crash, was sacked.",
    # Nor a cut leaving a word that needs what followed.
    "The union opposes the ferry only because of its reckless captain.",
    "The mayor might, as early as this week, sign the reckless order.",
    "The pilots have a reckless habit of cheering when they hear the mayor say, as she told "
    "the paper, that fares will fall.",
    # Nor one that is itself a subordinate clause.
    "Since the captain is now making up the rules as he goes along – reckless, the pilots say.",
])
def test_a_clause_is_cut_only_where_the_main_clause_ends(sentence: str) -> None:
    assert clauses(sentence) == []


def test_a_clause_still_ends_before_a_subordinate_clause_of_its_own() -> None:
    assert clauses("The pilots smiled at the crowd as the reckless ferry left.") == [
        "The pilots smiled at the crowd."]
    assert clauses("The council kept the ferry running, which the reckless pilots hated.") == [
        "The council kept the ferry running."]
    assert clauses("The skipper, who was hurt, praised the crew, while the reckless mayor "
                   "hid.") == ["The skipper, who was hurt, praised the crew."]
