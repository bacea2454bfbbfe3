"""The bridging picture: each rated counterpoint by helpfulness across viewpoints and lean."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from parley.core.charts.canvas import (
    BLUE,
    GREEN,
    GREY,
    GRID,
    INK,
    MARGIN,
    MUTED,
    WIDTH,
    Canvas,
    plural,
)
from parley.core.models import Picture

HEIGHT = 460
SPAN_X = 1.0  # factors and intercepts shown on [-1, 1] (clamped at the edge)


@dataclass(frozen=True)
class Standing:
    """One counterpoint's fitted scores (see ``parley.core.counterpoints.bridging``)."""

    label: str
    intercept: float
    factor: float
    ratings: int


def standings_chart(points: Sequence[Standing], helpful_intercept: float) -> Picture:
    card = Canvas("Counterpoints across viewpoints", HEIGHT,
                  subtitle="up: helpful to raters on both sides · sideways: which side likes it")
    left, right = MARGIN + 48, WIDTH - MARGIN - 10
    top, bottom = card.top + 8, HEIGHT - MARGIN - 30

    def at(factor: float, intercept: float) -> tuple[float, float]:
        fx = max(-SPAN_X, min(SPAN_X, factor))
        iy = max(-SPAN_X, min(SPAN_X, intercept))
        return (left + (fx + SPAN_X) / (2 * SPAN_X) * (right - left),
                bottom - (iy + SPAN_X) / (2 * SPAN_X) * (bottom - top))

    _, line_y = at(0, helpful_intercept)
    card.draw.rectangle((left, top, right, line_y), fill="#E3F2EC")
    card.draw.rectangle((left, top, right, bottom), outline=GRID, width=2)
    card.draw.line((left, line_y, right, line_y), fill=GREEN, width=2)
    card.text((right - 6, line_y - 6), f"helpful (intercept ≥ {helpful_intercept:.2f})",
              size=14, fill=GREEN, anchor="rb")
    mid_x, _ = at(0, 0)
    card.draw.line((mid_x, top, mid_x, bottom), fill=GRID, width=1)
    card.text((left, bottom + 8), "liked by one side", size=14, fill=MUTED)
    card.text((right, bottom + 8), "liked by the other", size=14, fill=MUTED, anchor="ra")
    card.text((mid_x, bottom + 8), "both", size=14, fill=MUTED, anchor="ma")
    card.text((left - 8, top), "+1", size=13, fill=MUTED, anchor="ra")
    card.text((left - 8, bottom), "−1", size=13, fill=MUTED, anchor="rd")
    for p in sorted(points, key=lambda p: p.label):
        x, y = at(p.factor, p.intercept)
        colour = GREEN if p.intercept >= helpful_intercept else (BLUE if p.ratings else GREY)
        r = 6 + min(p.ratings, 20) / 4
        card.draw.ellipse((x - r, y - r, x + r, y + r), fill=colour, outline=INK)
        card.text((x + r + 4, y), p.label, size=13, anchor="lm")
    helpful = [p.label for p in points if p.intercept >= helpful_intercept]
    alt = (f"Scatter of {plural(len(points), 'rated counterpoint')}: height is helpfulness to "
           "raters across viewpoints, position left or right the side that prefers it. "
           + (f"Above the helpful line ({helpful_intercept:.2f}): {', '.join(sorted(helpful))}."
              if helpful else "None is above the helpful line yet.")
           + " " + "; ".join(f"{p.label}: intercept {p.intercept:.2f}, factor {p.factor:.2f}, "
                             f"{plural(p.ratings, 'rating')}"
                             for p in sorted(points, key=lambda p: p.label)[:12]))
    return card.picture("standings", alt.strip())
