"""Coverage of a story by leaning: one bar split left / center / right, with the outlets."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from parley.core.charts.canvas import BLUE, GREY, MARGIN, MUTED, VERMILLION, WIDTH, Canvas, plural
from parley.core.models import Picture

LEANINGS = (("left", "Left", BLUE), ("center", "Center", GREY), ("right", "Right", VERMILLION))
BAR_H = 46


def coverage_chart(outlets: Mapping[str, Sequence[str]], story: str,
                   articles: Mapping[str, int] | None = None) -> Picture:
    """``outlets`` maps ``left``, ``center`` and ``right`` to the outlets covering the story;
    ``articles`` counts their articles on each side (one an outlet when not given)."""
    counts = {key: (articles or {}).get(key, len(outlets.get(key, ())))
              for key, _, _ in LEANINGS}
    total = sum(counts.values())
    card = Canvas("Coverage by leaning", MARGIN * 2 + 96 + BAR_H + 28 * len(LEANINGS),
                  subtitle=f"{plural(total, 'article')} on “{story}”")
    x, y, span = float(MARGIN), card.top + 6, WIDTH - 2 * MARGIN
    for key, label, colour in LEANINGS:
        if not counts[key]:
            continue
        w = span * counts[key] / total
        card.draw.rectangle((x, y, x + w, y + BAR_H), fill=colour)
        if w > 70:
            card.text((x + w / 2, y + BAR_H / 2), f"{label} {counts[key]}", size=17, bold=True,
                      fill="#FFFFFF", anchor="mm")
        x += w
    if total == 0:
        card.draw.rectangle((MARGIN, y, WIDTH - MARGIN, y + BAR_H), outline=GREY, width=2)
        card.text((WIDTH / 2, y + BAR_H / 2), "No coverage stored", fill=MUTED, anchor="mm")
    y += BAR_H + 18
    for key, label, colour in LEANINGS:
        card.draw.rectangle((MARGIN, y + 3, MARGIN + 14, y + 17), fill=colour)
        names = ", ".join(outlets.get(key, ())) or "none — a blindspot"
        card.text((MARGIN + 22, y), f"{label} ({counts[key]}): {names}", size=15,
                  width=WIDTH - 2 * MARGIN - 22, fill="#1D1F24" if counts[key] else MUTED)
        y += 28
    missing = [label.lower() for key, label, _ in LEANINGS if not counts[key]]
    parts = [f"{label.lower()} {counts[key]} ({', '.join(outlets.get(key, ()))})"
             for key, label, _ in LEANINGS if counts[key]]
    alt = (f"Bar of the {plural(total, 'article')} covering “{story}” by the outlets' leaning: "
           f"{'; '.join(parts) if parts else 'none'}."
           + (f" No {' or '.join(missing)} outlet covers it." if missing and total else ""))
    return card.picture("coverage", alt)
