"""``/fact`` lookup latency with many articles in the store (p50/p99 over the question table).

The question table's articles are encoded by the sentence encoder, as ``parley run`` does after
ingestion, so /fact takes the encoder's path. ``p50``/``p99`` are lookups of questions asked
before (their ranked answers remembered by the article's index, as a running Parley keeps
them; check statuses and the knowledge base are still read); ``uncached_*`` the same questions
with those answers forgotten first (the question's vector still remembered: the ranking, the
reads and the reply's hits); ``cold_p50``/``cold_p99`` (wall) and ``cold_cpu_*`` (the process's
CPU, every thread) forget the answers and the question's vector, so every lookup pays the
encoder for the question (``cold_encoded_share`` of them): a question never asked before;
``cold_loop_cpu_*`` is the event loop's own CPU in those lookups (the question's terms, the
ranking, the reads) and ``cold_thread_cpu_*`` the other threads' (the question's encoding, on
its own thread, overlapping the loop's work); ``question_cpu_ms_*`` is one question's encoding
alone, by each graph.

    python -m bench.fact_latency             # 10,000 articles
    python -m bench.fact_latency --quick     # 1,000
    python -m bench.fact_latency --profile   # and cProfile (thread time) of the new questions
"""

from __future__ import annotations

import asyncio
import cProfile
import pstats
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.fact_lookup import questions
from bench.timing import p50_p99
from bench.workloads import FIXTURES, example_article, worker_pool
from parley.core.analysis.article import analyse
from parley.core.analysis.lexicon import load_lexicon
from parley.core.ingest.encodings import encode_stored
from parley.core.ingest.identity import content_hash, make_slug
from parley.core.ingest.pipeline import decode, detect_format, ingest_bytes, parse
from parley.core.meaning import MODEL_ID, embed
from parley.core.meaning import encoder as encoder_module
from parley.core.meaning.encoder import (
    encode_fact_question,
    encode_one,
    encode_question,
    forget_questions,
)
from parley.core.meaning.vectors import pack
from parley.core.search.lookup import article_index, lookup
from parley.store import articles as article_store
from parley.store import meaning as meaning_store
from parley.store.db import Connection, Database

NOW = datetime(2025, 5, 1, tzinfo=UTC)


async def _fill(db: Database, total: int) -> None:
    """The four test articles for real, then copies (figures varied) up to ``total``, each with
    its sentence vectors as ingestion stores them."""
    lexicon = load_lexicon()
    bases = [example_article(), *(p.read_bytes() for p in sorted(FIXTURES.iterdir()))]
    names = ["example.txt", *(p.name for p in sorted(FIXTURES.iterdir()))]
    parsed = []
    async with worker_pool() as workers:
        for data, name in zip(bases, names, strict=True):
            await ingest_bytes(db, workers, data, NOW, name=name, lexicon=lexicon)
            text = decode(data)
            parsed.append(parse(text, detect_format(text, name)))
        await encode_stored(db, workers)
    analyses = [analyse(p, lexicon) for p in parsed]
    texts = [[s.text for sec in p.sections for s in sec.sentences] for p in parsed]
    packed = [pack(embed(t)) for t in texts]
    for n in range(len(bases), total):
        k = n % len(parsed)
        base = parsed[k]
        copy = base.model_copy(update={"title": f"{base.title} ({n})"})

        async def vectors(conn: Connection, article_id: str, k: int = k) -> None:
            await meaning_store.save_vectors_in(conn, article_id, MODEL_ID, len(texts[k]),
                                                packed[k])

        await article_store.save(db, copy, make_slug(copy), content_hash(copy), NOW,
                                 analyses[k], vectors)


async def _measure(total: int, rounds: int, profiled: bool = False) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        db = await Database.open(Path(tmp) / "many.db")
        try:
            started = time.perf_counter()
            await _fill(db, total)
            fill_s = time.perf_counter() - started
            table = questions()
            for q in table:  # warm the per-article indexes, as a running bot would be
                await lookup(db, q["article"], q["ask"])
            indexes = {q["article"]: await article_index(db, q["article"]) for q in table}
            times, uncached, cold = [], [], []
            for _ in range(rounds):
                for q in table:
                    t0 = time.perf_counter()
                    await lookup(db, q["article"], q["ask"])
                    times.append((time.perf_counter() - t0) * 1000)
            for _ in range(rounds):
                for q in table:
                    indexes[q["article"]].forget_answers()
                    t0 = time.perf_counter()
                    await lookup(db, q["article"], q["ask"])
                    uncached.append((time.perf_counter() - t0) * 1000)
            cold_cpu, cold_loop, cold_other, encoded = [], [], [], 0
            profile = cProfile.Profile(time.thread_time) if profiled else None
            for _ in range(rounds):
                for q in table:
                    indexes[q["article"]].forget_answers()
                    forget_questions()  # (which also zeroes the LRU's counts)
                    if profile is not None:
                        profile.enable()
                    c0, l0, t0 = time.process_time(), time.thread_time(), time.perf_counter()
                    await lookup(db, q["article"], q["ask"])
                    cold.append((time.perf_counter() - t0) * 1000)
                    cold_cpu.append((time.process_time() - c0) * 1000)
                    # The loop's own CPU (this thread); the rest is the encoder's thread's.
                    cold_loop.append((time.thread_time() - l0) * 1000)
                    cold_other.append(cold_cpu[-1] - cold_loop[-1])
                    if profile is not None:
                        profile.disable()
                    encoded += encoder_module._asked_fact.cache_info().misses  # 1 if encoded
            if profile is not None:  # the loop thread's functions (the encoder's thread is C)
                pstats.Stats(profile, stream=sys.stderr).sort_stats("tottime").print_stats(25)
        finally:
            await db.close()
    return {"articles": total, "lookups": len(times), "fill_s": round(fill_s, 1),
            **p50_p99(times), **{f"uncached_{k}": v for k, v in p50_p99(uncached).items()},
            **{f"cold_{k}": v for k, v in p50_p99(cold).items()},
            **{f"cold_cpu_{k}": v for k, v in p50_p99(cold_cpu).items()},
            **{f"cold_loop_cpu_{k}": v for k, v in p50_p99(cold_loop).items()},
            **{f"cold_thread_cpu_{k}": v for k, v in p50_p99(cold_other).items()},
            "cold_encoded_share": round(encoded / max(len(cold), 1), 3),
            **question_cpu([q["ask"] for q in table])}


def question_cpu(asked: list[str]) -> dict[str, float]:
    """CPU ms to encode one question (p50 over the table, three times), by the exact graph
    (``encode_one``), by the whole integer graph (``encode_question``, ``/check``'s) and by
    ``/fact``'s own (``encode_fact_question``: 5 layers and the map)."""
    out = {}
    for name, encode in (("exact", encode_one), ("integer", encode_question),
                         ("fact", encode_fact_question)):
        spent = []
        for _ in range(3):
            for text in asked:
                forget_questions()
                c0 = time.process_time()
                encode(text)
                spent.append((time.process_time() - c0) * 1000)
        out[f"question_cpu_ms_{name}"] = p50_p99(spent)["p50_ms"]
    return out


def run(quick: bool, profiled: bool = False) -> dict[str, float]:
    return asyncio.run(_measure(1_000 if quick else 10_000, 3 if quick else 10, profiled))


if __name__ == "__main__":
    print(run(quick="--quick" in sys.argv, profiled="--profile" in sys.argv))
