"""Check statuses, the words moderators may use for them, and their ClaimReview ratings."""

from __future__ import annotations

from typing import Literal

from parley.core.models import Status as ReplyStatus

CheckStatus = Literal["unverified", "supported", "partly supported", "misleading", "false",
                      "unsupported"]
CHOICES = ("supported", "partly-supported", "misleading", "false", "unsupported")
ALIASES: dict[str, CheckStatus] = {
    "supported": "supported", "true": "supported", "correct": "supported", "accurate": "supported",
    "mostly true": "supported", "partly supported": "partly supported",
    "partly-supported": "partly supported", "partly_supported": "partly supported",
    "partly": "partly supported", "partially supported": "partly supported",
    "half true": "partly supported", "mixed": "partly supported", "mixture": "partly supported",
    "partly true": "partly supported", "misleading": "misleading", "missing context": "misleading",
    "out of context": "misleading", "mostly false": "misleading", "false": "false",
    "incorrect": "false", "wrong": "false", "pants on fire": "false", "fake": "false",
    "unsupported": "unsupported", "no evidence": "unsupported", "unproven": "unsupported",
    "no source found": "unsupported", "unverifiable": "unsupported",
    "unverified": "unverified",
}
# schema.org reviewRating: 1 (worst) … 5 (best); unsupported sits with misleading at 2.
RATINGS: dict[CheckStatus, int] = {"supported": 5, "partly supported": 3, "misleading": 2,
                                   "unsupported": 2, "false": 1, "unverified": 0}
BEST_RATING, WORST_RATING = 5, 1
REPLY_STATUS: dict[CheckStatus, ReplyStatus] = {
    "supported": "good", "partly supported": "warning", "misleading": "warning",
    "unsupported": "warning", "false": "bad", "unverified": "neutral"}
ICONS: dict[CheckStatus, str] = {"supported": "✅", "partly supported": "🟡", "misleading": "🟠",
                                 "unsupported": "⚪", "false": "❌", "unverified": "❔"}


def parse_verdict(text: str) -> CheckStatus | None:
    """The status a verdict word or a fact-checker's rating name stands for, if any."""
    key = " ".join(text.lower().replace("_", " ").split()).strip(" .!")
    return ALIASES.get(key) or ALIASES.get(key.replace(" ", "-"))


def from_rating(value: float | None, best: float = BEST_RATING, worst: float = WORST_RATING
                ) -> CheckStatus | None:
    """A status from a numeric rating on any scale, when no rating name says it."""
    if value is None or best == worst:
        return None
    share = (value - worst) / (best - worst)
    if share >= 0.85:
        return "supported"
    if share >= 0.45:
        return "partly supported"
    return "misleading" if share >= 0.2 else "false"
