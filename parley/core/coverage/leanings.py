"""Outlet leanings: the bundled AllSides-derived table, moderators' overrides, and lookups."""

from __future__ import annotations

import json
from collections.abc import Mapping
from functools import cache
from importlib import resources
from typing import Literal
from urllib.parse import urlsplit

from parley.core.analysis.tokens import fold

Leaning = Literal["left", "center", "right"]
LEANINGS: tuple[Leaning, ...] = ("left", "center", "right")
UNRATED = "unrated"


@cache
def bundled() -> tuple[dict[str, str], dict[str, str]]:
    """(folded outlet name → leaning, host → outlet name) from ``data/outlets/leanings.json``."""
    raw = json.loads((resources.files("parley.core.data") / "outlets" / "leanings.json")
                     .read_text(encoding="utf-8"))
    return ({fold(name): leaning for name, leaning in raw["outlets"].items()},
            dict(raw["domains"]))


def outlet_names() -> dict[str, str]:
    """Folded name → the name as the table spells it."""
    raw = json.loads((resources.files("parley.core.data") / "outlets" / "leanings.json")
                     .read_text(encoding="utf-8"))
    return {fold(name): name for name in raw["outlets"]}


def host(url: str | None) -> str:
    try:
        name = (urlsplit(url or "").hostname or "").lower()
    except ValueError:
        return ""
    return name.removeprefix("www.")


def outlet_of(outlet: str, url: str | None) -> str:
    """The outlet an article is from: its own field, else the table's name for its host."""
    if outlet.strip():
        return outlet.strip()
    full = name = host(url)
    domains = bundled()[1]
    while name and name not in domains and "." in name:
        name = name.split(".", 1)[1]  # news.bbc.co.uk → bbc.co.uk
    return domains.get(name, full)  # an unknown host names itself, never its "com"


def leaning_of(outlet: str, url: str | None, overrides: Mapping[str, str]) -> str:
    """``left``, ``center``, ``right`` or ``unrated``; a moderator's override wins."""
    key = fold(outlet_of(outlet, url))
    if key in overrides:
        return overrides[key]
    return bundled()[0].get(key, UNRATED)
