"""/check through the core: matches and their shape, the queue, a verdict answering everyone
who asked, hostile text, and the registry's message-command surface."""

from __future__ import annotations

import json

import pytest

from parley.core.commands.check import request_key
from parley.core.factcheck.claimreview import parse_document
from parley.core.factcheck.link import import_reviews
from parley.core.models import Reply, Request, Role
from parley.core.registry import Command, Param, Registry, run_line
from parley.core.services import Services
from tests.conftest import Ask
from tests.hostile import FTS5, INVISIBLE, LONG, MARKUP, MENTIONS, SQLISH, check_everywhere

MOON = "The moon landing in 1969 was filmed in a studio in Nevada by NASA"


async def _as(services: Services, line: str, user: str, role: Role = Role.MEMBER) -> Reply:
    base = Request(workspace="w1", channel="general", user=user, role=role, command="help")
    return await run_line(services.registry, line, base, services)


async def test_a_claim_of_the_article_is_matched_with_its_status(ask: Ask) -> None:
    reply = await ask("/check I read that bilateral trade hit $20.5 billion last year")
    assert reply.ephemeral and reply.kind == "answer"
    best = reply.data["matches"][0]
    assert set(best) >= {"id", "claim", "verdict", "score", "source"}
    assert best["id"].endswith("#c24") and best["verdict"] == "unsupported"
    assert "$20.5 billion" in best["claim"] and 0 < best["score"] <= 1


async def test_an_imported_claimreview_is_matched(ask: Ask, services: Services) -> None:
    review = {"@type": "ClaimReview", "claimReviewed": "Drinking bleach cures the flu",
              "name": "Does bleach cure flu?", "url": "https://checker.example/bleach",
              "reviewRating": {"@type": "Rating", "alternateName": "False"}}
    await import_reviews(services.db, parse_document(review), "import", services.now())
    reply = await ask("/check My uncle says drinking bleach cures the flu, it's a fact")
    assert reply.data["matches"][0]["claim"] == "Drinking bleach cures the flu"
    assert reply.data["matches"][0]["verdict"] == "false"
    assert reply.data["matches"][0]["source"] == "https://checker.example/bleach"


async def test_loaded_wording_is_noted_privately(ask: Ask) -> None:
    reply = await ask("/check This disgraceful scheme costs $20.5 billion in trade")
    notes = [s for s in reply.sections if s.title.startswith("Loaded wording")]
    assert notes and "disgraceful" in notes[0].text and reply.ephemeral


async def test_nothing_matches_offers_the_queue_and_a_verdict_answers_all(
        services: Services) -> None:
    first = await _as(services, f"/check {MOON}", "u1")
    assert first.kind == "not_found" and first.data["matches"] == []
    [action] = first.actions
    assert action.label == "Ask the moderators to check"
    assert (await _as(services, action.command, "u1")).data["asked"] == 1
    assert (await _as(services, action.command, "u1")).data["new"] is False  # once each
    assert (await _as(services, action.command, "u2")).data["asked"] == 2
    refused = await _as(services, "/factcheck queue", "u1")
    assert refused.kind == "denied"
    queue = await _as(services, "/factcheck queue", "m1", Role.MODERATOR)
    assert queue.data["queue"][0]["asked"] == 2
    number = queue.data["queue"][0]["id"]
    answered = await _as(services, f"/factcheck answer {number} false Rock samples and "
                         "independent tracking show it happened. https://example.org/moon",
                         "m1", Role.MODERATOR)
    assert answered.data["asked"] == 2
    for user in ("u1", "u2"):
        later = await _as(services, "/check Peru exported copper worth 9 billion in 2023", user)
        assert any(s.title == "Answered since you asked" for s in later.sections)
        again = await _as(services, "/check Peru exported copper worth 9 billion in 2023", user)
        assert not any(s.title == "Answered since you asked" for s in again.sections)
    assert (await _as(services, "/factcheck queue", "m1", Role.MODERATOR)).data["queue"] == []
    now = await _as(services, f"/check {MOON}", "u3")
    assert now.data["matches"][0]["verdict"] == "false"


def test_the_same_words_are_one_request() -> None:
    assert request_key("The Moon  landing was FAKED!") == request_key("the moon landing was faked")
    assert request_key("the moon landing was faked") != request_key("the moon landing was real")


async def test_hostile_text_gets_a_clean_reply(ask: Ask) -> None:
    # Each kind of hostile input once, in a claim that finds the article's (quoted back) claim.
    for text in (*MENTIONS, *MARKUP, *INVISIBLE[:3], *FTS5[:3], *SQLISH[:2], LONG[0], LONG[2]):
        reply = await ask(f"/check {text} bilateral trade hit $20.5 billion {text}")
        check_everywhere(reply)
        rendered = json.dumps(reply.model_dump(exclude={"data"}), ensure_ascii=False)
        assert "<@" not in rendered and "@everyone" not in rendered, text
        assert "](http" not in rendered and "<!" not in rendered, text


def test_message_commands_come_from_the_registry(services: Services) -> None:
    labels = [(c.message, c.name) for c in services.registry.message_commands()]
    assert labels == [("Check with Parley", "check"), ("Other side", "counterpoint")]
    cmd = services.registry.by_message("Check with Parley")
    assert cmd is not None
    long = cmd.message_args("word " * 1000)["text"]
    assert len(long) <= cmd.params[0].max_length and long.endswith("…")


async def _noop(request: Request, services: Services) -> Reply:
    return Reply(text="")


def test_a_message_command_needs_a_text_parameter_and_a_unique_label() -> None:
    registry = Registry()
    with pytest.raises(ValueError, match="message command"):
        registry.add(Command("bad", "d", _noop, (Param("n", "d", kind="int"),), message="Bad"))
    registry.add(Command("one", "d", _noop, (Param("t", "d", greedy=True),), message="Same"))
    with pytest.raises(ValueError, match="twice"):
        registry.add(Command("two", "d", _noop, (Param("t", "d", greedy=True),), message="Same"))
