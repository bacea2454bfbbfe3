"""Indexing an article's coverage at ingestion: its profile, its related articles from other
outlets (found through the term index), and the passages that address each side's main points."""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime

from parley.core.analysis.article import ArticleAnalysis
from parley.core.coverage.match import (
    CANDIDATES,
    EVENT_DAYS,
    POINT_DAYS,
    TOPIC_MIN,
    match_points,
    nearest_passage,
    relate,
    says_something,
    specificity,
    topic_similarity,
    within,
)
from parley.core.coverage.profile import PROFILE_VERSION, Profile, build
from parley.core.models import ParsedArticle
from parley.store import analysis as analysis_store
from parley.store import articles as article_store
from parley.store import coverage as coverage_store
from parley.store.coverage import LinkRow, MatchRow
from parley.store.db import Database

log = logging.getLogger("parley.coverage")
OVERFETCH = 3  # candidates fetched from the index for each one kept (same-outlet ones drop)
TOPIC_LINKS = 12  # the fetched candidates closest in topic (``topic_similarity``), linked always


def compared(profile: Profile, others: dict[str, Profile]) -> list[tuple[float, str, bool]]:
    """Pure: the candidates from other outlets an article is matched with, as (relation score,
    id, same event): the ``CANDIDATES`` closest in topic and, since only articles published
    within ``POINT_DAYS`` can address a point, every other fetched one that was."""
    related = []
    for other_id, other in others.items():
        if other.outlet and other.outlet == profile.outlet:
            continue
        relation = relate(profile, other)
        related.append((relation.score, other_id, relation.same_event))
    related.sort(key=lambda r: (-r[0], r[1]))
    return related[:CANDIDATES] + [r for r in related[CANDIDATES:]
                                   if within(profile, others[r[1]], POINT_DAYS)]


def weights_among(profile: Profile, others: dict[str, Profile],
                  related: list[tuple[float, str, bool]] | None = None) -> dict[str, float]:
    """Pure: how specific each word is (``specificity``) among the article and its
    ``CANDIDATES`` closest candidates from other outlets (``compared``, unless given)."""
    related = compared(profile, others) if related is None else related
    return specificity([profile, *(others[other_id] for _, other_id, _ in
                                   related[:CANDIDATES])])


def closest_in_topic(profile: Profile, others: dict[str, Profile], limit: int = TOPIC_LINKS
                     ) -> list[str]:
    """Pure: the ``limit`` candidates from other outlets closest to the article in topic
    (``topic_similarity``), closest first."""
    scored = sorted(((topic_similarity(profile, other), other_id)
                     for other_id, other in others.items()
                     if not (other.outlet and other.outlet == profile.outlet)),
                    key=lambda r: (-r[0], r[1]))
    return [other_id for score, other_id in scored[:limit] if score > 0]


def link_pair(article_id: str, profile: Profile, other_id: str, other: Profile,
              weights: dict[str, float], same_event: bool,
              claims: dict[str, list[bool]] | None = None) -> list[LinkRow]:
    """Pure: the two directions of one link, scored by ``topic_similarity``, each with the
    passage of the other article nearest its main points (``nearest_passage``), if one is and
    the link reaches ``TOPIC_MIN`` (the broader section shows no other); ``claims`` caches each
    article's ``says_something`` by passage, by id."""
    topic = topic_similarity(profile, other)
    if topic < TOPIC_MIN:
        return [LinkRow(article_id, other_id, topic, same_event),
                LinkRow(other_id, article_id, topic, same_event)]
    claims = {} if claims is None else claims
    rows = []
    for source_id, source, target_id, target in ((article_id, profile, other_id, other),
                                                 (other_id, other, article_id, profile)):
        if target_id not in claims:
            claims[target_id] = [says_something(p) for p in target.passages]
        near = nearest_passage(source, target, weights, claims[target_id])
        if near is None:
            rows.append(LinkRow(source_id, target_id, topic, same_event))
            continue
        points = {p.position: p.sentence for p in source.passages}
        passages = {p.position: p.sentence for p in target.passages}
        rows.append(LinkRow(source_id, target_id, topic, same_event, point=points[near.point],
                            passage=passages[near.passage], passage_score=near.score,
                            stance=near.stance))
    return rows


def links_between(article_id: str, profile: Profile, others: dict[str, Profile]
                  ) -> tuple[list[LinkRow], list[MatchRow]]:
    """Pure: links and matched passages between one profile and its candidates
    (``compared``); how specific a word is, among the closest. A link's score is the two
    articles' ``topic_similarity`` (the broader-topic section's bar reads it), and it carries
    each side's passage nearest the other's points (the section quotes it). Two articles are
    on the same event when ``relate`` says so or, published within ``EVENT_DAYS``, a passage of
    one addresses a point of the other. The closest by ``relate`` and by topic are linked (for
    /coverage and the broader topic) even when no passage matched; the others only when one
    did."""
    related = compared(profile, others)
    weights = weights_among(profile, others, related)
    links: list[LinkRow] = []
    matches: list[MatchRow] = []
    topical = set(closest_in_topic(profile, others))
    claims: dict[str, list[bool]] = {}  # each article's ``says_something`` by passage
    for rank, (_, other_id, same_event) in enumerate(related):
        other = others[other_id]
        found = []
        for source_id, source, target_id, target in ((article_id, profile, other_id, other),
                                                     (other_id, other, article_id, profile)):
            ids = {p.position: p.sentence for p in source.passages}
            target_ids = {p.position: p.sentence for p in target.passages}
            found += [MatchRow(article_id=source_id, point=ids[m.point], other_id=target_id,
                               passage=target_ids[m.passage], score=m.score, stance=m.stance)
                      for m in match_points(source, target, weights, claims.get(target_id))]
        same_event = same_event or (within(profile, other, EVENT_DAYS) and bool(found))
        if rank < CANDIDATES or found or other_id in topical:
            links += link_pair(article_id, profile, other_id, other, weights, same_event,
                               claims)
        topical.discard(other_id)
        matches += found
    for other_id in sorted(topical):  # close in topic only: undated or over POINT_DAYS apart
        links += link_pair(article_id, profile, other_id, others[other_id], weights, False,
                           claims)
    return links, matches


async def candidates_for(db: Database, article_id: str, profile: Profile) -> dict[str, Profile]:
    """The profiles of the articles the term index finds closest to ``profile`` (``OVERFETCH``
    for each one kept: same-outlet ones drop)."""
    found = await coverage_store.candidates(db, article_id, profile.terms,
                                            CANDIDATES * OVERFETCH)
    return await coverage_store.profiles(db, [other for other, _ in found])


async def index_article(db: Database, article_id: str, parsed: ParsedArticle,
                        analysis: ArticleAnalysis, now: datetime) -> int:
    """Profile a newly stored article and match it with coverage from other outlets."""
    return await _index(db, article_id, parsed, {c.sentence: c.score for c in analysis.claims},
                        now)


async def _index(db: Database, article_id: str, parsed: ParsedArticle,
                 scores: dict[int, float], now: datetime) -> int:
    """Profile the article and match it with the closest coverage from other outlets, both ways;
    returns how many passages were matched. CPU work runs in a worker thread."""
    profile = await asyncio.to_thread(build, article_id, parsed, scores)
    others = await candidates_for(db, article_id, profile)
    links, matches = await asyncio.to_thread(links_between, article_id, profile, others)
    async with db.transaction() as conn:
        await coverage_store.clear_links_in(conn, article_id)
        await coverage_store.save_profile_in(conn, article_id, profile, PROFILE_VERSION, now)
        await coverage_store.save_links_in(conn, links, matches)
    return len(matches)


async def index_stored(db: Database, article_id: str, now: datetime) -> int:
    """Index an article already in the store (stored before coverage existed)."""
    article = await article_store.get(db, article_id)
    if article is None:
        return 0
    parsed = await article_store.as_parsed(db, article)
    positions = {s.id: i for i, s in enumerate(await article_store.sentences(db, article_id))}
    scores = {positions[c.sentence_id]: c.score
              for c in await analysis_store.claims(db, article_id) if c.sentence_id in positions}
    return await _index(db, article_id, parsed, scores, now)


async def index_missing(db: Database, now: datetime) -> int:
    """Index every article without a current profile; returns how many were indexed."""
    ids = await coverage_store.unindexed(db, PROFILE_VERSION)
    for article_id in ids:
        await index_stored(db, article_id, now)
    if ids:
        log.info("coverage indexed", extra={"articles": len(ids)})
    return len(ids)
