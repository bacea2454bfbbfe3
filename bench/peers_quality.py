"""What a user would reach for instead: sumy's LexRank and TextRank for summaries, rank-bm25
for lookups — measured on the same data, with the same scorer, in the same run."""

from __future__ import annotations

import asyncio
import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.fact_lookup import questions
from bench.quality import FRANK, _lines
from bench.timing import p50_p99
from parley.core.analysis.sentences import split_sentences
from parley.core.analysis.summarize import extract
from parley.core.analysis.tokens import content_stems, words
from parley.core.search.lookup import lookup


class OfflineTokenizer:
    """sumy's tokenizer interface over Parley's segmenter (sumy's own needs NLTK data)."""

    language = "english"

    def to_sentences(self, paragraph: str) -> tuple[str, ...]:
        return tuple(split_sentences(paragraph))

    def to_words(self, sentence: str) -> tuple[str, ...]:
        return tuple(words(sentence))


def summaries(limit: int | None) -> dict[str, dict[str, float]]:
    """ROUGE-1/2/Lsum and ms per article for Parley, sumy LexRank, sumy TextRank, Lead-3."""
    from rouge_score import rouge_scorer
    from sumy.nlp.stemmers import Stemmer
    from sumy.parsers.plaintext import PlaintextParser
    from sumy.summarizers.lex_rank import LexRankSummarizer
    from sumy.summarizers.text_rank import TextRankSummarizer
    from sumy.utils import get_stop_words

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    rows = [json.loads(line) for line in FRANK.read_text(encoding="utf-8").splitlines()][:limit]
    stemmer = Stemmer("english")
    peers: dict[str, Any] = {}
    for name, cls in (("sumy LexRank", LexRankSummarizer), ("sumy TextRank", TextRankSummarizer)):
        summarizer = cls(stemmer)
        summarizer.stop_words = get_stop_words("english")
        peers[name] = summarizer
    tokenizer = OfflineTokenizer()
    totals: dict[str, list[float]] = {}
    times: dict[str, list[float]] = {}

    def add(name: str, reference: str, chosen: list[str], seconds: float) -> None:
        scores = scorer.score(reference, "\n".join(chosen))
        acc = totals.setdefault(name, [0.0, 0.0, 0.0])
        for k, key in enumerate(("rouge1", "rouge2", "rougeLsum")):
            acc[k] += scores[key].fmeasure
        times.setdefault(name, []).append(seconds * 1000)

    for row in rows:
        sentences = [s for s in row["article_lines"] if s.strip()]
        reference = _lines(row["reference"])
        t0 = time.perf_counter()
        picked = [sentences[i] for i in extract(sentences, 3)]
        add("Parley", reference, picked, time.perf_counter() - t0)
        add("Lead-3", reference, sentences[:3], 0.0)
        for name, summarizer in peers.items():
            t0 = time.perf_counter()
            document = PlaintextParser.from_string("\n".join(sentences), tokenizer).document
            chosen = [str(s) for s in summarizer(document, 3)]
            add(name, reference, chosen, time.perf_counter() - t0)
    n = len(rows)
    return {name: {"rouge1": round(100 * a / n, 2), "rouge2": round(100 * b / n, 2),
                   "rougeLsum": round(100 * c / n, 2),
                   "ms_per_article": round(statistics.median(times[name]), 2)}
            for name, (a, b, c) in totals.items()}


async def _lookups(total: int) -> dict[str, dict[str, float]]:
    """Both engines over the same store of ``total`` articles: Parley's /fact engine, and
    rank-bm25 indexing every stored sentence (what it takes to search a store with it)."""
    from rank_bm25 import BM25Okapi

    from bench.fact_latency import _fill
    from parley.store.db import Database

    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "peers.db")
        try:
            await _fill(db, total)
            rows = await db.fetchall("SELECT text FROM sentences ORDER BY rowid")
            corpus = [r["text"] for r in rows]
            started = time.perf_counter()
            bm25 = BM25Okapi([content_stems(t) for t in corpus])
            build_s = time.perf_counter() - started
            results: dict[str, dict[str, list[float]]] = {"Parley": {}, "rank-bm25": {}}
            for q in questions():
                await lookup(db, q["article"], q["ask"])  # warm the article index
                t0 = time.perf_counter()
                _, hits = await lookup(db, q["article"], q["ask"])
                ours = (time.perf_counter() - t0) * 1000
                t0 = time.perf_counter()
                scores = bm25.get_scores(content_stems(q["ask"]))
                best = corpus[int(scores.argmax())]
                theirs = (time.perf_counter() - t0) * 1000
                for name, top, ms in (("Parley", hits[0].text if hits else "", ours),
                                      ("rank-bm25", best, theirs)):
                    results[name].setdefault("top1", []).append(float(q["expect"] in top))
                    results[name].setdefault("ms", []).append(ms)
        finally:
            await db.close()
    out = {name: {"top1": round(sum(r["top1"]) / len(r["top1"]), 3), **p50_p99(r["ms"])}
           for name, r in results.items()}
    out["rank-bm25"]["index_build_s"] = round(build_s, 2)
    out["articles"] = {"count": total, "sentences": len(corpus)}
    return out


def lookups(total: int) -> dict[str, dict[str, float]]:
    return asyncio.run(_lookups(total))


if __name__ == "__main__":
    print(json.dumps(lookups(1000), indent=1))
    print(json.dumps(summaries(50), indent=1))
