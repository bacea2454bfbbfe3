"""Parsed test articles for the analysis tests: the example article and the three fixtures."""

from __future__ import annotations

from functools import cache
from importlib import resources

from parley.core.analysis.article import ArticleAnalysis, analyse
from parley.core.analysis.lexicon import load_lexicon
from parley.core.ingest.pipeline import decode, detect_format, parse
from parley.core.models import ParsedArticle
from tests.conftest import ARTICLES

EXAMPLE = "peru-immigration-breakingcentral-2025-04-08.txt"
NAMES = (EXAMPLE, "harbor-bridge-news.html", "carbon-pricing-explainer.md",
         "minimum-wage-opinion.txt", "river-city-transit-interview.txt")
TRANSCRIPT = "river-city-transit-interview.txt"  # an interview: speakers, one of them asking


@cache
def parsed(name: str) -> ParsedArticle:
    if name == EXAMPLE:
        data = (resources.files("parley.core.data") / "articles" / name).read_bytes()
    else:
        data = (ARTICLES / name).read_bytes()
    text = decode(data)
    return parse(text, detect_format(text, name))


@cache
def analysed(name: str) -> ArticleAnalysis:
    return analyse(parsed(name), load_lexicon())


def sentences(name: str) -> list[str]:
    return [s.text for sec in parsed(name).sections for s in sec.sentences]
