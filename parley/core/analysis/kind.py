"""Article kind: news, opinion, analysis, fact check, explainer or interview.

The address and a labelled title ("Fact check: …", "/opinion/") decide when they speak; otherwise
a logistic model over the text's words and voice separates opinion from news. Its weights live in
``parley/core/data/kind.json``, trained offline by ``bench/train_kind.py`` on the public AllSides
crawl; nothing is learned at run time.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Literal

from parley.core.analysis.saying import REPORTED, alternation
from parley.core.analysis.tokens import STOPWORDS, stem, words

ArticleKind = Literal["news", "opinion", "analysis", "factcheck", "explainer", "interview"]
KINDS: tuple[ArticleKind, ...] = ("news", "opinion", "analysis", "factcheck", "explainer",
                                  "interview")
LABELS: dict[ArticleKind, str] = {"news": "News", "opinion": "Opinion", "analysis": "Analysis",
                                  "factcheck": "Fact check", "explainer": "Explainer",
                                  "interview": "Interview"}

# Sections of an address that name the kind outright (folded, split on anything not a letter).
_URL_KIND: tuple[tuple[ArticleKind, re.Pattern[str]], ...] = (
    ("factcheck", re.compile(r"(?:^|/)(?:fact-?checks?|fact-?checker|truth-?o-?meter|"
                             r"reality-?check)(?:/|-|$)")),
    ("opinion", re.compile(r"(?:^|/)(?:opinions?|commentary|editorials?|columns?|columnists?|"
                           r"op-?eds?|voices|perspectives?|views|blogs?/opinion)(?:/|-|$)")),
    ("analysis", re.compile(r"(?:^|/)(?:analysis|news-analysis)(?:/|-|$)")),
    ("explainer", re.compile(r"(?:^|/)(?:explainers?|explained)(?:/|-|$)")),
    ("interview", re.compile(r"(?:^|/)(?:interviews?|q-?and-?a)(?:/|$)")),
)
# A title or first line that names the kind ("Opinion | …", "FACT CHECK: …", "Analysis: …").
_TITLE_KIND: tuple[tuple[ArticleKind, re.Pattern[str]], ...] = (
    # An outlet may come first ("AP FACT CHECK: …", "CNN Reality Check: …").
    ("factcheck", re.compile(r"^(?:[\w.&'’]+\s+){0,3}?(?:fact[- ]?check(?:er|ing)?|reality check|"
                             r"truth test)\b\s*[:|–-]|^fact[- ]check\b|\bfact[- ]checked\s*$",
                             re.I)),
    ("opinion", re.compile(r"^(?:opinion|commentary|op-ed|editorial|column|letters?|"
                           r"our view|my view|viewpoint|perspective)\s*[:|–-]", re.I)),
    ("analysis", re.compile(r"^(?:analysis|news analysis)\s*[:|–-]", re.I)),
    ("explainer", re.compile(r"^(?:explainer|explained|q&a|factbox|fact box)\s*[:|–-]"
                             r"|^(?:what|everything) (?:you need|to know)\b", re.I)),
    ("interview", re.compile(r"^(?:interview|transcript)\s*[:|–-]", re.I)),
)

FIRST_SINGULAR = frozenset("i me my mine myself i'm i've i'd i'll".split())
FIRST_PLURAL = frozenset("we us our ours ourselves we're we've we'll".split())
SECOND = frozenset("you your yours yourself you're you've".split())
MODAL = frozenset("should must ought needs need".split())
REPORTING = frozenset("said says told according announced reported spokesman spokeswoman".split())
# A wire dateline: "WASHINGTON (AP) — ", "NEW YORK (Reuters) - ", "LONDON — ".
DATELINE = re.compile(r"^[A-Z][A-Z .,'/-]{2,40}(?:\([^)]{1,30}\))?\s*[-–—]\s", re.M)

HAND_FEATURES: dict[str, str] = {
    "h:first_singular": "I, me, my per 100 words",
    "h:first_plural": "we, us, our per 100 words",
    "h:second": "you, your per 100 words",
    "h:modal": "should, must, ought, need per 100 words",
    "h:reporting": "said, told, according to per 100 words",
    "h:questions": "question marks per 100 words",
    "h:exclamations": "exclamation marks per 100 words",
    "h:quotes": "quotation marks per 100 words",
    "h:digits": "numbers per 100 words",
    "h:dateline": "opens on a dateline (WASHINGTON (Reuters) - )",
    "h:length": "length in words, log-scaled",
}
# Article-level features from the learned sentence scores (``bias.py``), each × 3.
SENTENCE_FEATURES: dict[str, str] = {
    "x:opinion_mean": "mean probability that a sentence voices the writer's opinion",
    "x:bias_mean": "mean probability that a sentence's wording is biased",
    "x:opinion_share": "share of sentences judged opinion",
    "x:bias_share": "share of sentences judged biased",
    "x:quoted_share": "share of sentences holding a quotation",
    "x:said_share": "share of sentences reporting speech (said, told, according to)",
}
SentenceScore = tuple[str, float, float]  # a sentence, its bias and its opinion probability
_SAID = re.compile(rf"\b{alternation(REPORTED)}\b")


def _url_path(url: str) -> str:
    path = re.sub(r"^[a-z]+://[^/]+", "", url.lower())
    return path.split("?", 1)[0]


def kind_from_address(url: str | None) -> ArticleKind | None:
    """The kind the address names (``/opinion/``, ``/fact-check/``), if any."""
    if not url:
        return None
    path = _url_path(url)
    return next((kind for kind, pattern in _URL_KIND if pattern.search(path)), None)


def kind_from_label(title: str, first_lines: list[str]) -> ArticleKind | None:
    """The kind a title or the first lines label the article with."""
    for line in [title, *first_lines]:
        for kind, pattern in _TITLE_KIND:
            if pattern.search(line.strip()):
                return kind
    return None


def sentence_features(sentences: Sequence[SentenceScore]) -> dict[str, float]:
    """``SENTENCE_FEATURES`` of the article's sentences with their learned scores."""
    if not sentences:
        return {}
    from parley.core.analysis.bias import threshold

    n = len(sentences)
    biased, opinion = threshold("bias"), threshold("opinion")
    return {"x:opinion_mean": 3.0 * sum(o for _, _, o in sentences) / n,
            "x:bias_mean": 3.0 * sum(b for _, b, _ in sentences) / n,
            "x:opinion_share": 3.0 * sum(o >= opinion for _, _, o in sentences) / n,
            "x:bias_share": 3.0 * sum(b >= biased for _, b, _ in sentences) / n,
            "x:quoted_share": 3.0 * sum(any(q in t for q in '"“”') for t, _, _ in sentences) / n,
            "x:said_share": 3.0 * sum(bool(_SAID.search(t.lower())) for t, _, _ in sentences) / n}


def text_features(title: str, body: str, sentences: Sequence[SentenceScore] | None = None,
                  body_words: Sequence[str] | None = None) -> dict[str, float]:
    """The text's features: its voice (per 100 words), which content words it uses and, given
    its sentences' learned scores, how much of it argues (``SENTENCE_FEATURES``). ``body_words``
    is ``words(body)`` where the caller has it."""
    tokens = words(body) if body_words is None else body_words
    n = max(1, len(tokens))
    counts = Counter(tokens)

    def rate(vocab: frozenset[str]) -> float:
        return math.log1p(100.0 * sum(counts[w] for w in vocab) / n)

    feats: dict[str, float] = {
        "h:first_singular": rate(FIRST_SINGULAR),
        "h:first_plural": rate(FIRST_PLURAL),
        "h:second": rate(SECOND),
        "h:modal": rate(MODAL),
        "h:reporting": rate(REPORTING),
        "h:questions": math.log1p(100.0 * body.count("?") / n),
        "h:exclamations": math.log1p(100.0 * body.count("!") / n),
        "h:quotes": math.log1p(100.0 * sum(body.count(q) for q in '"“”') / n),
        "h:digits": math.log1p(100.0 * sum(c for w, c in counts.items() if w[0].isdigit()) / n),
        "h:dateline": float(bool(DATELINE.match(body.lstrip()))),
        "h:length": math.log1p(n) / 5.0,
    }
    stems = {stem(w) for w in counts  # each distinct word once
             if w not in STOPWORDS and len(w) > 2 and not w[0].isdigit()}
    scale = 10.0 / math.sqrt(max(1, len(stems)))  # long and short articles weigh alike
    feats.update({f"w:{s}": scale for s in stems})
    feats.update({f"t:{stem(w)}": 1.0 for w in words(title) if w not in STOPWORDS})
    feats.update(sentence_features(sentences or []))
    return feats


@cache
def _model() -> tuple[float, dict[str, float], float]:
    data = json.loads((resources.files("parley.core.data") / "kind.json").read_text("utf-8"))
    return (float(data["bias"]), {k: float(v) for k, v in data["weights"].items()},
            float(data["threshold"]))


def opinion_probability(title: str, body: str,
                        sentences: Sequence[SentenceScore] | None = None,
                        body_words: Sequence[str] | None = None) -> float:
    """The text model's probability that the article argues (opinion) rather than reports."""
    bias, weights, _ = _model()
    feats = text_features(title, body, sentences, body_words)
    z = bias + sum(weights.get(k, 0.0) * v for k, v in feats.items())
    return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))


def text_kind(title: str, body: str, sentences: Sequence[SentenceScore] | None = None,
              body_words: Sequence[str] | None = None) -> ArticleKind:
    """Opinion or news from the text alone (and its sentences' learned scores, when given)."""
    probability = opinion_probability(title, body, sentences, body_words)
    return "opinion" if probability >= _model()[2] else "news"


def classify_kind(title: str, body: str, url: str | None = None,
                  first_lines: list[str] | None = None, transcript: bool = False
                  ) -> ArticleKind:
    """The article's kind: what its address or label says, an interview if it is a transcript of
    two or more voices, else the text model's opinion or news."""
    return (kind_from_address(url) or kind_from_label(title, first_lines or [])
            or ("interview" if transcript else None) or text_kind(title, body))
