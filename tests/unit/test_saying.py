"""The verbs of reported speech: one set per rule, and the pattern they make."""

from __future__ import annotations

import re

from parley.core.analysis.saying import (
    HOLDING,
    INTRODUCING,
    REPORTED,
    REPORTING,
    REPORTING_OR_STATED,
    SAYING,
    TAGS,
    alternation,
)


def test_the_alternation_matches_each_verb_whole_and_nothing_else() -> None:
    pattern = re.compile(rf"^{alternation({'say', 'says', 'according to'})}$")
    assert all(pattern.match(v) for v in ("say", "says", "according to"))
    assert not any(pattern.match(v) for v in ("sa", "saysay", "according"))


def test_the_rules_sets_nest_as_documented() -> None:
    assert TAGS <= INTRODUCING and TAGS <= SAYING and TAGS <= HOLDING
    assert REPORTED < REPORTING < REPORTING_OR_STATED
    # The fitted models' features stay the sets they were fitted with.
    assert {"said", "says", "told", "according to"} == REPORTED
    assert {"stated", "added"} == REPORTING_OR_STATED - REPORTING
