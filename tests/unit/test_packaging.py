"""Packaging stays honest: one version, the dependency floors that work, a licence and changelog."""

from __future__ import annotations

import tomllib

import trafilatura
from packaging.requirements import Requirement
from packaging.version import Version

import parley
from tests.conftest import ARTICLES, REPO

PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))


def _requirement(name: str) -> Requirement:
    found = [Requirement(d) for d in PYPROJECT["project"]["dependencies"]]
    return next(r for r in found if r.name.lower() == name)


def test_the_version_lives_only_in_the_package() -> None:
    project = PYPROJECT["project"]
    assert "version" not in project and "version" in project["dynamic"]
    attr = PYPROJECT["tool"]["setuptools"]["dynamic"]["version"]["attr"]
    assert attr == "parley.__version__" and Version(parley.__version__)


def test_trafilatura_floor_is_a_version_whose_extraction_parley_reads() -> None:
    # 1.12 returns a dict from bare_extraction, which parse_html cannot read: every page failed.
    floor = next(Version(s.version) for s in _requirement("trafilatura").specifier
                 if s.operator == ">=")
    assert floor >= Version("2.0")
    html = (ARTICLES / "harbor-bridge-news.html").read_text(encoding="utf-8")
    assert isinstance(trafilatura.bare_extraction(html, with_metadata=True).text, str)


def test_tzdata_is_declared_for_systems_without_a_zone_database() -> None:
    assert _requirement("tzdata")


def test_licence_and_changelog() -> None:
    licence = (REPO / "LICENSE").read_text(encoding="utf-8")
    assert licence.startswith("MIT License") and PYPROJECT["project"]["license"]["text"] == "MIT"
    assert "## Unreleased" in (REPO / "CHANGELOG.md").read_text(encoding="utf-8")
