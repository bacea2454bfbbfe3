"""Figures in a sentence, normalised: ``$20.5 billion last year`` → 20.5e9 USD in 2024."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel

FigureKind = Literal["money", "percent", "count", "year", "date"]

NUMBER_WORDS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "dozen": 12, "half": 0.5,
}
SCALES = {"thousand": 1e3, "k": 1e3, "million": 1e6, "mn": 1e6, "m": 1e6, "billion": 1e9,
          "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12}
CURRENCIES = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR", "£": "GBP",
              "gbp": "GBP", "s/": "PEN", "s/.": "PEN", "¥": "CNY",
              "dollars": "USD", "dollar": "USD", "euros": "EUR", "pounds": "GBP", "soles": "PEN",
              "yuan": "CNY", "pesos": "MXN"}
QUALIFIERS = ("more than", "less than", "fewer than", "at least", "up to", "as many as",
              "nearly", "almost", "about", "around", "roughly", "over", "under", "some",
              "approximately", "topped", "exceeded", "above", "below")
MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], start=1)}
MONTH_ABBR = {k[:3]: v for k, v in MONTHS.items()} | {"sept": 9}

_NUM = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?"
_WORDNUM = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
# "a million", "an estimated" not: the article counts only before a scale word ("a million
# Muslims", "a billion dollars").
_A_SCALE = r"\ban?(?=\s+(?:thousand|million|billion|trillion)\b(?!-))"
_SCALE = r"(?:thousand|million|billion|trillion|bn|mn|tn|[kmb])\b"
_MONTH = r"(?:" + "|".join(list(MONTHS) + [m + r"\.?" for m in MONTH_ABBR]) + r")"

_DATE = re.compile(rf"\b(?P<month>{_MONTH})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
                   rf"(?:,?\s+(?P<year>\d{{4}}))?\b"
                   rf"|\b(?P<day2>\d{{1,2}})\s+(?P<month2>{_MONTH})(?:,?\s+(?P<year2>\d{{4}}))?\b"
                   rf"|\b(?P<month3>{_MONTH})\s+(?P<year3>\d{{4}})\b"
                   rf"|\b(?:in|by|until|since|from|during|before|after|early|late)\s+"
                   rf"(?P<month4>(?:January|February|March|April|May|June|July|August|September|"
                   rf"October|November|December))\b(?!\s+\d)", re.I)
_MONEY = re.compile(
    rf"(?P<cur>US\$|\$|€|£|¥|S/\.?)\s?(?P<num>{_NUM})(?:\s*(?P<scale>{_SCALE}))?"
    rf"|(?:\b(?P<num2>{_NUM}|{_WORDNUM})|(?P<a2>{_A_SCALE}))(?:\s+(?P<scale2>{_SCALE}))?\s+"
    rf"(?P<cur2>dollars|dollar|euros|pounds|soles|yuan|pesos)\b", re.I)
_PERCENT = re.compile(rf"\b(?P<num>{_NUM}|{_WORDNUM})\s*"
                      r"(?:%|percent\b|per cent\b|percentage points?\b)", re.I)
_COUNT = re.compile(rf"(?:\b(?P<num>{_NUM}|{_WORDNUM})\b|(?P<num_a>{_A_SCALE}))"
                    rf"(?:\s+(?P<scale>{_SCALE}))?"
                    r"(?:\s+(?P<unit>[A-Za-z][a-z-]+))?", re.I)
# Whatever money, a percentage or a count needs: a digit, a currency sign or a number word. A
# sentence with none is spared the three scans below (most sentences: they cost the most).
_MAYBE_NUMBER = re.compile(rf"\d|[$€£¥]|S/|\b(?:{_WORDNUM}|thousand|million|billion|trillion)",
                           re.I)
_RELATIVE_YEAR = re.compile(r"\b(?P<which>last|this|next|past|previous|coming)\s+year\b", re.I)
_QUALIFIER = re.compile(r"(?:" + "|".join(QUALIFIERS) + r")\s*$", re.I)
_HYPHEN_UNIT = re.compile(r"-(?P<unit>year|month|week|day|hour|minute|decade|mile|point)s?\b",
                          re.I)
_UNIT_STOP = frozenset("""a an the of in on at to for from by with and or but than as that
this these those its their his her our is are was were be been it they we he she which who
per""".split())


class Figure(BaseModel):
    """One normalised figure; ``value`` is in base units (``scale`` already applied)."""

    text: str
    kind: FigureKind
    value: float
    unit: str | None = None
    currency: str | None = None
    scale: float = 1.0
    year: int | None = None
    qualifier: str | None = None


def _number(raw: str) -> float:
    raw = raw.lower().replace(",", "")
    if raw in ("a", "an"):
        return 1.0  # "a million": one of the scale that follows
    return float(NUMBER_WORDS[raw]) if raw in NUMBER_WORDS else float(raw)


def _is_year(raw: str) -> bool:
    return raw.isdigit() and len(raw) == 4 and 1500 <= int(raw) <= 2100


def year_mentions(text: str, published: date | None) -> list[tuple[int, int, int]]:
    """(start, end, year) for explicit years and relative ones (``last year``) resolved
    against the publication date."""
    found = [(m.start(), m.end(), int(m[1])) for m in
             re.finditer(r"(?<![\d,.$])\b(1[5-9]\d\d|20\d\d)\b(?!\s*%)", text)]
    if published is not None:
        offsets = {"last": -1, "past": -1, "previous": -1, "this": 0, "next": 1, "coming": 1}
        found += [(m.start(), m.end(), published.year + offsets[m["which"].lower()])
                  for m in _RELATIVE_YEAR.finditer(text)]
    return sorted(found)


YEAR_REACH = 45
_CLAUSE_BREAK = re.compile(r"[;,:()]|\b(?:when|since|that|which|who)\b")
_LEADING_YEAR = re.compile(r"^(?:In|By|During)\s+(\d{4}),")


def _year_for(text: str, start: int, end: int, years: list[tuple[int, int, int]]) -> int | None:
    """The year a figure refers to: the nearest year mention in the same clause."""
    best: tuple[int, int] | None = None
    for y_start, y_end, year in years:
        lo, hi = (end, y_start) if y_start >= end else (y_end, start)
        if hi - lo > YEAR_REACH or _CLAUSE_BREAK.search(text[lo:hi]):
            continue
        if best is None or hi - lo < best[0]:
            best = (hi - lo, year)
    if best is None and (lead := _LEADING_YEAR.match(text)):
        return int(lead[1])
    return best[1] if best else None


def _qualifier(text: str, start: int) -> str | None:
    match = _QUALIFIER.search(text[max(0, start - 20):start])
    return match.group(0).strip().lower() if match else None


def extract_figures(text: str, published: date | None = None) -> list[Figure]:
    """Every figure in the sentence, left to right, each span used once."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, Figure]] = []
    years = year_mentions(text, published)

    def free(start: int, end: int) -> bool:
        return all(end <= a or start >= b for a, b in taken)

    def add(match: re.Match[str], figure: Figure) -> None:
        taken.append(match.span())
        found.append((match.start(), figure))

    for m in _DATE.finditer(text):
        month = (m["month"] or m["month2"] or m["month3"] or m["month4"]).rstrip(".").lower()
        month_no = MONTHS.get(month) or MONTH_ABBR.get(month[:4] if month == "sept" else month[:3])
        year_raw = m["year"] or m["year2"] or m["year3"]
        year = int(year_raw) if year_raw else (published.year if published else None)
        day = m["day"] or m["day2"]
        if month_no is None or (day and not 1 <= int(day) <= 31):
            continue
        value = float(f"{year or 0:04d}{month_no:02d}{int(day or 1):02d}")
        add(m, Figure(text=m.group(0), kind="date", value=value, year=year))
    if not _MAYBE_NUMBER.search(text):
        return [f for _, f in found]  # in order already: dates never overlap
    for m in _MONEY.finditer(text):
        if not free(*m.span()):
            continue
        num = m["num"] or m["num2"] or m["a2"]
        scale_word = (m["scale"] or m["scale2"] or "").lower()
        scale = SCALES.get(scale_word, 1.0)
        currency = CURRENCIES.get((m["cur"] or m["cur2"] or "").lower().rstrip(), "USD")
        add(m, Figure(text=m.group(0).strip(), kind="money", value=_number(num) * scale,
                      currency=currency, scale=scale, year=_year_for(text, *m.span(), years),
                      qualifier=_qualifier(text, m.start())))
    for m in _PERCENT.finditer(text):
        if free(*m.span()):
            add(m, Figure(text=m.group(0).strip(), kind="percent", value=_number(m["num"]),
                          unit="percent", year=_year_for(text, *m.span(), years),
                          qualifier=_qualifier(text, m.start())))
    for m in _COUNT.finditer(text):
        group = "num" if m["num"] else "num_a"
        if not free(*m.span(group)):
            continue
        raw = m[group]
        preceded = text[max(0, m.start() - 1):m.start()]
        if preceded and (preceded.isalnum() or preceded in "-/"):
            continue
        if _is_year(raw) and not m["scale"]:
            taken.append(m.span("num"))
            found.append((m.start(), Figure(text=raw, kind="year", value=float(raw),
                                            year=int(raw))))
            continue
        unit_word = (m["unit"] or "").lower()
        # "a 40-month term", "a three-day strike": the unit joined by a hyphen.
        joined = None if m["scale"] else _HYPHEN_UNIT.match(text, m.end(group))
        if raw.lower() in NUMBER_WORDS and not m["scale"] and not joined and (
                not unit_word or unit_word in _UNIT_STOP or text[m.end(group):].startswith("-")):
            continue  # "one of", "a one-off": a number word counts only before what it counts
        scale = SCALES.get((m["scale"] or "").lower(), 1.0)
        unit = joined["unit"].lower() if joined else (m["unit"] or "").lower() or None
        if unit in _UNIT_STOP or (unit and unit in SCALES):
            unit = None
        end = (joined.end() if joined else m.end() if unit
               else (m.end("scale") if m["scale"] else m.end(group)))
        span_text = text[m.start():end].strip()
        taken.append((m.start(), end))
        found.append((m.start(), Figure(text=span_text, kind="count", value=_number(raw) * scale,
                                        unit=unit, scale=scale,
                                        year=_year_for(text, m.start(), end, years),
                                        qualifier=_qualifier(text, m.start()))))
    found.sort(key=lambda pair: pair[0])
    return [f for _, f in found]
