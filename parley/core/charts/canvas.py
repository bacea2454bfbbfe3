"""A drawing surface for Parley's charts: one card theme, shipped fonts, deterministic PNGs."""

from __future__ import annotations

import hashlib
import io
from functools import cache
from importlib import resources

from PIL import Image, ImageDraw, ImageFont

from parley.core.models import Picture

WIDTH = 800
MARGIN = 28
# An opaque light card with dark text: it reads the same on a dark or a light chat theme, where
# a transparent picture would lose its text on one of them.
BACKGROUND = "#F7F7F8"
BORDER = "#C9CBD1"
INK = "#1D1F24"
MUTED = "#5A5F6B"
GRID = "#DDDFE4"
# Okabe–Ito colours, safe for the common colour-vision deficiencies; every bar is also labelled.
BLUE, ORANGE, GREEN, VERMILLION, SKY, GREY, PURPLE = (
    "#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#8C8C8C", "#CC79A7")


@cache
def font(size: int, bold: bool = False) -> ImageFont.FreeTypeFont:
    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    data = (resources.files("parley.core.data") / "fonts" / name).read_bytes()
    return ImageFont.truetype(io.BytesIO(data), size)


class Canvas:
    """A card of a fixed width with a title; charts draw on ``draw`` below ``top``."""

    def __init__(self, title: str, height: int, subtitle: str = "") -> None:
        self.image = Image.new("RGB", (WIDTH, height), BACKGROUND)
        self.draw = ImageDraw.Draw(self.image)
        self.draw.rectangle((0, 0, WIDTH - 1, height - 1), outline=BORDER, width=2)
        self.draw.text((MARGIN, MARGIN - 6), fit(title, font(24, True), WIDTH - 2 * MARGIN),
                       font=font(24, True), fill=INK)
        self.top = MARGIN + 32
        if subtitle:
            self.draw.text((MARGIN, self.top), fit(subtitle, font(16), WIDTH - 2 * MARGIN),
                           font=font(16), fill=MUTED)
            self.top += 28

    def text(self, xy: tuple[float, float], text: str, size: int = 16, bold: bool = False,
             fill: str = INK, anchor: str = "la", width: float | None = None) -> None:
        face = font(size, bold)
        shown = fit(text, face, width) if width else text
        self.draw.text(xy, shown, font=face, fill=fill, anchor=anchor)

    def picture(self, name: str, alt: str) -> Picture:
        """The card as a PNG: no metadata, so the same data always gives the same bytes."""
        out = io.BytesIO()
        self.image.save(out, format="PNG", compress_level=6)
        data = out.getvalue()
        digest = hashlib.sha256(data).hexdigest()[:10]
        return Picture(name=f"{name}-{digest}.png", data=data, alt=alt,
                       width=self.image.width, height=self.image.height)


def fit(text: str, face: ImageFont.FreeTypeFont, width: float | None) -> str:
    """``text`` cut with an ellipsis to fit ``width`` pixels."""
    if width is None or face.getlength(text) <= width:
        return text
    while text and face.getlength(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"
