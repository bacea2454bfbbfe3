"""Markdown articles via markdown-it-py: front matter, an H1 title, byline, headings, paragraphs."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token

from parley.core.ingest.blocks import Blocks, Meta, assemble, parse_date, read_meta_line
from parley.core.models import ParsedArticle, SourceFormat

_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)
_md = MarkdownIt("commonmark")


def _front_matter(text: str, meta: Meta) -> str:
    match = _FRONT_MATTER.match(text)
    if not match:
        return text
    for line in match[1].splitlines():
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip().strip("'\"")
        if not value:
            continue
        if key == "title":
            meta.title = value
        elif key in ("author", "by", "authors"):
            meta.author = value
        elif key in ("date", "published"):
            meta.published = parse_date(value)
        elif key in ("outlet", "publisher", "site", "source"):
            meta.outlet = value
        elif key in ("url", "link"):
            meta.url = value
        elif key in ("description", "standfirst", "summary", "subtitle"):
            meta.standfirst = value
    return text[match.end():]


def inline_text(token: Token) -> str:
    """The visible text of an inline token: emphasis and links flattened, images dropped."""
    parts: list[str] = []
    for child in token.children or []:
        if child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append(" ")
    return "".join(parts)


def parse_markdown(text: str, source_format: SourceFormat = "markdown") -> ParsedArticle:
    """Parse a Markdown article; the first level-one heading is the title."""
    meta = Meta()
    body = _front_matter(text.replace("\r\n", "\n"), meta)
    tokens = _md.parse(body)
    blocks = Blocks()
    heading_level: int | None = None
    seen_body = False
    # Code blocks and raw HTML carry no inline tokens, so only prose reaches the blocks.
    for token in tokens:
        if token.type == "heading_open":
            heading_level = int(token.tag[1])
        elif token.type == "heading_close":
            heading_level = None
        elif token.type == "inline":
            content = inline_text(token).strip()
            if not content:
                continue
            if heading_level is not None:
                if heading_level == 1 and (not meta.title or content == meta.title):
                    meta.title = meta.title or content
                else:
                    blocks.heading(content)
            elif not seen_body and meta.title and read_meta_line(content, meta):
                continue
            else:
                seen_body = True
                blocks.para(content)
    if not meta.title and blocks.items and blocks.items[0][0] == "heading":
        meta.title = blocks.items.pop(0)[1]
    return assemble(meta, blocks, source_format)
