"""How an article's claims stand after checking: one labelled bar per status."""

from __future__ import annotations

from collections.abc import Mapping

from parley.core.charts.canvas import (
    BLUE,
    GREEN,
    GREY,
    GRID,
    MARGIN,
    MUTED,
    ORANGE,
    PURPLE,
    VERMILLION,
    WIDTH,
    Canvas,
    plural,
)
from parley.core.models import Picture

# The statuses in the order a reader weighs them, with their label and colour.
STATUSES = (("supported", "Supported", GREEN), ("partly supported", "Partly supported", BLUE),
            ("misleading", "Misleading", ORANGE), ("false", "False", VERMILLION),
            ("unsupported", "Unsupported", PURPLE), ("unverified", "Unverified", GREY))
ROW = 38
LABEL_W = 190


def claim_status_chart(counts: Mapping[str, int], article_title: str) -> Picture:
    """``counts`` maps each check status (``supported``, ``partly supported``, …) to a count."""
    total = sum(counts.get(key, 0) for key, _, _ in STATUSES)
    card = Canvas("How the claims stand", MARGIN * 2 + 90 + ROW * len(STATUSES),
                  subtitle=f"{plural(total, 'checkable claim')} in “{article_title}”")
    left, right = MARGIN + LABEL_W, WIDTH - MARGIN - 60
    most = max((counts.get(k, 0) for k, _, _ in STATUSES), default=0) or 1
    y = card.top + 8
    for key, label, colour in STATUSES:
        n = counts.get(key, 0)
        card.text((MARGIN, y + ROW / 2 - 4), label, size=17, anchor="lm")
        card.draw.rectangle((left, y + 4, right, y + ROW - 10), fill=GRID)
        if n:
            card.draw.rectangle((left, y + 4, left + (right - left) * n / most, y + ROW - 10),
                                fill=colour)
        card.text((right + 10, y + ROW / 2 - 4), str(n), size=17, bold=True, anchor="lm",
                  fill=MUTED if n == 0 else "#1D1F24")
        y += ROW
    parts = [f"{counts.get(k, 0)} {label.lower()}" for k, label, _ in STATUSES
             if counts.get(k, 0)]
    alt = (f"Bar chart of how the {plural(total, 'checkable claim')} in “{article_title}” "
           f"stand after checking: {', '.join(parts) if parts else 'none yet'}.")
    return card.picture("claim-status", alt)
