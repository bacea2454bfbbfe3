"""``python -m bench [--quick]``: every benchmark, printed as a Markdown table and saved as JSON.

Speed figures are medians on this machine; quality figures use the public data in
``../shared/eval`` (never copied into the project) beside the published figures for it.
"""

from __future__ import annotations

import argparse
import json
import platform
import time
from pathlib import Path

from bench import analysis_speed, digest_fanout, fact_latency, fact_lookup, quality

RESULTS = Path(__file__).resolve().parent / "results.json"


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="fewer runs and samples (CI smoke)")
    args = parser.parse_args()
    started = time.perf_counter()
    speed = analysis_speed.run(args.quick)
    facts = fact_lookup.run()
    latency = fact_latency.run(args.quick)
    fanout = digest_fanout.run(args.quick)
    clef = quality.clef_map() if quality.EVAL.exists() else None
    rouge = quality.rouge(50 if args.quick else None) if quality.FRANK.exists() else None
    pub = quality.PUBLISHED
    rows = [
        ("Ingest + analyse the example article (median ms)", f"{speed['example_ms_median']:.1f}",
         "goal < 50"),
        (f"Ingest + analyse a {speed['large_kb']:.0f} KB article (median ms)",
         f"{speed['large_ms_median']:.0f}", "goal < 1000"),
    ]
    rows.append((f"/fact top-1 accuracy and MRR ({facts['questions']} questions, words the "
                 "articles do not use)", f"{facts['top1']:.1%} / {facts['mrr']:.3f}",
                 "goal top-1 >= 90 %"))
    rows.append((f"/fact lookup p50 / p99 (ms) with {latency['articles']:,} articles stored",
                 f"{latency['p50_ms']:.1f} / {latency['p99_ms']:.1f}", "goal p99 < 10"))
    rows.append((f"Digest fan-out: {fanout['subscriptions']:,} due in one minute, composed and "
                 "posted (s; peak RSS MB)", f"{fanout['seconds']:.1f}; {fanout['peak_rss_mb']}",
                 "goal < 30 s for 10,000"))
    if clef is not None:
        rows.append(("Check-worthiness MAP, CLEF 2019 test (7 debates)", f"{clef:.3f}",
                     f"best published {pub['clef_best_map']}, TF-IDF+SVM "
                     f"{pub['clef_tfidf_svm_map']}, random {pub['clef_random_map']}"))
    if rouge is not None:
        ours, lead = rouge["parley"], rouge["lead3"]
        sample = "first 50" if args.quick else "all 250"
        rows.append((f"Summary ROUGE-1/2/Lsum, FRANK CNN/DM ({sample})",
                     "/".join(f"{x:.2f}" for x in ours),
                     "Lead-3 same scorer " + "/".join(f"{x:.2f}" for x in lead)
                     + "; published TextRank " + "/".join(map(str, pub["rouge_textrank"]))
                     + ", Lead-3 " + "/".join(map(str, pub["rouge_lead3"]))))
    print("| Benchmark | Parley | Compared with |")
    print("|---|---|---|")
    for name, value, peer in rows:
        print(f"| {name} | {value} | {peer} |")
    results = {"quick": args.quick, "python": platform.python_version(),
               "machine": platform.machine(), "seconds": round(time.perf_counter() - started, 1),
               "speed": speed, "fact_lookup": facts, "fact_latency": latency,
               "digest_fanout": fanout,
               "clef_map": clef, "rouge": rouge, "published": pub}
    RESULTS.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS.name} in {results['seconds']} s")


if __name__ == "__main__":
    main()
