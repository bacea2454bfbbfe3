"""Counterpoints people ask for: the request button under /fact and /claims, the list for
contributors, answering, the digest's report, and rating across the divide ("needs your help",
net-helpful ratings from both sides)."""

from __future__ import annotations

from parley.core.counterpoints.bridging import MIN_NET_PER_SIDE, Rating, net_sides, status_for
from parley.core.counterpoints.refit import refit_now
from parley.core.models import Request, Role
from parley.core.registry import run_line
from parley.core.services import Services
from parley.store import counterpoints
from tests.conftest import Ask

TEXT = ("Official trade statistics put two-way trade between the two countries nearer "
        "twenty-two billion dollars in recent years.")


async def _as(services: Services, user: str, line: str):  # type: ignore[no-untyped-def]
    base = Request(workspace="w1", channel="general", user=user, role=Role.MEMBER,
                   command="help")
    return await run_line(services.registry, line, base, services)


async def test_a_member_requests_the_other_side_from_fact_and_it_is_answered(
        ask: Ask, services: Services) -> None:
    fact = await ask("/fact how much is trade between the two countries")
    button = next(a for a in fact.actions if a.label == "Request the other side")
    claim = fact.data["hits"][0]["id"]
    assert button.command == f"/counterpoint request {claim.rsplit('#', 1)[1]}"
    first = await ask(button.command)
    assert first.data == {"claim": claim, "new": True, "asked": 1}
    assert (await ask(button.command)).data["new"] is False  # one request a member
    other = await _as(services, "u2", button.command)
    assert other.data["asked"] == 2
    listed = await ask("/counterpoint requests")
    assert [r["claim_id"] for r in listed.data["requests"]] == [claim]
    assert "2 asking" in listed.text
    preview = await ask("/digest preview")
    section = next(s.text for s in preview.sections if s.title.startswith("Requests"))
    assert "2 new request(s)" in section and "still waiting" in section
    added = await _as(services, "u3", f"/counterpoint add {claim} {TEXT} "
                                      "https://www.census.gov/foreign-trade")
    assert added.data["answered_requests"] == 2
    assert (await ask("/counterpoint requests")).data["requests"] == []
    later = await ask("/digest preview")
    assert len(later.data["requests"]["answered_hours"]) == 2
    assert later.data["requests"]["waiting_hours"] == []


async def test_claims_offer_request_buttons_and_bad_requests_change_nothing(ask: Ask) -> None:
    page = await ask("/claims")
    buttons = [a for a in page.actions if a.command.startswith("/counterpoint request ")]
    assert len(buttons) == 3
    assert buttons[0].command.endswith(page.data["claims"][0]["id"].rsplit("#", 1)[1])
    for line in ("/counterpoint request c99999", "/counterpoint request <@everyone>",
                 "/counterpoint request"):
        assert (await ask(line)).is_error
    assert (await ask("/counterpoint requests")).data["requests"] == []


def test_helpful_needs_net_helpful_ratings_from_both_sides() -> None:
    factors = {"a1": 0.8, "a2": 0.7, "a3": 0.9, "b1": -0.8, "b2": -0.6, "mid": 0.01}
    ratings = [Rating(u, 1, 1.0) for u in ("a1", "a2", "a3", "b1")] + [
        Rating("b2", 1, 0.0), Rating("mid", 1, 1.0)]
    assert net_sides(ratings, factors) == {1: (3, 0)}  # b1's helpful cancelled by b2's not
    assert status_for(0.6, 0.1, 6, sides=(3, 0)) == "needs more ratings"
    assert status_for(0.6, 0.1, 6, sides=(MIN_NET_PER_SIDE, MIN_NET_PER_SIDE)) == "helpful"


async def test_a_counterpoint_needing_ratings_goes_first_to_the_other_side(
        ask: Ask, services: Services) -> None:
    curated = [cp.id for cp in await counterpoints.for_article(services.db,
                                                               "peru-illegal-immigration")][:6]
    added = await _as(services, "author", f"/counterpoint add c24 {TEXT} https://e.org/trade")
    waiting = int(added.data["id"][2:])
    camp_a = [f"console:w1:a{i}" for i in range(6)]  # rater keys, as /rate records them
    camp_b = [f"console:w1:b{i}" for i in range(6)]
    async with services.db.transaction() as conn:
        for k, cp in enumerate(curated):  # the camps split on these: the viewpoint axis
            for user in camp_a:
                await counterpoints.rate_in(conn, cp, user, 1.0 if k % 2 else 0.0,
                                            services.now())
            for user in camp_b:
                await counterpoints.rate_in(conn, cp, user, 0.0 if k % 2 else 1.0,
                                            services.now())
        for user in camp_a[:3]:  # so far only camp A has rated the new one
            await counterpoints.rate_in(conn, waiting, user, 1.0, services.now())
    await refit_now(services.db, services.workers, services.now(), 0.4)
    for_b = await _as(services, "b5", "/counterpoint c24")
    mine = next(h for h in for_b.data["hits"] if h["id"] == f"cp{waiting}")
    assert mine["needs_your_help"] and for_b.data["hits"][0]["id"] == f"cp{waiting}"
    assert "needs your rating" in for_b.text
    for_a = await _as(services, "a5", "/counterpoint c24")
    assert not any(h["needs_your_help"] for h in for_a.data["hits"])
