"""The summariser's general rules added after reading the corpus checks' failures, each on
sentences written for the test, with the whole sentences they must leave alone."""

from __future__ import annotations

from dataclasses import replace

import pytest

from parley.core.analysis.article import analyse
from parley.core.analysis.boilerplate import is_boilerplate
from parley.core.analysis.kind import ArticleKind
from parley.core.analysis.lexicon import load_lexicon
from parley.core.analysis.rhetoric import quoted
from parley.core.analysis.sentences import split_sentences
from parley.core.analysis.standalone import (
    doubled_word,
    fragment,
    has_main_verb,
    instruction,
    leans_back,
    not_prose,
    stands_alone,
    title_case,
)
from parley.core.analysis.summarize import (
    Candidate,
    SummaryItem,
    eligible,
    quotes_speaker,
    render,
    reports_speech,
)
from parley.core.ingest.plaintext import parse_plain_text


@pytest.mark.parametrize("text", [
    "Only about a year or so.",
    "Jo Bloggs, 51, a harbour pilot from Eastport.",
    "The ferry subsidy, for instance.",
    "In keeping the ferry running through the winter.",
    "Taking the ferry out of the budget.",
    "Harbour master Jo Bloggs on the radio discussing the new timetable.",
])
def test_a_sentence_without_a_finite_verb_is_a_fragment(text: str) -> None:
    assert not has_main_verb(text)
    assert fragment(text) and not stands_alone(text)


@pytest.mark.parametrize("text", [
    "The council will review the timetable in June.",
    "The mayor signed the order on Wednesday.",
    "Ridership rose 3 percent in May.",
    "The ferry company reports higher fares.",
    "We lose two sailings a week to the weather.",
    "Commuters expect delays on Monday.",
    "WHO reported the figure on 3 March.",
])
def test_a_sentence_with_a_finite_verb_is_whole(text: str) -> None:
    assert has_main_verb(text) and not fragment(text)


@pytest.mark.parametrize("text", [
    "The council sent a letter to the harbour board and.",
    "At the hearing, the pilots' union, from.",
    "The mayor urged residents to write to those.",
    "The harbour board voted for a new ferry, with.",
])
def test_a_sentence_cut_before_what_it_introduces_is_a_fragment(text: str) -> None:
    assert fragment(text)


@pytest.mark.parametrize("text", [
    "When the ferry first sailed to the islands.",
    "Given the choice of sailing at dawn.",
    "Before adding, “and the right word is ferry.”",  # a participle, then only a quotation
    "Describing the storm that swept across the harbour.",  # its verb only in "that swept"
    "Because riders will judge “the timetable, the fares, and what they pay for.”",  # no main
    "From the day the board sold the pier --.",  # cut at its dash
])
def test_a_subordinate_clause_alone_is_a_fragment(text: str) -> None:
    assert fragment(text)


@pytest.mark.parametrize("text", [
    "Because “the boats, the pilots said, were late,” riders waited at the pier.",
    "Because boats were late, riders waited.",
])
def test_a_subordinate_clause_before_its_main_clause_is_whole(text: str) -> None:
    assert not fragment(text)


@pytest.mark.parametrize("text", [
    "So many riders waited that the second ferry was full.",
    "On top of that, the ferry lost $2 million.",
    "Who runs it: the harbour board has run the ferry since 1990.",
    "Hardly surprising, given the weather on the crossing.",
])
def test_these_lean_on_what_came_before(text: str) -> None:
    assert leans_back(text)


def test_an_acronym_is_not_a_pronoun() -> None:
    assert not leans_back("WHO reported the figure on 3 March.")
    assert leans_back("Who reported the figure on 3 March?")


def _candidate(text: str, speaker: str | None = None) -> Candidate:
    return Candidate(index=0, section=0, paragraph=0, text=text, heat=0.0, opinion=False,
                     claim_score=0.0, speaker=speaker)


def test_a_quotation_alone_is_not_a_point_but_with_its_speaker_it_is() -> None:
    text = "“We will keep the ferry running all winter long.”"
    assert not eligible(_candidate(text))
    assert eligible(_candidate(text, speaker="MAYOR OKAFOR"))
    assert eligible(_candidate("“We will keep the ferry running all winter,” the mayor said."))
    # A fact check's verdict label is the article's voice: the quotation is someone else's.
    assert not eligible(_candidate(text, speaker="THE FACTS"))


def test_a_question_inside_quotation_marks_is_not_a_point() -> None:
    assert not eligible(_candidate("Who is the pilot who was told “you cannot sail today?”"))


def test_a_heading_in_capitals_is_not_a_point() -> None:
    assert not eligible(_candidate("FERRY FARES RISE FOR THE THIRD YEAR IN A ROW."))
    assert not eligible(_candidate("FARES ARE GOING UP AGAIN THIS YEAR. “We had no choice.”"))


def test_first_person_outside_quotation_marks_is_not_reportings_voice() -> None:
    text = "I categorically deny that the ferry was ever unsafe for passengers."
    assert not eligible(_candidate(text), "news")
    assert not eligible(_candidate("We carry more passengers than any other ferry line."),
                        "news")
    assert eligible(_candidate(text), "opinion")  # the author's own voice
    assert eligible(_candidate("“I deny it,” the captain told the ferry inquiry on Monday."),
                    "news")


@pytest.mark.parametrize("text", [
    "Read a response from ferry pilot Jo Bloggs here.",
    "Write to Jo Bloggs at jo.bloggs@example.com.",
    "Contact him at pilot@example.org.",
    "(Link to the timetable: ex.am/ple)",
    "(Graphic: Ferry fares since 1990 - ex.am/ple2)",
    "( PHOTOS: Will these ferries be sold again?)",
    "(See chart.)",
    "( Also on HARBOUR GAZETTE: Mayor vows to keep the ferry running)",
    "Fares are up again! — Jo Bloggs (@jobloggs) March 3, 2024",
    "We want to hear from you.",
    "Please consider making a contribution to the Harbour Gazette today.",
    "Watch the launch live on HarbourTV, start a free trial.",
    "Join us on Facebook/HarbourGazette.",
    "I encourage you to join us at the harbour on Sunday.",
    "Note: This story was originally published in May and has been updated.",
    "It has been updated to reflect the new timetable.",
    "CORRECTION: An earlier version of this story misstated the ferry's fare.",
    "Correction 25 January 2024: The pilot was never deployed at sea.",
    "This story has been corrected to show the ferry sails at six, not seven.",
    "A previous version of this article misstated the route's length.",
    "Corrections & Amplifications",
    "Harbour Radio's Jo Bloggs joins us now from the ferry terminal.",
    "Our transport correspondent Jo Bloggs is here for more.",
    "Editor’s note: Jo Bloggs writes a weekly column on the harbour for the Gazette.",
    "Here's Harbour Radio transport correspondent Jo Bloggs.",
    "Jo Bloggs is a writer, author and attorney.",  # a bio of trades alone
    "Riders wait for the late ferry at the pier. | AP Photos Ferry fares rise again.",
    "Harbour Radio transcripts are created on a rush deadline by a contractor.",
    "This text may not be in its final form and may be updated or revised in the future.",
    'Jo Bloggs, 41, is a graduate of Leeds University, host of "The Harbour Hour" and editor of '
    "FerryNews.com.",
])
def test_pointers_contact_lines_and_calls_to_the_reader_are_furniture(text: str) -> None:
    assert is_boilerplate(text)


@pytest.mark.parametrize("text", [
    'The mayor said: "I hope four councillors will join us," at the hearing.',
    "The attacker registered the site from a long-abandoned e-mail account, "
    "jo.bloggs@example.com, that police traced to a library computer in the port town.",
    "Fares rose 3 percent in March, the ferry company said.",
    "(The ferry company, which carries 300 passengers a day, was sold in 2019.)",
    "(Related parties own 40 percent of the ferry company, the filing shows.)",
    "Corrections officers at the harbour jail said the ferry was late.",
    "The correction came after the council's vote on the fares.",
    "The pilot who joins us from next week has sailed the route for twenty years, the board "
    "said, and he will train the new crews.",
    "Jo Bloggs is a lawyer who sued the harbour board in 2019.",
    "Here's what the correspondent found at the pier: the ferry had never sailed on time.",
    "Jo Bloggs, 41, is a graduate of the harbour school and has piloted the night ferry since "
    "2019.",
])
def test_the_article_itself_is_not_furniture(text: str) -> None:
    assert not is_boilerplate(text)


def test_quoted_finds_whole_words() -> None:
    text = "The board will redirect the grant to “an already dire harbour.”"
    assert quoted(text, "dire")  # not the "dire" inside "redirect"


@pytest.mark.parametrize("kind", ["news", "explainer", "interview"])
def test_a_continuation_that_argues_is_attributed_in_every_kind(kind: ArticleKind) -> None:
    first = SummaryItem(sentence=0, section=0, attributed=False,
                        text="The harbour board said the ferry would sail at dawn.")
    loaded = Candidate(index=1, section=0, paragraph=0, heat=0.6, opinion=False, loaded=True,
                       claim_score=0.0, text="It blamed the reckless council for the delays.")
    point = render(loaded, kind, follows=first)
    assert point.attributed and point.text.startswith("The article says: The harbour board")


@pytest.mark.parametrize("text", [
    "Harbour master Jo Bloggs understood that.",
    "The ferry pilots have been saying this.",
    "You get the same feeling as you watch the ferry leave the harbour.",
    "The council made the same mistake.",
    "Yes, the ferry is the best way to cross, he knew.",  # he: who?
    "Harbour board member Jo Bloggs wrote on Twitter.",  # her words were before
    "The ministry said in a statement.",
    "Jo Bloggs is one of those pilots.",  # which pilots?
    "The pier is the oldest of the five.",
])
def test_a_sentence_pointing_back_at_its_end_or_to_the_same_thing_leans_back(text: str) -> None:
    assert leans_back(text) and not stands_alone(text)


@pytest.mark.parametrize("text", [
    "The ferry sails the same route as it did in 1990.",
    "The harbour has the same rights as the port of Eastport.",
    "The ferry left the same day that the storm hit the coast.",
    "Two ferries leave Eastport at the same time every morning.",
    "The pilot knew that the ferry was late on Monday.",
    "Fares rise fast these days.",
    "Officials said on Monday that the pier was closed.",
    "Jo Bloggs said she would run for the board.",
    "Jo Bloggs is one of those pilots who never miss a tide.",
])
def test_the_same_with_its_comparison_stands_alone(text: str) -> None:
    assert not leans_back(text)


@pytest.mark.parametrize("text", [
    "If you miss the ferry, get a refund at the harbour office.",
    "When the ferry is late, call the harbour office at once.",
    "Make no mistake about the ferry's future on the island.",
    "Let's take the next few minutes to check the mayor's claims about the ferry.",
])
def test_an_instruction_to_the_reader_is_not_a_point(text: str) -> None:
    assert instruction(text) and not eligible(_candidate(text))


@pytest.mark.parametrize("text", [
    "If the ferry stops running, the island loses its only link.",
    "Call centres at the harbour closed on Monday after the storm.",
    "Vote counts in the harbour ward were delayed until Friday.",
])
def test_a_statement_opening_like_a_command_is_still_a_point(text: str) -> None:
    assert not instruction(text) and eligible(_candidate(text))


def test_a_word_doubled_by_a_slip_of_the_source_is_not_a_point() -> None:
    assert doubled_word("Pilots disagree about the the new timetable for the ferry.")
    assert not eligible(_candidate("Pilots disagree about the the new timetable for the ferry."))
    assert not doubled_word("The pilot said that that was the last ferry of the winter.")
    assert doubled_word("Pilots who who sailed at dawn were paid twice.")
    assert not doubled_word("The pilot had had enough of the winter timetable.")


def test_a_possessive_is_not_a_verb() -> None:
    assert not has_main_verb("The harbour master's only real answer to the storm.")
    assert has_main_verb("It's the harbour master's only real answer to the storm.")


def test_a_participle_after_a_comma_is_no_verb_but_a_verb_with_its_object_is() -> None:
    assert not has_main_verb("Harbour master Jo Bloggs, sobered but resolute.")
    assert has_main_verb("Jo Bloggs, 51, faced the harbour board on Monday.")
    assert has_main_verb("Jo Bloggs, a pilot from Eastport, called for an inquiry.")


@pytest.mark.parametrize("text", [
    "Issue a new timetable for the winter ferry at once.",
    "Meet Jo Bloggs, the harbour's new pilot.",
    "Just focus on the ferry's last five crossings.",
    "Consider, for example, the ferry's winter timetable.",
])
def test_more_instructions_are_not_points(text: str) -> None:
    assert instruction(text)


def test_a_headline_in_title_case_is_not_a_point() -> None:
    assert title_case("The Ferry Just Raised Its Fares Again.")
    assert not eligible(_candidate("The Ferry Just Raised Its Fares Again For Winter."))
    assert not title_case("Jo Bloggs Met Sam Smith.")  # names, no little word
    assert not title_case("The ferry raised its fares again.")


def test_a_sentence_never_ends_on_such() -> None:
    assert fragment("Opening up parts of the harbour, such.")


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
    "Acting Harbour Director Jo Bloggs on Monday defended a rule that would raise fares.",
    "Rebuilding the pier that fell took two years.",
    "The night ferry cannot sail in a storm.",
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
    "All of these things are true of the night ferry.",
    "Many of his crew have sailed the route for years.",
    "Among the five were two pilots and the harbour master.",  # the five what?
    "Of the three, only one still sails.",
    "The three were charged on Monday.",
    "Shows how long ago the pier was built.",  # its subject left out
    "Turns out the harbour board knew.",
])
def test_openings_that_stand_for_what_came_before_lean_back(text: str) -> None:
    assert leans_back(text)


@pytest.mark.parametrize("text", [
    "In the spring, the ferry sails twice a day.",
    "After the vote, it is clear that fares will rise.",
    "For the islanders, the ferry is the only link to Eastport.",
    "Some of the ferries sailed late.",
    "The three-day strike ended on Monday.",
    "Of the three largest ferries, two sail at night.",
    "Shows at the harbour festival sold out.",
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


# Session 10: the real fragments the corpus check still found, each as a rule of grammar.
@pytest.mark.parametrize(("text", "demand"), [
    ("Review safety standards for ferry ramps (Harbour Board).", True),  # a verb that is a noun
    ("Fund school ferries from the harbour levy.", True),
    ("Review boards met on Tuesday to discuss the ferry.", False),  # the noun, then the verb
    ("Fund managers sold their ferry shares.", False),
    ("Support for the ferry grows among islanders.", False),
    ("Launch a ferry review with the harbour board.", True),  # an article after it
    ("Maximize sailings to the island in summer.", True),  # a verb in -ize
    ("Launch of the new ferry was delayed.", False),
    ("Launch day came early for the pilots.", False),
])
def test_a_policy_verb_opening_before_a_bare_noun_is_a_demand(text: str, demand: bool) -> None:
    assert instruction(text) is demand


@pytest.mark.parametrize(("text", "slogan"), [
    ("The harbour board's answer on fares: Pay up!", True),
    ("The pilots' advice to islanders: Get a ticket early.", True),
    ("The harbour board's answer: fares rise in May.", False),
    ("The board gave one reason: Fares had to rise.", False),  # a verb before the colon
])
def test_a_slogan_after_a_verbless_label_is_not_a_point(text: str, slogan: bool) -> None:
    assert instruction(text) is slogan


@pytest.mark.parametrize(("text", "whole"), [
    ("The owners of the three ferry companies that now run the crossings.", False),
    ("The islanders who opposed the new timetable.", False),
    ("The harbour board says that the ferry sails at dawn.", True),
    ("The pilots' union warns that fares rise in May.", True),
    ("From Eastport to island pilots Jo Bloggs and Sam Smith.", False),  # a range, no verb
    ("From 2010 to 2015 the ferry company hires new pilots.", True),
    ("A ferry ticket, a bit of cake and a map of the island.", False),  # "bit" the noun
    ("The harbour dog bit the pilot on the quay.", True),  # "bit" the verb
    ("The cost of the ferry doubled in May.", True),
    ("The ferry timetable on this route.", False),  # "this" is not a plural subject
    ("Pilots sail on this route twice a day.", True),
])
def test_relative_clauses_ranges_and_nouns_are_not_the_main_verb(text: str, whole: bool) -> None:
    assert fragment(text) is not whole


@pytest.mark.parametrize(("text", "leans"), [
    ("Earlier attempts to map them, over many years, failed.", True),  # them: what?
    ("Three of them sailed at dawn.", True),
    ("Pilots asked the harbour board to help them.", False),  # them: the pilots
    ("Jo Bloggs and Sam Smith said the board had failed them.", False),
    ("The new count raises that number to 400.", True),  # which number?
    ("The harbour board changed its mind on this issue in May.", True),
    ("The board said that policy would change in May.", False),  # "that" opens a clause
    ("The ferry sails twice a day this year.", False),  # a time, not a shell noun
    ("Fares rose on routes outside those two islands in May.", True),  # which two?
])
def test_a_word_pointing_back_in_mid_sentence_needs_what_it_stands_for(
        text: str, leans: bool) -> None:
    assert leans_back(text) is leans


def test_quoted_words_with_their_speaker_are_reported_not_argued() -> None:
    speech = "“The ferry is the best thing this city has ever built,” Mayor Okafor said."
    argued = Candidate(index=0, section=0, paragraph=0, heat=0.2, opinion=True, claim_score=0.0,
                       text=speech)
    assert reports_speech(speech)
    # In an opinion piece the author reports the mayor's words; in news they are quoted as
    # written, with their speaker in them.
    assert render(argued, "opinion").text == f"The author writes: {speech}"
    assert render(argued, "news").text == speech
    own = replace(argued, text="The ferry is the best thing this city has ever built.")
    assert not reports_speech(own.text)
    assert render(own, "opinion").text.startswith("The author argues: ")
    assert render(own, "news").text.startswith("The article says: ")
    # A quoted phrase inside the author's own sentence is still the author's argument.
    phrase = "The council's “bold vision” is the worst plan this city has ever seen, he said."
    assert not reports_speech(phrase)


@pytest.mark.parametrize("speech", [
    "“It's a truly historic moment,” said Jo Bloggs, president of the pilots' union.",
    "The pilots' union called the new timetable “a disgrace to the harbour.”",
    "In the harbour office, the mayor played down the row, saying the two were “closer than ever.”",
    "The mayor vowed in her speech that “we will keep the night ferry running, whatever it costs.”",
    "The mayor defended the cuts, noting that the old timetable was “a disgrace to the harbour.”",
    "The union answered online, tweeting that the mayor's plan was “a disgrace to the harbour.”",
])
def test_in_news_a_judgement_quoted_beside_its_speaker_is_theirs_not_the_articles(
        speech: str) -> None:
    point = Candidate(index=0, section=0, paragraph=0, heat=0.0, opinion=True, claim_score=0.0,
                      text=speech)
    assert quotes_speaker(speech)
    assert render(point, "news").text == speech
    # The article's own judgement, a quoted phrase in it with nobody's name beside it, stays the
    # article's.
    own = replace(point, text="The council's “bold vision” is the worst plan the city has seen.")
    assert not quotes_speaker(own.text)
    assert render(own, "news").text.startswith("The article says: ")


def test_in_an_opinion_piece_a_quotation_beside_its_speaker_is_reported() -> None:
    said = ("Harbour Lines is “a company like any other, no better,” Mayor Okafor told the "
            "council on Friday.")  # under half the words quoted, more than a third
    point = Candidate(index=0, section=0, paragraph=0, heat=0.0, opinion=True, claim_score=0.0,
                      text=said)
    assert not reports_speech(said)
    assert render(point, "opinion").text == f"The author writes: {said}"
    # The author's own sentence around a short quoted phrase, or speaking in the first person
    # around the quotation, still argues.
    for own in ("The ferry plan, which the mayor called “bold”, is the worst idea this council "
                "has had in twenty years of bad ideas.",
                "I have to admit my jaw dropped when the mayor said “the ferry pays for itself.”"):
        assert render(replace(point, text=own), "opinion").text.startswith("The author argues: ")


@pytest.mark.parametrize("speech", [
    "As Councillor Okafor, a onetime rival herself, quipped in May, “If the ferry sank, nobody in "
    "the harbour would notice for a week.”",
    "“The night ferry is a scandal and a waste,” Okafor testified.",
    "“None of these fares,” Okafor asserted, “none of them on any route, was ever raised.”",
])
def test_in_an_opinion_piece_a_quip_or_testimony_beside_its_speaker_is_reported(
        speech: str) -> None:
    point = Candidate(index=0, section=0, paragraph=0, heat=0.0, opinion=True, claim_score=0.0,
                      text=speech)
    assert render(point, "opinion").text == f"The author writes: {speech}"


def test_in_an_opinion_piece_a_recommendation_is_argued() -> None:
    told = Candidate(index=0, section=0, paragraph=0, heat=0.0, opinion=False, claim_score=0.0,
                     text="Amend the harbour law to let the night ferry sail in winter.")
    assert render(told, "opinion").text.startswith("The author argues: ")
    fact = replace(told, text="Close to 300 riders took the night ferry in May.")
    assert render(fact, "opinion").text.startswith("The author writes: ")


@pytest.mark.parametrize("text", [
    "“The gig is up,” he declared Saturday.",
    "“We will both try to make it a very special moment,” he tweeted.",
    "“DHS will not tolerate this type of lawlessness,” she warned.",
    "The talks will go on for as long as it takes, they claimed.",
])
def test_every_tag_of_speech_after_a_bare_pronoun_leans_back(text: str) -> None:
    assert leans_back(text)


@pytest.mark.parametrize("text", [
    "“The gig is up,” Trump declared Saturday.",
    "“DHS will not tolerate this,” Homeland Security Secretary Kirstjen Nielsen warned.",
    "The plan is not what the president promised.",
])
def test_a_named_speaker_or_a_verb_of_its_own_stands(text: str) -> None:
    assert not leans_back(text)


def test_in_news_a_continuation_quoted_beside_its_speaker_leaves_the_point_unprefixed() -> None:
    before = SummaryItem(sentence=0, section=0, attributed=False,
                         text="The mayor opened the new pier on Friday.")
    quoted_words = Candidate(index=1, section=0, paragraph=0, heat=0.0, opinion=True,
                             claim_score=0.0, text="“It's a truly historic moment,” she said.")
    joined = render(quoted_words, "news", follows=before)
    assert joined.text == f"{before.text} {quoted_words.text}" and not joined.attributed
    # The article's own judgement continuing the point still makes it the article's.
    own = replace(quoted_words, text="It is the worst plan the city has seen.")
    assert render(own, "news", follows=before).text.startswith("The article says: ")
