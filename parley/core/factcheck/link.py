"""Putting fact checks on claims: importing reviews, and matching new articles to known checks."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from parley.core.analysis.tokens import STOPWORDS, fold, words
from parley.core.factcheck.claimreview import Review
from parley.core.factcheck.matching import best_match, match_score
from parley.core.models import Article
from parley.store import analysis as analysis_store
from parley.store import articles as article_store
from parley.store import factchecks, search
from parley.store.analysis import StoredClaim
from parley.store.db import Database

CROSS_ARTICLE_THRESHOLD = 0.9  # stricter than within a named article: same figure or wording
KB_CANDIDATES = 5


@dataclass
class ImportReport:
    """What an import did, item by item."""

    linked: list[tuple[str, str]] = field(default_factory=list)  # (claim id, status)
    unlinked: int = 0
    skipped: int = 0


class _Articles:
    """Every stored article by address and by folded title, read once per import."""

    def __init__(self, articles: list[Article]) -> None:
        self.by_url: dict[str, Article] = {}
        self.by_title: dict[str, Article] = {}
        for article in articles:
            if article.url:
                self.by_url.setdefault(article.url, article)
            self.by_title.setdefault(fold(article.title), article)

    def target(self, review: Review) -> Article | None:
        url = str(review.appearance.get("url") or "")
        headline = fold(str(review.appearance.get("headline") or review.appearance.get("name")
                            or ""))
        return (self.by_url.get(url) if url else None) or \
            (self.by_title.get(headline) if headline else None)


async def import_reviews(db: Database, reviews: list[Review], origin: str, at: datetime
                         ) -> ImportReport:
    """Attach each review to the claim it checks in the article it names, else keep it in the
    knowledge base. Importing the same review twice records it once.

    Linear in the reviews (articles, claims and recorded verdicts are read once) and
    all-or-nothing: every new verdict is written in one transaction.
    """
    report = ImportReport()
    articles = _Articles(await article_store.list_all(db, limit=10**9))
    claims_of: dict[str, list[StoredClaim]] = {}
    seen = await factchecks.signatures(db)
    pending: list[tuple[str | None, Review]] = []
    for review in reviews:
        article = articles.target(review)
        claim_id = None
        if article is not None:
            if article.id not in claims_of:
                claims_of[article.id] = await analysis_store.claims(db, article.id)
            claims = claims_of[article.id]
            found = best_match(review.claim_reviewed, claims)
            claim_id = claims[found[0]].id if found else None
        signature = factchecks.signature(claim_id, review)
        if signature in seen:
            report.skipped += 1
            continue
        seen.add(signature)
        pending.append((claim_id, review))
        if claim_id:
            report.linked.append((claim_id, review.status))
        else:
            report.unlinked += 1
    if pending:
        async with db.transaction() as conn:
            for claim_id, review in pending:
                await factchecks.add_in(conn, claim_id, review, origin, at)
    return report


async def match_new_article(db: Database, article_id: str, at: datetime) -> list[str]:
    """Link known checks to a new article's claims that repeat them (same figure and actor, or
    near-identical wording), marked "matched — review" for a moderator to confirm."""
    linked: list[str] = []
    if not await factchecks.any_recorded(db):
        return linked
    for claim in await analysis_store.claims(db, article_id):
        terms = [w for w in words(claim.text) if w not in STOPWORDS and len(w) > 2][:12]
        if not terms:
            continue
        best: tuple[float, int] | None = None
        for check_id in await search.similar_checks(db, terms, article_id, KB_CANDIDATES):
            check = await factchecks.get(db, check_id)
            if check is None:
                continue
            value = match_score(check.review.claim_reviewed, claim)
            if value >= CROSS_ARTICLE_THRESHOLD and (best is None or value > best[0]):
                best = (value, check.id)
        if best is not None:
            source = await factchecks.get(db, best[1])
            assert source is not None
            async with db.transaction() as conn:
                await factchecks.add_in(conn, claim.id, source.review, "matched", at, matched=True)
            linked.append(claim.id)
    return linked
