"""The gate that was tried for ``/fact`` and not adopted: skip the sentence encoder when the
lexical ranker with the static model is sure (``bench/tune_gate.py`` chooses it; ``bench/squad.py``
reports it). ``/fact`` itself always encodes the question of an encoded article: on SQuAD's
reported quarters the chosen gate costs 0.1 point of top-1 and puts /fact below the 85 % goal,
and with the question's encoding running beside the rest of the lookup a gate would also have
to wait for the words' ranking first (docs/facts.md)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Gate:
    """When the words' answer is sure enough that the encoder is not asked: the best answer
    leads the next by at least ``margin`` and covers at least ``coverage`` of the question."""

    margin: float
    coverage: float


NEVER_SURE = Gate(margin=math.inf, coverage=math.inf)  # always ask the encoder: what /fact does
# ``python -m bench.tune_gate`` chose this by four-fold cross-validation on SQuAD's tuning quarter
# (the encoder skipped for about 30 % of questions).
CHOSEN_GATE = Gate(margin=0.0, coverage=0.8)


def sure(gate: Gate, scores: Sequence[float], top_coverage: float) -> bool:
    """Whether ranked answers (their scores, best first) need no second opinion: there is one,
    it leads by the gate's margin and covers enough of the question."""
    if not scores:
        return False
    lead = scores[0] - (scores[1] if len(scores) > 1 else 0.0)
    return lead >= gate.margin and top_coverage >= gate.coverage
