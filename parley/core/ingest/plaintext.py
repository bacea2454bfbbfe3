"""Plain text in the example article's layout: title, standfirst, outlet, date, byline, headings."""

from __future__ import annotations

from parley.core.analysis.sentences import split_sentences
from parley.core.ingest.blocks import Blocks, Meta, assemble, read_meta_line
from parley.core.models import ParsedArticle
from parley.core.text import shorten

HEADING_MAX_WORDS = 10
HEADING_MAX_CHARS = 80
TITLE_MAX_CHARS = 120


def looks_like_heading(text: str) -> bool:
    """A short single line without closing punctuation, as headings between paragraphs are."""
    text = text.strip()
    return (
        "\n" not in text and 0 < len(text) <= HEADING_MAX_CHARS
        and len(text.split()) <= HEADING_MAX_WORDS and text[-1] not in ".!?,;:…\"”’)"
    )


def _items(text: str) -> list[str]:
    normalised = text.replace("\r\n", "\n").replace("\r", "\n")
    return [b.strip() for b in normalised.split("\n\n") if b.strip()]


def parse_plain_text(text: str) -> ParsedArticle:
    """Parse an article written as plain text, one blank line between blocks."""
    blocks_raw = _items(text)
    meta = Meta()
    if not blocks_raw:
        return assemble(meta, Blocks(), "text")
    first_lines = blocks_raw[0].split("\n")
    single_line = len(blocks_raw) == 1 and len(first_lines) == 1
    if single_line:
        # Text pasted on one line (a chat message): the first sentence stands as its title.
        sentences = split_sentences(first_lines[0])
        meta.title = shorten(sentences[0], TITLE_MAX_CHARS) if sentences else ""
        body = Blocks()
        body.para(first_lines[0])
        return assemble(meta, body, "text")
    meta.title = " ".join(first_lines[0].split())
    head = [line for line in first_lines[1:] if line.strip()] + blocks_raw[1:]
    i = 0
    while i < len(head):
        if read_meta_line(head[i], meta):
            i += 1
        elif not meta.standfirst and any(_is_meta(x, meta) for x in head[i + 1:i + 4]):
            meta.standfirst = " ".join(head[i].split())
            i += 1
        else:
            break
    blocks = Blocks()
    rest = head[i:]
    for j, item in enumerate(rest):
        if looks_like_heading(item) and j + 1 < len(rest):
            blocks.heading(item)
        else:
            blocks.para(item)
    return assemble(meta, blocks, "text")


def _is_meta(line: str, meta: Meta) -> bool:
    probe = Meta(title=meta.title)
    return read_meta_line(line, probe)
