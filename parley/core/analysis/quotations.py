"""Quotations that run over more than one sentence: which sentences they hold, and who speaks."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from itertools import groupby
from typing import NamedTuple

from parley.core.analysis.saying import INTRODUCING_ONLY, NAMING_SPEAKER, TAGS, alternation
from parley.core.models import Sentence

OPENING = "“"
CLOSING = "”"
STRAIGHT = '"'
_BEFORE_OPENING = frozenset(" \t\n([{—–-")
QUOTED_SPAN = re.compile(r"“[^”]*”|\"[^\"]*\"")
# A speaker as a tag names one: a run of capitalised words with their titles ("Sen. Jo Bloggs",
# "Mrs. Clinton"), perhaps someone's ("Kaepernick's lawyers"), or "the" and up to three small
# words ("the mayor", "the harbour board").
_CAPS = (r"(?-i:[A-Z][\w.'’-]*)(?:\s+(?-i:[A-Z][\w.'’-]*)){0,4}"
         r"(?:\s+and\s+(?-i:[A-Z][\w.'’-]*)(?:\s+(?-i:[A-Z][\w.'’-]*)){0,3})?")
_NAME = (rf"(?:{_CAPS}(?:['’]s(?:\s+(?-i:[a-z])[\w-]*){{1,2}})?"
         r"|(?-i:[Tt]he)(?:\s+(?-i:[a-z])[\w’'-]*){1,3})")
# An aside after the name that describes them (", a pilot,", ", president of …,", ", D-Maine,"),
# not another clause (", Bannon told …") nor a phrase of the sentence (", with Jo Bloggs the
# most forceful, saying …").
_ASIDE = (r",\s+(?!(?:with|in|on|at|after|before|as|by|for|from|when|while|if|because|but|and|or"
          r"|so|then)\b)(?-i:[a-z]|[A-Z]{1,2}-)[^“”\"]{0,120}?,")
_ON = r"\s+(?:on|in)\s+(?-i:[A-Z])[\w.]*"  # "Sarah Sanders on Twitter claimed"
_TAG = alternation(NAMING_SPEAKER)
_FINITE_TAG = alternation(NAMING_SPEAKER - INTRODUCING_ONLY)  # "said", not "saying" or "called"
_TAG_FIRST = alternation(TAGS - {"told", "asked"})  # "said Jo Bloggs", not "told Jo Bloggs"
# After the closing mark: "…,” said Jo Bloggs, a pilot." / "…,” Jo Bloggs said." / "…,”
# according to the board."
_AFTER = re.compile(rf"^[,.]?\s*(?:{_TAG_FIRST}\s+(?P<a>{_NAME})"
                    rf"|(?P<b>{_NAME})(?:{_ASIDE})?\s+{_TAG}\b|according\s+to\s+(?P<c>{_NAME}))")
# Before the opening mark, tried in turn: "…, board member Jo Bloggs, a pilot, told the board,
# “…" / "…, says Jo Bloggs, a pilot who …: “…" / "Katharine Hayhoe, climate scientist, Texas
# Tech University: “…", "NPR: "…".
_BEFORE = (re.compile(rf"(?P<d>{_NAME})(?:{_ASIDE}|{_ON})?\s+{_FINITE_TAG}\b"
                      r"[^“\"]{0,40}[:,]?\s*$"),
           re.compile(rf"\b{_TAG_FIRST}\s+(?P<f>{_NAME})(?:,[^“\"]{{0,120}})?[:,]?\s*$"),
           re.compile(rf"^(?P<e>{_NAME})(?:,(?:(?!\b{_TAG}\b)[^:“\"]){{1,80}})?:\s*$"))
# A quotation put down to a bare "he" or "she": its speaker is the one a tag named just before.
_PRONOUN_AFTER = re.compile(rf"^[,.]?\s*(?:(?:he|she)\s+{_TAG}|{_TAG_FIRST}\s+(?:he|she))\b", re.I)
_PRONOUN_BEFORE = re.compile(rf"\b(?:he|she)\s+{_FINITE_TAG}\b[^“\"]{{0,40}}[:,]?\s*$", re.I)
_NAMED_ANYWHERE = (re.compile(rf"(?P<g>{_NAME})(?:{_ASIDE}|{_ON})?\s+{_FINITE_TAG}\b"),
                   re.compile(rf"\b{_TAG_FIRST}\s+(?P<h>{_NAME})"))
# What "he" or "she" cannot stand for.
_INSTITUTIONS = frozenset("""house department ministry committee office agency party news times
post journal association council board court administration government company campaign group
university institute police service commission network reuters twitter facebook""".split())
LOOK_BACK = 2  # sentences before a quotation searched for the speaker a bare pronoun stands for
# A sentence's first word, capitalised, before the name: "Added Corker:", "As The Associated Press
# notes,".
_LEADING_WORDS = frozenset(v for v in NAMING_SPEAKER if " " not in v) | {
    "intoned", "as", "and", "but", "so", "then", "now", "correspondent"}
_PRONOUNS = frozenset("he she they it we i you this that".split())


class Quotation(NamedTuple):
    """One quotation over several sentences: its first and last sentence (by position) and its
    speaker as the text names them beside it, or None where it does not (a bare "he said")."""

    first: int
    last: int
    speaker: str | None


def _marks(text: str) -> Iterator[tuple[int, bool]]:
    """The text's double quotation marks in order, with True for an opening one. A straight mark
    opens where a word follows it and none comes right before it (`said, "We`), else closes."""
    for i, ch in enumerate(text):
        if ch == OPENING:
            yield i, True
        elif ch == CLOSING:
            yield i, False
        elif ch == STRAIGHT:
            after = text[i + 1:i + 2]
            yield i, ((i == 0 or text[i - 1] in _BEFORE_OPENING) and after != ""
                      and not after.isspace())


def _opens_with_mark(text: str) -> bool:
    text = text.lstrip()
    return text[:1] in (OPENING, STRAIGHT) and next(_marks(text))[1]


def _named(match: re.Match[str] | None) -> str | None:
    if match is None:
        return None
    name = next(g for g in match.groups() if g is not None).rstrip(".,")
    head, _, rest = name.partition(" ")
    if rest and head.lower() in _LEADING_WORDS:
        name = rest
    if name.lower() in _PRONOUNS:
        return None
    return "the" + name[3:] if name.startswith("The ") and name[4:5].islower() else name


def _person(name: str) -> str | None:
    """The name, where "he" or "she" can stand for it: not "the …", not an institution's."""
    folded = name.lower().replace("’", "'").split()
    if folded[0] == "the" or _INSTITUTIONS.intersection(w.removesuffix("'s") for w in folded):
        return None
    return name


def speaker(first: str, last: str, before: Sequence[str] = ()) -> str | None:
    """Who a quotation from sentence ``first`` to sentence ``last`` is put down to: the tag after
    its closing mark, or else the words that introduce it before its opening mark; where that
    tag is a bare "he" or "she", the one a tag names in the sentences just ``before`` it, the
    nearest first ("Jo Bloggs said fares would rise. “…. …,” she said.")."""
    closing = max((i for i, opening in _marks(last) if not opening), default=None)
    opening = min((i for i, opening in _marks(first) if opening), default=None)
    tail = last[closing + 1:] if closing is not None else ""
    head = first[:opening] if opening is not None else ""
    after = _named(_AFTER.match(tail)) if closing is not None else None
    if after:
        return after
    if opening is not None:
        named = next((n for pattern in _BEFORE if (n := _named(pattern.search(head)))), None)
        if named:
            return named
    if not (_PRONOUN_AFTER.match(tail) or _PRONOUN_BEFORE.search(head)):
        return None
    for text in reversed(before[-LOOK_BACK:]):
        outside = QUOTED_SPAN.sub(" ", text)
        named = next((n for pattern in _NAMED_ANYWHERE
                      if (n := _named(pattern.search(outside)))), None)
        if named:
            return _person(named)
    return None


def _paragraph(texts: Sequence[str], offset: int, continued: bool) -> list[tuple[int, int]]:
    """One paragraph's quotations over several sentences as (first, last) positions;
    ``continued`` when the next paragraph opens with a quotation mark, the convention for a
    quotation that goes on into it (it then ends with this paragraph's last sentence here)."""
    runs: list[tuple[int, int]] = []
    start: int | None = None  # the sentence where the open quotation began
    for i, text in enumerate(texts):
        for _, opening in _marks(text):
            if opening == (start is not None):
                return []  # marks out of order: a raw crawl's, trust none
            if opening:
                start = i
            else:
                assert start is not None
                if i > start:
                    runs.append((offset + start, offset + i))
                start = None
    if start is not None and continued:
        runs.append((offset + start, offset + len(texts) - 1))
    return runs


def long_quotations(sentences: Sequence[str], paragraphs: Sequence[object]) -> list[Quotation]:
    """Every quotation running from an opening mark in one sentence to its closing mark in a later
    one ("“We have all this momentum. Even if Bernie is elected, change will not come swiftly.
    …”": the middle sentence has no quotation marks, and is still the speaker's), with its
    speaker.

    A quotation never runs past its paragraph unless the next paragraph opens with a quotation
    mark, as the convention is for one that goes on; a quotation left open otherwise, or marks out
    of order (two openings running), are a raw crawl's stray marks, and mark nothing. A quotation
    that goes on over paragraphs is named by its last paragraph's tag where its first has none."""
    rows = list(zip(sentences, paragraphs, strict=True))
    groups = [[text for text, _ in group] for _, group in groupby(rows, key=lambda r: r[1])]
    spans: list[tuple[int, int]] = []
    offset = 0
    for n, texts in enumerate(groups):
        following = groups[n + 1][0] if n + 1 < len(groups) else ""
        spans += _paragraph(texts, offset, _opens_with_mark(following))
        offset += len(texts)
    out: list[Quotation] = []
    for first, last in spans:
        named = speaker(sentences[first], sentences[last],
                        sentences[max(0, first - LOOK_BACK):first])
        out.append(Quotation(first, last, named))
    return out


def in_long_quotations(sentences: Sequence[str], paragraphs: Sequence[object]) -> list[bool]:
    """For each sentence, whether it is part of a quotation that runs past it
    (:func:`long_quotations`)."""
    out = [False] * len(sentences)
    for q in long_quotations(sentences, paragraphs):
        out[q.first:q.last + 1] = [True] * (q.last + 1 - q.first)
    return out


def speakers_by_sentence(sentences: Sequence[Sentence]) -> dict[str, str | None]:
    """Each stored sentence inside a quotation of several sentences, by id, with the quotation's
    speaker (None where the article names them only as "he" or "she" beside it)."""
    texts = [s.text for s in sentences]
    out: dict[str, str | None] = {}
    for q in long_quotations(texts, [(s.section, s.paragraph) for s in sentences]):
        for s in sentences[q.first:q.last + 1]:
            out[s.id] = q.speaker
    return out
