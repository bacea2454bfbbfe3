"""Opposing views an article mentions (“critics who claim…”), restated as plain statements."""

from __future__ import annotations

import re

from pydantic import BaseModel

from parley.core.analysis.lexicon import Lexicon
from parley.core.analysis.standalone import PREPOSITIONS, fragment
from parley.core.analysis.tokens import STOPWORDS, fold, words

HOLDERS = (r"critics|opponents|advocates|skeptics|sceptics|naysayers|detractors|"
           r"internationalists|activists|economists|experts|analysts|lobbyists|supporters|"
           r"environmentalists|conservatives|liberals|progressives|democrats|republicans|"
           r"defenders|proponents|campaigners|some|others|those|many|people")
# stance verb → (neutral verb, takes a clause ("that …") or a noun phrase)
STANCES: dict[str, tuple[str, bool]] = {
    "claim": ("argue", True), "claims": ("argue", True), "argue": ("argue", True),
    "argues": ("argue", True), "say": ("say", True), "says": ("say", True),
    "insist": ("argue", True), "believe": ("believe", True), "contend": ("argue", True),
    "maintain": ("argue", True), "warn": ("warn", True), "fear": ("worry", True),
    "worry": ("worry", True), "suggest": ("suggest", True), "reply": ("reply", True),
    "point out": ("point out", True), "counter": ("argue", True), "think": ("think", True),
    "moan about": ("object to", False), "complain about": ("object to", False),
    "whine about": ("object to", False), "worry about": ("are concerned about", False),
    "warn about": ("warn about", False), "warn of": ("warn of", False),
    "cry about": ("object to", False), "object to": ("object to", False),
    "rail against": ("oppose", False), "oppose": ("oppose", False),
    "would rather": ("would prefer to", False), "'d rather": ("would prefer to", False),
    "’d rather": ("would prefer to", False),
}
_STANCE = "|".join(sorted((re.escape(s) for s in STANCES), key=len, reverse=True))
_MODIFIER = r"(?:[\w’'-]+\s+){0,2}?"
# An adverb may come between the verb and its clause: "argue vigorously that …".
_RELATIVE = re.compile(
    rf"\b(?P<label>{_MODIFIER})(?P<holder>{HOLDERS})\s+(?:who|that)\s*(?P<stance>{_STANCE})"
    rf"\s+(?:\w+ly\s+)?(?:that\s+)?(?P<view>.+)", re.I)
_SUBJECT = re.compile(
    rf"^(?:but\s+|and\s+|still,\s+|yet\s+)?(?P<label>{_MODIFIER})(?P<holder>{HOLDERS})"
    rf"\s+(?P<stance>{_STANCE})\s+(?:\w+ly\s+)?(?:that\s+)?(?P<view>.+)", re.I)
# A view clause that cannot be restated on its own: it opens on a verb (its subject cut off,
# "are pretty much making that stuff up") or on a condition ("even if the mandate is struck
# down"), or the cut left no finite verb ("control of both the House and Senate").
_NOT_A_CLAUSE = re.compile(r"^(?:is|are|was|were|has|have|had|do|does|did|will|would|can|could|"
                           r"should|may|might|must|even if|even though|if|unless|when|while|"
                           r"because|although|though|whether|as if)\b", re.I)
_CLAUSE_END = re.compile(r"[.;:!?]|,\s|\s[—–]\s")
_PHRASE_END = re.compile(r"[.;:!?,]|\s[—–]\s|\s(?:is|are|was|were|miss|misses|have|has|should|"
                         r"can|could|will|would|don't|do|fail|fails|ignore|ignores|forget|"
                         r"overlook|need|want)\b", re.I)
_HOLDER_WORDS = tuple(HOLDERS.split("|"))
NEUTRAL_HOLDER = {"naysayers": "critics", "detractors": "critics", "some": "some people",
                  "those": "some people", "others": "others", "many": "many people"}


class OpposingView(BaseModel):
    """A view the article attributes to others, stated plainly."""

    holder: str
    stance: str
    view: str
    statement: str
    framed: bool


def _trim(view: str, clause: bool, lexicon: Lexicon) -> str:
    cut = (_CLAUSE_END if clause else _PHRASE_END).search(view)
    view = view[:cut.start()] if cut else view
    for mark in lexicon.find(view):
        if mark.category == "strawman" and mark.start > 0:
            view = view[:mark.start]
            break
    return _balance_quotes(view.strip(" ,").strip())


def _balance_quotes(text: str) -> str:
    """Close a quotation the cut left open, drop a closing one left alone."""
    for opening, closing in (("‘", "’"), ("“", "”")):
        if text.count(opening) > text.count(closing):
            text += closing
        elif text.count(closing) > text.count(opening) and text.endswith(closing) \
                and "’" not in text[:-1]:
            text = text[:-1]
    if text.count('"') % 2:
        text = text + '"' if text.startswith('"') or ' "' in text else text.replace('"', "")
    return text


def restatable(view: str) -> bool:
    """Whether a view's clause, cut from its sentence, is a whole statement of its own."""
    return not _NOT_A_CLAUSE.match(view) and not fragment(f"{view[:1].upper()}{view[1:]}.")


def find_opposing_views(sentence: str, lexicon: Lexicon) -> list[OpposingView]:
    """The views of others this sentence reports, each as a neutral statement."""
    folded = fold(sentence)
    if not any(holder in folded for holder in _HOLDER_WORDS):
        return []  # both patterns need a holder: most sentences are decided without them
    found = []
    for pattern in (_SUBJECT, _RELATIVE):
        match = pattern.search(sentence)
        if not match:
            continue
        stance_key = match["stance"].lower().replace("’", "'")
        neutral, clause = STANCES.get(stance_key, ("say", True))
        view = _trim(match["view"], clause, lexicon)
        if len(view.split()) < 2 or (clause and not restatable(view)):
            continue
        label_words = match["label"].split()
        if any(w.lower() in ("no", "zero", "few", "none") for w in label_words):
            continue  # "I know zero liberals who believe …": a view nobody is said to hold
        while label_words and (any(w in STOPWORDS for w in words(" ".join(label_words)))
                               or label_words[0].lower().endswith(("ed", "ing"))
                               or label_words[0].lower() in PREPOSITIONS):
            label_words.pop(0)  # "from open-border advocates" → "open-border"; "Angered many"
        label = " ".join(label_words)
        holder_word = match["holder"].lower()
        labelled = f"{label} {holder_word}".strip().lower()
        loaded_label = any(m.category in ("opponent_label", "pejorative")
                           for m in lexicon.find(labelled))
        holder = NEUTRAL_HOLDER.get(holder_word, holder_word)
        if loaded_label and holder_word not in NEUTRAL_HOLDER:
            holder = f"some {holder_word}"
        elif label and not loaded_label and label.lower() not in ("the", "these", "many"):
            holder = f"{label.lower()} {holder}"
        framed = loaded_label or any(m.category in ("strawman", "opponent_label")
                                     for m in lexicon.find(sentence))
        link = " that " if clause else " "
        statement = f"{holder[0].upper()}{holder[1:]} {neutral}{link}{view}."
        found.append(OpposingView(holder=holder, stance=neutral, view=view,
                                  statement=statement, framed=framed))
        break
    return found
