"""Other coverage: /counterpoint quotes other outlets on the article's points, /coverage splits
an event by leaning and names the blindspot, moderators correct leanings (articles written for
the test)."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

from parley.cli.app import open_services
from parley.core.coverage.find import TOPIC_MIN, broader_coverage
from parley.core.coverage.index import closest_in_topic
from parley.core.coverage.match import (
    FAR_MIN,
    UNDATED_MIN,
    match_points,
    nearest_passage,
    says_something,
    specificity,
    stance,
    topic_similarity,
)
from parley.core.coverage.profile import (
    ENCODED_VERSION,
    PROFILE_VERSION,
    Profile,
    build,
    passage_features,
    with_encodings,
)
from parley.core.coverage.rematch import rematch_pending
from parley.core.coverage.render import render_broader
from parley.core.ingest.encodings import encode_article
from parley.core.ingest.pipeline import ingest_path
from parley.core.ingest.plaintext import parse_plain_text
from parley.core.models import Role
from parley.core.services import Services
from parley.store import analysis as analysis_store
from parley.store import articles as article_store
from parley.store import audit
from parley.store import coverage as coverage_store
from tests.conftest import FIXTURES, Ask, Stores, needs_encoder

COVERAGE = FIXTURES / "coverage"


async def _store(services: Services, *names: str) -> dict[str, str]:
    ids = {}
    for name in names:
        result = await ingest_path(services.db, services.workers, COVERAGE / f"{name}.txt",
                                   services.now())
        ids[name] = result.article.id
    return ids


async def test_coverage_shows_the_split_and_the_missing_side(ask: Ask, services: Services
                                                             ) -> None:
    ids = await _store(services, "left-dam-vote", "center-dam-vote", "unrelated-trade")
    await ask(f"/article use {ids['left-dam-vote']}", role=Role.MODERATOR)
    reply = await ask("/coverage")
    assert reply.data["counts"] == {"left": 1, "center": 1, "right": 0, "unrated": 0}
    assert reply.data["missing"] == ["right"] and reply.data["same_event"]
    assert ids["unrelated-trade"] not in reply.data["articles"]
    assert "Blindspot" in reply.text and "right-leaning" in reply.text
    assert reply.status == "warning"
    [chart] = reply.pictures  # the split drawn, the blindspot said in words
    assert "No right outlet covers it." in chart.alt and "left 1" in chart.alt
    await _store(services, "right-dam-vote")
    after = await ask("/coverage")
    assert after.data["counts"] == {"left": 1, "center": 1, "right": 1, "unrated": 0}
    assert after.data["missing"] == [] and "Blindspot" not in after.text
    assert after.data["outlets"]["right"] == ["Fox News"]
    assert "right 1 (Fox News)" in after.pictures[0].alt and "No right" not in after.pictures[0].alt


async def test_counterpoint_quotes_other_outlets_with_their_source(ask: Ask, services: Services
                                                                  ) -> None:
    ids = await _store(services, "left-dam-vote", "center-dam-vote", "right-dam-vote",
                       "unrelated-trade")
    await ask(f"/article use {ids['left-dam-vote']}", role=Role.MODERATOR)
    reply = await ask("/counterpoint")
    assert reply.kind == "answer"
    quoted = reply.data["coverage"]
    assert quoted, reply.text
    own = {s.id for s in await article_store.sentences(services.db, ids["left-dam-vote"])}
    for item in quoted:
        assert item["article"] in (ids["center-dam-vote"], ids["right-dam-vote"])
        assert item["point"] in own
        stored = {s.id: s.text for s in await article_store.sentences(services.db,
                                                                       item["article"])}
        assert stored[item["passage"]] == item["text"]  # quoted, never written
        assert item["outlet"] in ("Reuters", "Fox News") and item["url"].startswith("https://")
        assert item["leaning"] in ("center", "right") and item["published"] == "2024-06-04"
        assert item["stance"] in ("agreeing", "adding context", "disputing", "unclear")
    assert {s.url for s in reply.sources} >= {i["url"] for i in quoted}
    assert not any(i["quoted"] for i in quoted)  # the outlets' own sentences
    salmon = [i for i in quoted if "140 miles" in i["point_text"]]
    assert salmon and any("140 miles" in i["text"] for i in salmon)
    narrowed = await ask("/counterpoint irrigation water farms")
    assert narrowed.data["coverage"] and all(
        "farm" in (i["point_text"] + i["text"]).lower() for i in narrowed.data["coverage"])


async def test_an_article_alone_has_no_other_coverage(ask: Ask, services: Services) -> None:
    ids = await _store(services, "unrelated-trade")
    await ask(f"/article use {ids['unrelated-trade']}", role=Role.MODERATOR)
    reply = await ask("/coverage")
    assert reply.kind == "not_found" and "No other outlet" in reply.text
    assert (await ask("/counterpoint")).kind == "not_found"


async def test_an_article_without_an_outlet_is_named_from_its_address(
        ask: Ask, services: Services, tmp_path: Path) -> None:
    pasted = tmp_path / "pasted.txt"
    text = (COVERAGE / "unrelated-trade.txt").read_text(encoding="utf-8")
    pasted.write_text(text.replace("Outlet: Vox\n\n", "").replace(
        "https://www.vox.com/", "https://www.cnn.com/"), encoding="utf-8")
    result = await ingest_path(services.db, services.workers, pasted, services.now())
    assert not result.article.outlet
    await ask(f"/article use {result.article.id}", role=Role.MODERATOR)
    reply = await ask("/coverage")
    assert "from CNN (Web News) (left)" in reply.text and "unnamed" not in reply.text


async def test_moderators_correct_a_leaning_audited(ask: Ask, services: Services) -> None:
    ids = await _store(services, "left-dam-vote", "center-dam-vote")
    await ask(f"/article use {ids['left-dam-vote']}", role=Role.MODERATOR)
    assert (await ask("/coverage leaning Reuters right")).kind == "denied"
    done = await ask("/coverage leaning Reuters right", role=Role.MODERATOR)
    assert done.data == {"outlet": "Reuters", "leaning": "right", "was": "center"}
    entry = (await audit.recent(services.db))[0]
    assert entry.action == "coverage.leaning" and entry.detail == {"from": "center",
                                                                   "to": "right"}
    reply = await ask("/coverage")
    assert reply.data["counts"]["right"] == 1 and reply.data["missing"] == ["center"]
    hostile = await ask("/coverage leaning <@everyone> **bold** center", role=Role.MODERATOR)
    assert hostile.kind == "info"
    assert (await ask("/coverage leaning Reuters purple", role=Role.MODERATOR)).is_error


def test_stance_says_unclear_rather_than_guess() -> None:
    point = passage_features(0, "a#s0.0", "The dam blocks salmon from 140 miles of habitat on "
                             "the Orrin River.", {"Orrin", "River"})
    disputing = passage_features(0, "b#s0.0", "Senator Brandt said the claim that the dam "
                                 "blocks salmon habitat is not supported by studies.",
                                 {"Brandt"})
    assert stance(point, disputing, 0.5, 0.8) == "disputing"
    unrelated = passage_features(0, "c#s0.0", "Truck drivers said congestion at the port "
                                 "gates has doubled.", set())
    assert stance(point, unrelated, 0.0, 0.3) == "unclear"


async def test_articles_stored_before_coverage_are_indexed_at_start(stores: Stores) -> None:
    settings = stores.settings()
    async with open_services(settings) as services:
        ids = await _store(services, "left-dam-vote", "center-dam-vote")
        async with services.db.transaction() as conn:  # as a database from before #20 is
            await conn.execute("DELETE FROM coverage_profiles")
            await conn.execute("DELETE FROM coverage_matches")
        assert await coverage_store.matches_for(services.db, ids["left-dam-vote"]) == []
    async with open_services(settings) as services:
        assert await coverage_store.matches_for(services.db, ids["left-dam-vote"])


async def test_the_passage_on_the_same_point_is_chosen_over_the_same_topic(
        ask: Ask, services: Services) -> None:
    ids = await _store(services, "left-dam-vote", "center-hatchery", "right-dam-vote")
    await ask(f"/article use {ids['left-dam-vote']}", role=Role.MODERATOR)
    quoted = (await ask("/counterpoint")).data["coverage"]
    assert quoted and {i["article"] for i in quoted} == {ids["right-dam-vote"]}
    by_point = {i["point_text"]: i["text"] for i in quoted}
    vote = next(text for point, text in by_point.items() if "27 to 21" in point)
    assert "27 to 21" in vote  # the vote quoted against the vote, not the farms or the price


async def test_same_topic_alone_is_shown_as_broader_never_as_the_event(
        ask: Ask, services: Services) -> None:
    ids = await _store(services, "left-dam-vote", "right-dam-hearing", "center-hatchery")
    await ask(f"/article use {ids['left-dam-vote']}", role=Role.MODERATOR)
    reply = await ask("/counterpoint")  # the same dam's hearing four months before: another event
    assert reply.data["coverage"] == []  # nothing quoted as addressing a point
    [broader] = reply.data["broader"]  # the hatchery, another river, is not close enough
    assert broader["article"] == ids["right-dam-hearing"]
    assert broader["outlet"] == "National Review" and broader["leaning"] == "right"
    stored = {s.id: s.text for s in await article_store.sentences(services.db,
                                                                   ids["right-dam-hearing"])}
    assert stored[broader["passage"]] == broader["text"]  # its own sentence, quoted
    # …the one nearest the article's points (the tribes' salmon run), not its own top claim
    assert "tribes" in broader["text"] and "salmon run" in broader["point_text"]
    assert broader["stance"] in {"agreeing", "adding context", "disputing", "unclear"}
    assert "broader topic only" in reply.text and "not this event" in reply.text
    assert "was found to address the article's points" in reply.text
    [section, _] = reply.sections
    assert "broader than this article's event" in section.title
    assert f"On the article's “{broader['point_text']}”" in section.text
    assert "Other coverage of" not in section.title
    assert broader["url"] in {s.url for s in reply.sources}
    claims = await ask("/claims")
    first = claims.data["claims"][0]["id"]
    on_claim = await ask(f"/counterpoint {first}")
    assert on_claim.data["coverage"] == [] and "address this claim" in on_claim.text
    asked = await ask("/counterpoint irrigation water farms")  # a topic asked: never broader
    assert asked.kind == "not_found" and asked.data["broader"] == []
    split = await ask("/coverage")  # no other article on the event: the topic's split, at the bar
    assert not split.data["same_event"]
    assert ids["right-dam-hearing"] in split.data["articles"]
    assert ids["center-hatchery"] not in split.data["articles"]
    links = {r.id: r.score for r in await coverage_store.related(services.db,
                                                                  ids["left-dam-vote"])}
    profiles = await coverage_store.profiles(services.db, list(ids.values()))
    for name in ("right-dam-hearing", "center-hatchery"):  # a link's score: the topic's cosine
        assert links[ids[name]] == topic_similarity(profiles[ids["left-dam-vote"]],
                                                    profiles[ids[name]])
    article = await article_store.get(services.db, ids["left-dam-vote"])
    assert article is not None
    # below the topic bar, the hatchery is linked all the same but never given a passage (and
    # none of its is near the vote's points): asked for, it is quoted by its own main claim,
    # said to be the topic only, never as an answer to a point
    shown = {c.article: c for c in await broader_coverage(services.db, article, least=0.0)}
    hatchery = shown[ids["center-hatchery"]]
    assert hatchery.text is None and hatchery.point_text is None and hatchery.stance is None
    top = (await analysis_store.claims(services.db, ids["center-hatchery"]))[0]
    assert hatchery.main_claim is not None and hatchery.main_claim == top.text
    rendered = render_broader(hatchery)
    assert "coverage of the topic, not of this point" in rendered
    assert "Its own main claim, not an answer" in rendered and "On the article's" not in rendered
    assert f"> {hatchery.main_claim[:40]}" in rendered
    assert hatchery.url is not None and hatchery.url in rendered


def test_the_nearest_passage_answers_a_point_or_nothing_does() -> None:
    vote, hearing = _profile("left-dam-vote", None), _profile("right-dam-hearing", None)
    hatchery, trade = _profile("center-hatchery", None), _profile("unrelated-trade", None)
    weights = specificity([vote, hearing, hatchery, trade])
    near = nearest_passage(vote, hearing, weights)
    assert near is not None and near.point in vote.points
    texts = [s.text for sec in parse_plain_text((COVERAGE / "right-dam-hearing.txt").read_text(
        encoding="utf-8")).sections for s in sec.sentences]
    assert "tribes" in texts[near.passage]  # the tribes' salmon run against the tribes' claim
    assert nearest_passage(vote, trade, weights) is None  # nothing near: no quote at all
    assert nearest_passage(vote, hatchery, weights) is None
    far = replace(hearing, published=date(2019, 1, 1))  # the dates do not bar it, unlike points
    assert nearest_passage(replace(vote, published=date(2024, 6, 3)), far, weights) == near


async def test_nothing_is_shown_when_nothing_is_on_the_topic(ask: Ask, services: Services
                                                             ) -> None:
    ids = await _store(services, "left-dam-vote", "unrelated-trade")
    await ask(f"/article use {ids['left-dam-vote']}", role=Role.MODERATOR)
    reply = await ask("/counterpoint")  # another outlet, another topic
    assert reply.kind == "not_found"
    assert reply.data["coverage"] == [] and reply.data["broader"] == []
    assert "addresses" in reply.text and "same topic alone" not in reply.text


def _profile(name: str, published: date | None) -> Profile:
    parsed = parse_plain_text((COVERAGE / f"{name}.txt").read_text(encoding="utf-8"))
    parsed = parsed.model_copy(update={"published": published})
    return build(name, parsed, {})


def test_same_topic_is_decided_on_the_whole_articles() -> None:
    vote = _profile("left-dam-vote", None)
    hearing, hatchery = _profile("right-dam-hearing", None), _profile("center-hatchery", None)
    trade = _profile("unrelated-trade", None)
    assert abs(sum(w * w for w in vote.topic.values()) - 1) < 1e-3  # unit weights: a cosine
    assert topic_similarity(vote, hearing) == topic_similarity(hearing, vote) >= TOPIC_MIN
    assert topic_similarity(vote, hatchery) < TOPIC_MIN  # another river's fish, not the dam
    assert topic_similarity(vote, trade) < topic_similarity(vote, hatchery)
    assert topic_similarity(vote, replace(hearing, topic={})) == 0.0
    others = {"hearing": hearing, "hatchery": hatchery, "trade": trade,
              "own": replace(hearing, outlet=vote.outlet)}  # the article's own outlet: never
    assert closest_in_topic(vote, others, limit=2) == ["hearing", "hatchery"]


def test_a_passage_months_away_is_not_on_point_and_undated_needs_a_near_copy() -> None:
    left = _profile("left-dam-vote", date(2024, 6, 3))
    weights = specificity([left, _profile("center-dam-vote", None)])
    assert match_points(left, _profile("center-dam-vote", date(2024, 6, 4)), weights)
    assert match_points(left, _profile("center-dam-vote", date(2025, 6, 4)), weights) == []
    undated = match_points(left, _profile("center-dam-vote", None), weights)
    assert all(m.score >= UNDATED_MIN for m in undated)
    assert len(undated) < len(match_points(left, _profile("center-dam-vote", date(2024, 6, 4)),
                                           weights))


def test_weeks_apart_only_a_near_restatement_is_on_point() -> None:
    left = _profile("left-dam-vote", date(2024, 6, 3))
    weights = specificity([left, _profile("right-dam-hearing", None)])
    near = match_points(left, _profile("right-dam-hearing", date(2024, 6, 5)), weights)
    far = match_points(left, _profile("right-dam-hearing", date(2024, 6, 25)), weights)
    assert far and all(m.score >= FAR_MIN for m in far)
    assert any(m.score < FAR_MIN for m in near)  # two days apart, the event's words suffice
    assert {m.point for m in far} < {m.point for m in near}  # three weeks: those drop


def test_furniture_is_not_a_claim_of_its_own() -> None:
    known = {"Giffords", "Bob Corker", "John Hoeven", "Lindsey Graham", "Marco Rubio"}

    def claim(text: str) -> bool:
        return says_something(passage_features(0, "s", text, known))

    assert not claim("That's according to the Giffords Law Center, which tracks laws.")
    assert not claim("Senators Bob Corker, John Hoeven, Lindsey Graham and Marco Rubio voted.")
    assert claim("The Senate voted 27 to 21 on Monday to remove the dam, ending a long fight "
                 "over salmon habitat.")


def test_page_text_is_no_passage_and_a_repeated_sentence_is_one_point() -> None:
    vote = "The council voted 7 to 2 on Monday to remove the Elwha dam by next summer."
    legend = ("Percentage of adults per district who support removing the dam 20% 30 40 50 60 "
              "70 80 69% NATIONAL AVERAGE: Wash.")
    heading = "Council votes to remove the Elwha dam after a decade of argument"
    cost = "Removing the dam will cost the state $40 million over three years, officials said."
    pointer = "( PHOTOS: Will the Elwha dam come down by next summer?)"
    short = "The council voted — and the dam falls."  # seven words and a dash
    text = "\n\n".join(["Dam vote", vote, legend, heading, cost, vote.upper(), cost, pointer,
                        short])
    parsed = parse_plain_text(text)
    texts = [s.text for sec in parsed.sections for s in sec.sentences]
    scores = {i: 1.0 - i / 10 for i in range(len(texts))}  # the legend and heading score high
    profile = build("dams", parsed, scores)
    passages = [texts[p.position] for p in profile.passages]
    assert legend not in passages and heading not in passages
    assert pointer not in passages and short not in passages
    assert vote in passages and cost in passages
    said = [" ".join(texts[p].lower().split()) for p in profile.points]
    assert len(said) == len(set(said)) == 2  # the vote and the cost, each once


async def test_stored_ids_are_found_by_address(services: Services) -> None:
    ids = await _store(services, "left-dam-vote", "center-dam-vote")
    urls = {name: (await article_store.get(services.db, i)).url  # type: ignore[union-attr]
            for name, i in ids.items()}
    assert all(urls.values())
    found = await article_store.ids_by_url(services.db, [*urls.values(), "https://x.test/none"])
    assert found == {urls[name]: ids[name] for name in ids}


def test_a_pair_is_scored_with_the_encoder_only_when_both_sides_have_it() -> None:
    left = _profile("left-dam-vote", date(2024, 6, 3))
    center = _profile("center-dam-vote", date(2024, 6, 4))
    weights = specificity([left, center])
    static = {m.point: m.score for m in match_points(left, center, weights)}
    assert static
    dims = 384  # encodings that call every pair of sentences the same (cosine 1)
    same = np.zeros((max(p.position for p in left.passages) + 1, dims), dtype=np.float32)
    same[:, 0] = 1.0
    other = np.zeros((max(p.position for p in center.passages) + 1, dims), dtype=np.float32)
    other[:, 0] = 1.0
    encoded_left, encoded_center = with_encodings(left, same), with_encodings(center, other)
    assert encoded_left.encodings is not None and encoded_left.encodings.shape[0] == len(
        left.passages)
    assert {m.point: m.score for m in match_points(encoded_left, center, weights)} == static
    both = {m.point: m.score for m in match_points(encoded_left, encoded_center, weights)}
    assert both and all(both[p] >= static.get(p, 0.0) for p in both)
    assert any(both[p] > static.get(p, 0.0) for p in both)  # the encoder's cosine counted
    assert with_encodings(left, same[:2]) is left  # encodings that do not fit are not used
    assert replace(left, encodings=None) == left


@needs_encoder
async def test_coverage_is_matched_again_when_encodings_arrive(ask: Ask, services: Services
                                                              ) -> None:
    ids = await _store(services, "left-dam-vote", "center-dam-vote", "right-dam-vote")
    versions = "SELECT article_id, version FROM coverage_profiles"
    assert {r["version"] for r in await services.db.fetchall(versions)} == {PROFILE_VERSION}
    await ask(f"/article use {ids['left-dam-vote']}", role=Role.MODERATOR)
    before = (await ask("/counterpoint")).data["coverage"]  # the static vectors answer
    assert before
    assert await rematch_pending(services.db, services.workers) == []  # nothing encoded yet
    for article_id in ids.values():  # (not the example article: fewer sentences to encode)
        await encode_article(services.db, services.workers, article_id)
    done = await rematch_pending(services.db, services.workers)
    assert sorted(done) == sorted(ids.values())
    assert {r["article_id"] for r in await services.db.fetchall(versions)
            if r["version"] == ENCODED_VERSION} == set(ids.values())
    assert await rematch_pending(services.db, services.workers) == []
    after = (await ask("/counterpoint")).data["coverage"]
    assert after and {i["article"] for i in after} <= {ids["center-dam-vote"],
                                                       ids["right-dam-vote"]}
    assert [i["score"] for i in after] != [i["score"] for i in before]  # scored anew


async def _store_quoting(services: Services, tmp_path: Path, name: str, speaker: str) -> str:
    """The fixture ``name`` stored at another address, its whole body one quotation of
    ``speaker``'s several sentences: their words, not the outlet's."""
    head, url, body = re.split(r"^(https://\S+)\n", (COVERAGE / f"{name}.txt").read_text(
        encoding="utf-8"), maxsplit=1, flags=re.M)
    sentences = " ".join(p.strip() for p in body.split("\n\n") if p.strip())
    quoting = tmp_path / f"{name}-quote.txt"
    quoting.write_text(f"{head}{url}-quote\n\n{speaker} told reporters: “{sentences}”\n",
                       encoding="utf-8")
    return (await ingest_path(services.db, services.workers, quoting, services.now())).article.id


async def test_a_passage_inside_someones_quotation_is_quoted_as_theirs(
        ask: Ask, services: Services, tmp_path: Path) -> None:
    # Fox's article again, its passages set inside its senator's quotation of several sentences.
    ids = await _store(services, "left-dam-vote")
    quoted_id = await _store_quoting(services, tmp_path, "right-dam-vote",
                                     "State Senator Carl Brandt")
    await ask(f"/article use {ids['left-dam-vote']}", role=Role.MODERATOR)
    reply = await ask("/counterpoint")
    fox = [i for i in reply.data["coverage"] if i["article"] == quoted_id]
    assert fox, reply.text
    assert all(i["quoted"] and i["speaker"] == "State Senator Carl Brandt" for i in fox)
    shown = "\n".join(section.text for section in reply.sections)
    assert "— State Senator Carl Brandt, quoted in “Farmers fear" in shown


async def test_the_articles_point_inside_someones_quotation_is_said_to_be_theirs(
        ask: Ask, services: Services, tmp_path: Path) -> None:
    # CNN's vote story as one quotation of its governor: each point is hers, not CNN's
    quoting = await _store_quoting(services, tmp_path, "left-dam-vote", "Governor Teresa Molina")
    await _store(services, "right-dam-vote")
    await ask(f"/article use {quoting}", role=Role.MODERATOR)
    reply = await ask("/counterpoint")
    assert reply.data["coverage"], reply.text
    assert all(i["point_quoted"] and i["point_speaker"] == "Governor Teresa Molina"
               and not i["quoted"] for i in reply.data["coverage"])
    titles = [s.title for s in reply.sections if s.title.startswith("Other coverage")]
    assert titles and all(t.startswith("Other coverage of the article's quotation of Governor "
                                       "Teresa Molina, “") for t in titles)
    assert "— Governor Teresa Molina" not in "\n".join(s.text for s in reply.sections)
    first = (await ask("/claims")).data["claims"][0]
    assert first["quoted"] and first["speaker"] == "Governor Teresa Molina"
    added = await ask(f"/counterpoint add {first['id']} Removing the dam will cost farms their "
                      "irrigation water for years. https://example.org/irrigation")
    assert added.kind == "answer", added.text
    reply = await ask("/counterpoint")
    [hit] = reply.data["hits"]
    assert hit["answers"]["quoted"] and hit["answers"]["speaker"] == "Governor Teresa Molina"
    on_claim = reply.sections[0]
    assert on_claim.title.startswith("the article's quotation of Governor Teresa Molina, “")
    assert " · quoting Governor Teresa Molina" in on_claim.text


async def test_a_broader_items_point_and_main_claim_inside_quotations_are_said_to_be_so(
        ask: Ask, services: Services, tmp_path: Path) -> None:
    quoting = await _store_quoting(services, tmp_path, "left-dam-vote", "Governor Teresa Molina")
    hatchery = await _store_quoting(services, tmp_path, "center-hatchery", "Director Ana Ruiz")
    hearing = (await _store(services, "right-dam-hearing"))["right-dam-hearing"]
    await ask(f"/article use {quoting}", role=Role.MODERATOR)
    reply = await ask("/counterpoint")
    [broader] = reply.data["broader"]
    assert broader["article"] == hearing and broader["point_quoted"] and not broader["quoted"]
    assert broader["point_speaker"] == "Governor Teresa Molina"
    [section, _] = reply.sections
    assert "On the article's quotation of Governor Teresa Molina, “" in section.text
    article = await article_store.get(services.db, quoting)
    assert article is not None
    shown = {c.article: c for c in await broader_coverage(services.db, article, least=0.0)}
    unquoted = shown[hatchery]  # quoted by its own main claim, which is its director's words
    assert unquoted.text is None and unquoted.quoted and unquoted.speaker == "Director Ana Ruiz"
    assert not unquoted.point_quoted  # no point of the article is quoted against it
    rendered = render_broader(unquoted)
    assert "Its main claim, in words it quotes, not an answer" in rendered
    assert "— Director Ana Ruiz, quoted in “New salmon hatchery" in rendered
