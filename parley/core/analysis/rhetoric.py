"""Heat and opinion: how charged a sentence is, and whether it argues rather than reports."""

from __future__ import annotations

import math
import re

from parley.core.analysis.checkworthiness import MODAL, OPINION
from parley.core.analysis.lexicon import Lexicon, Mark
from parley.core.analysis.saying import REPORTING, alternation
from parley.core.analysis.tokens import fold, words

HEAT_SCALE = 1.5
EXCLAMATION_HEAT = 0.5
QUESTION_HEAT = 0.3

EVALUATIVE = frozenset("""bold boldly tough weak weaker strong stronger smart real gritty clear
loud desperately proud right wrong fair unfair good bad better worse best worst key vital crucial
essential urgent failed failing broken""".split()) | OPINION
# A sentence opening with one of these verbs tells the reader what to do or think.
IMPERATIVES = frozenset("""stop amend pass end let make give take build fix raise cut ban close
open restore reform repeal tighten invest protect support reject vote demand remember imagine
consider look think ask tell call join fund enforce deport secure""".split())
_PRESCRIPTIVE = re.compile(r"\b(?:should|must|ought to|need to|needs to|it's time|it is time|"
                           r"let's|let us|has to|have to)\b")
# "X isn't just Y; it's Z", "this isn't charity": the contrast is the author's framing.
_NOT_JUST = re.compile(r"\b(?:isn't|aren't|wasn't|weren't|is not|are not|not)\s+"
                       r"(?:just|only|merely|simply|about|some|a|an)\b[^;:]*[;:,]\s*"
                       r"(?:it's|they're|it is|they are|this is|but)\b")
_REPORTING = re.compile(rf"\b{alternation(REPORTING)}\b")


def sentence_heat(sentence: str, marks: list[Mark], lexicon: Lexicon) -> float:
    """0 for a neutral sentence, approaching 1 as loaded terms pile up."""
    raw = sum(lexicon.weight(m.category) for m in marks)
    stripped = sentence.rstrip(" \"'”’)")
    if stripped.endswith("!"):
        raw += EXCLAMATION_HEAT
    if stripped.endswith("?"):
        raw += QUESTION_HEAT
    return round(1.0 - math.exp(-raw / HEAT_SCALE), 4)


def opinion_score(sentence: str, marks: list[Mark]) -> float:
    """0..1: how much the sentence argues or judges rather than reports."""
    folded = fold(sentence)
    tokens = set(words(sentence))
    score = 0.0
    score += 0.35 * min(len(marks), 2)
    score += 0.3 * bool(tokens & EVALUATIVE)
    score += 0.3 * bool(_PRESCRIPTIVE.search(folded))
    score += 0.15 * bool(tokens & MODAL)
    score += 0.25 * folded.rstrip().endswith(("?", "!"))
    score += 0.3 * bool(_NOT_JUST.search(folded))
    first = folded.split(" ", 1)[0]
    score += 0.4 * (first in IMPERATIVES)
    if _REPORTING.search(folded):
        score -= 0.3
    return round(max(0.0, min(1.0, score)), 4)


def is_opinion(score: float) -> bool:
    return score >= 0.3


def article_heat(heats: list[float]) -> float:
    """The mean heat of an article's sentences, 0..1."""
    return round(sum(heats) / len(heats), 4) if heats else 0.0


# A closing single quote is also the apostrophe (it’s): it closes a quote only when no letter
# follows.
_SINGLE_CLOSE = re.compile(r"’(?![a-z])", re.I)


def quoted(sentence: str, fragment: str) -> bool:
    """Whether ``fragment`` sits inside quotation marks in the sentence: someone else's words,
    reported, rather than the article's own voice. The fragment is found as whole words ("dire"
    is not the start of "redirect")."""
    if "“" not in sentence and '"' not in sentence and "‘" not in sentence:
        return False  # no quotation mark opens anywhere: decided without looking for the words
    at = _whole_words_at(sentence, fragment)
    if at < 0:
        at = sentence.find(fragment)
        if at < 0:
            return False
    before = sentence[:at]
    double = before.count("“") - before.count("”") + before.count('"') % 2
    single = before.count("‘") - len(_SINGLE_CLOSE.findall(before))
    return double > 0 or single > 0


def _word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _whole_words_at(sentence: str, fragment: str) -> int:
    """Where ``fragment`` first stands in ``sentence`` as whole words (no letter, digit or "_"
    touching it on either side), or -1."""
    at = sentence.find(fragment)
    while at >= 0:
        end = at + len(fragment)
        if not (at and _word_char(sentence[at - 1])) and not (
                end < len(sentence) and _word_char(sentence[end])):
            return at
        at = sentence.find(fragment, at + 1)
    return -1
