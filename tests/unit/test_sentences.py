"""Sentence segmentation edge cases: abbreviations, initials, decimals, money, quotes, dashes."""

from __future__ import annotations

import pytest

from parley.core.analysis.sentences import split_paragraphs, split_sentences


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("U.S. investment in Peru topped $6.6 billion. Trade hit $20.5 billion.",
         ["U.S. investment in Peru topped $6.6 billion.", "Trade hit $20.5 billion."]),
        ("He met Dr. Smith on Jan. 5 in Lima. It went well.",
         ["He met Dr. Smith on Jan. 5 in Lima.", "It went well."]),
        ("Growth is stuck at 2%. Gangs exploit it.",
         ["Growth is stuck at 2%.", "Gangs exploit it."]),
        ("The deal was signed in the U.S. The ministers then left.",
         ["The deal was signed in the U.S.", "The ministers then left."]),
        ("The U.S. Census Bureau said so. Really?", ["The U.S. Census Bureau said so.", "Really?"]),
        ("She said, “We will win.” Then she left!", ["She said, “We will win.”", "Then she left!"]),
        ('He said "No." Then he sat down.', ['He said "No."', "Then he sat down."]),
        ("Prices rose 3.5% in 2023 — the most since 1990. Wages did not.",
         ["Prices rose 3.5% in 2023 — the most since 1990.", "Wages did not."]),
        ("J. R. Tolkien wrote it. Fine... and then it ended.",
         ["J. R. Tolkien wrote it.", "Fine... and then it ended."]),
        ("Is it true? Yes! It is.", ["Is it true?", "Yes!", "It is."]),
        ("It cost $1.5 million (about €1.4 million). Few noticed.",
         ["It cost $1.5 million (about €1.4 million).", "Few noticed."]),
        ("Acme Inc. said profits rose. Shares fell.",
         ["Acme Inc. said profits rose.", "Shares fell."]),
        ("The vote was 7 to 2. 41,000 cars use it daily.",
         ["The vote was 7 to 2.", "41,000 cars use it daily."]),
        ("no capital after this. so it stays one sentence",
         ["no capital after this. so it stays one sentence"]),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_whitespace_is_normalised_and_empty_gives_nothing() -> None:
    assert split_sentences("  One.\n  Two  words.  ") == ["One.", "Two words."]
    assert split_sentences("   \n ") == []


def test_paragraphs_join_wrapped_lines() -> None:
    assert split_paragraphs("a b\nc\n\n\n d e \r\n\r\nf") == ["a b c", "d e", "f"]
