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
from bench.coverage_ceiling import (
    _draw,
    nearest,
    report_samples,
    same_topic_near,
    sample_rows,
    seed_size,
    short,
    summary,
    tally,
    wilson,
)
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


def test_a_later_sample_leaves_out_the_earlier_ones_and_is_the_same_each_time() -> None:
    pool: list[dict[str, Any]] = [{"id": f"r{k}"} for k in range(60)]
    first = {r["id"] for r in _draw(pool, 2033, 25, [])}
    second = _draw(pool, 2035, 25, [(2033, 25)])
    third = _draw(pool, 2036, 25, [(2033, 25), (2035, 25)])
    ids2, ids3 = {r["id"] for r in second}, {r["id"] for r in third}
    assert len(first) == len(ids2) == 25 and len(ids3) == 10  # only ten were left
    assert not first & ids2 and not first & ids3 and not ids2 & ids3
    assert second == _draw(pool, 2035, 25, [(2033, 25)])
    # an exclusion is of the sample as it was drawn: 2035 without 2033 left out is another one
    assert {r["id"] for r in _draw(pool, 2035, 25, [])} != ids2
    assert seed_size("2033:25") == (2033, 25)


def test_the_wilson_interval_is_the_score_interval() -> None:
    low, high = wilson(10, 25)  # the thirteenth session's ceiling, 23–59 %
    assert (round(low, 3), round(high, 3)) == (0.234, 0.593)
    p, n, z = 10 / 25, 25, 1.959964
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * (p * (1 - p) / n + z * z / (4 * n * n)) ** 0.5
    assert low == pytest.approx(centre - half, abs=1e-6)
    assert high == pytest.approx(centre + half, abs=1e-6)
    assert wilson(0, 0) == (0.0, 1.0)


def entry(judged: str, on_point: bool | str | None, passages: tuple[int, int, int]
          ) -> dict[str, Any]:
    return {"judged": judged, "parley_on_point": on_point, "parley_passages": passages[0],
            "parley_passages_on_point": passages[1], "parley_passages_borderline": passages[2]}


def test_the_summary_counts_the_ceiling_what_is_found_and_the_precision() -> None:
    first = [entry("yes", True, (2, 2, 0)), entry("yes", None, (0, 0, 0)),
             entry("borderline", None, (0, 0, 0)), entry("none", False, (1, 0, 0))]
    second = [entry("yes", "borderline", (3, 1, 1)), entry("none", None, (0, 0, 0))]
    judged = {"seed": 2033, "entries": first, "report_2035": {"seed": 2035, "entries": second},
              "tune_half": {"seed": 2034, "entries": [entry("yes", True, (1, 1, 0))]}}
    assert list(report_samples(judged)) == ["report_2033", "report_2035"]
    got = summary(judged)
    assert list(got) == ["report_2033", "report_2035", "report_pooled", "tune_2034"]
    one = got["report_2033"]
    assert (one["ceiling"]["k"], one["ceiling"]["n"]) == (2, 4)
    assert (one["ceiling_with_borderline"]["k"], one["ceiling_borderline"]) == (3, 1)
    assert (one["found"]["k"], one["found"]["n"]) == (1, 2)  # a miss on a "none" is no find
    assert (one["precision"]["k"], one["precision"]["n"]) == (2, 3)
    pooled = got["report_pooled"]
    assert pooled == tally(first + second)
    assert (pooled["ceiling"]["k"], pooled["ceiling"]["n"]) == (3, 6)
    assert (pooled["found"]["k"], pooled["found"]["n"]) == (1, 3)  # borderline is no find
    assert (pooled["precision"]["k"], pooled["precision"]["n"]) == (3, 6)
    assert pooled["precision_with_borderline"]["k"] == 4
    assert pooled["articles_offered_on_point_section"] == 3
    assert pooled["ceiling"]["share"] == 0.5
    assert pooled["ceiling"]["wilson95"] == [round(x, 3) for x in wilson(3, 6)]


def judged_parts() -> list[str]:
    whole = json.loads(JUDGED.read_text(encoding="utf-8"))
    return [*report_samples(whole), "tune"]


@pytest.mark.skipif(not coverage.TOPICS.exists(), reason="needs ../shared/eval beside the checkout")
@pytest.mark.parametrize("part", judged_parts())
def test_the_judgements_are_of_the_seeded_sample_and_add_up(part: str) -> None:
    whole = json.loads(JUDGED.read_text(encoding="utf-8"))
    judged = whole["tune_half"] if part == "tune" else report_samples(whole)[part]
    assert judged["half"] == ("tune" if part == "tune" else "report")
    exclude = [tuple(x) for x in judged.get("exclude", [])]
    drawn = sample_rows(judged["half"], judged["seed"], judged["sample"], exclude)
    entries = judged["entries"]
    assert sorted(e["corpus_id"] for e in entries) == sorted(r["id"] for r in drawn)
    tune, report = coverage.halves(coverage.corpus())
    assert all(e["topic"] in (tune if part == "tune" else report) for e in entries)
    summary = judged["summary"]
    assert summary["ceiling_yes"] == sum(e["judged"] == "yes" for e in entries)
    assert summary["ceiling_borderline"] == sum(e["judged"] == "borderline" for e in entries)
    assert summary["parley_on_point_among_yes"] == sum(
        e["judged"] == "yes" and e["parley_on_point"] is True for e in entries)
    assert all(("passage" in e) == (e["judged"] != "none") for e in entries)
    assert all((e["parley_passages"] > 0) == (e["parley_offers"] == "on point")
               and e["parley_passages_on_point"] + e["parley_passages_borderline"]
               <= e["parley_passages"] for e in entries)


@pytest.mark.skipif(not coverage.TOPICS.exists(), reason="needs ../shared/eval beside the checkout")
def test_the_report_samples_are_disjoint() -> None:
    whole = json.loads(JUDGED.read_text(encoding="utf-8"))
    seen: set[str] = set()
    for judged in report_samples(whole).values():
        ids = {e["corpus_id"] for e in judged["entries"]}
        assert not ids & seen
        seen |= ids
    first = {r["id"] for r in sample_rows("report", 2033, 25)}
    later = {r["id"] for r in sample_rows("report", 2035, 25, [(2033, 25)])}
    assert len(later) == 25 and not first & later
