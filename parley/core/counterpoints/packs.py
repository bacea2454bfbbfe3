"""Counterpoint packs: curated TOML files, applied to the articles they fit."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib import resources

from parley.core.analysis.tokens import fold, words
from parley.core.models import Article
from parley.core.search.lookup import lookup
from parley.core.search.rank import STRONG_COVERAGE
from parley.store import articles as article_store
from parley.store import counterpoints
from parley.store.db import Database
from parley.store.memo import Memo


@dataclass(frozen=True)
class PackItem:
    key: str
    answers: str  # a question whose best /fact hit is the claim this item answers
    topic: str
    text: str
    evidence: str
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Pack:
    id: str
    title: str
    origin: str  # "curated" (for one article) or "topic" (for any article on the subject)
    article_title: str
    match: frozenset[str]
    min_terms: int
    items: tuple[PackItem, ...]

    def fits(self, article: Article, text_words: set[str]) -> bool:
        if self.article_title:
            return fold(article.title) == fold(self.article_title)
        return len(self.match & text_words) >= self.min_terms


def _pack(data: dict[str, object]) -> Pack:
    head = data["pack"]
    assert isinstance(head, dict)
    items = tuple(PackItem(key=str(i["key"]), answers=str(i.get("answers", "")),
                           topic=str(i.get("topic", "")), text=str(i["text"]),
                           evidence=str(i.get("evidence", "")),
                           sources=tuple(str(s) for s in i.get("sources", [])))
                  for i in data.get("counterpoint", []))  # type: ignore[attr-defined]
    return Pack(id=str(head["id"]), title=str(head.get("title", head["id"])),
                origin=str(head.get("origin", "topic")),
                article_title=str(head.get("article_title", "")),
                match=frozenset(fold(w) for w in head.get("match", [])),
                min_terms=int(head.get("min_terms", 3)), items=items)


@cache
def bundled_packs() -> tuple[Pack, ...]:
    folder = resources.files("parley.core.data") / "counterpoints"
    return tuple(_pack(tomllib.loads(entry.read_text("utf-8")))
                 for entry in sorted(folder.iterdir(), key=lambda e: e.name)
                 if entry.name.endswith(".toml"))


CONSIDERED_MEMO = "packs.considered"  # articles every bundled pack was considered for
CONSIDERED_SIZE = 65_536


def _considered(db: Database) -> Memo[bool]:
    """The database's memo of considered articles (emptied when the store writes one)."""
    return db.memos.memo(CONSIDERED_MEMO, CONSIDERED_SIZE)


async def apply_packs(db: Database, article_id: str, at: datetime) -> int:
    """Add the items of every pack that fits the article and was not applied yet.

    A curated pack for the article comes first; a topic item with the same key as one already
    added (the same point) is skipped. Returns how many items were added."""
    if _considered(db).get(article_id):
        return 0  # the usual case, once this process has seen the article
    done = await counterpoints.packs_applied(db, article_id)
    if all(p.id in done for p in bundled_packs()):
        _considered(db).put(article_id, True)
        return 0
    article = await article_store.get(db, article_id)
    if article is None:
        return 0
    text_words = {w for s in await article_store.sentences(db, article_id)
                  for w in words(s.text)}
    packs = sorted(bundled_packs(), key=lambda p: p.origin != "curated")
    existing = {c.key for c in await counterpoints.for_article(db, article_id, True)}
    added = 0
    for pack in packs:
        if pack.id in done:
            continue
        if not pack.fits(article, text_words):
            async with db.transaction() as conn:  # considered once, not on every call
                await counterpoints.mark_pack_in(conn, article_id, pack.id)
            continue
        resolved = []
        for item in pack.items:
            if item.key in existing:
                continue
            _, hits = await lookup(db, article_id, item.answers) if item.answers else (None, [])
            # A topic item answers only a claim covering most of its question, and a topic pack
            # applies only to an article with such a claim: one that argues the point, not one
            # that merely mentions the subject. A curated pack's questions were written for its
            # article's claims.
            needed = STRONG_COVERAGE if pack.origin == "topic" else 0.0
            claim = next((h.id for h in hits if h.kind == "claim" and h.coverage >= needed),
                         None)
            resolved.append((item, claim))
        if pack.origin == "topic" and not any(claim for _, claim in resolved):
            resolved = []  # on the subject, but arguing none of the points the pack answers
        existing |= {item.key for item, _ in resolved}
        async with db.transaction() as conn:
            for item, claim in resolved:
                await counterpoints.add_in(
                    conn, article_id=article_id, claim_id=claim, topic=item.topic,
                    text=item.text, evidence=item.evidence, sources=list(item.sources),
                    origin=pack.origin, author=pack.title, at=at, pack=pack.id, key=item.key)
                added += 1
            await counterpoints.mark_pack_in(conn, article_id, pack.id)
    return added
