"""Build the derived word list of charged language (parley/core/data/charged_words.txt) from two
public lexicons, choosing how strong a word must be by cross-validation on BABE's expert-marked
biased words.

    python -m pip install -e ".[bench]" && python -m bench.build_lexicon

Sources (licences in parley/core/data/SOURCE.md): VADER's sentiment lexicon (vaderSentiment, MIT;
mean valence of ten raters, -4..4) and Pattern's subjectivity lexicon of English adjectives
(shipped in TextBlob, PDDL; polarity -1..1 and subjectivity 0..1 per sense, averaged). A word is
kept when it is strong enough in either, and, when BABE's training folds show it often enough, when
the experts mark it at least ``q`` of the times it occurs. The thresholds are chosen on four folds
and scored on the fifth; the figure reported is the held-out one. Nothing is learned at run time.
"""

from __future__ import annotations

import argparse
import itertools
import xml.etree.ElementTree as ET
from collections import defaultdict
from importlib import resources
from pathlib import Path

from bench.babe import Sentence, folds, marked_words, sentences
from parley.core.analysis.lexicon import build_lexicon
from parley.core.analysis.tokens import STOPWORDS, stem, words

OUT = Path(__file__).resolve().parent.parent / "parley" / "core" / "data" / "charged_words.txt"
VALENCE = (1.0, 1.5, 2.0, 2.5, 9.0)  # 9: VADER not used
SUBJECTIVITY = (0.4, 0.55, 0.7, 0.85, 2.0)  # 2: Pattern not used
PRECISION = (0.1, 0.15, 0.2, 0.3, 0.4, 0.5)
MIN_SEEN = 3


def vader() -> dict[str, float]:
    text = (resources.files("vaderSentiment") / "vader_lexicon.txt").read_text(encoding="utf-8")
    out = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) >= 2 and parts[0].isalpha():
            out[parts[0].lower()] = float(parts[1])
    return out


def pattern() -> dict[str, tuple[float, float]]:
    """Mean (polarity, subjectivity) of each adjective over its senses."""
    root = ET.fromstring((resources.files("textblob") / "en" / "en-sentiment.xml")
                         .read_text(encoding="utf-8"))
    senses: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for w in root.iter("word"):
        form = (w.get("form") or "").lower()
        if form.isalpha():
            senses[form].append((float(w.get("polarity", 0)), float(w.get("subjectivity", 0))))
    return {f: (sum(p for p, _ in v) / len(v), sum(s for _, s in v) / len(v))
            for f, v in senses.items()}


def candidates(v: float, s: float, val: dict[str, float],
               pat: dict[str, tuple[float, float]]) -> dict[str, str]:
    """Words strong enough in either lexicon, with the source that admits them."""
    out = {}
    for word, valence in val.items():
        if abs(valence) >= v:
            out[word] = f"vader {valence:+.1f}"
    for word, (polarity, subjectivity) in pat.items():
        if subjectivity >= s and abs(polarity) >= 0.2 and word not in out:
            out[word] = f"pattern {polarity:+.2f}/{subjectivity:.2f}"
    return {w: src for w, src in out.items() if len(w) > 3 and w not in STOPWORDS}


def word_stats(data: list[Sentence]) -> tuple[dict[str, int], dict[str, int]]:
    """Per stem: how often it occurs, and how often the experts marked it."""
    seen: dict[str, int] = defaultdict(int)
    marked: dict[str, int] = defaultdict(int)
    for x in data:
        for w in set(words(x.text)):
            seen[stem(w)] += 1
            marked[stem(w)] += w in x.words
    return seen, marked


def select(cands: dict[str, str], q: float, seen: dict[str, int],
           marked: dict[str, int]) -> dict[str, str]:
    return {w: src for w, src in cands.items()
            if seen.get(stem(w), 0) < MIN_SEEN or marked[stem(w)] / seen[stem(w)] >= q}


def score(data: list[Sentence], base: list[set[str]], chosen: set[str]) -> tuple[float, float]:
    """Word precision and recall with the bundled lexicon plus the chosen stems."""
    hit = found = gold = 0
    for x, fixed in zip(data, base, strict=True):
        mine = fixed | {w for w in words(x.text) if len(w) > 3 and stem(w) in chosen}
        hit += len(mine & x.words)
        found += len(mine)
        gold += len(x.words)
    return hit / max(1, found), hit / max(1, gold)


def f_half(p: float, r: float) -> float:
    """F0.5: a word marked is shown to members as loaded, so precision weighs twice recall."""
    return 1.25 * p * r / max(1e-9, 0.25 * p + r)


def main() -> None:
    argparse.ArgumentParser().parse_args()
    data = sentences()
    toml = (resources.files("parley.core.data") / "lexicon.toml").read_text(encoding="utf-8")
    bundled = build_lexicon((toml, "bundled lexicon"))  # the hand-listed terms, without the list
    base = [marked_words(bundled, x.text) for x in data]
    val, pat = vader(), pattern()
    grid = list(itertools.product(VALENCE, SUBJECTIVITY, PRECISION))
    pool = {(v, s): candidates(v, s, val, pat) for v, s in {(v, s) for v, s, _ in grid}}

    def best(train: list[int]) -> tuple[float, float, float]:
        seen, marked = word_stats([data[i] for i in train])
        sub, sub_base = [data[i] for i in train], [base[i] for i in train]
        scored = []
        for v, s, q in grid:
            chosen = {stem(w) for w in select(pool[v, s], q, seen, marked)}
            scored.append((f_half(*score(sub, sub_base, chosen)), v, s, q))
        _, v, s, q = max(scored)
        return v, s, q

    hit_p, hit_r = [], []
    for test in folds(len(data)):
        held = set(test)
        train = [i for i in range(len(data)) if i not in held]
        v, s, q = best(train)
        seen, marked = word_stats([data[i] for i in train])
        chosen = {stem(w) for w in select(pool[v, s], q, seen, marked)}
        p, r = score([data[i] for i in test], [base[i] for i in test], chosen)
        hit_p.append(p)
        hit_r.append(r)
        print(f"fold: valence {v}, subjectivity {s}, precision floor {q}: held-out P {p:.3f} "
              f"R {r:.3f}")
    p_all, r_all = score(data, base, set())
    print(f"bundled lexicon alone ({bundled.terms()} terms): P {p_all:.3f} R {r_all:.3f}")
    print(f"cross-validated with the derived words: P {sum(hit_p) / 5:.3f} R {sum(hit_r) / 5:.3f}")
    v, s, q = best(list(range(len(data))))
    seen, marked = word_stats(data)
    kept = select(pool[v, s], q, seen, marked)
    lines = [f"{w}\t{src}" for w, src in sorted(kept.items())]
    OUT.write_text(
        "# Charged words derived from VADER (MIT) and Pattern (PDDL); see SOURCE.md.\n"
        f"# Built by bench/build_lexicon.py: valence >= {v}, subjectivity >= {s}, "
        f"expert-marked share >= {q} where seen {MIN_SEEN}+ times in BABE SG2 (dev).\n"
        + "\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {len(lines)} words to {OUT}")


if __name__ == "__main__":
    main()
