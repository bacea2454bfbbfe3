"""A channel's activity over a digest's period: commands and questions a day."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from parley.core.charts.canvas import BLUE, GRID, MARGIN, MUTED, ORANGE, WIDTH, Canvas, plural
from parley.core.models import Picture

HEIGHT = 340


def activity_chart(days: Sequence[tuple[date, int, int]], channel: str) -> Picture:
    """``days`` lists (day, commands, questions) in order, one entry a day of the period."""
    card = Canvas("Activity", HEIGHT, subtitle=f"commands and questions in #{channel}")
    left, right = MARGIN + 30, WIDTH - MARGIN
    top, bottom = card.top + 30, HEIGHT - MARGIN - 24
    card.draw.rectangle((MARGIN, card.top + 4, MARGIN + 14, card.top + 18), fill=BLUE)
    card.text((MARGIN + 20, card.top + 2), "commands", size=14)
    card.draw.rectangle((MARGIN + 130, card.top + 4, MARGIN + 144, card.top + 18), fill=ORANGE)
    card.text((MARGIN + 150, card.top + 2), "questions asked", size=14)
    card.draw.line((left, bottom, right, bottom), fill=GRID, width=2)
    most = max((max(c, q) for _, c, q in days), default=0) or 1
    card.text((left - 6, top), str(most), size=13, fill=MUTED, anchor="ra")
    slot = (right - left) / max(len(days), 1)
    bar = max(2.0, min(26.0, slot / 2 - 4))
    label_every = max(1, len(days) // 10)
    for i, (day, commands, questions) in enumerate(days):
        x = left + i * slot + slot / 2
        for offset, n, colour in ((-bar, commands, BLUE), (0.0, questions, ORANGE)):
            if n:
                h = (bottom - top) * n / most
                card.draw.rectangle((x + offset, bottom - h, x + offset + bar, bottom),
                                    fill=colour)
        if i % label_every == 0:
            card.text((x, bottom + 6), f"{day:%d %b}", size=12, fill=MUTED, anchor="ma")
    commands = sum(c for _, c, _ in days)
    questions = sum(q for _, _, q in days)
    busiest = max(days, key=lambda d: (d[1] + d[2], d[0]), default=None)
    alt = (f"Bar chart of activity in #{channel} over {plural(len(days), 'day')}: "
           f"{plural(commands, 'command')} and {plural(questions, 'question')} in all"
           + (f"; busiest {busiest[0]:%d %b} ({busiest[1]} commands, {busiest[2]} questions)."
              if busiest and busiest[1] + busiest[2] else "."))
    return card.picture("activity", alt)
