"""The on-point ceiling bench (bench/coverage_ceiling.py): it picks the labelled same-topic
articles of other outlets within the window, ranks every passage by the point score with no bar,
and its hand judgements are of the seeded report-half sample it prints."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from bench import coverage
from bench.coverage_ceiling import nearest, same_topic_near, sample_rows, short
from parley.core.coverage.profile import Passage, Profile

JUDGED = Path(__file__).parents[2] / "bench" / "coverage_ceiling_judged.json"


def passage(position: int, stems: tuple[str, ...]) -> Passage:
    return Passage(position=position, sentence=f"a#s0.{position}", stems=stems, entities=(),
                   figures=(), disputes=False, negated=False)


def profile(passages: tuple[Passage, ...], vectors: list[list[float]]) -> Profile:
    rows = np.array(vectors, dtype=np.float32)
    return Profile(outlet="x", terms={}, entities=(), published=None,
                   points=(passages[0].position,), passages=passages,
                   vector=np.zeros((1, 2), dtype=np.float32), passage_vectors=rows,
                   encodings=rows)


def test_every_passage_is_ranked_by_the_point_score_with_no_bar() -> None:
    words = ("tariff", "steel", "canada", "quota", "vote")
    a = profile((passage(0, words),), [[1.0, 0.0]])
    b = profile((passage(0, ("weather",)),                       # nothing shared, cosine 0
                 passage(1, ("tariff", "steel", "canada", "quota", "vote")),  # all shared
                 passage(2, ("tariff",)),                         # little shared, same meaning
                 passage(3, ("steel", "canada"))),
                [[0.0, 1.0], [0.6, 0.8], [1.0, 0.0], [0.0, 1.0]])
    weights = dict.fromkeys(words, 1.0)
    got = nearest(a, b, weights, 0, top=3)
    assert [j for _, _, j, _ in got] == [1, 2, 3]
    assert got[0][0] == pytest.approx(0.5 * 1.0 + 0.5 * 0.6, abs=1e-3)
    assert got[1][0] == pytest.approx(0.5 * 0.2 + 0.5 * 1.0, abs=1e-3)
    # the checks: enough specific weight shared and a claim of its own (five stems)
    assert [checks for *_, checks in got] == [True, False, False]
    assert len(nearest(a, b, weights, 0, top=10)) == 4  # even the one sharing nothing


def test_only_other_outlets_same_topic_dated_within_the_window() -> None:
    row: dict[str, Any] = {"id": "a", "topic": "trade", "outlet": "Reuters", "date": "2019-05-10"}
    rows: list[dict[str, Any]] = [row,
            {"id": "b", "topic": "trade", "outlet": "CNN", "date": "2019-06-10"},     # 31 days
            {"id": "c", "topic": "trade", "outlet": "CNN", "date": "2019-06-11"},     # 32 days
            {"id": "d", "topic": "trade", "outlet": "REUTERS", "date": "2019-05-11"},  # own
            {"id": "e", "topic": "guns", "outlet": "CNN", "date": "2019-05-11"},
            {"id": "f", "topic": "trade", "outlet": "Fox", "date": None}]
    assert [r["id"] for r in same_topic_near(row, rows)] == ["b"]


def test_sentences_are_shortened_on_one_line() -> None:
    text = "A point\nacross lines " + "word " * 60
    got = short(text, 40)
    assert "\n" not in got and len(got) <= 40 and got.endswith("…")


@pytest.mark.skipif(not coverage.TOPICS.exists(), reason="needs ../shared/eval beside the checkout")
@pytest.mark.parametrize("part", ["report", "tune"])
def test_the_judgements_are_of_the_seeded_sample_and_add_up(part: str) -> None:
    whole = json.loads(JUDGED.read_text(encoding="utf-8"))
    judged = whole if part == "report" else whole["tune_half"]
    assert judged["half"] == part
    drawn = sample_rows(judged["half"], judged["seed"], judged["sample"])
    entries = judged["entries"]
    assert sorted(e["corpus_id"] for e in entries) == sorted(r["id"] for r in drawn)
    tune, report = coverage.halves(coverage.corpus())
    assert all(e["topic"] in (report if part == "report" else tune) for e in entries)
    summary = judged["summary"]
    assert summary["ceiling_yes"] == sum(e["judged"] == "yes" for e in entries)
    assert summary["ceiling_borderline"] == sum(e["judged"] == "borderline" for e in entries)
    assert summary["parley_on_point_among_yes"] == sum(
        e["judged"] == "yes" and e["parley_on_point"] is True for e in entries)
    assert all(("passage" in e) == (e["judged"] != "none") for e in entries)
