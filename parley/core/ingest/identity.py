"""An article's identity: a content hash for idempotence and a short, readable slug."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import Counter

from parley.core.data import load_words
from parley.core.models import ParsedArticle

STOPWORDS = load_words("stopwords")
NUMBER_WORDS = frozenset({"thousand", "million", "billion", "trillion", "percent"})
SLUG_WORDS = 3
SLUG_MAX = 40


def content_hash(article: ParsedArticle) -> str:
    """SHA-256 of the title and the sentences, whitespace and case folded."""
    h = hashlib.sha256()
    h.update(" ".join(article.title.lower().split()).encode())
    for section in article.sections:
        for sentence in section.sentences:
            h.update(b"\x1f" + " ".join(sentence.text.split()).encode())
    return h.hexdigest()


def _ascii_words(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return re.findall(r"[a-z0-9]+", folded)


def make_slug(article: ParsedArticle) -> str:
    """The title's words the article uses most, in title order: ``peru-illegal-immigration``."""
    body = Counter(
        w for sec in article.sections for s in sec.sentences for w in _ascii_words(s.text)
    )
    title_words = [w for w in _ascii_words(article.title)
                   if w not in STOPWORDS and w not in NUMBER_WORDS and len(w) > 1
                   and not w.isdigit()]
    seen: list[str] = []
    for w in title_words:
        if w not in seen:
            seen.append(w)
    ranked = sorted(seen, key=lambda w: (-body[w], seen.index(w)))[:SLUG_WORDS]
    chosen = [w for w in seen if w in ranked]
    slug = "-".join(chosen)[:SLUG_MAX].strip("-")
    return slug or "article"
