"""Transcripts: speaker labels, who is interviewing, and check-worthiness in context."""

from __future__ import annotations

import re

from parley.core.analysis.boilerplate import is_boilerplate
from parley.core.analysis.checkworthiness import (
    CONTEXT_FEATURES,
    checkworthiness,
    context_features,
    document_context,
    interviewer_share,
    model,
)
from parley.core.analysis.claims import find_claims
from parley.core.analysis.speakers import interviewers, speaker_name, speakers, split_label
from tests.analysis_support import EXAMPLE, TRANSCRIPT, analysed, parsed, sentences


def test_labels_are_split_from_what_is_said() -> None:
    assert split_label("SANDERS: We raised $27 each.") == ("SANDERS", "We raised $27 each.")
    assert split_label("MR. O'BRIEN: Thank you.") == ("MR. O'BRIEN", "Thank you.")
    assert split_label("THE FACTS: That's not true.") == ("THE FACTS", "That's not true.")
    assert split_label("Q: Why now?") == ("Q", "Why now?")
    # Not labels: mixed case, a clock time, a colon without words after it, a long run of capitals.
    for text in ("Update: the council voted.", "At 10:30 the vote began.", "NOTE:",
                 "THE FIVE MOST EXPENSIVE CITY PROJECTS: a list.", "Sales rose 6% last year."):
        assert split_label(text) == (None, text)


def test_a_label_carries_over_the_paragraphs_after_it() -> None:
    paragraphs = [0, 0, 1, 2, 2, 3]
    texts = ["Intro line.", "More intro.", "HOST: Why?", "GUEST: Because.", "Also this.",
             "It went on."]
    assert speakers(paragraphs, texts) == [None, None, "HOST", "GUEST", "GUEST", "GUEST"]
    # One label alone is a line of the article ("SEE ALSO: …"), not a transcript.
    texts[3] = "Because."
    assert speakers(paragraphs, texts) == [None] * 6


def test_a_broadcast_transcript_names_a_role_once_and_a_label_may_stand_alone() -> None:
    assert split_label("JO BLOGGS, HOST: Good evening.") == ("JO BLOGGS", "Good evening.")
    assert split_label("SAM SMITH, BYLINE:") == ("SAM SMITH", "")
    assert split_label("SAM SMITH, SENIOR ADVISER:") == (None, "SAM SMITH, SENIOR ADVISER:")
    paragraphs = [0, 1, 2, 3, 4]
    texts = ["JO BLOGGS, HOST:", "The ferry is late again.", "SAM SMITH, BYLINE: It is.",
             "BLOGGS: Why?", "SMITH: The tide."]
    # The label alone speaks the paragraph after it; a surname alone is the speaker named in
    # full before.
    assert speakers(paragraphs, texts) == ["JO BLOGGS", "JO BLOGGS", "SAM SMITH", "JO BLOGGS",
                                           "SAM SMITH"]


def test_the_speaker_who_mostly_asks_is_the_interviewer() -> None:
    who = ["HOST", "HOST", "GUEST", "GUEST", "GUEST", None]
    texts = ["Welcome.", "Why now?", "Costs rose.", "Rents too.", "Is that fair?", "Aside."]
    # GUEST asks one question in three: an interviewer only under a share below a third.
    assert interviewers(who, texts, 0.1) == {"HOST", "GUEST"}
    assert interviewers(who, texts, 0.4) == {"HOST"}
    # One labelled voice over a whole article is its author, never an interviewer.
    assert interviewers(["EDITOR", "EDITOR"], ["Why this?", "Because."], 0.1) == set()


def test_context_is_position_alone_in_an_article_with_one_voice() -> None:
    texts = sentences(EXAMPLE)
    contexts = document_context(texts, [None] * len(texts))
    assert not any("c:interviewer" in c for c in contexts)
    positions = [c["c:position"] for c in contexts]
    assert positions[0] == -0.5 and positions == sorted(positions) and positions[-1] < 0.5


def test_context_weights_are_trained_and_applied() -> None:
    _, weights = model()
    assert set(CONTEXT_FEATURES) <= set(weights) and 0 < interviewer_share() < 1
    claim = "Ridership rose from 9.2 million trips in 2022 to 11.6 million trips last year."
    alone = checkworthiness(claim)
    asked = checkworthiness(claim, context=context_features(10, 20, interviewer=True))
    answered = checkworthiness(claim, context=context_features(10, 20))
    # The CLEF fact-checkers almost never picked a moderator's line: the model learned as much.
    assert asked < answered == alone


def test_the_interviewers_claims_rank_below_the_answers() -> None:
    texts = sentences(TRANSCRIPT)
    paragraphs = [s.paragraph for sec in parsed(TRANSCRIPT).sections for s in sec.sentences]
    who = speakers(paragraphs, texts)
    assert interviewers(who, texts, interviewer_share()) == {"HOST"}
    published = parsed(TRANSCRIPT).published

    def ranks(speaker_of: list[str | None] | None) -> dict[int, int]:
        claims = sorted(find_claims(texts, published, None, speaker_of), key=lambda c: -c.score)
        return {c.sentence: rank for rank, c in enumerate(claims)}

    heard, unheard = ranks(who), ranks(None)
    assert heard.keys() == unheard.keys()  # who speaks changes the order, not what is a claim
    by_host = [i for i in heard if who[i] == "HOST"]
    # The host states figures ("0.4 percent", "$14 million"): still claims, but each ranks lower
    # once the host is known to be asking, and the top of the list is the mayor's.
    assert len(by_host) >= 2 and all(heard[i] > unheard[i] for i in by_host)
    assert all(who[i] == "MAYOR OKAFOR" for i, rank in heard.items() if rank < 4)
    # The label stays in the text shown but is not read as an entity of the claim.
    claims = analysed(TRANSCRIPT).claims
    assert any(c.text.startswith("MAYOR OKAFOR: ") for c in claims)
    assert not any("HOST" in c.entities or "MAYOR OKAFOR" in c.entities for c in claims)


def test_a_transcript_summary_names_who_says_each_point() -> None:
    summary = analysed(TRANSCRIPT).summary
    points = [*summary.short, *summary.bullets, *(p for s in summary.detailed for p in s)]
    assert len(summary.bullets) == 5
    assert all(p.attributed and p.text.startswith(("Host: ", "Mayor Okafor: ")) for p in points)
    # No greeting or thanks, no bare answer ("Because …") without its question, no raw label.
    for p in points:
        assert not re.search(r"thank|good morning|: Because|HOST|OKAFOR:", p.text), p.text
    assert any(p.text.startswith("Mayor Okafor: Ridership rose") for p in summary.bullets)


def test_speaker_names_read_as_names() -> None:
    assert speaker_name("MR. O'BRIEN") == "Mr. O'Brien"
    assert speaker_name("MAYOR OKAFOR") == "Mayor Okafor"
    assert speaker_name("Q") == "The interviewer" and speaker_name("A") == "The interviewee"


def test_greetings_and_thanks_are_furniture_but_figures_are_not() -> None:
    for text in ("Good morning, and welcome to City Desk.", "Thank you for having me.",
                 "Mayor Okafor, thank you for coming in.", "Hello, everyone.",
                 "SEE ALSO: John Bolton takes Trump treaty threat directly to Putin"):
        assert is_boilerplate(text), text
    for text in ("Thanks to the new law, 40,000 people got insurance.",
                 "Welcome to the new normal, where prices rise 5% a year.",
                 "Thank you, he said, and the crowd cheered the mayor who had won by a mile."):
        assert not is_boilerplate(text), text


def test_a_written_q_and_a_is_an_explainer_in_the_articles_voice() -> None:
    from parley.core.analysis.article import analyse
    from parley.core.analysis.lexicon import load_lexicon
    from parley.core.analysis.speakers import written_qa
    from parley.core.ingest.plaintext import parse_plain_text

    explainer = "\n\n".join([
        "The ferry fare rise and what it means",
        "Harbor City's ferry fares rise by a third on Monday, the first rise in nine years.",
        "Q: WHY ARE FARES RISING?",
        "A: The route lost $2.1 million last year, and the council voted to cover more of the "
        "running cost from fares.",
        "Q: WHO PAYS MORE?",
        "A: Daily riders pay about $30 more a month, while students and pensioners keep their "
        "half fares.",
    ]) + "\n"
    analysis = analyse(parse_plain_text(explainer), load_lexicon())
    assert analysis.kind == "explainer"
    points = [item.text for section in analysis.summary.detailed for item in section]
    assert any(p.startswith("The route lost $2.1 million") for p in points)
    assert not any("interviewee" in p.lower() or p.startswith("A:") for p in points)
    # Answers in the first person are someone's own: an interview.
    interview = explainer.replace("A: The route lost", "A: I think the route lost").replace(
        "A: Daily riders pay", "A: My view is that daily riders pay")
    said = [s.text for sec in parse_plain_text(interview).sections for s in sec.sentences]
    labels = [split_label(t)[0] for t in said]
    who = speakers(list(range(len(said))), said)
    assert set(labels) - {None} == {"Q", "A"} and not written_qa(who, said)
    assert analyse(parse_plain_text(interview), load_lexicon()).kind == "interview"
