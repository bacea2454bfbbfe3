"""Bridging on synthetic communities of two camps: only cross-camp agreement is promoted."""

from __future__ import annotations

import random

from parley.core.counterpoints.bridging import Rating, fit, status_for

CAMP_A = [f"a{i}" for i in range(15)]
CAMP_B = [f"b{i}" for i in range(15)]
ONE_SIDED, BRIDGING, DISLIKED, FEW = 1, 2, 3, 4


def community(seed: int = 0) -> list[Rating]:
    rng = random.Random(seed)
    ratings = []
    for k in range(10, 20):  # ordinary notes the camps split on: they define the viewpoint axis
        ratings += [Rating(u, k, 1.0 if k % 2 else 0.0) for u in CAMP_A]
        ratings += [Rating(u, k, 0.0 if k % 2 else 1.0) for u in CAMP_B]
    ratings += [Rating(u, ONE_SIDED, 1.0) for u in CAMP_A]
    ratings += [Rating(u, ONE_SIDED, rng.choice([0.0, 0.0, 0.5])) for u in CAMP_B]
    ratings += [Rating(u, BRIDGING, rng.choice([1.0] * 9 + [0.5])) for u in CAMP_A + CAMP_B]
    ratings += [Rating(u, DISLIKED, rng.choice([0.0, 0.0, 0.5])) for u in CAMP_A + CAMP_B]
    ratings += [Rating(u, FEW, 1.0) for u in CAMP_A[:2] + CAMP_B[:2]]
    return ratings


def test_one_camp_is_not_enough_but_both_camps_are() -> None:
    scores = fit(community())
    assert scores[ONE_SIDED].status == "needs more ratings"
    assert abs(scores[ONE_SIDED].factor) > 0.5
    assert scores[BRIDGING].status == "helpful"
    assert scores[BRIDGING].intercept >= 0.40 and abs(scores[BRIDGING].factor) < 0.5
    assert scores[DISLIKED].status == "not helpful"
    assert scores[FEW].status == "needs more ratings" and scores[FEW].ratings == 4


def test_fit_is_deterministic_whatever_the_order() -> None:
    ratings = community(seed=3)
    shuffled = list(ratings)
    random.Random(9).shuffle(shuffled)
    assert fit(ratings) == fit(ratings) == fit(shuffled)


def test_factor_sign_is_fixed() -> None:
    scores = fit(community())
    flipped = fit([Rating(r.rater.replace("a", "x").replace("b", "a").replace("x", "b"),
                          r.note, r.value) for r in community()])
    assert scores[ONE_SIDED].factor * flipped[ONE_SIDED].factor > 0 or \
        scores[10].factor * flipped[10].factor > 0


def test_status_rule_and_small_community_threshold() -> None:
    assert status_for(0.45, 0.1, 5) == "helpful"
    assert status_for(0.45, 0.6, 5) == "needs more ratings"
    assert status_for(0.45, 0.1, 4) == "needs more ratings"
    assert status_for(-0.3, 0.2, 9) == "not helpful"
    assert status_for(0.3, 0.1, 6, helpful_intercept=0.25) == "helpful"


def test_no_ratings_no_scores() -> None:
    assert fit([]) == {}
