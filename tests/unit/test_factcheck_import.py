"""Importing ClaimReview fact checks: linear in the reviews, all-or-nothing, on a real file."""

from __future__ import annotations

import pytest

from parley.core.factcheck.claimreview import Review
from parley.core.factcheck.link import import_reviews
from parley.core.services import Services
from parley.store import factchecks
from parley.store.db import StoreFull
from tests.unit.test_factcheck import NOW


def _reviews(n: int, tag: str) -> list[Review]:
    return [Review(claim_reviewed=f"Claim {tag} number {i} about tariffs of {i} percent",
                   status="false", explanation=f"Checked {i}.",
                   appearance={"headline": f"An article nobody stored {i % 7}"})
            for i in range(n)]


async def _vm_steps(services: Services, reviews: list[Review]) -> int:
    """SQLite virtual-machine steps the import takes (the work, not the wall clock)."""
    steps = 0

    def count() -> int:
        nonlocal steps
        steps += 1
        return 0

    await services.db.conn.set_progress_handler(count, 100)
    try:
        await import_reviews(services.db, reviews, "import", NOW)
    finally:
        await services.db.conn.set_progress_handler(None, 100)
    return steps


@pytest.mark.sqlite_only("counts the statements SQLite's progress handler steps through")
async def test_import_work_grows_linearly_with_the_reviews(services: Services) -> None:
    small = await _vm_steps(services, _reviews(300, "a"))
    large = await _vm_steps(services, _reviews(1200, "b"))
    # four times the reviews (on top of the first import): a linear import does about four
    # times the work; the quadratic one re-read every earlier verdict for each review (≈ 20×)
    assert large < 7 * max(small, 1), (small, large)
    assert await factchecks.count(services.db) >= 1500


@pytest.mark.sqlite_only("fills the file with PRAGMA max_page_count")
async def test_an_interrupted_import_records_nothing(services: Services) -> None:
    db = services.db
    before = await factchecks.count(db)
    pages = (await db.fetchone("PRAGMA page_count"))[0]  # type: ignore[index]
    await db.fetchone(f"PRAGMA max_page_count = {pages + 3}")  # room for a few, not for all
    try:
        with pytest.raises(StoreFull):
            await import_reviews(db, _reviews(2000, "c"), "import", NOW)
    finally:
        await db.fetchone("PRAGMA max_page_count = 1073741823")
    assert await factchecks.count(db) == before
    report = await import_reviews(db, _reviews(2000, "c"), "import", NOW)
    assert report.unlinked == 2000 and await factchecks.count(db) == before + 2000
    again = await import_reviews(db, _reviews(2000, "c"), "import", NOW)
    assert again.skipped == 2000 and await factchecks.count(db) == before + 2000
