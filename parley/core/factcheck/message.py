"""A member's message read once for ``/check``: its claims, its figures, its loaded words and
each claim's closest article claim (pure; a long message is read in the worker pool)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from parley.core.analysis.figures import extract_figures
from parley.core.analysis.lexicon import Lexicon, load_lexicon
from parley.core.factcheck.matching import ClaimLike
from parley.core.factcheck.retrieval import Probe, clean_message, closest, message_claims
from parley.core.meaning.model import Matrix

# A message up to this long (a sentence or three) is read on the event loop: a few ms of CPU,
# less than the hop to a worker. A longer one (up to the command's 2,000 characters, maybe
# hostile) costs tens of ms and is read in a worker process.
INLINE_CHARS = 600


@dataclass(frozen=True)
class Reading:
    """What ``/check`` needs from a message, the most check-worthy claim first."""

    claims: list[Probe]
    whole: Probe  # the whole cleaned message and its figures (a fact check must not contradict)
    loaded: list[str]  # its loaded words, as written, each once
    closest: list[tuple[int, float] | None]  # per claim: the nearest article claim and its score


def read(text: str, lexicon: Lexicon, article_claims: Sequence[ClaimLike] = (),
         claim_vectors: Matrix | None = None) -> Reading:
    """Read ``text`` (as the member sent it) against the lexicon and the channel's article's
    claims (none without an article; ``claim_vectors``: their static vectors, when held)."""
    cleaned = clean_message(text)
    claims = message_claims(cleaned)
    # A message that is one claim has its figures read already.
    figures = (claims[0].figures if len(claims) == 1 and claims[0].text == cleaned
               else extract_figures(cleaned))
    return Reading(claims=claims, whole=Probe(cleaned, figures),
                   loaded=list(dict.fromkeys(m.text for m in lexicon.find(text))),
                   closest=[closest(c, article_claims, claim_vectors) if article_claims
                            else None for c in claims])


def read_in_worker(text: str, lexicon_file: Path | None,
                   article_claims: Sequence[ClaimLike] = (),
                   claim_vectors: Matrix | None = None) -> Reading:
    """:func:`read` in a worker process, with the lexicon that process loads once (the bundled
    one and the moderators' file, as the services load it)."""
    return read(text, load_lexicon(lexicon_file), article_claims, claim_vectors)
