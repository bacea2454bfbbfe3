"""Charts: each opens as a PNG of the promised size, says in words what it shows, is the same
for the same data and changes with it; replies carry them only where the channel wants them."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path

from PIL import Image

from parley.adapters.console import attachments, render_terminal, save_pictures
from parley.core.charts.activity import activity_chart
from parley.core.charts.claim_status import claim_status_chart
from parley.core.charts.coverage import coverage_chart
from parley.core.charts.standings import Standing, standings_chart
from parley.core.models import Picture, Reply, Role
from tests.conftest import Ask, Stores

MAX_BYTES = 200_000


def opened(picture: Picture) -> Image.Image:
    image = Image.open(io.BytesIO(picture.data))
    image.load()
    assert image.format == "PNG" and picture.media_type == "image/png"
    assert image.size == (picture.width, picture.height)
    assert len(picture.data) <= MAX_BYTES
    assert picture.name.endswith(".png") and "/" not in picture.name
    return image


def test_claim_status_chart_counts_every_status_in_words() -> None:
    counts = {"supported": 3, "false": 1, "unverified": 9}
    picture = claim_status_chart(counts, "A test article")
    opened(picture)
    assert "13 checkable claims" in picture.alt
    assert "3 supported" in picture.alt and "1 false" in picture.alt
    assert "9 unverified" in picture.alt and "misleading" not in picture.alt
    again = claim_status_chart(dict(counts), "A test article")
    assert again.data == picture.data and again.name == picture.name  # deterministic
    changed = claim_status_chart({**counts, "false": 4}, "A test article")
    assert changed.data != picture.data and "4 false" in changed.alt


def test_coverage_chart_names_outlets_and_the_blindspot() -> None:
    outlets = {"left": ["Daily Lantern"], "right": ["Harbor Ledger", "Ridge Post"]}
    picture = coverage_chart(outlets, "The bridge vote")
    opened(picture)
    assert "left 1 (Daily Lantern)" in picture.alt
    assert "right 2 (Harbor Ledger, Ridge Post)" in picture.alt
    assert "No center outlet covers it." in picture.alt
    balanced = coverage_chart({**outlets, "center": ["Wire Desk"]}, "The bridge vote")
    assert "No center" not in balanced.alt and balanced.data != picture.data


def test_standings_chart_marks_what_is_helpful_across_viewpoints() -> None:
    points = [Standing("cp1", 0.62, 0.05, 14), Standing("cp2", 0.1, -0.8, 9)]
    picture = standings_chart(points, helpful_intercept=0.4)
    image = opened(picture)
    assert "Above the helpful line (0.40): cp1." in picture.alt
    assert "cp2: intercept 0.10, factor -0.80, 9 ratings" in picture.alt
    assert len(image.getcolors(maxcolors=1 << 20) or []) > 4  # drawn, not a blank card
    moved = standings_chart([Standing("cp1", 0.62, 0.05, 14), Standing("cp2", 0.5, -0.8, 9)],
                            helpful_intercept=0.4)
    assert moved.data != picture.data and "cp1, cp2" in moved.alt


def test_activity_chart_sums_the_period() -> None:
    days = [(date(2026, 3, 1) + timedelta(days=i), i, i % 2) for i in range(7)]
    picture = activity_chart(days, "general")
    opened(picture)
    assert "7 days" in picture.alt and "21 commands and 3 questions" in picture.alt
    assert "busiest 07 Mar" in picture.alt
    assert activity_chart(days[:3], "general").data != picture.data


def test_long_labels_are_cut_to_fit_not_overflowing() -> None:
    picture = claim_status_chart({"supported": 1}, "A very long title " * 30)
    assert opened(picture).width == 800


async def test_claims_carries_the_status_chart_and_a_channel_can_turn_it_off(ask: Ask) -> None:
    first = await ask("/claims")
    [picture] = first.pictures
    opened(picture)
    assert "checkable claims" in picture.alt
    assert (await ask("/claims all 2")).pictures == []  # only the first page draws it
    off = await ask("/pictures off", role=Role.MODERATOR)
    assert off.data == {"pictures": False}
    assert (await ask("/claims")).pictures == []
    assert (await ask("/pictures off")).kind == "denied"  # members cannot choose
    await ask("/pictures on", role=Role.MODERATOR)
    assert len((await ask("/claims")).pictures) == 1


async def test_digest_carries_claim_status_and_activity(ask: Ask) -> None:
    await ask("/fact how much is trade between the two countries")
    preview = await ask("/digest preview")
    alts = [p.alt for p in preview.pictures]
    assert any("checkable claims" in a for a in alts)
    assert any(a.startswith("Bar chart of activity") and "1 question" in a for a in alts)


def test_pictures_are_not_in_the_json_form_and_are_saved_for_the_console(tmp_path: Path
                                                                        ) -> None:
    picture = claim_status_chart({"supported": 2}, "Saved")
    reply = Reply(title="Claims", text="two", pictures=[picture])
    assert "pictures" not in reply.model_dump(mode="json")
    saved = save_pictures(reply.pictures, tmp_path / "pictures")
    assert saved[0].read_bytes() == picture.data
    assert save_pictures(reply.pictures, tmp_path / "pictures") == saved  # idempotent
    [listed] = attachments(reply, saved)
    assert listed == {"type": "image/png", "path": str(saved[0]), "alt": picture.alt,
                      "width": 800, "height": picture.height}
    shown = render_terminal(reply, saved=saved)
    assert f"saved as {saved[0]}" in shown and "2 supported" in shown


async def test_pictures_setting_off_means_words_only(stores: Stores) -> None:
    from parley.cli.app import open_services
    from parley.core.models import Request
    from parley.core.registry import run_line

    async with open_services(stores.settings(parley_pictures=False)) as services:
        base = Request(command="help", role=Role.MEMBER)
        reply = await run_line(services.registry, "/claims", base, services)
        assert reply.pictures == [] and reply.title


def test_rendering_is_done_with_the_shipped_fonts() -> None:
    from importlib import resources

    from parley.core.charts.canvas import font

    shipped = resources.files("parley.core.data") / "fonts"
    assert (shipped / "DejaVuSans.ttf").is_file() and (shipped / "LICENSE-DejaVu.txt").is_file()
    assert font(16).getname() == ("DejaVu Sans", "Book")
    assert font(16, bold=True).getname() == ("DejaVu Sans", "Bold")
