"""The typo search by word length against comparing every word of the article, on SQuAD v1.1 dev.

Each Wikipedia article of SQuAD v1.1 dev (CC BY-SA 4.0, read from ``$SQUAD_DEV``, never copied
into the project) is one article index, as ``bench.squad`` builds it. The words looked up are the
ones ``/fact`` would try to fix: its own questions' words of five letters or more that the
article never uses, plus one seeded misspelling (an edit, two for long words) of each of its
questions' long words, so that fixes are found as well as missed. For every word, Parley's
search (the vocabulary's words within the edit limit in length, ``parley.core.search.query``)
and the reference kept here (the search as it was: every word of the vocabulary) must give the
same fix; a sample of questions, misspelt and not, is ranked both ways and the rankings compared.
CPU per word is timed in alternating rounds.

    SQUAD_DEV=path/to/dev-v1.1.json python -m bench.typo_search [--rounds N] [--ranked N]
"""

from __future__ import annotations

import argparse
import json
import random
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein

from bench import squad
from parley.core.analysis.tokens import words
from parley.core.search import query as query_module
from parley.core.search.lookup import ArticleIndex, build_index, question_query, rank
from parley.core.search.query import MIN_TYPO_LENGTH, WordsByLength, by_length, typo_limit

Correct = Callable[[str, frozenset[str]], str | None]
LETTERS = "abcdefghijklmnopqrstuvwxyz"


def every_word(word: str, vocabulary: frozenset[str]) -> str | None:
    """The reference: the typo search over every word of the vocabulary (Parley's before)."""
    if len(word) < MIN_TYPO_LENGTH or word in vocabulary or not word.isalpha():
        return None
    limit = typo_limit(word)
    found = process.extract(word, vocabulary, scorer=Levenshtein.distance,
                            score_cutoff=limit, limit=None)
    return min(found, key=lambda f: (f[1], f[0]))[0] if found else None


def misspelt(word: str, rng: random.Random) -> str:
    """The word with its edit limit's worth of random edits (insert, delete, substitute)."""
    for _ in range(typo_limit(word)):
        i = rng.randrange(len(word))
        kind = rng.choice(["insert", "delete", "substitute"])
        if kind == "insert":
            word = word[:i] + rng.choice(LETTERS) + word[i:]
        elif kind == "delete":
            word = word[:i] + word[i + 1:]
        else:
            word = word[:i] + rng.choice(LETTERS) + word[i + 1:]
    return word


def misspell_question(text: str, rng: random.Random) -> str:
    return " ".join(misspelt(w, rng) if len(w) >= 7 and w.isalpha() and rng.random() < 0.5
                    else w for w in text.split())


def _words_to_fix(article: squad.Article, vocabulary: frozenset[str], rng: random.Random
                  ) -> list[str]:
    asked = [w for q in article.questions for w in words(q.text)]
    candidates = [w for w in asked if len(w) >= MIN_TYPO_LENGTH and w.isalpha()]
    unknown = [w for w in candidates if w not in vocabulary]
    typos = [misspelt(w, rng) for w in candidates if w in vocabulary]
    return [w for w in unknown + typos
            if len(w) >= MIN_TYPO_LENGTH and w.isalpha() and w not in vocabulary]


def _reference(vocabulary: frozenset[str], word: str) -> str | None:
    return every_word(word, vocabulary)


def _parleys(vocabulary: frozenset[str], lengths: WordsByLength, word: str) -> str | None:
    return query_module._correct(word, vocabulary, lengths)


def _cpu_per_word(search: Callable[[str], str | None], asked: list[str]) -> float:
    start = time.process_time()
    for w in asked:
        search(w)
    return time.process_time() - start


def _ranked(index: ArticleIndex, question: str, within: tuple[int, ...],
            reference: Correct | None = None) -> list[tuple[str, float]]:
    """The question's hits (ids and scores) as ``/fact`` ranks them, or with the typo search
    ``reference`` in place of Parley's own (the index's memo of fixes emptied either way)."""
    kept = query_module._correct
    if reference is not None:
        query_module._correct = lambda w, v, lengths=None: reference(w, v)  # type: ignore[assignment]
    try:
        index.corrections.clear()
        _, hits = rank(index, question, within=within, query=question_query(index, question))
    finally:
        query_module._correct = kept
        index.corrections.clear()
    return [(h.id, h.score) for h in hits]


def run(rounds: int = 5, ranked: int = 300, seed: int = 22) -> dict[str, Any] | None:
    if not squad.available():
        return None
    rng = random.Random(seed)
    sets = []
    for article in squad.articles():
        vocabulary = frozenset(w for t in article.sentences for w in words(t))
        sets.append((article, vocabulary, by_length(vocabulary),
                     _words_to_fix(article, vocabulary, rng)))
    differing = fixed = looked_up = 0
    for _, vocabulary, lengths, asked in sets:
        for w in asked:
            found = query_module._correct(w, vocabulary, lengths)
            differing += found != every_word(w, vocabulary)
            fixed += found is not None
            looked_up += 1
    ratios: list[float] = []
    old_us: list[float] = []
    new_us: list[float] = []
    for _ in range(rounds):
        old = new = 0.0
        for _, vocabulary, lengths, asked in sets:
            old += _cpu_per_word(partial(_reference, vocabulary), asked)
            new += _cpu_per_word(partial(_parleys, vocabulary, lengths), asked)
        ratios.append(new / old)
        old_us.append(1e6 * old / looked_up)
        new_us.append(1e6 * new / looked_up)
    # the final rankings of a sample of questions, as asked and misspelt
    sample = [(a, q) for a, _, _, _ in sets for q in a.questions]
    random.Random(seed).shuffle(sample)
    rankings_differing = compared = 0
    indexes: dict[str, ArticleIndex] = {}
    for article, q in sample[:ranked]:
        if article.title not in indexes:
            indexes[article.title] = build_index(
                [(f"s{i}", 0, t) for i, t in enumerate(article.sentences)])
        index = indexes[article.title]
        for text in (q.text, misspell_question(q.text, rng)):
            reference = _ranked(index, text, q.positions, every_word)
            rankings_differing += _ranked(index, text, q.positions) != reference
            compared += 1
    return {"articles": len(sets), "words looked up": looked_up, "words fixed": fixed,
            "differing fixes": differing,
            "CPU µs per word, every word (reference)": [round(min(old_us), 1),
                                                        round(max(old_us), 1)],
            "CPU µs per word, by length": [round(min(new_us), 1), round(max(new_us), 1)],
            "CPU ratio by length / every word, per round": [round(min(ratios), 3),
                                                            round(max(ratios), 3)],
            "rounds": rounds, "questions ranked (as asked and misspelt)": compared,
            "differing rankings": rankings_differing}


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.typo_search")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--ranked", type=int, default=300, help="questions ranked both ways")
    arguments = parser.parse_args()
    result = run(arguments.rounds, arguments.ranked)
    if result is None:
        print("SQuAD v1.1 dev not found: set SQUAD_DEV (skipped)")
        return
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
