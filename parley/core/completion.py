"""Autocomplete for every adapter: the choices for a parameter by its declared kind."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from parley.core.errors import UserError
from parley.core.models import Request
from parley.core.registry import Completion
from parley.core.search.lookup import article_index
from parley.core.services import Services
from parley.store import articles as article_store
from parley.store.db import StoreError

log = logging.getLogger("parley.core")
MAX_CHOICES = 25
MAX_TEXT = 100  # Discord's limit on a choice's name and value; Slack's are longer


@dataclass(frozen=True)
class Choice:
    """One suggestion: what the member sees and what the parameter receives."""

    label: str
    value: str

# What a member has typed so far is matched on its first characters only.
MAX_TYPED = 100


async def complete(services: Services, request: Request, kind: Completion, typed: str
                   ) -> list[Choice]:
    """At most 25 choices matching what the member typed so far, best first; none when the
    kind has no completions, the channel has no article or the store cannot answer now."""
    typed = str(typed)[:MAX_TYPED]  # Discord sends at most 100; SQLite's LIKE refuses long ones
    try:
        if kind == "article":
            ids = await article_store.ids_matching(services.db, typed, limit=MAX_CHOICES)
            return [Choice(i[:MAX_TEXT], i[:MAX_TEXT]) for i in ids]
        if kind in ("claim", "topic"):
            return await _claims(services, request, typed, by_id=kind == "claim")
        if kind == "command":
            wanted = typed.strip().lstrip("/").lower()
            names = [c.name for c in services.registry if wanted in c.name]
            names.sort(key=lambda n: (n != wanted, not n.startswith(wanted)))  # stable
            return [Choice(n, n) for n in names[:MAX_CHOICES]]
    except StoreError as exc:  # busy or damaged: no suggestions this keystroke
        log.warning("completion unavailable", extra={"kind": kind, "error": type(exc).__name__})
    return []


async def _claims(services: Services, request: Request, typed: str, by_id: bool
                  ) -> list[Choice]:
    """The article's claims containing the typed text (id or words), best first; a claim
    parameter gets the short id, a topic the claim's text."""
    try:
        article = await services.active_article(request)
    except UserError:  # no article in this channel yet
        return []
    # every keystroke asks: the cached article index has the claims, best first
    claims = (await article_index(services.db, article.id, article.analysis_stamp)).claim_list
    wanted = typed.lower()
    choices = []
    for claim in claims:
        if wanted in claim.id.lower() or wanted in claim.text.lower():
            short = claim.id.split("#", 1)[1]
            label = f"{short} — {claim.text}"[:MAX_TEXT]
            choices.append(Choice(label, short if by_id else claim.text[:MAX_TEXT]))
            if len(choices) == MAX_CHOICES:
                break
    return choices
