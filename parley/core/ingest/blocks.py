"""Shared assembly of an article from parsed blocks (headings and paragraphs) and its metadata."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from dateutil import parser as dateparser

from parley.core.analysis.sentences import split_sentences
from parley.core.ingest.errors import IngestError
from parley.core.ingest.furniture import (
    drop_boxes,
    is_furniture_block,
    strip_prefix,
    strip_widgets,
)
from parley.core.models import ParsedArticle, ParsedSection, ParsedSentence, SourceFormat

_PUBLISHED = re.compile(r"^(?:published|date|posted|updated)\s*[:\-–]\s*(.+)$", re.I)
_AUTHOR = re.compile(r"^(?:written\s+by|by|author\s*:)\s+(.+)$", re.I)
_OUTLET = re.compile(r"^(?:outlet|publisher|source)\s*:\s*(.+)$", re.I)
_URL = re.compile(r"^(?:(?:url|link)\s*:\s*)?(https?://\S+)$", re.I)


@dataclass
class Meta:
    """Metadata gathered from an article's head lines, front matter or HTML."""

    title: str = ""
    standfirst: str = ""
    outlet: str = ""
    author: str = ""
    published: date | None = None
    url: str | None = None


@dataclass
class Blocks:
    """The body as an ordered list of ("heading" | "para", text)."""

    items: list[tuple[str, str]] = field(default_factory=list)

    def heading(self, text: str) -> None:
        self._add("heading", text)

    def para(self, text: str) -> None:
        self._add("para", text)

    def _add(self, kind: str, text: str) -> None:
        # A block without a word ("___", "* * *", "---") is a rule between parts: skipped.
        if any(ch.isalnum() for ch in text):
            self.items.append((kind, " ".join(text.split())))


def parse_date(text: str) -> date | None:
    """A calendar date from free text such as ``April 8, 2025`` or ``2025-04-08``."""
    try:
        return dateparser.parse(text.strip(), fuzzy=True, default=None).date()
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None


def read_meta_line(line: str, meta: Meta) -> bool:
    """Record the line's metadata if it is a meta line (``Published:``, ``By``, URL, …)."""
    line = line.strip().strip("*_")
    if m := _PUBLISHED.match(line):
        when = parse_date(m[1])
        if when is not None:
            meta.published = when
            return True
        return False
    if m := _URL.match(line):
        meta.url = m[1]
        return True
    if m := _OUTLET.match(line):
        meta.outlet = m[1].strip()
        return True
    if (m := _AUTHOR.match(line)) and len(m[1].split()) <= 12 and not m[1].rstrip().endswith("."):
        meta.author = m[1].strip()
        return True
    if meta.title and line.startswith(meta.title) and 0 < len(line) - len(meta.title) <= 60:
        meta.outlet = line[len(meta.title):].strip(" -–—|·")
        return bool(meta.outlet)
    return False


def without_title(sentence: str, title: str) -> str:
    """The sentence without the page's headline run into its front ("Congress gearing up to …
    with China The administration has defended …" → "The administration has defended …")."""
    if title and len(title) >= 20 and sentence.startswith(title):
        rest = sentence[len(title):].lstrip(" -–—|:")
        if len(rest) > 20 and rest[:1].isupper() and not sentence[len(title):][:1].isalnum():
            return rest
    return sentence


def assemble(meta: Meta, blocks: Blocks, source_format: SourceFormat) -> ParsedArticle:
    """Build the article: sections from headings, sentences from paragraphs."""
    if not meta.title:
        raise IngestError("That has no title line, so it doesn't look like an article.")
    sections: list[ParsedSection] = [ParsedSection()]
    paragraph = 0
    boxed = drop_boxes([text for _, text in blocks.items])
    for at, (kind, text) in enumerate(blocks.items):
        if at in boxed or is_furniture_block(text):
            continue
        if kind == "heading":
            if sections[-1].sentences or sections[-1].heading:
                sections.append(ParsedSection(heading=text))
            else:
                sections[-1].heading = text
            continue
        sentences = [without_title(s, meta.title)
                     for s in map(strip_prefix, split_sentences(strip_prefix(strip_widgets(text))))
                     if s and not is_furniture_block(s)]
        if not sentences:
            continue
        sections[-1].sentences.extend(
            ParsedSentence(paragraph=paragraph, text=s) for s in sentences)
        paragraph += 1
    sections = [s for s in sections if s.sentences]
    if not sections:
        raise IngestError("I found a title but no article text under it.")
    return ParsedArticle(
        title=meta.title, standfirst=meta.standfirst, outlet=meta.outlet, author=meta.author,
        published=meta.published, url=meta.url, source_format=source_format,
        sections=sections,
    )
