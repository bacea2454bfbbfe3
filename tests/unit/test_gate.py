"""The gate benchmarked for /fact (not in use): sure only when the words' best answer is."""

from __future__ import annotations

import math

from bench.gate import CHOSEN_GATE, NEVER_SURE, Gate, sure


def test_no_answer_is_never_sure() -> None:
    assert not sure(Gate(0.0, 0.0), [], 0.0)


def test_a_lead_and_enough_coverage_are_both_needed() -> None:
    gate = Gate(margin=0.1, coverage=0.8)
    assert sure(gate, [0.9, 0.7], 0.85)
    assert not sure(gate, [0.9, 0.85], 0.85)  # the runner-up is too close
    assert not sure(gate, [0.9, 0.7], 0.7)  # the words cover too little of the question
    assert sure(gate, [0.9], 0.8)  # a lone answer leads by its whole score


def test_never_sure_always_asks_the_encoder_and_the_chosen_gate_can_skip_it() -> None:
    assert not sure(NEVER_SURE, [1.0], 1.0)
    assert math.isfinite(CHOSEN_GATE.coverage) and sure(CHOSEN_GATE, [1.0, 0.2], 1.0)
    assert not sure(CHOSEN_GATE, [1.0, 0.2], 0.5)
