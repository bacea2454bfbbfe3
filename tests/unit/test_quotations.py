"""Which sentences belong to a quotation running over several sentences (sentences written for
the test), and that none of them becomes a summary point."""

from __future__ import annotations

import pytest

from parley.core.analysis.article import analyse
from parley.core.analysis.lexicon import load_lexicon
from parley.core.analysis.quotations import in_long_quotations, long_quotations
from parley.core.ingest.plaintext import parse_plain_text


def test_every_sentence_of_a_long_quotation_is_marked_and_the_sentences_around_it_are_not() -> None:
    sentences = ["The harbour board met on Monday.",
                 "“We have all this momentum.",
                 "Even if the ferry is funded, change will not come swiftly.",
                 "It never does,” said Jo Bloggs, a pilot.",
                 "The board voted in May."]
    assert in_long_quotations(sentences, [0] * 5) == [False, True, True, True, False]


def test_a_quotation_closed_in_its_own_sentence_is_not_a_long_one() -> None:
    sentences = ["“The ferry is our future,” the mayor said.",
                 "She called the fares 'fair' and the boats \"late\" on Monday.",
                 "The board voted in May."]
    assert in_long_quotations(sentences, [0] * 3) == [False, False, False]


def test_straight_quotation_marks_run_over_sentences_too() -> None:
    sentences = ['"We are late.', "We will be late again.", 'We are sorry," he said.', "Done."]
    assert in_long_quotations(sentences, [0] * 4) == [True, True, True, False]


def test_a_quotation_goes_on_into_the_next_paragraph_only_when_that_one_opens_again() -> None:
    sentences = ["“We are late.", "We will be late again.",
                 "“We are sorry.", "Truly,” he said.",
                 "Fares rose."]
    assert in_long_quotations(sentences, [1, 1, 2, 2, 3]) == [True, True, True, True, False]


def test_a_quotation_left_open_or_marks_out_of_order_mark_nothing() -> None:
    # A raw crawl's stray marks: one never closed, and straight marks that open every paragraph
    # of a text run together into one.
    left_open = ["“We are late.", "We will be late again.", "The board voted in May."]
    assert in_long_quotations(left_open, [1, 1, 2]) == [False, False, False]
    run_together = ['"The trainers are in Iraq.', "The spokesman told reporters so.",
                    '"Officials say hundreds more could go.', '"Leaders complained.', "Done."]
    assert in_long_quotations(run_together, [0] * 5) == [False] * 5


def test_a_sentence_in_the_middle_of_someones_quotation_is_never_a_summary_point() -> None:
    text = ("Ferry fares rise again\n\n"
            "The harbour board raised ferry fares by 5 percent on Monday, its third rise in a "
            "year.\n\n"
            "“We have waited long enough for the harbour board. The board will cut the winter "
            "sailings by half before anyone notices. Nobody on the islands was asked,” said Jo "
            "Bloggs, who organises the riders' union.\n\n"
            "Island riders said the new fares would cost a commuter about $300 a year.")
    analysis = analyse(parse_plain_text(text), load_lexicon())
    points = [p.text for p in [*analysis.summary.short, *analysis.summary.bullets]]
    assert any("third rise in a year" in p for p in points)
    assert not any("cut the winter sailings" in p for p in points)


@pytest.mark.parametrize(("first", "last", "speaker"), [
    ("“We have all this momentum.", "It never does,” said Jo Bloggs, a pilot.", "Jo Bloggs"),
    ("“We are late.", "It never does,” Sen. Jo Bloggs, D-Maine, told reporters.", "Sen. Jo Bloggs"),
    ("“We are late.", "It never does,” the harbour board said.", "the harbour board"),
    ("“We are late.", "It never does,” according to the mayor.", "the mayor"),
    ("“We are late.", "It never does,” wrote Jo and Sam Bloggs.", "Jo and Sam Bloggs"),
    ("The mayor said in a statement, “We are late.", "It never does.”", "the mayor"),
    ("Harbour union member Jo Bloggs wrote, “We are late.", "It never does.”",
     "Harbour union member Jo Bloggs"),
    ("Because of that rule, says Jo Bloggs, a pilot who now lobbies, \"we are late.",
     'It never does."', "Jo Bloggs"),
    ("Jo Bloggs, harbour pilot, Eastport Ferries: “We are late.", "It never does.”", "Jo Bloggs"),
    ("Meanwhile, ferry chief Jo Bloggs tweeted: “We are late.", "It never does.”", "Jo Bloggs"),
    ("In comments aimed at Sam Smith, Jo Bloggs told the board: “We are late.", "It never does.”",
     "Jo Bloggs"),
    ("Added Jo Bloggs: “We are late.", "It never does.”", "Jo Bloggs"),
    ("Jo Bloggs on Twitter claimed: “We are late.", "It never does.”", "Jo Bloggs"),
    # Where they are from, how they are described, their long titles: all of the name.
    ("Sen. Jo Bloggs of Maine, vice chair of the committee, said: “We are late.",
     "It never does.”", "Sen. Jo Bloggs of Maine"),
    ("“We are late.", "It never does,” said Republican strategist Jo Bloggs.",
     "Republican strategist Jo Bloggs"),
    ("“We are late.", "It never does,” said Joint Chiefs Chairman Gen. Jo Bloggs.",
     "Joint Chiefs Chairman Gen. Jo Bloggs"),
    ("“We are late.", "It never does,” said Club for Growth President Jo Bloggs.",
     "Club for Growth President Jo Bloggs"),
    ("“We are late.", "It never does,” Sen. Jo Bloggs, Rhode Island Democrat, told reporters.",
     "Sen. Jo Bloggs"),
    # The marks that open and close it, not a short quotation beside them.
    ("“We are late.", "It never does,” said Jo Bloggs, the pilot, who called it “a farce.”",
     "Jo Bloggs"),
    ("As Jo Bloggs put it in “Fares”: “We are late.", "It never does.”", "Jo Bloggs"),
    ("“Make no mistake,” Jo Bloggs says, “we are late.", "It never does.”", "Jo Bloggs"),
    ("Jo Bloggs, Maine's governor, said Monday, “We are late.", "It never does.”", "Jo Bloggs"),
    ("The Herald reported Jo Bloggs saying, “We are late.", "It never does.”", "Jo Bloggs"),
    ("“We are late.", "It never does,” said The Herald's editor, Jo Bloggs.", None),
    # Not the speaker: the one spoken to, a date, a phrase of the sentence, a pronoun.
    ("He said he told Sam Smith, the pilot, “We are late.", "It never does.”", None),
    ("She claimed victory late on Tuesday saying: “We are late.", "It never does.”", None),
    ("Many criticised the board, with Jo Bloggs the most forceful, saying, “We are late.",
     "It never does.”", None),
    ("“We are late.", "It never does,” he said.", None),
    ("Sen. Jo Bloggs, saying at the time that it “is late.", "It never does.”", None),
    ("Then, the strangest remarks: “We are late.", "It never does.”", None),
])
def test_a_quotations_speaker_is_the_one_its_tag_names(first: str, last: str,
                                                       speaker: str | None) -> None:
    found = long_quotations([first, last], [0, 0])
    assert [(q.first, q.last, q.speaker) for q in found] == [(0, 1, speaker)]


def test_a_bare_pronouns_quotation_is_put_down_to_the_speaker_a_tag_named_just_before() -> None:
    before = ["Fares rose on Monday.", "Jo Bloggs, a pilot, said the board had not asked."]
    quotation = ["“We are late.", "It never does,” she said."]
    assert long_quotations([*before, *quotation], [0, 1, 2, 2])[0].speaker == "Jo Bloggs"
    # Nobody named by a tag just before, or only an institution, which "she" cannot stand for.
    assert long_quotations(["Fares rose.", *quotation], [0, 1, 1])[0].speaker is None
    board = ["The White House said on Monday that fares would rise.", *quotation]
    assert long_quotations(board, [0, 1, 1])[0].speaker is None
    far = ["Jo Bloggs said so.", "Fares rose.", "Boats were late.", *quotation]
    assert long_quotations(far, [0, 1, 2, 3, 3])[0].speaker is None


@pytest.mark.parametrize(("before", "speaker"), [
    # the nearest one named as a sentence's subject, a tag or not
    (["Jo Bloggs said fares would rise.", "Sam Smith disagreed."], "Sam Smith"),
    (["Jo Bloggs spoke first.", "He said the fares would rise."], "Jo Bloggs"),
    (["Previously, Mr. Bloggs had raised fares.", "Boats were late on Monday."],
     "Mr. Bloggs"),
    # one asking someone is not the one who answers; one asking aloud may go on
    (["When Sam Smith asked the pilot about it, Jo Bloggs was emphatic."], None),
    (["Megyn Bloggs asked on her show whether fares were fair."], "Megyn Bloggs"),
    # a lone surname the article gives someone in full elsewhere, not a common noun's
    (["Senator Jo McBride spoke first.", "McBride sounded wistful."], "McBride"),
    (["Fares rose.", "Boats were late."], None),
    # nobody else named as the one it is for: "she" may be them
    (["Pompeo had a quiz for Kelly."], None),
    # a date after the tag is no one's name
    (["“Fares rose,” she said June 23."], None),
    # the tag of a quotation before, never the words inside it
    (["“This is one moment.", "There has been a cycle,” Mayor Jo Bloggs said."], "Mayor Jo Bloggs"),
    (["“Sam Smith said the boats would be late.", "He was wrong,” Jo Bloggs said."], "Jo Bloggs"),
])
def test_a_bare_pronoun_takes_the_nearest_one_named(before: list[str], speaker: str | None
                                                     ) -> None:
    quotation = ["She continued, “We are late.", "It never does.”"]
    found = long_quotations([*before, *quotation], [0] * len(before) + [1, 1])
    assert [(q.first, q.last, q.speaker) for q in found][-1] == (len(before), len(before) + 1,
                                                               speaker)


def test_a_quotation_over_paragraphs_is_one_and_named_where_it_ends() -> None:
    texts = ["Jo Bloggs spoke.", "“Sam Smith said the boats would be late.", "He was wrong.",
             "“We are sorry.", "Truly,” she said.", "“We are late.", "We will be late again.",
             "“Sorry.”", "Boats ran."]
    found = long_quotations(texts, [0, 1, 1, 2, 2, 3, 3, 4, 4])
    # the second ends in a one-sentence paragraph of its own; the look-back reads no quotation
    assert [(q.first, q.last, q.speaker) for q in found] == [(1, 4, "Jo Bloggs"), (5, 7, None)]


@pytest.mark.parametrize(("texts", "speaker"), [
    # a quotation with no tag goes on quoting whoever the sentence before ends quoting
    (["“We grew up poor,” Jo Bloggs told the Daily News.", "“We both did.", "Truly.”"],
     "Jo Bloggs"),
    (["Jo Bloggs tweeted her frustration on Sunday.", "“We both did.", "Truly.”"], "Jo Bloggs"),
    (["“Why?” Jo Bloggs asked.", "“We both did.", "Truly.”"], "Jo Bloggs"),
    (["“Why?” The Herald reported Jo Bloggs saying.", "“We both did.", "Truly.”"], "Jo Bloggs"),
    (["Sen. Jo Bloggs spoke first.", "“Why not?” she said.", "“We both did.", "Truly.”"],
     "Sen. Jo Bloggs"),
    # …not a sentence that only calls for something, nor one quoting no one
    (["Jo Bloggs, a lawyer, called for an inquiry.", "“We both did.", "Truly.”"], None),
    (["Fares rose again.", "“We both did.", "Truly.”"], None),
    # a tag standing alone after it, not the next quotation's introduction
    (["Fares rose.", "“We both did.", "Truly.”", "Jo Bloggs tweeted on Thursday."], "Jo Bloggs"),
    (["Fares rose.", "“We both did.", "Truly.”", "Canada responded, saying: “No.”"], None),
    (["Fares rose.", "“We both did.", "Truly.”", "Jo Bloggs writes about ferries."], None),
    (["Fares rose.", "“We both did.", "Truly.”", "Jo Bloggs said the ferry was late."], None),
])
def test_an_untagged_quotation_is_put_down_to_the_one_it_goes_on_quoting(
        texts: list[str], speaker: str | None) -> None:
    first = next(i for i, t in enumerate(texts) if t == "“We both did.")
    found = long_quotations(texts, list(range(first)) + [first] * 2 + [first + 1] *
                            (len(texts) - first - 2))
    assert [(q.first, q.last, q.speaker) for q in found] == [(first, first + 1, speaker)]


def test_we_re_and_other_pronouns_name_no_one() -> None:
    texts = ["We're told that fares will rise.", "“We both did.", "Truly,” he said."]
    assert long_quotations(texts, [0, 1, 1])[0].speaker is None
