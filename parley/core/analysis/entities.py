"""Named entities without a model: runs of capitalised words, acronyms and their connectors."""

from __future__ import annotations

import re
from collections.abc import Iterable

from parley.core.analysis.figures import MONTHS
from parley.core.analysis.tokens import STOPWORDS

CONNECTORS = frozenset({"of", "de", "del", "la", "los", "las", "y", "on", "and", "for", "the",
                        "da", "do", "van", "von", "al"})
NOT_ENTITIES = frozenset(set(MONTHS) | {"monday", "tuesday", "wednesday", "thursday", "friday",
                                        "saturday", "sunday", "i", "mr", "mrs", "ms", "dr"})
_TOKEN = re.compile(r"(?:[A-Z]\.){2,}|[A-Za-zÀ-ÿ][\w’'\-.]*[\w]|[A-Za-zÀ-ÿ]")


def _clean(token: str) -> str:
    """The token without a possessive "'s"."""
    return token[:-2] if token.endswith(("’s", "'s")) else token


def _capitalised(token: str) -> bool:
    return token[0].isupper() and _clean(token).lower() not in NOT_ENTITIES


def proper_nouns(sentences: Iterable[str]) -> set[str]:
    """Words that appear capitalised in the middle of a sentence: the article's proper nouns."""
    found: set[str] = set()
    for sentence in sentences:
        tokens = _TOKEN.findall(sentence)
        for token in tokens[1:]:
            if _capitalised(token) and token.lower() not in STOPWORDS:
                found.add(_clean(token))
    return found


def first_word(sentence: str) -> str:
    """The sentence's first word as :func:`extract_entities` looks it up in ``known`` (the one
    use it makes of ``known``), or "" for none: a caller comparing one text with many claims'
    names extracts its entities twice, not once a claim."""
    found = _TOKEN.search(sentence)
    return _clean(found.group(0)) if found else ""


def extract_entities(sentence: str, known: set[str] | None = None) -> list[str]:
    """Entity names in order of appearance, each once: ``Christopher Landau``, ``U.S.``.

    ``known`` is the article's set of proper nouns, used to tell a name that opens a sentence
    from an ordinary capitalised first word.
    """
    tokens = [(m.group(0), m.start(), m.end()) for m in _TOKEN.finditer(sentence)]
    entities: list[str] = []
    run: list[tuple[str, int, int]] = []

    def close() -> None:
        while run and run[-1][0].lower() in CONNECTORS:
            run.pop()
        if run:
            name = _clean(sentence[run[0][1]:run[-1][2]])
            if name not in entities:
                entities.append(name)
        run.clear()

    for i, (token, start, end) in enumerate(tokens):
        if run and sentence[run[-1][2]:start].strip() not in ("", "-"):
            close()  # punctuation between two capitalised words separates two names
        bare = _clean(token)
        nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
        if _capitalised(token):
            if i == 0 and (bare.lower() in STOPWORDS or (
                    bare not in (known or set()) and "." not in bare
                    and not (nxt and _capitalised(nxt)))):
                continue
            run.append((token, start, end))
            if token != bare:  # a possessive ends the name: "Peru’s bold moves"
                close()
        elif run and token.lower() in CONNECTORS and nxt and _capitalised(nxt) and (
                token.lower() != "and" or len(run) >= 3):
            run.append((token, start, end))
        else:
            close()
    close()
    return entities
