"""Article kind, loaded language and summary points on public data: the rows ``python -m bench``
prints. The cross-validated figures are those the training scripts stored with the weights
(re-run them to reproduce: ``python -m bench.train_kind``, ``python -m bench.build_lexicon``,
``python -m bench.train_bias``); the lexicon's word-level figures and the corpus checks are
measured live."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from bench import corpus_checks
from bench.babe import ROBERTA_MACRO_F1, sentences, word_precision_recall
from parley.core.analysis.lexicon import load_lexicon


def _stored(name: str) -> dict[str, Any]:
    return dict(json.loads((resources.files("parley.core.data") / name)
                           .read_text(encoding="utf-8"))["cross_validated"])


def rows(results: dict[str, Any], quick: bool) -> list[tuple[str, str, str, str]]:
    kind = results["kind"] = _stored("kind.json")
    fair, strat = kind["grouped_by_outlet_text_only"], kind["stratified_text_only"]
    addressed = kind["grouped_by_outlet_with_address"]
    out = [("Article kind, corpus/kind.jsonl (600), 5-fold grouped by outlet: accuracy / opinion "
            "recall, text only", f"{fair['accuracy']:.3f} / {fair['opinion_recall']:.3f}",
            f"stratified (outlets shared): {strat['accuracy']:.3f} / "
            f"{strat['opinion_recall']:.3f}; with the address: {addressed['accuracy']:.3f} / "
            f"{addressed['opinion_recall']:.3f}", "≥ 0.9 / ≥ 0.9")]
    p, r = word_precision_recall(load_lexicon(), sentences())
    results["babe_words"] = {"precision": p, "recall": r}
    out.append(("BABE SG2 dev, biased words: precision / recall of the lexicon (the derived list "
                "chosen on all of it)", f"{p:.3f} / {r:.3f}",
                "hand-listed terms of main (189): 0.320 / 0.068", "—"))
    sent = results["babe_sentences"] = _stored("sentence_bias.json")
    out.append(("BABE SG2 dev, sentence bias macro-F1 (5-fold)", f"{sent['bias']['macro_f1']:.3f}",
                f"paper's RoBERTa {ROBERTA_MACRO_F1} (gap "
                f"{ROBERTA_MACRO_F1 - sent['bias']['macro_f1']:.3f}); with every word as a "
                f"feature {sent['bias_with_words']['macro_f1']:.3f}", "—"))
    out.append(("BABE SG2 dev, writer's opinion (label_opinion) macro-F1 / accuracy (5-fold)",
                f"{sent['opinion']['macro_f1']:.3f} / {sent['opinion']['accuracy']:.3f}",
                f"rule-based score of main: {sent['opinion_rule_based']['macro_f1']:.3f} / "
                f"{sent['opinion_rule_based']['accuracy']:.3f}", "—"))
    if not quick:
        checks = results["corpus_checks"] = corpus_checks.run(3)
        share: dict[str, float] = checks["share"]  # type: ignore[assignment]
        out.append((f"Summary points over {checks['articles']:,} corpus articles "
                    f"({checks['points']:,}): not standing alone / furniture / loaded term in "
                    "Parley's voice", f"{share['not_alone']:.2%} / {share['furniture']:.2%} / "
                    f"{share['own_voice']:.2%}", "—", "0 / 0 / 0"))
    return out
