"""Answer quality on public data nobody here wrote: CLEF 2019 check-worthiness and FRANK ROUGE."""

from __future__ import annotations

import json
import re

from bench.clef import EVAL, Line, mean_average_precision, split
from parley.core.analysis.checkworthiness import checkworthiness, document_context
from parley.core.analysis.summarize import extract

FRANK = EVAL / "summarization" / "frank_cnndm_test.jsonl"
PUBLISHED = {"clef_best_map": 0.166, "clef_tfidf_svm_map": 0.121, "clef_random_map": 0.025,
             "rouge_lead3": (41.28, 18.68, 37.46), "rouge_textrank": (33.65, 13.49, 30.08)}


def clef_map() -> float:
    """Mean average precision of Parley's check-worthiness ranking on the CLEF test debates, each
    line scored in its place in the debate and by who speaks it, as ingestion scores a
    transcript."""
    def score(lines: list[Line]) -> list[float]:
        contexts = document_context([x.text for x in lines], [x.speaker for x in lines])
        return [checkworthiness(x.text, context=c) for x, c in zip(lines, contexts, strict=True)]

    return mean_average_precision(split("test_annotated"), score)


def _lines(text: str) -> str:
    # FRANK references are tokenised (" . "): one sentence a line, as rougeLsum expects.
    return "\n".join(s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"'])", text)
                     if s.strip())


def rouge(limit: int | None = None) -> dict[str, tuple[float, float, float]]:
    """ROUGE-1/2/Lsum F1 (×100) of Parley's 3-sentence extracts and of Lead-3, same scorer."""
    from rouge_score import rouge_scorer

    scorer = rouge_scorer.RougeScorer(["rouge1", "rouge2", "rougeLsum"], use_stemmer=True)
    rows = [json.loads(line) for line in FRANK.read_text(encoding="utf-8").splitlines()][:limit]
    totals = {"parley": [0.0, 0.0, 0.0], "lead3": [0.0, 0.0, 0.0]}
    for row in rows:
        sentences = [s for s in row["article_lines"] if s.strip()]
        reference = _lines(row["reference"])
        picks = {"parley": [sentences[i] for i in extract(sentences, 3)],
                 "lead3": sentences[:3]}
        for name, chosen in picks.items():
            scores = scorer.score(reference, "\n".join(chosen))
            for k, key in enumerate(("rouge1", "rouge2", "rougeLsum")):
                totals[name][k] += scores[key].fmeasure
    return {name: (round(100 * a / len(rows), 2), round(100 * b / len(rows), 2),
                   round(100 * c / len(rows), 2)) for name, (a, b, c) in totals.items()}
