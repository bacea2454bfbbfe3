"""Check-worthiness: ClaimBuster-style features of a sentence and a logistic score over them.

The hand features and their meaning are listed in ``HAND_FEATURES``, the features of a sentence's
place in its document in ``CONTEXT_FEATURES``; their learned weights, and those of the lexical and
meaning features, live in ``parley/core/data/checkworthiness.json`` (trained offline on the CLEF
2019 training split by ``bench/train_checkworthiness.py``; nothing is learned at run time).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Sequence
from functools import cache
from importlib import resources
from itertools import pairwise
from typing import Any

from parley.core.analysis.entities import extract_entities
from parley.core.analysis.figures import Figure, extract_figures
from parley.core.analysis.speakers import interviewers
from parley.core.analysis.tokens import STOPWORDS, fold, stem, words
from parley.core.analysis.wordvectors import DIMS, VectorMemo, text_vector

HAND_FEATURES: dict[str, str] = {
    "f:count": "a number or number word (not a year or date)",
    "f:money": "an amount of money",
    "f:percent": "a percentage",
    "f:year": "a year",
    "f:date": "a calendar date",
    "f:time_ref": "a relative time (last year, ago, since, so far)",
    "f:entity": "named entities (up to 3)",
    "f:comparative": "a comparative or change word (more than, larger, doubled, fell)",
    "f:superlative": "a superlative or record (safest, lowest ever, first time in, number-one)",
    "f:entity_act": "a named actor with a policy act or a figure (Sanders voted, Peru deployed)",
    "f:achievement": "we/our with a completed action (we have created, we passed)",
    "f:causal": "a causal verb or connective (caused, led to, because, drove)",
    "f:policy": "a policy or legislative act (voted, signed, passed, deployed, tariff)",
    "f:attribution": "reported speech or a source (said, according to, reported)",
    "f:opinion": "opinion or evaluative words (think, great, terrible, disgrace)",
    "f:modal": "a modal verb (should, could, must, might)",
    "f:exhortation": "a call to act (let's, we must, we need to, it's time to)",
    "f:question": "a question",
    "f:short": "fewer than six words",
    "f:long": "length in words, log-scaled",
    "f:first_person": "the speaker themself (I, me, my)",
    "f:second_person": "the listener (you, your)",
    "f:absolute": "a sweeping absolute (always, never, every, nobody)",
}

_TIME_REF = re.compile(r"\b(?:last|past|previous|this|next)\s+(?:year|month|week|decade)|\bago\b"
                       r"|\bsince\b|\bso far\b|\bsince\b|\btoday\b|\byesterday\b", re.I)
COMPARATIVE = frozenset("""more less fewer than most least largest biggest highest lowest
smallest fastest slowest best worst first record greatest larger bigger higher lower smaller
faster slower better worse double doubled triple tripled half times increase increased decrease
decreased rise rose fell drop dropped grew grown growth decline declined""".split())
CAUSAL = frozenset("""because caused causes cause causing led leads lead result resulted results
due thanks drive drove driving drives boost boosted fuel fueled fuelled create created creates
creating cut cuts reduce reduced reduces raise raised raises prevent prevented deter deters
deterred""".split())
POLICY = frozenset("""vote voted votes voting sign signed signs pass passed passes approve
approved approves enact enacted ban banned bans fund funded funding tax taxes tariff tariffs law
laws bill bills regulation regulations agreement treaty budget spend spent spending deploy
deployed deport deported declare declared designated ratified repeal repealed veto vetoed
sanction sanctions policy program programme""".split())
ATTRIBUTION = frozenset("""said says say told tell according report reported reports announced
stated claimed claims estimate estimated estimates found finds showed shows data survey poll
study""".split())
OPINION = frozenset("""think thinks believe believes feel feels hope wish love loves hate great
terrible wonderful beautiful amazing horrible disgrace disgraceful sad tremendous fantastic
incredible awful stupid crazy nice good bad worst best proud happy honored honoured thank
thanks folks frankly believe""".split())
MODAL = frozenset("should could would might may must can shall ought".split())
FIRST_PERSON = frozenset("i me my mine myself i'm i've i'd i'll".split())
SECOND_PERSON = frozenset("you your yours you're you've".split())
ABSOLUTE = frozenset("always never every everyone everybody nobody nothing all none".split())
_SUPERLATIVE = re.compile(r"\b(?!(?:interest|honest|rest|test|west|east|request|protest|"
                         r"contest|arrest|forest|guest|invest|suggest|latest|modest|harvest|"
                         r"manifest|digest|chest|quest|nest|pest|vest|best)\b)[a-z]{3,}est\b"
                         r"|\bever\b|\bnumber[- ]one\b|\bfirst time\b|\brecord\b|\bmost\b",
                         re.I)
_ACHIEVEMENT = re.compile(r"\b(?:we|we've|we have|our \w+ (?:has|have))\s+(?:\w+ly\s+)?"
                          r"(?:[a-z]+ed|built|made|won|cut|brought|begun|grown|sold|spent|taken)\b",
                          re.I)
_EXHORT = re.compile(r"^(?:let's|let us)\b|\b(?:we|you) (?:must|need to|have to|should)\b"
                     r"|\bit's time to\b|\bit is time to\b", re.I)


def hand_features(sentence: str, known: set[str] | None = None,
                  figures: list[Figure] | None = None,
                  entities: list[str] | None = None) -> dict[str, float]:
    """The interpretable features of one sentence (pass figures and entities if known)."""
    tokens = words(sentence)
    figures = extract_figures(sentence) if figures is None else figures
    entities = extract_entities(sentence, known) if entities is None else entities
    kinds = [f.kind for f in figures]
    token_set = set(tokens)
    feats: dict[str, float] = {
        "f:count": float(min(kinds.count("count"), 2)),
        "f:money": float("money" in kinds),
        "f:percent": float("percent" in kinds),
        "f:year": float("year" in kinds),
        "f:date": float("date" in kinds),
        "f:time_ref": float(bool(_TIME_REF.search(sentence))),
        "f:entity": float(min(len(entities), 3)),
        "f:comparative": float(bool(token_set & COMPARATIVE)),
        "f:superlative": float(bool(_SUPERLATIVE.search(sentence))),
        "f:achievement": float(bool(_ACHIEVEMENT.search(fold(sentence)))),
        "f:causal": float(bool(token_set & CAUSAL)),
        "f:policy": float(bool(token_set & POLICY)),
        "f:attribution": float(bool(token_set & ATTRIBUTION)),
        "f:opinion": float(bool(token_set & OPINION)),
        "f:modal": float(bool(token_set & MODAL)),
        "f:exhortation": float(bool(_EXHORT.search(fold(sentence)))),
        "f:question": float(sentence.rstrip().endswith("?")),
        "f:short": float(len(tokens) < 6),
        "f:long": math.log1p(len(tokens)),
        "f:first_person": float(bool(token_set & FIRST_PERSON)),
        "f:second_person": float(bool(token_set & SECOND_PERSON)),
        "f:absolute": float(bool(token_set & ABSOLUTE)),
    }
    feats["f:entity_act"] = float(bool(feats["f:entity"]) and (
        bool(token_set & POLICY) or any(k != "year" for k in kinds)))
    return {k: v for k, v in feats.items() if v}


def _norm(word: str) -> str:
    return "<num>" if word[0].isdigit() else word


def lexical_features(sentence: str) -> dict[str, float]:
    """Stemmed content-word unigrams and folded bigrams, numbers collapsed to ``<num>``."""
    tokens = [_norm(w) for w in words(sentence)]
    feats = {f"w:{stem(w) if w != '<num>' else w}": 1.0 for w in tokens if w not in STOPWORDS}
    feats.update({f"b:{a}_{b}": 1.0 for a, b in pairwise(tokens)})
    return feats


# Weight of the meaning features against the sparse ones under one regularisation strength;
# chosen with C by cross-validation on the training debates (2, over 1, 3 and 5).
EMBEDDING_SCALE = 2.0
MEANING_FEATURES = tuple(f"e:{i}" for i in range(DIMS))  # one per dimension of the vector


def meaning_features(sentence: str, memo: VectorMemo | None = None) -> dict[str, float]:
    """The sentence's mean GloVe direction, ``e:0`` to ``e:49``, so that the model generalises
    from the words it was trained on to words of like meaning."""
    vector = text_vector(sentence, memo)
    if vector is None:
        return {}
    return dict(zip(MEANING_FEATURES, (EMBEDDING_SCALE * x for x in vector), strict=True))


# Fitted after the sentence model, on its out-of-fold scores, so they weigh only what the text
# itself cannot show; scaled to the sentence model's logit.
CONTEXT_FEATURES: dict[str, str] = {
    "c:position": "where the sentence stands: -0.5 at the first sentence, towards +0.5 at the last",
    "c:interviewer": "spoken by someone who mostly asks questions (a moderator, an interviewer)",
}


def context_features(index: int, count: int, interviewer: bool = False) -> dict[str, float]:
    """The features of the ``index``-th of ``count`` sentences, by place and by speaker."""
    feats = {"c:position": index / max(1, count) - 0.5}
    if interviewer:
        feats["c:interviewer"] = 1.0
    return feats


def document_context(texts: Sequence[str], speaker_of: Sequence[str | None],
                     share: float | None = None) -> list[dict[str, float]]:
    """Every sentence's context features, in a document of ``texts`` spoken by ``speaker_of``
    (all ``None`` for an article with one voice); ``share`` overrides the shipped one."""
    asking = interviewers(speaker_of, texts, interviewer_share() if share is None else share)
    return [context_features(i, len(texts), who in asking) for i, who in enumerate(speaker_of)]


def features(sentence: str, known: set[str] | None = None, figures: list[Figure] | None = None,
             entities: list[str] | None = None, memo: VectorMemo | None = None
             ) -> dict[str, float]:
    return {**hand_features(sentence, known, figures, entities), **lexical_features(sentence),
            **meaning_features(sentence, memo)}


@cache
def _shipped() -> dict[str, Any]:
    return dict(json.loads((resources.files("parley.core.data") / "checkworthiness.json")
                           .read_text(encoding="utf-8")))


@cache
def model() -> tuple[float, dict[str, float]]:
    """The shipped bias and weights."""
    data = _shipped()
    return float(data["bias"]), {k: float(v) for k, v in data["weights"].items()}


def interviewer_share() -> float:
    """Above this share of questions a speaker is taken to be an interviewer (trained with the
    context weights)."""
    return float(_shipped()["interviewer_question_share"])


def logit(feats: dict[str, float]) -> float:
    bias, weights = model()
    return bias + sum(weights.get(name, 0.0) * value for name, value in feats.items())


def checkworthiness(sentence: str, known: set[str] | None = None,
                    figures: list[Figure] | None = None, entities: list[str] | None = None,
                    context: dict[str, float] | None = None, memo: VectorMemo | None = None
                    ) -> float:
    """Probability-like score in (0, 1) that a sentence is worth checking, in its ``context``
    (``context_features``) when known."""
    feats = features(sentence, known, figures, entities, memo)
    return 1.0 / (1.0 + math.exp(-logit({**feats, **(context or {})})))
