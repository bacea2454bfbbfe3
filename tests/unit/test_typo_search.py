"""The typo search by word length finds the same fixes as comparing every word of the article."""

from __future__ import annotations

import random

from rapidfuzz.distance import Levenshtein

from parley.core.search.query import (
    MIN_TYPO_LENGTH,
    _correct,
    build_query,
    by_length,
    typo_limit,
)


def brute_force(word: str, vocabulary: frozenset[str]) -> str | None:
    """Every word of the vocabulary compared: the nearest within the limit, ties by the word."""
    if len(word) < MIN_TYPO_LENGTH or word in vocabulary or not word.isalpha():
        return None
    limit = typo_limit(word)
    found = [(d, w) for w in vocabulary if (d := Levenshtein.distance(word, w)) <= limit]
    return min(found)[1] if found else None


def _mutated(word: str, rng: random.Random, letters: str) -> str:
    for _ in range(rng.randint(1, 3)):
        i = rng.randrange(len(word) + 1)
        kind = rng.choice(["insert", "delete", "substitute", "transpose"])
        if kind == "insert":
            word = word[:i] + rng.choice(letters) + word[i:]
        elif kind == "delete" and len(word) > 1 and i < len(word):
            word = word[:i] + word[i + 1:]
        elif kind == "substitute" and i < len(word):
            word = word[:i] + rng.choice(letters) + word[i + 1:]
        elif i + 1 < len(word):
            word = word[:i] + word[i + 1] + word[i] + word[i + 2:]
    return word


def test_by_length_groups_every_word_once_by_its_length() -> None:
    vocabulary = frozenset({"a", "bb", "cc", "dddd", "2024", "élan"})
    groups = by_length(vocabulary)
    assert groups == {1: ("a",), 2: ("bb", "cc"), 4: ("2024", "dddd", "élan")}


def test_the_same_fixes_as_brute_force_over_words_of_many_lengths() -> None:
    rng = random.Random(22)
    letters = "abcdeor"  # few letters: many words lie within an edit or two of each other
    vocabulary = frozenset("".join(rng.choice(letters) for _ in range(rng.randint(1, 14)))
                           for _ in range(1500)) | {"2024", "co-op", "naïve"}
    lengths = by_length(vocabulary)
    asked = [_mutated(rng.choice(sorted(vocabulary)), rng, letters) for _ in range(3000)]
    fixed = 0
    for word in asked:
        expected = brute_force(word, vocabulary)
        assert _correct(word, vocabulary, lengths) == expected, word
        assert _correct(word, vocabulary) == expected, word  # lengths made on the spot
        fixed += expected is not None
    assert fixed > 500  # the search found fixes, at the edit limit's edges too


def test_edge_cases_short_words_limits_and_transpositions() -> None:
    vocabulary = frozenset({"trade", "trades", "tariffs", "minister", "ministers", "year",
                            "near", "2024"})
    lengths = by_length(vocabulary)
    cases = {
        "nera": None,  # shorter than MIN_TYPO_LENGTH: never fixed
        "trade": None,  # the article's own word
        "trdae": None,  # a transposition is two edits, and a 5-letter word may differ by one
        "tradez": "trade",  # one edit at 6 letters; "trades" is one edit too: ties by word
        "tariffz": "tariffs",
        "tarfifs": "tariffs",  # a transposition in a long word: two edits, within its limit
        "ministr": "minister",  # one shorter
        "ministerss": "ministers",  # one longer, at 10 letters
        "mnstr": None,  # three edits from "minister"
        "mini5ter": None,  # not all letters
    }
    for word, fix in cases.items():
        assert brute_force(word, vocabulary) == fix, word
        assert _correct(word, vocabulary, lengths) == fix, word


def test_a_question_gets_the_same_query_with_the_index_lengths() -> None:
    vocabulary = frozenset("the ministers agreed on tariffs and trade quotas in 2024".split())
    question = "what did the ministres say about tarrifs and quottas"
    with_lengths = build_query(question, vocabulary, lengths=by_length(vocabulary))
    assert with_lengths == build_query(question, vocabulary)
    assert dict(with_lengths.fixes) == {"ministres": "ministers", "tarrifs": "tariffs",
                                        "quottas": "quotas"}
