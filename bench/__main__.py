"""``python -m bench [--quick]``: every benchmark, Parley beside what users would pick instead,
printed as a Markdown table and saved to ``bench/results.json``.

Workloads are built reproducibly from the project's test articles; quality uses the public data
in ``../shared/eval`` (never copied into the project). Nothing here fails on timing.
"""

from __future__ import annotations

import argparse
import json
import logging
import platform
import time
from pathlib import Path
from typing import Any

from bench import (
    analysis_quality,
    analysis_speed,
    article_memory,
    babe,
    claim_retrieval,
    core_latency,
    coverage,
    digest_fanout,
    fact_latency,
    fact_lookup,
    ingest_scaling,
    memory,
    peers_quality,
    pictures,
    platforms_e2e,
    platforms_fair,
    quality,
    squad,
    startup,
)
from bench import scaling as pg_scaling
from bench.clef import CLEF

RESULTS = Path(__file__).resolve().parent / "results.json"


def _fmt_rouge(r: dict[str, float]) -> str:
    return f"{r['rouge1']:.2f}/{r['rouge2']:.2f}/{r['rougeLsum']:.2f}"


def fair_rows(fair: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """The rows against the fair peers (``bench/platforms_fair.py``)."""
    cog, bolt = "fair discord.py cog (FTS5 + embed)", \
        "fair slack-bolt app (ack, FTS5, response_url)"
    floor = "Parley's path, the peer's lookup (/peerfact)"
    d, s = fair["discord"], fair["slack"]
    d_ours, d_peer, d_floor = d["Parley"], d[cog], d[floor]
    s_ours, s_peer, s_floor = s["Parley"], s[bolt], s[floor]
    d_ratios, s_ratios = d["ratio_per_round"], s["answered_ratio_per_round"]
    df_ratios, sf_ratios = d["floor_ratio_per_round"], s["floor_answered_ratio_per_round"]
    new = ", a new question each time"
    d_new, d_peer_new = d["Parley" + new], d[cog + new]
    s_new, s_peer_new = s["Parley" + new], s[bolt + new]
    dn_ratios = d["new_question_ratio_per_round"]
    sn_ratios = s["new_question_answered_ratio_per_round"]
    burst, during = fair["burst"], fair["analysis"]

    def cpu(part: dict[str, Any], key: str) -> str:  # the CPU ratios per round, a range
        return f"; CPU ratio rounds {min(part[key]):.2f}–{max(part[key]):.2f}"

    return [
        ("Discord: /fact round trips per second (p99 ms; CPU ms each, fake included)",
         f"{d_ours['per_second']:.0f} ({d_ours['p99_ms']:.1f}; {d_ours['cpu_ms']:.2f})",
         f"cog: {d_peer['per_second']:.0f} ({d_peer['p99_ms']:.1f}; {d_peer['cpu_ms']:.2f});"
         f" ratio {d_ours['per_second'] / d_peer['per_second']:.2f}, rounds "
         f"{min(d_ratios):.2f}–{max(d_ratios):.2f}{cpu(d, 'cpu_ratio_per_round')}",
         "ratio ≥ 0.8"),
        ("Discord: Parley's path around the cog's own lookup (/peerfact), round trips per "
         "second (CPU ms each)",
         f"{d_floor['per_second']:.0f} ({d_floor['cpu_ms']:.2f})",
         f"cog: {d_peer['per_second']:.0f} ({d_peer['cpu_ms']:.2f}); ratio rounds "
         f"{min(df_ratios):.2f}–{max(df_ratios):.2f}", "— (what the adapter costs)"),
        ("Discord: /fact, a new question each time (nothing remembered), round trips per "
         "second (CPU ms each)",
         f"{d_new['per_second']:.0f} ({d_new['cpu_ms']:.2f})",
         f"cog: {d_peer_new['per_second']:.0f} ({d_peer_new['cpu_ms']:.2f}); ratio rounds "
         f"{min(dn_ratios):.2f}–{max(dn_ratios):.2f}"
         f"{cpu(d, 'new_question_cpu_ratio_per_round')}", "ratio ≥ 0.8"),
        ("Slack: /fact answered per second (acks per second)",
         f"{s_ours['answered_per_second']:.0f} ({s_ours['acks_per_second']:.0f})",
         f"bolt app: {s_peer['answered_per_second']:.0f} ({s_peer['acks_per_second']:.0f});"
         f" ratio {s_ours['answered_per_second'] / s_peer['answered_per_second']:.2f}, rounds "
         f"{min(s_ratios):.2f}–{max(s_ratios):.2f}{cpu(s, 'cpu_ratio_per_round')}",
         "ratio ≥ 0.8"),
        ("Slack: Parley's path around the bolt app's own lookup (/peerfact), answered per "
         "second",
         f"{s_floor['answered_per_second']:.0f}",
         f"bolt app: {s_peer['answered_per_second']:.0f}; ratio rounds "
         f"{min(sf_ratios):.2f}–{max(sf_ratios):.2f}", "— (what the adapter costs)"),
        ("Slack: /fact, a new question each time (nothing remembered), answered per second",
         f"{s_new['answered_per_second']:.0f}",
         f"bolt app: {s_peer_new['answered_per_second']:.0f}; ratio rounds "
         f"{min(sn_ratios):.2f}–{max(sn_ratios):.2f}"
         f"{cpu(s, 'new_question_cpu_ratio_per_round')}", "ratio ≥ 0.8"),
        (f"Slack: answer p50 / p99 ms at {s_ours['moderate_per_second']:.0f} commands a second;"
         " late acks",
         f"{s_ours['answer_p50_ms']:.0f} / {s_ours['answer_p99_ms']:.0f}; "
         f"{s_ours['late_acks']}",
         f"bolt app: {s_peer['answer_p50_ms']:.0f} / {s_peer['answer_p99_ms']:.0f}; "
         f"{s_peer['late_acks']}", "p50 < 50, no late ack"),
        (f"Discord: {burst['Parley']['interactions_per_burst']:,} simultaneous /fact, one "
         "process: late first responses per burst (p50 / max ms, the largest)",
         f"{' / '.join(map(str, burst['Parley']['late']))} "
         f"({max(burst['Parley']['first_response_p50_ms']):.0f} / "
         f"{max(burst['Parley']['first_response_max_ms']):.0f})",
         f"cog: {' / '.join(map(str, burst[cog]['late']))} "
         f"({max(burst[cog]['first_response_p50_ms']):.0f} / "
         f"{max(burst[cog]['first_response_max_ms']):.0f})", "0 late"),
        (f"Discord: {during['interactions']} /fact while a {during['article_kb']:,} KB article "
         "is analysed: late (p99 ms)",
         f"{during['late']} ({during['p99_ms']:.0f}); analysis still running: "
         f"{'yes' if during['analysis_still_running'] else 'no'}", "—", "0 late"),
    ]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("--quick", action="store_true", help="small sizes (a CI smoke run)")
    args = parser.parse_args(argv)
    logging.getLogger("discord").setLevel(logging.ERROR)  # the bare bot's intent warnings
    quick = args.quick
    started = time.perf_counter()
    results: dict[str, Any] = {"quick": quick, "python": platform.python_version(),
                               "machine": platform.machine()}
    rows: list[tuple[str, str, str, str]] = []

    core = results["core_latency"] = core_latency.run(quick)
    for size, commands in core.items():
        floor = commands["/help"]
        for name, r in commands.items():
            if name != "/help":
                rows.append((f"{name} p50 / p99 ms, {size:,} article(s) stored",
                             f"{r['p50_ms']:.1f} / {r['p99_ms']:.1f}",
                             f"dispatch floor (/help): {floor['p50_ms']:.1f} / "
                             f"{floor['p99_ms']:.1f}", "p99 < 5 at 10,000"))
    speed = results["ingest"] = analysis_speed.run(quick)
    libraries = "sumy LexRank summary + rank-bm25 index"
    rows.append(("Ingest + analyse the example article (median ms)",
                 f"{speed['example_ms_median']:.1f}",
                 f"{libraries}: {speed['libraries_example_ms']:.1f}", "< 50"))
    rows.append((f"Ingest + analyse a {speed['large_kb']:.0f} KB article (median ms)",
                 f"{speed['large_ms_median']:.0f}",
                 f"{libraries}: {speed['libraries_large_ms']:.0f}", "< 1000"))
    rows.append((f"Ingest + analyse {speed['sustained_articles']} different articles into one "
                 "store (articles per second)", f"{speed['sustained_per_second']:.1f}",
                 f"{libraries}, text given: {speed['libraries_per_second']:.1f}", "—"))
    facts = results["fact_lookup"] = fact_lookup.run()
    latency = results["fact_latency"] = fact_latency.run(quick)
    peers = results["lookup_peers"] = peers_quality.lookups(1_000 if quick else 10_000)
    n = peers["articles"]["count"]
    rows.append((f"/fact top-1 on {facts['questions']} questions (MRR {facts['mrr']:.3f})",
                 f"{facts['top1']:.1%}", f"rank-bm25: {peers['rank-bm25']['top1']:.1%}",
                 "≥ 90 %, and better than the peer"))
    rows.append((f"/fact lookup p50 / p99 ms, {n:,} articles (peer indexes every sentence)",
                 f"{peers['Parley']['p50_ms']:.1f} / {peers['Parley']['p99_ms']:.1f}",
                 f"rank-bm25: {peers['rank-bm25']['p50_ms']:.1f} / "
                 f"{peers['rank-bm25']['p99_ms']:.1f}", "faster than the peer"))
    rows.append((f"/fact engine p50 / p99 ms, {latency['articles']:,} articles, whole table",
                 f"{latency['p50_ms']:.1f} / {latency['p99_ms']:.1f}",
                 f"rank-bm25 (above): {peers['rank-bm25']['p50_ms']:.1f} / "
                 f"{peers['rank-bm25']['p99_ms']:.1f}", "p99 < 10"))
    rows.append((f"/fact engine p50 / p99 ms, {latency['articles']:,} articles, each question "
                 "new (the encoder's cost included)",
                 f"{latency['cold_p50_ms']:.1f} / {latency['cold_p99_ms']:.1f}", "—", "p99 < 10"))
    answers = results["squad"] = squad.run(200 if quick else None)
    if answers is None:
        print(f"SQuAD v1.1 dev not found at {squad.path()} (set SQUAD_DEV): skipping its rows")
    else:
        n_squad = answers["Parley"]["questions"]
        rows.append((f"/fact answer sentence top-1, SQuAD v1.1 dev ({n_squad:,} questions, the "
                     "three quarters not tuned on)", f"{answers['Parley']['top1']:.1%}",
                     f"without the encoder {answers['Parley without the encoder']['top1']:.1%}; "
                     f"lexical half {answers['lexical half']['top1']:.1%}; static model alone "
                     f"{answers['static model alone']['top1']:.1%}; encoder alone "
                     f"{answers['encoder alone']['top1']:.1%}; rank-bm25 "
                     f"{answers['rank-bm25']['top1']:.1%}", "≥ 85 %"))
    if not quick:
        matched = results["claim_retrieval"] = claim_retrieval.run()
        if matched is not None:
            rows.append(("Verified-claim retrieval MAP@5, CLEF 2020 Task 2 dev (weight chosen "
                         "on train)", f"{matched['Parley']:.3f}",
                         f"lexical half {matched['lexical half']:.3f}; meaning model alone "
                         f"{matched['meaning model alone']:.3f}; rank-bm25 "
                         f"{matched['rank-bm25']:.3f}", "beat rank-bm25"))
    if quality.FRANK.exists():
        summ = results["summary_peers"] = peers_quality.summaries(50 if quick else None)
        sample = "first 50" if quick else "all 250"
        rows.append((f"Summary ROUGE-1/2/Lsum, FRANK CNN/DM ({sample})",
                     _fmt_rouge(summ["Parley"]),
                     f"Lead-3 {_fmt_rouge(summ['Lead-3'])}; sumy LexRank "
                     f"{_fmt_rouge(summ['sumy LexRank'])}; sumy TextRank "
                     f"{_fmt_rouge(summ['sumy TextRank'])}",
                     "beat TextRank (published 33.65), reach Lead-3 (41.28)"))
        rows.append(("Summary time per article (median ms)",
                     f"{summ['Parley']['ms_per_article']:.1f}",
                     f"sumy LexRank {summ['sumy LexRank']['ms_per_article']:.1f}; TextRank "
                     f"{summ['sumy TextRank']['ms_per_article']:.1f}", "—"))
    if CLEF.exists():
        clef = results["clef_map"] = quality.clef_map()
        rows.append(("Check-worthiness MAP, CLEF 2019 test", f"{clef:.3f}",
                     "published best 0.166; TF-IDF+SVM 0.121; random 0.025", "> 0.166"))
    if babe.BABE.exists():
        rows.extend(analysis_quality.rows(results, quick))
    if coverage.TOPICS.exists():
        if not quick:  # storing and analysing the 600 corpus articles takes minutes
            other = results["coverage_quality"] = coverage.quality()
            rows.append(("/counterpoint: AllSides topics corpus articles given another outlet's "
                         "passage on the same topic", f"{other['same_topic']:.1%}",
                         f"any passage: {other['answered']:.1%}; passages from a same-topic "
                         f"article: {other['passages_on_topic']:.1%}", "≥ 90 %"))
        fast = results["coverage_latency"] = coverage.latency(quick)
        rows.append((f"/counterpoint with other coverage p50 / p99 ms, {fast['articles']:,} "
                     "articles stored", f"{fast['p50_ms']:.1f} / {fast['p99_ms']:.1f}",
                     "dispatch floor: see /help above", "p99 < 10 at 10,000"))
    e2e = results["platforms"] = platforms_e2e.run(quick)
    s_ours, s_bare = e2e["slack"]["Parley"], e2e["slack"]["bare slack-bolt (ack only)"]
    rows.append(("Slack: signed /fact POSTs per second (p99 ms), HTTP adapter — floor",
                 f"{s_ours['per_second']:.0f} ({s_ours['p99_ms']:.0f})",
                 f"bare slack-bolt, ack only: {s_bare['per_second']:.0f} "
                 f"({s_bare['p99_ms']:.0f}); ratio "
                 f"{s_ours['per_second'] / s_bare['per_second']:.2f}",
                 "— (floor: the peer does no work)"))
    discord_runs = e2e["discord"]
    d_bare = discord_runs["bare discord.py (pong)"]
    for name, label in (("Parley", "/fact"), ("Parley floor (/help fact)", "/help fact")):
        d_ours = discord_runs[name]
        rows.append((f"Discord: {label} interaction round trips per second (p99 ms) — floor",
                     f"{d_ours['per_second']:.0f} ({d_ours['p99_ms']:.1f})",
                     f"bare discord.py, “pong”: {d_bare['per_second']:.0f} "
                     f"({d_bare['p99_ms']:.1f}); ratio "
                     f"{d_ours['per_second'] / d_bare['per_second']:.2f}",
                     "— (floor: the peer does no work)"))
    fair = results["platforms_fair"] = platforms_fair.run(quick)
    rows += fair_rows(fair)
    scaling = results["ingest_scaling"] = ingest_scaling.run(quick)
    sizes = scaling["sizes"]
    rows.append(("Ingest per article (median ms) at " + " / ".join(
                     f"{int(n):,}" for n in sizes) + " stored",
                 " / ".join(f"{v['ingest_ms']:.0f}" for v in sizes.values())
                 + f" (spread {scaling['ingest_spread']:.2f}×; rounds "
                 + f"{min(scaling['ingest_spread_per_round']):.2f}–"
                 + f"{max(scaling['ingest_spread_per_round']):.2f})",
                 "store write alone: " + " / ".join(f"{v['store_write_ms']:.1f}"
                                                    for v in sizes.values())
                 + f" ms (spread {scaling['write_spread']:.2f}×)", "within 1.3×"))
    fanout = results["digest_fanout"] = digest_fanout.run(quick)
    rows.append((f"Digests: {fanout['subscriptions']:,} due at once, composed and posted (s)",
                 f"{fanout['seconds']:.1f} (peak RSS {fanout['peak_rss_mb']} MB)",
                 f"floor, one fixed message per channel: {fanout['floor_seconds']:.2f}",
                 "< 30 s for 10,000"))
    scale = results["scaling"] = pg_scaling.run(quick)
    slack_runs, fan = scale["slack"], scale["digests"]
    rows.append(("Slack HTTP /fact answers per second, PostgreSQL, 1 / 2 / 4 worker processes",
                 " / ".join(f"{slack_runs[f'postgresql x{n}']['answers_per_second']:.0f}"
                            for n in (1, 2, 4)),
                 f"1 process on SQLite: {slack_runs['sqlite x1']['answers_per_second']:.0f}",
                 "grows with processes, up to the cores"))
    rows.append((f"Digests: {fan['postgresql x1']['subscriptions']:,} due, 1 / 4 scheduler "
                 "processes on PostgreSQL (s)",
                 f"{fan['postgresql x1']['seconds']:.1f} / {fan['postgresql x4']['seconds']:.1f}",
                 f"1 process on SQLite (above): {fanout['seconds']:.1f}", "each slot once"))
    drawn = results["pictures"] = pictures.run(quick)
    rows.append(("Chart drawn, p50 / p99 ms (claim status, coverage, standings, activity)",
                 ", ".join(f"{r['p50_ms']:.0f} / {r['p99_ms']:.0f}" for r in drawn.values()),
                 "—", "< 100 each"))
    results["startup"] = startup.run(quick)
    rows += startup.rows(results["startup"])
    mem = results["memory"] = memory.run(quick)
    rows.append(("Memory: RSS idle, Slack and Discord connected (MB)",
                 f"{mem['idle']['rss_mb']:.0f}",
                 f"bare slack-bolt + discord.py: {mem['bare']['rss_mb']:.0f}", "< 150"))
    rows.append((f"Memory: RSS with {mem['stored']:,} articles stored, index cache full (MB)",
                 f"{mem['loaded']['rss_mb']:.0f} (peak {mem['loaded']['peak_mb']:.0f})",
                 f"rank-bm25 over the same sentences: {mem['bm25']['rss_mb']:.0f}", "—"))
    huge = results["article_memory"] = article_memory.run(quick)
    ours, dense = huge["parley"], huge["dense"]
    rows.append((f"Memory: peak RSS analysing the largest accepted article, {huge['sentences']:,} "
                 "sentences (MB, range)",
                 f"{ours['peak_mb_min']:.0f}–{ours['peak_mb_max']:.0f}",
                 f"dense N×N NumPy similarity + LexRank alone: {dense['peak_mb_min']:.0f}–"
                 f"{dense['peak_mb_max']:.0f}; ratio "
                 f"{ours['peak_mb_max'] / max(1.0, dense['peak_mb_min']):.2f}", "< 300"))
    print("| Benchmark | Parley | Peer | Goal |")
    print("|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    results["seconds"] = round(time.perf_counter() - started, 1)
    RESULTS.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS.name} in {results['seconds']} s")


if __name__ == "__main__":
    main()
