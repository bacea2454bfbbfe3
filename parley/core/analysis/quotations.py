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
_TAG = alternation(NAMING_SPEAKER)
_FINITE_TAG = alternation(NAMING_SPEAKER - INTRODUCING_ONLY)  # "said", not "saying" or "called"
_TAG_FIRST = alternation(TAGS - {"told", "asked"})  # "said Jo Bloggs", not "told Jo Bloggs"
# A speaker as a tag names one: a run of capitalised words with their titles and where they are
# from ("Sen. Jo Bloggs of Maine", "Club for Growth President David McIntosh", "Joint Chiefs
# Chairman Gen. Jo Bloggs"), perhaps described first ("Republican strategist Jo Bloggs"), perhaps
# someone's ("Kaepernick's lawyers"), or "the" and up to three words ("the mayor", "the
# California Democrat"). A described name's small words are never a preposition, an article or
# a verb of saying ("Jo Bloggs on Monday" is no name).
_CAP = r"(?-i:[A-Z])[\w.'’-]*"
_SMALL = (r"(?!(?:on|in|at|of|and|or|to|for|with|by|from|the|a|an|who|whom|that|which|after"
          r"|before|during|when|while|as|but|if|is|was|were|are|has|had|have|will|would|this"
          rf"|its|his|her|their|also|then|now|not)\b|{_TAG}\b)(?-i:[a-z])[\w’'-]*")
_CAPS = (rf"{_CAP}(?:\s+{_CAP}){{0,6}}(?:\s+(?:of|for)\s+{_CAP}(?:\s+{_CAP}){{0,4}})?"
         rf"(?:\s+and\s+{_CAP}(?:\s+{_CAP}){{0,3}})?")
# Capitalised words that begin no one's name: a sentence's first word, a day, a month.
NOT_NAMES = frozenset("""after before when while as if in on at but and so then now the a an for
with by from since once though although because despite under over during this that these those
it its there here what why how who where which last next today yesterday tomorrow tonight
meanwhile however still yet also even some many most all both each such more no not only one two
according asked monday tuesday wednesday thursday friday saturday sunday january february march
september october november december""".split())
_NOT_NAME = rf"(?i:{alternation(NOT_NAMES)})\b"
_NAME = (rf"(?<!\bof )(?:(?!{_NOT_NAME}){_CAPS}\s+{_SMALL}(?:\s+{_SMALL})?\s+{_CAPS}"
         rf"|{_CAPS}(?:['’]s(?:\s+{_SMALL}){{1,2}})?"
         rf"|(?-i:[Tt]he)(?:\s+(?:{_CAP}|{_SMALL})){{1,3}})")
# An aside after the name that describes them (", a pilot,", ", president of …,", ", D-Maine,",
# ", Rhode Island Democrat,"),
# not another clause (", Bannon told …") nor a phrase of the sentence (", with Jo Bloggs the
# most forceful, saying …").
_ASIDE = (r"(?:,\s+(?!(?:with|in|on|at|after|before|as|by|for|from|when|while|if|because|but|and|or"
          r"|so|then)\b)(?-i:[a-z]|[A-Z]{1,2}-)[^“”\"]{0,120}?,"
          r"|,\s+(?-i:[A-Z])[\w.-]*(?:\s+(?-i:[A-Z])[\w.-]*){0,2}\s+(?:Democrat|Republican),"
          rf"|,\s+(?:(?-i:[A-Z])[\w.'’-]*\s+){{1,4}}(?!{_TAG}\b)(?-i:[a-z])[^“”\",]{{0,100}},)")
_ON = r"\s+(?:on|in)\s+(?-i:[A-Z])[\w.]*"  # "Sarah Sanders on Twitter claimed"
_NOT_A_DATE = r"(?![\w'’-])(?!\s+\d)"  # "said June 23": a date, not a name
# After the closing mark: "…,” said Jo Bloggs, a pilot." / "…,” Jo Bloggs said." / "…,”
# according to the board."
_AFTER = re.compile(rf"^[,.]?\s*(?:{_TAG_FIRST}\s+(?P<a>{_NAME}){_NOT_A_DATE}"
                    rf"|(?P<b>{_NAME})(?:{_ASIDE})?\s+{_TAG}\b|according\s+to\s+(?P<c>{_NAME}))")
# Before the opening mark, tried in turn: "The Oregonian reported Jo Bloggs saying, “…" / "…,
# board member Jo Bloggs, a pilot, told the board,
# “…" / "…, says Jo Bloggs, a pilot who …: “…" / "Katharine Hayhoe, climate scientist, Texas
# Tech University: “…", "NPR: "…".
_REPORTED_SAYING = rf"\b(?:quoted|reported|cited)\s+(?P<m>{_NAME})\s+(?:as\s+)?saying\b"
_BEFORE = (re.compile(rf"{_REPORTED_SAYING}[^“\"]{{0,40}}[:,]?\s*$"),
           re.compile(rf"(?P<d>{_NAME})(?:{_ASIDE}|{_ON})?\s+{_FINITE_TAG}\b"
                      r"[^“\"]{0,60}[:,]?\s*$"),
           re.compile(rf"\b{_TAG_FIRST}\s+(?P<f>{_NAME}){_NOT_A_DATE}(?:,[^“\"]{{0,120}})?[:,]?\s*$"),
           re.compile(rf"^(?P<e>{_NAME})(?:,(?:(?!\b{_TAG}\b)[^:“\"]){{1,80}})?:\s*$"))
# A quotation put down to a bare "he" or "she": its speaker is the one a tag named just before.
_PRONOUN_AFTER = re.compile(rf"^[,.]?\s*(?:(?:he|she)\s+{_TAG}|{_TAG_FIRST}\s+(?:he|she))\b", re.I)
_PRONOUN_BEFORE = re.compile(rf"\b(?:he|she)\s+{_FINITE_TAG}\b[^“\"]{{0,60}}[:,]?\s*$", re.I)
_NAMED_ANYWHERE = (re.compile(rf"(?P<g>{_NAME})(?:{_ASIDE}|{_ON})?\s+(?P<verb>{_FINITE_TAG})\b"),
                   re.compile(rf"\b{_TAG_FIRST}\s+(?P<h>{_NAME}){_NOT_A_DATE}"))
# A sentence whose subject is someone named, with no tag: "Sam Smith disagreed.", "Previously,
# Mr. Trump had …". The "he" after it may be them rather than whoever a tag named further back.
_NAMED_SUBJECT = re.compile(rf"^\W*(?:(?-i:[A-Z])[a-z]+ly,\s+)?"
                            rf"(?P<s>(?!{_NOT_NAME}|(?i:he|she|they|we|i|you)\b){_NAME})"
                            rf"(?:{_ASIDE}|,\s+\d+,)?\s+(?-i:[a-z])")
# A tag standing alone in the sentence after a quotation, with at most when, where or to whom:
# "Trump tweeted on Thursday.", not "Alia Dastagir writes about media." nor "Jo Bloggs said the
# ferry …".
_TAG_ALONE = re.compile(rf"^\s*(?P<t>{_NAME})(?:,[^,“”\"]{{1,80}},)?\s+(?:(?:told|asked)\b"
                        rf"[^“”\":]{{0,100}}|{_FINITE_TAG}\b(?:,[^“”\":]{{0,80}}|\s+(?:on|in|at|to"
                        r"|as|while|with|during|after|before|from|via|late|early|last|this|earlier"
                        r"|later|again|then|today|tonight|yesterday|monday|tuesday|wednesday"
                        r"|thursday|friday|saturday|sunday)\b[^“”\":]{0,50})?)[.!]\s*$", re.I)
# A sentence ending on a quotation and its speaker's tag ("…,” Huckabee told the Daily News."),
# or saying what someone said ("Trump tweeted his frustration Sunday.", "Mr. Cruz said."): whom
# an untagged quotation right after it goes on quoting.
_ENDS_QUOTING = re.compile(rf"(?:(?:^(?=[\s,.])|[”\"])[,.]?\s*(?:{_TAG_FIRST}\s+(?:(?P<i>{_NAME})"
                           rf"{_NOT_A_DATE}|he|she)|(?:(?P<j>{_NAME})|he|she)(?:{_ASIDE})?\s+"
                           rf"{_TAG}\b)|^\W*(?:(?P<k>{_NAME})|[Hh]e|[Ss]he)(?:{_ASIDE})?\s+"
                           rf"{_FINITE_TAG}\b)[^“”\"]{{0,160}}$")
_OTHER_PERSON = re.compile(r"\b(?:for|to|with|by|at|from|and|asked|told)\s+"
                           r"(?:[A-Z][\w'’.-]*\s+){0,3}?([A-Z][\w'’-]*[a-z][\w'’-]*)\b")
_CAPITALISED_RUN = re.compile(r"(?:\b[A-Z][\w'’.-]*\s+)+[A-Z][\w'’-]*[a-z][\w'’-]*\b")
_SMALL_WORD = re.compile(r"\b[a-z][a-z'’-]*\b")
_REPORTED = re.compile(_REPORTED_SAYING)
# One asking someone ("Sam Smith asked the pilot …"): the "he" who answers is someone else.
_ASKING_SOMEONE = re.compile(r"(?:asked|asks)\s+(?:him|her|them|the\s|(?-i:[A-Z]))")
# What "he" or "she" cannot stand for.
_INSTITUTIONS = frozenset("""house department ministry committee office agency party news times
post journal association council board court administration government company campaign group
university institute police service commission network reuters twitter facebook bloomberg cnn
nbc abc cbs fox msnbc npr bbc ap afp politico axios senate congress parliament pentagon kremlin
legislature cabinet""".split())
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
    """The name a pattern's match found, its leading words dropped; None where what is left is
    no one's name (a pronoun, a day, a sentence's first word: "Monday", "When", "As")."""
    if match is None:
        return None
    name = next((g for k, g in match.groupdict().items() if g is not None and len(k) == 1), "")
    name = name.rstrip(".,")
    if not name or name.endswith(("'s", "’s")):  # "The Nation's": someone's, not a name
        return None
    head, _, rest = name.partition(" ")
    if head.lower() in _LEADING_WORDS:
        if not rest:
            return None
        name, head = rest, rest.partition(" ")[0]
    if name.lower().replace("’", "'").split("'")[0] in _PRONOUNS or (head.lower() != "the"
                                     and head.lower().rstrip(".,") in NOT_NAMES):
        return None
    return "the" + name[3:] if name.startswith("The ") and name[4:5].islower() else name


def _person(name: str) -> str | None:
    """The name, where "he" or "she" can stand for it: not "the …", not an institution's."""
    words = name.split()
    # a described name is judged by the name after its description ("White House spokeswoman
    # Sarah Sanders"); someone's ("Kaepernick's lawyers") or "the mayor" is no "he"
    small = [i for i, w in enumerate(words) if w[:1].islower() and w not in ("of", "for")]
    own = [w.lower().replace("’", "'").removesuffix("'s") for w in words[small[-1] + 1:]] \
        if small else [w.lower().replace("’", "'").removesuffix("'s") for w in words]
    if not own or _INSTITUTIONS.intersection(own):
        return None
    return name


def speaker(first: str, last: str, before: Sequence[str] = (), after: str = "",
            known: frozenset[str] = frozenset()) -> str | None:
    """Who a quotation from sentence ``first`` to sentence ``last`` is put down to: the tag after
    its closing mark (or standing alone in the sentence ``after`` it: "…” ¶ Trump tweeted on
    Thursday."), or else the words that introduce it before its opening mark; where that tag
    is a bare "he" or "she", the one named in the sentences just ``before`` it, the nearest first
    ("Jo Bloggs said fares would rise. “…. …,” she said."); where it has no tag at all, the
    speaker of a quotation ending the sentence just before, whom it goes on quoting. ``known``:
    the article's capitalised words never written small, which a lone subject may be a name
    of ("Trump sounded wistful.")."""
    # the mark that closes it is the first closing one of its last sentence, the mark that
    # opens it the last opening one of its first ("Jo Bloggs called it “a farce” and said: “…")
    closing = next((i for i, opening in _marks(last) if not opening), None)
    opening = max((i for i, opening in _marks(first) if opening), default=None)
    tail = last[closing + 1:] if closing is not None else ""
    # the words introducing it, any short quotation among them set aside ("As Orwell put it in
    # “1984”: “…")
    head = QUOTED_SPAN.sub(" ", first[:opening]) if opening is not None else ""
    named = _named(_AFTER.match(tail)) if closing is not None else None
    if not named and closing is not None and not tail.strip():
        named = _named(_TAG_ALONE.match(after))
    if named:
        return named
    if opening is not None:
        named = next((n for pattern in _BEFORE if (n := _named(pattern.search(head)))), None)
        if named:
            return named
    if not (_PRONOUN_AFTER.match(tail) or _PRONOUN_BEFORE.search(head)):
        if tail.strip(" .") or head.strip() or not before:
            return None
        # untagged: it goes on quoting whoever the sentence before ends quoting, named there
        # or, where that is a bare "he" or "she", whom it stands for
        quoting = _ENDS_QUOTING.search(before[-1])
        if quoting is None:
            return None
        # "…,” The Oregonian reported Jo Bloggs saying.": the one reported, not the paper
        named = _named(_REPORTED.search(before[-1])) or _named(quoting)
        if named:
            return named
        before = before[:-1]
    for text in reversed(before[-LOOK_BACK:]):
        outside = QUOTED_SPAN.sub(" ", text)
        for pattern in _NAMED_ANYWHERE:
            # the first match naming someone ("On Monday, Ohio's Jo Bloggs, a Republican, said"
            # matches first at "Monday")
            match = next((m for m in pattern.finditer(outside) if _named(m)), None)
            named = _named(match)
            if named and pattern is _NAMED_ANYWHERE[1] and named.startswith("the "):
                continue  # "said the fares would rise": what was said, not who said it
            if named:  # one asking is not the one who answers
                asking = match is not None and match.groupdict().get("verb") is not None \
                    and _ASKING_SOMEONE.match(outside, match.start("verb"))
                return None if asking else _person(named)
        subject = _NAMED_SUBJECT.match(outside)
        named = _named(subject)
        if subject and named and _lone_person(named, outside[subject.end("s"):], known):
            return _person(named)  # "Sam Smith disagreed. “…,” he said.": the nearest one named
    return None


def _lone_person(name: str, rest: str, known: frozenset[str]) -> bool:
    """Whether the subject ``name`` is the one person its sentence puts forward: a name of two
    words or more, or one the article uses as someone's surname (a lone capitalised word may be
    a common noun: "Fares rose."), with nobody else named as the one it is for, to or with in
    the ``rest`` of the sentence ("Pompeo had a quiz for Kelly.": "she" may be Kelly)."""
    if " " not in name and name.removesuffix("'s").removesuffix("’s") not in known:
        return False
    return not any(m.group(1) in known for m in _OTHER_PERSON.finditer(rest))


def known_names(sentences: Sequence[str]) -> frozenset[str]:
    """The words the sentences use as someone's surname: the last of two or more capitalised
    words ("Donald Trump", "Sen. John McCain"), never written small, nor an institution's
    ("Trump", not "Fares", "Apple" or "Senate")."""
    last: set[str] = set()
    small: set[str] = set()
    for text in sentences:
        small.update(w.lower() for w in _SMALL_WORD.findall(text))
        for run in _CAPITALISED_RUN.findall(text):
            words = run.split()
            while words and words[0].lower().rstrip(".") in NOT_NAMES:
                words = words[1:]
            if len(words) >= 2:
                last.add(words[-1])
    return frozenset(w for w in last if w.lower() not in small and w.lower() not in NOT_NAMES
                     and w.lower() not in _INSTITUTIONS)


def _paragraph(texts: Sequence[str], offset: int, continued: bool
               ) -> tuple[list[tuple[int, int]], bool]:
    """One paragraph's quotations as (first, last) positions, one sentence or more, and whether
    its last goes on into the next paragraph: ``continued`` when that paragraph opens with a
    quotation mark, the convention for a quotation that goes on (it then ends with this
    paragraph's last sentence here). Marks out of order (two openings running) are a raw
    crawl's stray marks: none is trusted."""
    runs: list[tuple[int, int]] = []
    start: int | None = None  # the sentence where the open quotation began
    for i, text in enumerate(texts):
        for _, opening in _marks(text):
            if opening == (start is not None):
                return [], False
            if opening:
                start = i
            else:
                assert start is not None
                runs.append((offset + start, offset + i))
                start = None
    if start is not None and continued:
        runs.append((offset + start, offset + len(texts) - 1))
        return runs, True
    return runs, False


def long_quotations(sentences: Sequence[str], paragraphs: Sequence[object]) -> list[Quotation]:
    """Every quotation running from an opening mark in one sentence to its closing mark in a later
    one ("“We have all this momentum. Even if Bernie is elected, change will not come swiftly.
    …”": the middle sentence has no quotation marks, and is still the speaker's), with its
    speaker.

    A quotation never runs past its paragraph unless the next paragraph opens with a quotation
    mark, as the convention is for one that goes on: then it is one quotation over the
    paragraphs, named by the tag where it ends or begins. A quotation left open otherwise, or
    marks out of order, are a raw crawl's stray marks, and mark nothing. A bare "he said" is put
    down to the person a tag names in the sentences just before, never reading words inside a
    quotation there."""
    rows = list(zip(sentences, paragraphs, strict=True))
    groups = [[text for text, _ in group] for _, group in groupby(rows, key=lambda r: r[1])]
    spans: list[tuple[int, int]] = []
    offset = 0
    going_on = False  # the last span goes on into this paragraph
    for n, texts in enumerate(groups):
        following = groups[n + 1][0] if n + 1 < len(groups) else ""
        runs, continues = _paragraph(texts, offset, _opens_with_mark(following))
        if going_on and runs and runs[0][0] == offset:
            spans[-1] = (spans[-1][0], runs[0][1])
            runs = runs[1:]
        spans += runs
        going_on = continues
        offset += len(texts)
    spans = [(first, last) for first, last in spans if last > first]
    outside = _outside(sentences, spans)
    known = known_names(sentences)
    return [Quotation(first, last, speaker(sentences[first], sentences[last],
                                           outside[max(0, first - LOOK_BACK):first],
                                           outside[last + 1] if last + 1 < len(outside) else "",
                                           known))
            for first, last in spans]


def _outside(sentences: Sequence[str], spans: Sequence[tuple[int, int]]) -> list[str]:
    """Each sentence's words outside the quotations over several sentences: none of one inside,
    the tag after the closing mark of one's last ("…,” de Blasio said."), the words before the
    opening mark of one's first."""
    out = list(sentences)
    for first, last in spans:
        for i in range(first + 1, last):
            out[i] = ""
        closing = next((i for i, opening in _marks(out[last]) if not opening), None)
        out[last] = out[last][closing + 1:] if closing is not None else ""
        opening = max((i for i, opening in _marks(out[first]) if opening), default=None)
        out[first] = out[first][:opening] if opening is not None else ""
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
