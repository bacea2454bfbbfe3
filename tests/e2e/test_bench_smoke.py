"""Every benchmark's code runs (tiny sizes, no timing asserted), so `python -m bench` stays
working; the figures themselves come from `python -m bench` and are reported in the README."""

from __future__ import annotations

import pytest

from bench import (
    analysis_speed,
    core_latency,
    coverage,
    digest_fanout,
    ingest_scaling,
    memory,
    peers_quality,
    platforms_e2e,
    platforms_fair,
    startup,
)
from bench.quality import FRANK


async def test_core_latency_and_digest_fanout_run() -> None:
    core = await core_latency._measure(1, 1)
    assert set(core) == {"/help", "/summary", "/fact", "/counterpoint"}
    assert all(r["p50_ms"] > 0 for r in core.values())
    fanout = await digest_fanout._run(5)
    assert fanout["subscriptions"] == 5


async def test_sustained_ingestion_stores_every_article_once() -> None:
    # the example and every test article (each format), then the example again retitled
    articles = analysis_speed.distinct_articles(6)
    assert len({data for _, data in articles}) == 6
    assert await analysis_speed._sustained(articles) > 0  # raises if any was a repeat
    assert analysis_speed._libraries_rate(articles[:2]) > 0


@pytest.mark.skipif(not FRANK.exists(), reason="needs ../shared/eval beside the checkout")
def test_peer_summaries_run_offline() -> None:
    result = peers_quality.summaries(3)
    assert set(result) == {"Parley", "Lead-3", "sumy LexRank", "sumy TextRank"}
    assert all(0 < r["rouge1"] <= 100 for r in result.values())


async def test_platform_comparisons_run() -> None:
    slack = await platforms_e2e.slack(5, concurrency=2)
    assert slack["Parley"]["requests"] == slack["bare slack-bolt (ack only)"]["requests"] == 5
    discord = await platforms_e2e.discord_round_trip(2)
    assert discord["Parley"]["requests"] == discord["Parley floor (/help fact)"]["requests"] == 2


async def test_memory_is_measured() -> None:
    """The bare apps in a fresh process, as the bench measures every row (its child's JSON
    line read back); Parley's idle row runs its same code in this process (a fresh one would
    start and warm an analysis pool of its own for the example)."""
    bare, idle = memory._measure("bare"), await memory._parley(1)
    assert 0 < bare["rss_mb"] <= bare["peak_mb"] and 0 < idle["rss_mb"] <= idle["peak_mb"]


@pytest.mark.skipif(not coverage.TOPICS.exists(), reason="needs ../shared/eval beside the checkout")
async def test_coverage_latency_runs(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = await coverage._latency(tmp_path / "c.db", 4, 2)
    assert result["articles"] == 4 and result["queries"] == 2 and result["p50_ms"] > 0


async def test_fair_peers_and_bursts_run() -> None:
    # three rounds: each bot takes each place in the rotation once
    discord = await platforms_fair.discord_rounds(3, rounds=3)
    assert discord["Parley"]["requests"] == discord["fair discord.py cog (FTS5 + embed)"][
        "requests"] == discord[platforms_fair.FLOOR_LABEL]["requests"] == 3
    assert len(discord["floor_ratio_per_round"]) == len(
        discord["new_question_ratio_per_round"]) == 3
    assert discord["Parley" + platforms_fair.NEW]["requests"] == 3
    slack = await platforms_fair.slack_rounds(4, concurrency=2, rounds=2, paced=2)
    assert len(slack["answered_ratio_per_round"]) == len(
        slack["floor_answered_ratio_per_round"]) == len(
        slack["new_question_answered_ratio_per_round"]) == 2
    # the bench runs each bot in a process of its own (discord_burst); here both share this
    # one, which checks the measuring and the alternation without starting two processes
    async with platforms_fair.discord_pair() as pair:
        burst = await platforms_fair.burst_rounds(pair.fake, 4, 2, settle_s=0)
    for side in ("Parley", platforms_fair.COG):
        assert burst[side]["bursts"] == 2 and burst[side]["interactions_per_burst"] == 4
        assert burst[side]["never_answered"] == burst[side]["no_final_answer"] == [0, 0]
    during = await platforms_fair.discord_during_analysis(2, article_bytes=8_000)
    assert during["interactions"] == 2


async def test_ingest_scaling_runs() -> None:
    result = await ingest_scaling._measure((10, 20), 1)
    assert set(result["sizes"]) == {"10", "20"} and result["ingest_spread"] >= 1


def test_startup_is_measured_in_fresh_processes() -> None:
    commands = {name: startup.COMMANDS[name] for name in ("python -c pass", "parley --version")}
    runs = startup.measure(startup.REPO, 1, commands)
    assert all(len(r["wall_s"]) == len(r["cpu_s"]) == 1 and r["cpu_s"][0] > 0
               for r in runs.values())
    [row] = startup.rows({"repeats": 1, "runs": runs, "cpu_ratio_to_python": {
        "parley --version": [1.0, 1.0]}})
    assert row[0].startswith("Start-up: parley --version")
