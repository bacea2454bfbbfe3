"""Figures and entities: values, units, currencies, scales and the year a figure refers to."""

from __future__ import annotations

from datetime import date

import pytest

from parley.core.analysis.entities import extract_entities
from parley.core.analysis.figures import extract_figures
from parley.core.analysis.tokens import stem

PUBLISHED = date(2025, 4, 8)


def one(text: str, kind: str) -> dict[str, object]:
    found = [f.model_dump(exclude_none=True) for f in extract_figures(text, PUBLISHED)
             if f.kind == kind]
    assert len(found) == 1, found
    return found[0]


def test_money_with_scale_and_relative_year() -> None:
    f = one("Bilateral trade hit $20.5 billion last year, with exports of copper.", "money")
    assert (f["value"], f["currency"], f["scale"], f["year"]) == (20.5e9, "USD", 1e9, 2024)


def test_count_with_unit_qualifier_and_explicit_year() -> None:
    f = one("The pact is driving over 1.1 million jobs in 2023 alone.", "count")
    assert (f["value"], f["unit"], f["qualifier"], f["year"]) == (1.1e6, "jobs", "over", 2023)


@pytest.mark.parametrize(
    ("text", "kind", "expected"),
    [
        ("Growth is stuck at 2%.", "percent", {"value": 2.0, "unit": "percent"}),
        ("Support fell to 40 percent in 2019.", "percent", {"value": 40.0, "year": 2019}),
        ("It cost €1.4 million.", "money", {"value": 1.4e6, "currency": "EUR"}),
        ("They raised 300 million dollars.", "money", {"value": 3e8, "currency": "USD"}),
        ("About 41,000 vehicles a day use it.", "count",
         {"value": 41000.0, "unit": "vehicles", "qualifier": "about"}),
        ("Officials counted two million people.", "count", {"value": 2e6, "unit": "people"}),
        ("They met on April 7, 2025, in Washington.", "date", {"value": 20250407.0, "year": 2025}),
        ("The talks ended on 3 March.", "date", {"value": 20250303.0}),
        ("The US recognized Peru in 1826.", "year", {"value": 1826.0}),
        ("Next year it will reach $5bn.", "money", {"value": 5e9, "year": 2026}),
        ("More than a million riders used it.", "count",
         {"value": 1e6, "unit": "riders", "qualifier": "more than"}),
        ("The pier cost a billion dollars.", "money", {"value": 1e9, "currency": "USD"}),
    ],
)
def test_normalised_figures(text: str, kind: str, expected: dict[str, object]) -> None:
    f = one(text, kind)
    assert {k: f.get(k) for k in expected} == expected


def test_year_of_a_figure_stops_at_a_clause_boundary() -> None:
    figures = extract_figures("The 1962 span, which carries about 41,000 vehicles a day.")
    assert [f.year for f in figures if f.kind == "count"] == [None]


@pytest.mark.parametrize("text", ["This is a one-off meeting.", "It was one of the best.",
                                  "Some people, none of them experts, spoke.",
                                  "She is a millionaire.", "They sold a million-dollar home."])
def test_number_words_without_a_unit_are_not_figures(text: str) -> None:
    assert extract_figures(text) == []


def test_entities() -> None:
    assert extract_entities("Deputy Secretary of State Christopher Landau’s meeting with Peruvian "
                            "Foreign Minister Elmer Schialer ended.") == [
        "Deputy Secretary of State Christopher Landau", "Peruvian Foreign Minister Elmer Schialer"]
    assert extract_entities("Troops went to Chile, Bolivia, and Ecuador.") == [
        "Chile", "Bolivia", "Ecuador"]
    assert extract_entities("The U.S.-Peru Trade Promotion Agreement turned 15.") == [
        "U.S.-Peru Trade Promotion Agreement"]
    assert extract_entities("The Los Angeles Declaration on Migration and Protection holds.") == [
        "Los Angeles Declaration on Migration and Protection"]
    assert extract_entities("Contrast that with them.", known={"Peru"}) == []
    assert extract_entities("Peru acted in April.", known={"Peru"}) == ["Peru"]


@pytest.mark.parametrize(("text", "value", "unit"), [
    ("The judge called her 30-month prison term fair.", 30.0, "month"),
    ("A three-day strike closed the pier.", 3.0, "day"),
    ("The pilot, a 58-year-old from Eastport, retired.", 58.0, "year"),
])
def test_a_unit_joined_by_a_hyphen_is_the_figures_unit(text: str, value: float, unit: str) -> None:
    f = one(text, "count")
    assert (f["value"], f["unit"]) == (value, unit)


def test_found_is_the_past_of_find_not_founded() -> None:
    assert stem("found") == stem("find") != stem("founded")
