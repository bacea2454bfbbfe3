"""Checkable claims: which sentences state something checkable, of what type, and how strongly."""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from pydantic import BaseModel

from parley.core.analysis.checkworthiness import (
    ATTRIBUTION,
    CAUSAL,
    COMPARATIVE,
    checkworthiness,
    document_context,
)
from parley.core.analysis.entities import extract_entities
from parley.core.analysis.figures import Figure, extract_figures
from parley.core.analysis.saying import SPEECH_ACTS
from parley.core.analysis.speakers import split_label
from parley.core.analysis.tokens import fold, words
from parley.core.analysis.wordvectors import VectorMemo

ClaimType = Literal["statistic", "prediction", "comparison", "causal", "attribution",
                    "date_event"]
CLAIM_TYPES: tuple[ClaimType, ...] = ("prediction", "statistic", "comparison", "causal",
                                      "attribution", "date_event")
# A checkable anchor puts a claim above every sentence without one: score = ANCHOR + (1-ANCHOR)·p
ANCHOR = 0.5
MODEL_ONLY_THRESHOLD = 0.5
MODEL_ONLY_ENTITIES = 2
MIN_WORDS = 5

# Past-tense acts that date an event ("signed", "deployed"); base forms are too often wishes.
EVENT_VERBS = frozenset("""met meeting signed declared deployed announced approved voted passed
recognized recognised designated ratified opened launched arrested killed died elected appointed
visited inaugurated founded established introduced adopted imposed banned raised began started
ended closed won lost held hosted agreed released froze frozen tightened fell rose grew""".split())
_PREDICTION = re.compile(r"\b(?:will|won't|is expected to|are expected to|is projected to|"
                         r"are projected to|is forecast to|are forecast to|is set to|are set to|"
                         r"is likely to|plans to|is going to|are going to)\b", re.I)
_RELATIVE_WOULD = re.compile(r"\b\w+\s+(?:that|which)\s+would\b", re.I)
# A bound on a figure ("more than 50 people", "at least a million") or "at least temporarily"
# compares nothing with anything; neither does "rather than" or "other than".
_NOT_COMPARING = re.compile(r"\b(?:(?:more|less|fewer|greater)\s+than(?=\s+(?:an?\s+|about\s+|"
                            r"[$€£¥]|\d|one|two|three|four|five|six|seven|eight|nine|ten|twenty|"
                            r"thirty|forty|fifty|hundred|half|a\s+third|a\s+quarter|a\s+dozen|"
                            r"double|twice|doubled|tripled))|at\s+(?:least|most)|rather\s+than|"
                            r"other\s+than|(?:the\s+)?first\s+(?:time|meeting|face-to-face))\b",
                            re.I)
_COMPARISON = re.compile(r"\bthan\b|\b(?:largest|biggest|highest|lowest|smallest|most|least|"
                         r"record|first|double|doubled|tripled)\b|\b\w+est\b", re.I)


class Claim(BaseModel):
    """A checkable sentence with its type, score, figures and entities."""

    sentence: int  # the sentence's position in the article
    text: str
    type: ClaimType
    types: list[ClaimType]
    score: float
    checkworthiness: float
    figures: list[Figure]
    entities: list[str]


def claim_types(text: str, figures: list[Figure], entities: list[str]) -> list[ClaimType]:
    """Every type the sentence fits, most specific first."""
    tokens = set(words(text))
    kinds = {f.kind for f in figures}
    out: list[ClaimType] = []
    # "would" of the sentence's own verb is conditional ("That would mean…"); in a relative clause
    # it says what a bill, plan or pipeline provides ("a bill that would provide $25bn"): content.
    conditional = bool(kinds) and "would" in words(_RELATIVE_WOULD.sub(" ", text))
    if (_PREDICTION.search(fold(text)) and (kinds or entities)) or conditional:
        out.append("prediction")
    if kinds & {"money", "percent", "count"}:
        out.append("statistic")
    compared = _NOT_COMPARING.sub(" ", text)
    compared_tokens = tokens if compared == text else set(words(compared))
    if _COMPARISON.search(compared) and (compared_tokens & COMPARATIVE or " than " in compared):
        out.append("comparison")
    if tokens & CAUSAL:
        out.append("causal")
    if (tokens & SPEECH_ACTS or "according to" in fold(text)) and entities:
        out.append("attribution")
    if kinds & {"year", "date"} or (tokens & EVENT_VERBS and entities):
        out.append("date_event")
    order = {t: i for i, t in enumerate(CLAIM_TYPES)}
    return sorted(out, key=order.__getitem__)


def has_anchor(figures: list[Figure], entities: list[str], text: str) -> bool:
    """A figure or date, or a named actor that did, said or caused something: checkable."""
    if figures:
        return True
    return bool(entities) and bool(set(words(text)) & (EVENT_VERBS | ATTRIBUTION | SPEECH_ACTS
                                                        | CAUSAL))


def assess(index: int, text: str, published: date | None, known: set[str] | None,
           context: dict[str, float] | None = None, memo: VectorMemo | None = None
           ) -> Claim | None:
    """The claim in one sentence, or ``None`` when it states nothing checkable. A transcript's
    speaker label ("SANDERS: …") stays in the claim's text but is not read as part of it."""
    _, spoken = split_label(text)
    if len(words(spoken)) < MIN_WORDS or spoken.rstrip(" \"'”’").endswith("?"):
        return None
    figures = extract_figures(spoken, published)
    entities = extract_entities(spoken, known)
    p = checkworthiness(spoken, known, figures, entities, context, memo)
    anchored = has_anchor(figures, entities, spoken)
    if not anchored and not (p >= MODEL_ONLY_THRESHOLD and len(entities) >= MODEL_ONLY_ENTITIES):
        return None
    types = claim_types(spoken, figures, entities) or ["date_event"]
    score = (ANCHOR if anchored else 0.0) + (1 - ANCHOR) * p
    return Claim(sentence=index, text=text, type=types[0], types=types, score=round(score, 4),
                 checkworthiness=round(p, 4), figures=figures, entities=entities)


def find_claims(sentences: list[str], published: date | None, known: set[str] | None = None,
                speaker_of: list[str | None] | None = None, memo: VectorMemo | None = None
                ) -> list[Claim]:
    """The article's claims in reading order, each scored in its place in the article and, in a
    transcript, by who speaks it (``speaker_of``, one per sentence)."""
    contexts = document_context(sentences, speaker_of or [None] * len(sentences))
    return [c for i, (s, context) in enumerate(zip(sentences, contexts, strict=True))
            if (c := assess(i, s, published, known, context, memo))]
