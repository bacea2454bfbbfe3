"""schema.org ClaimReview JSON-LD: reading fact-checkers' reviews and writing Parley's own."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from parley.core.factcheck.verdicts import (
    BEST_RATING,
    RATINGS,
    WORST_RATING,
    CheckStatus,
    from_rating,
    parse_verdict,
)


class ClaimReviewError(ValueError):
    """A ClaimReview document cannot be read; the message says which item and why."""


class Review(BaseModel):
    """One fact check, as Parley stores it, whatever its origin."""

    claim_reviewed: str
    status: CheckStatus
    title: str = ""  # the fact check's own headline (ClaimReview ``name`` or ``headline``)
    explanation: str = ""
    sources: list[str] = Field(default_factory=list)
    author: str = ""
    publisher: str = ""
    review_url: str | None = None
    date_published: date | None = None
    appearance: dict[str, Any] = Field(default_factory=dict)


def _text(value: Any, depth: int = 0) -> str:
    """A field's text; nesting deeper than a list of objects is ignored, never recursed into."""
    if isinstance(value, dict):
        found = value.get("name") or value.get("headline") or value.get("url") or ""
        return found.strip() if isinstance(found, str) else ""
    if isinstance(value, list):
        if depth > 0:
            return ""
        return ", ".join(t for t in (_text(v, depth + 1) for v in value) if t)
    return str(value).strip() if value is not None else ""


def _flat(appearance: dict[str, Any]) -> dict[str, Any]:
    """Only the appearance's plain fields (url, headline, name…): nested values are dropped."""
    return {str(k): v for k, v in appearance.items()
            if isinstance(v, str | int | float | bool) or v is None}


def _date(value: Any) -> date | None:
    try:
        return datetime.fromisoformat(str(value)[:10]).date() if value else None
    except ValueError:
        return None


def parse_review(obj: Any, where: str = "item") -> Review:
    """One ClaimReview object → a Review, or ClaimReviewError naming what is wrong."""
    if not isinstance(obj, dict) or obj.get("@type") not in ("ClaimReview", ["ClaimReview"]):
        raise ClaimReviewError(f"{where}: not a ClaimReview object")
    claim = _text(obj.get("claimReviewed"))
    if not claim:
        raise ClaimReviewError(f"{where}: claimReviewed is missing")
    rating = obj.get("reviewRating") or {}
    if not isinstance(rating, dict):
        raise ClaimReviewError(f"{where}: reviewRating must be an object")
    status = parse_verdict(_text(rating.get("alternateName")))
    if status is None:
        try:
            status = from_rating(float(rating["ratingValue"]),
                                 float(rating.get("bestRating", BEST_RATING)),
                                 float(rating.get("worstRating", WORST_RATING)))
        except (KeyError, TypeError, ValueError):
            status = None
    if status is None:
        raise ClaimReviewError(f"{where}: reviewRating has no alternateName or ratingValue "
                               "Parley understands")
    item = obj.get("itemReviewed") or {}
    appearance = item.get("appearance") if isinstance(item, dict) else None
    if isinstance(appearance, list):
        appearance = appearance[0] if appearance else None
    citations = obj.get("citation") or []
    sources = [_text(s.get("url") or s.get("name")) if isinstance(s, dict) else _text(s, 1)
               for s in (citations if isinstance(citations, list) else [citations]) if s]
    return Review(
        claim_reviewed=claim, status=status,
        title=_text(obj.get("name") or obj.get("headline")),
        explanation=_text(rating.get("ratingExplanation") or obj.get("reviewBody")),
        sources=[s for s in sources if s], author=_text(obj.get("author")),
        publisher=_text(obj.get("publisher")), review_url=_text(obj.get("url")) or None,
        date_published=_date(obj.get("datePublished")),
        appearance=_flat(appearance) if isinstance(appearance, dict) else {},
    )


def parse_document(data: Any) -> list[Review]:
    """A ClaimReview object, a list of them, or an ``@graph`` of them."""
    if isinstance(data, dict) and "@graph" in data:
        data = data["@graph"]
    items = data if isinstance(data, list) else [data]
    return [parse_review(obj, f"item {i + 1}") for i, obj in enumerate(items)]


def to_claimreview(review: Review, claim_id: str | None = None) -> dict[str, Any]:
    """A Review as schema.org ClaimReview JSON-LD."""
    rating = RATINGS[review.status]
    out: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": review.claim_reviewed,
        "reviewRating": {
            "@type": "Rating", "ratingValue": rating, "bestRating": BEST_RATING,
            "worstRating": WORST_RATING, "alternateName": review.status.capitalize(),
            "ratingExplanation": review.explanation,
        },
        "itemReviewed": {"@type": "Claim", "appearance": review.appearance or {}},
        "author": {"@type": "Organization" if not review.author else "Person",
                   "name": review.author or review.publisher or "Parley moderators"},
        "citation": [{"@type": "CreativeWork", ("url" if s.startswith(("http://", "https://"))
                      else "name"): s} for s in review.sources],
    }
    if review.title:
        out["name"] = review.title
    if review.date_published:
        out["datePublished"] = review.date_published.isoformat()
    if review.review_url:
        out["url"] = review.review_url
    if review.publisher:
        out["publisher"] = {"@type": "Organization", "name": review.publisher}
    if claim_id:
        out["identifier"] = claim_id
    return out
