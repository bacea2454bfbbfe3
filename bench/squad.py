"""Answer-sentence retrieval on SQuAD v1.1 dev (CC BY-SA 4.0), read from outside the project.

Each Wikipedia article of the dev set becomes one Parley article (its paragraphs split by Parley's
own segmenter); a question is answered when the top sentence of its own paragraph holds a gold
answer span. Parley as ``/fact`` runs it (the question by its own graph, ``encode_fact_question``:
5 layers and the map, with ``FACT_FUSION``), beside it
the gate ``bench/tune_gate.py`` chose (``bench/gate.py``, not in use: the encoder asked only
where the words are unsure) and the question by the exact graph. Peers in the same run:
Parley's lexical half alone, Parley without the encoder (lexical + static model), the static
model alone, the encoder alone and rank-bm25 (each over the same article's sentences, for the
same IDF).

The encoder's vectors of every dev sentence and question (~20,700 texts, 8–10 minutes on one
core) are computed once and kept in ``$SQUAD_ENCODED`` (default
``~/.cache/parley/squad-dev-<encoder id>.npz``, outside the repository); sentences' vectors go
through the stored int8 form, as the store keeps them.

The file's path comes from ``$SQUAD_DEV`` (default ``../data/squad/dev-v1.1.json`` beside the
repository); without it the benchmark is skipped with a message. Articles are split by a hash of
their title: a quarter (``part == "tune"``) is where ``bench/tune_fusion.py`` chooses the fusion,
the other three quarters (``"report"``) are where the figures are reported.

    SQUAD_DEV=path/to/dev-v1.1.json python -m bench.squad [--question-graph integer]
        [--parley-only] [LIMIT]

``--question-graph`` picks the graph "Parley" encodes questions with: ``fact`` (the default,
what ``/fact`` runs: ``encode_fact_question``, with ``FACT_FUSION``), ``integer`` (the whole
integer graph, ``encode_question``, with ``ENCODER_FUSION``: what ``/fact`` ran before) or
``mapped`` (a truncated graph and its linear map as ``python -m bench.question_layers --build``
wrote them, by default the shipped one, with the fusion kept beside the map if it was built
``--with-fusion``). ``--parley-only`` runs
Parley's own ranking alone (no peers), a quicker run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np

from bench.gate import CHOSEN_GATE, NEVER_SURE, Gate, sure
from bench.workloads import REPO
from parley.core.analysis.sentences import split_sentences
from parley.core.analysis.tokens import content_stems
from parley.core.meaning import ENCODER_ID, FAST_ENCODER_ID, embed, encode, encode_question
from parley.core.meaning.encoder import encode_fact_question
from parley.core.meaning.layers import FACT_ENCODER_ID
from parley.core.meaning.vectors import pack_encodings, unpack_encodings
from parley.core.search.lookup import ArticleIndex, build_index, question_query, rank
from parley.core.search.rank import ENCODER_FUSION, FACT_FUSION, FUSION, LEXICAL_ONLY, Fusion

DEFAULT = REPO.parent / "data" / "squad" / "dev-v1.1.json"
Part = Literal["tune", "report"]


def path() -> Path:
    return Path(os.environ.get("SQUAD_DEV") or DEFAULT)


def available() -> bool:
    return path().is_file()


@dataclass(frozen=True)
class Question:
    text: str
    positions: tuple[int, ...]  # the article positions of its paragraph's sentences
    gold: frozenset[int]  # the positions whose sentence holds a gold answer span


@dataclass(frozen=True)
class Article:
    title: str
    sentences: tuple[str, ...]
    questions: tuple[Question, ...]


def part_of(title: str) -> Part:
    return "tune" if hashlib.sha256(title.encode()).digest()[0] % 4 == 0 else "report"


def _spans(context: str) -> list[tuple[int, int, str]]:
    """Each sentence of a paragraph with its character span in the paragraph."""
    out, at = [], 0
    for sentence in split_sentences(context):
        start = context.find(sentence, at)
        if start < 0:  # the segmenter normalised something: fall back to the running offset
            start = at
        out.append((start, start + len(sentence), sentence))
        at = start + len(sentence)
    return out


def articles(part: Part | None = None) -> Iterator[Article]:
    data = json.loads(path().read_text(encoding="utf-8"))["data"]
    for entry in data:
        if part is not None and part_of(entry["title"]) != part:
            continue
        sentences: list[str] = []
        questions = []
        for paragraph in entry["paragraphs"]:
            spans = _spans(paragraph["context"])
            base = len(sentences)
            sentences += [text for _, _, text in spans]
            positions = tuple(range(base, base + len(spans)))
            for qa in paragraph["qas"]:
                gold = set()
                for answer in qa["answers"]:
                    start = answer["answer_start"]
                    end = start + len(answer["text"])
                    gold |= {base + i for i, (a, b, text) in enumerate(spans)
                             if (a <= start and end <= b) or answer["text"] in text}
                questions.append(Question(qa["question"], positions, frozenset(gold)))
        yield Article(entry["title"], tuple(sentences), tuple(questions))


def encoded_path() -> Path:
    default = Path.home() / ".cache" / "parley" / f"squad-dev-{ENCODER_ID}.npz"
    return Path(os.environ.get("SQUAD_ENCODED") or default)


_encoded: dict[str, np.ndarray] = {}


def encoded(text: str) -> np.ndarray:
    """The encoder's vector of a dev sentence or question (all computed on first use; texts the
    cache lacks, such as sentences a changed splitter cuts differently, are added to it)."""
    if not _encoded:
        target = encoded_path()
        if target.is_file():
            with np.load(target, allow_pickle=True) as saved:
                _encoded.update(zip(saved["texts"].tolist(), saved["vecs"], strict=True))
        texts = list(dict.fromkeys(t for a in articles() for t in
                                   [*a.sentences, *(q.text for q in a.questions)]))
        missing = [t for t in texts if t not in _encoded]
        if missing:
            print(f"encoding {len(missing)} texts once into {target} …", file=sys.stderr)
            _encoded.update(zip(missing, encode(missing), strict=True))
            target.parent.mkdir(parents=True, exist_ok=True)
            kept = list(_encoded)
            np.savez(target, texts=np.array(kept, dtype=object),
                     vecs=np.stack([_encoded[t] for t in kept]))
    return _encoded[text]


_asked: dict[str, np.ndarray] = {}
GRAPHS = ("fact", "integer", "mapped")  # the question graphs "Parley" can run
question_graph = "fact"


def _question_graph() -> tuple[str, Callable[[str], np.ndarray]]:
    """The chosen question graph's id and its one-question encoding."""
    if question_graph == "fact":
        return FACT_ENCODER_ID, lambda text: encode_fact_question(text).vector
    if question_graph == "integer":
        return FAST_ENCODER_ID, encode_question
    from bench.question_layers import mapped_encoder

    chosen = mapped_encoder()
    return chosen.id, lambda text: chosen.encode([text])[0]


def asked(text: str) -> np.ndarray:
    """A dev question's vector by the graph ``question_graph`` names (by default the one
    ``/fact`` encodes questions with, ``encode_fact_question``; every question computed on first
    use, about a minute, and kept beside the sentences' vectors, named by the graph's id)."""
    if not _asked:
        graph_id, encode_one_question = _question_graph()
        name = f"{encoded_path().stem}-questions-{graph_id}.npz"
        target = encoded_path().with_name(name)
        if not target.is_file():
            texts = list(dict.fromkeys(q.text for a in articles() for q in a.questions))
            print(f"encoding {len(texts)} questions once into {target} …", file=sys.stderr)
            vectors = np.stack([encode_one_question(t) for t in texts])
            target.parent.mkdir(parents=True, exist_ok=True)
            np.savez(target, texts=np.array(texts, dtype=object), vecs=vectors)
        with np.load(target, allow_pickle=True) as saved:
            _asked.update(zip(saved["texts"].tolist(), saved["vecs"], strict=True))
    return _asked[text]


def index_of(article: Article, with_encoder: bool = True) -> ArticleIndex:
    rows = [(f"s{i}", 0, text) for i, text in enumerate(article.sentences)]
    encodings = None
    if with_encoder:
        matrix = np.stack([encoded(t) for t in article.sentences]).astype(np.float32)
        encodings = unpack_encodings(pack_encodings(matrix), len(article.sentences))
    return build_index(rows, encodings=encodings)


Ranker = Callable[[Article, ArticleIndex, Question], int | None]


def parley(fusion: Fusion, exact_question: bool = False, gate: Gate = NEVER_SURE) -> Ranker:
    """Parley's ranking; with the encoder, the question's vector is the integer graph's (what
    ``/fact`` uses) unless ``exact_question``, and the encoder is asked only where the ``gate``
    finds the words unsure (``NEVER_SURE``: always, as ``lookup`` does)."""
    question = encoded if exact_question else asked

    def top(article: Article, index: ArticleIndex, q: Question) -> int | None:
        query = question_query(index, q.text)
        if not fusion.encoder_weight:
            _, hits = rank(index, q.text, fusion, within=q.positions, query=query)
            return int(hits[0].id[1:]) if hits else None
        _, hits = rank(index, q.text, FUSION, within=q.positions, query=query)
        if not sure(gate, [h.score for h in hits], hits[0].coverage if hits else 0.0):
            _, hits = rank(index, q.text, fusion, within=q.positions,
                           encoded_question=question(q.text), query=query)
        return int(hits[0].id[1:]) if hits else None
    return top


def vector_only(article: Article, index: ArticleIndex, q: Question) -> int | None:
    cosines = index.vectors[list(q.positions)] @ embed([q.text])[0]
    return q.positions[int(np.argmax(cosines))]


def encoder_only(article: Article, index: ArticleIndex, q: Question) -> int | None:
    assert index.encodings is not None
    cosines = index.encodings[list(q.positions)] @ encoded(q.text)
    return q.positions[int(np.argmax(cosines))]


def bm25_peer() -> Ranker:
    from rank_bm25 import BM25Okapi

    built: dict[str, BM25Okapi] = {}

    def top(article: Article, index: ArticleIndex, q: Question) -> int | None:
        if article.title not in built:
            built.clear()
            built[article.title] = BM25Okapi([content_stems(t) or ["∅"]
                                              for t in article.sentences])
        scores = built[article.title].get_batch_scores(content_stems(q.text), list(q.positions))
        return q.positions[int(np.argmax(scores))] if max(scores, default=0.0) > 0 else None
    return top


def evaluate(part: Part, rankers: dict[str, Ranker], limit: int | None = None
             ) -> dict[str, dict[str, float]]:
    """Top-1 (the top sentence holds a gold span), ms per question and process CPU ms per
    question (every thread's: a BLAS helper thread's spinning counts), for each ranker."""
    right = dict.fromkeys(rankers, 0)
    spent = dict.fromkeys(rankers, 0.0)
    cpu = dict.fromkeys(rankers, 0.0)
    n = 0
    for article in articles(part):
        index = index_of(article)
        for q in article.questions[:limit]:
            n += 1
            for name, ranker in rankers.items():
                t0, c0 = time.perf_counter(), time.process_time()
                top = ranker(article, index, q)
                spent[name] += time.perf_counter() - t0
                cpu[name] += time.process_time() - c0
                right[name] += top is not None and top in q.gold
    return {name: {"top1": round(right[name] / max(n, 1), 4), "questions": n,
                   "ms_per_question": round(1000 * spent[name] / max(n, 1), 3),
                   "cpu_ms_per_question": round(1000 * cpu[name] / max(n, 1), 3)}
            for name in rankers}


def agreement(part: Part = "report") -> dict[str, float]:
    """The cosine between each question's vector by the question graph and by the exact one."""
    cosines = np.array([float(asked(q.text) @ encoded(q.text)) for a in articles(part)
                        for q in a.questions])
    return {"questions": len(cosines), "min": round(float(cosines.min()), 4),
            "p1": round(float(np.percentile(cosines, 1)), 4),
            "mean": round(float(cosines.mean()), 4)}


def question_fusion() -> Fusion:
    """The fusion "Parley" runs with the chosen question graph: ``ENCODER_FUSION``, or the one
    kept beside the map (``bench.question_layers --build … --with-fusion``)."""
    if question_graph == "fact":
        return FACT_FUSION
    if question_graph == "integer":
        return ENCODER_FUSION
    from bench.question_layers import mapped_fusion

    return mapped_fusion()


def run(limit: int | None = None, parley_only: bool = False) -> dict[str, Any] | None:
    """The reported part, every ranker (only Parley's with ``parley_only``), and the two
    graphs' agreement on its questions; None when the data is absent."""
    if not available():
        return None
    chosen = question_fusion()
    if parley_only:
        figures = evaluate("report", {"Parley": parley(chosen)}, limit)
        return {"question graph": question_graph, "fusion": str(chosen),
                "question graph against exact, question cosine": agreement(), **figures}
    rankers = {"Parley": parley(chosen),
               "Parley with the gate tune_gate chose (not in use)":
                   parley(chosen, gate=CHOSEN_GATE),
               "Parley, the question by the exact graph": parley(ENCODER_FUSION,
                                                                 exact_question=True),
               "lexical half": parley(LEXICAL_ONLY), "Parley without the encoder": parley(FUSION),
               "static model alone": vector_only, "encoder alone": encoder_only,
               "rank-bm25": bm25_peer()}
    figures = evaluate("report", rankers, limit)
    return {"question graph": question_graph, "fusion": str(chosen),
            "question graph against exact, question cosine": agreement(), **figures}


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("limit", type=int, nargs="?", default=None,
                        help="questions a paragraph at most")
    parser.add_argument("--question-graph", choices=GRAPHS, default="fact")
    parser.add_argument("--parley-only", action="store_true",
                        help="only Parley's own ranking (no peers): a quicker run")
    arguments = parser.parse_args()
    question_graph = arguments.question_graph
    if not available():
        sys.exit(f"SQuAD v1.1 dev not found at {path()}: set SQUAD_DEV to its path")
    print(json.dumps(run(arguments.limit, arguments.parley_only), indent=1))
