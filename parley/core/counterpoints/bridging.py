"""Bridging-based ranking, as X's Community Notes does it: a counterpoint is helpful only when
raters who usually disagree both find it so.

Each rating is modelled as ``μ + i_user + i_note + f_user · f_note`` with one-dimensional
factors. The factor soaks up agreement explained by viewpoint; what is left in the note's
intercept is helpfulness across viewpoints. Fitted by alternating ridge regressions (closed form
per parameter), started from the leading singular vector, so results are deterministic.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np

RATING_VALUES: dict[str, float] = {"helpful": 1.0, "somewhat": 0.5, "not-helpful": 0.0}
LAMBDA_INTERCEPT = 0.15
LAMBDA_FACTOR = 0.03
MIN_RATINGS = 5
HELPFUL_INTERCEPT = 0.40
MAX_FACTOR = 0.5
NOT_HELPFUL_BASE, NOT_HELPFUL_SLOPE = -0.05, 0.8
ITERATIONS = 200
TOLERANCE = 1e-9
# Community Notes' guard against one camp carrying a note: helpful needs net-helpful ratings
# (helpful minus not helpful) from raters on each side of the fitted viewpoint factor.
MIN_NET_PER_SIDE = 2
SIDE_EPSILON = 0.05  # raters this close to the middle count for neither side

NoteStatus = Literal["helpful", "not helpful", "needs more ratings"]


@dataclass(frozen=True)
class Rating:
    rater: str
    note: int
    value: float


@dataclass(frozen=True)
class NoteScore:
    note: int
    intercept: float
    factor: float
    ratings: int
    status: NoteStatus
    sides: tuple[int, int] = (0, 0)  # net-helpful ratings from each side of the factor


def status_for(intercept: float, factor: float, ratings: int,
               helpful_intercept: float = HELPFUL_INTERCEPT,
               sides: tuple[int, int] | None = None) -> NoteStatus:
    """Community Notes' rule: helpful needs enough ratings, a high intercept, a small factor
    and, when the sides are given, net-helpful ratings from both sides of the factor."""
    both = sides is None or min(sides) >= MIN_NET_PER_SIDE
    if ratings >= MIN_RATINGS and intercept >= helpful_intercept and abs(factor) < MAX_FACTOR \
            and both:
        return "helpful"
    if ratings >= MIN_RATINGS and intercept <= NOT_HELPFUL_BASE - NOT_HELPFUL_SLOPE * abs(factor):
        return "not helpful"
    return "needs more ratings"


def fit(ratings: Sequence[Rating], helpful_intercept: float = HELPFUL_INTERCEPT
        ) -> dict[int, NoteScore]:
    """Scores for every rated note."""
    return fit_with_raters(ratings, helpful_intercept)[0]


def net_sides(ratings: Sequence[Rating], factors: dict[str, float]) -> dict[int, tuple[int, int]]:
    """Per note, net-helpful ratings (helpful minus not helpful) from raters with a positive and
    with a negative viewpoint factor."""
    out: dict[int, list[int]] = {}
    for r in ratings:
        f = factors.get(r.rater, 0.0)
        if abs(f) < SIDE_EPSILON or r.value == 0.5:
            continue
        side = out.setdefault(r.note, [0, 0])
        side[0 if f > 0 else 1] += 1 if r.value >= 1.0 else -1
    return {note: (pos, neg) for note, (pos, neg) in out.items()}


def fit_with_raters(ratings: Sequence[Rating], helpful_intercept: float = HELPFUL_INTERCEPT
                    ) -> tuple[dict[int, NoteScore], dict[str, float]]:
    """Scores for every rated note, and every rater's viewpoint factor."""
    if not ratings:
        return {}, {}
    raters = sorted({r.rater for r in ratings})
    notes = sorted({r.note for r in ratings})
    rater_index = {u: i for i, u in enumerate(raters)}
    ui = np.array([rater_index[r.rater] for r in ratings])
    note_index = {n: i for i, n in enumerate(notes)}
    ni = np.array([note_index[r.note] for r in ratings])
    y = np.array([r.value for r in ratings], dtype=float)
    n_u, n_n = len(raters), len(notes)

    mu = float(y.mean())
    b_u, b_n = np.zeros(n_u), np.zeros(n_n)
    f_u, f_n = _initial_factors(ui, ni, y - mu, n_u, n_n)
    previous = np.inf
    for _ in range(ITERATIONS):
        mu = float(np.mean(y - b_u[ui] - b_n[ni] - f_u[ui] * f_n[ni]))
        r = y - mu - f_u[ui] * f_n[ni]
        b_u = _ridge_sum(ui, r - b_n[ni], np.ones_like(y), n_u, LAMBDA_INTERCEPT)
        b_n = _ridge_sum(ni, r - b_u[ui], np.ones_like(y), n_n, LAMBDA_INTERCEPT)
        r = y - mu - b_u[ui] - b_n[ni]
        f_u = _ridge_sum(ui, r, f_n[ni], n_u, LAMBDA_FACTOR)
        f_n = _ridge_sum(ni, r, f_u[ui], n_n, LAMBDA_FACTOR)
        loss = float(np.sum((y - mu - b_u[ui] - b_n[ni] - f_u[ui] * f_n[ni]) ** 2)
                     + LAMBDA_INTERCEPT * (b_u @ b_u + b_n @ b_n)
                     + LAMBDA_FACTOR * (f_u @ f_u + f_n @ f_n))
        if previous - loss < TOLERANCE:
            break
        previous = loss
    # The factor's sign is arbitrary; fix it so the most-rated note's factor is not negative.
    counts = np.bincount(ni, minlength=n_n)
    anchor = int(np.lexsort((np.arange(n_n), -counts))[0])
    if f_n[anchor] < 0:
        f_u, f_n = -f_u, -f_n
    factors = {u: round(float(f_u[i]), 6) for u, i in rater_index.items()}
    sides = net_sides(ratings, factors)
    return {note: NoteScore(note=note, intercept=round(float(b_n[i]), 6),
                            factor=round(float(f_n[i]), 6), ratings=int(counts[i]),
                            status=status_for(float(b_n[i]), float(f_n[i]), int(counts[i]),
                                              helpful_intercept, sides.get(note, (0, 0))),
                            sides=sides.get(note, (0, 0)))
            for note, i in note_index.items()}, factors


def _ridge_sum(index: np.ndarray, target: np.ndarray, x: np.ndarray, size: int, lam: float
               ) -> np.ndarray:
    """Per-group ridge solution of target ≈ w_g · x: Σ x·target / (Σ x² + λ)."""
    numerator = np.bincount(index, weights=x * target, minlength=size)
    denominator = np.bincount(index, weights=x * x, minlength=size) + lam
    result: np.ndarray = numerator / denominator
    return result


def _initial_factors(ui: np.ndarray, ni: np.ndarray, centred: np.ndarray, n_u: int, n_n: int
                     ) -> tuple[np.ndarray, np.ndarray]:
    """The leading singular vectors of the (sparse, zero-filled) rating matrix."""
    matrix = np.zeros((n_u, n_n))
    matrix[ui, ni] = centred
    if not matrix.any():
        return np.full(n_u, 0.1), np.full(n_n, 0.1)
    u, s, vt = np.linalg.svd(matrix, full_matrices=False)
    scale = float(np.sqrt(s[0]))
    return u[:, 0] * scale, vt[0] * scale
