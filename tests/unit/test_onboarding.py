"""The setup message and the home overview: what Parley does, who configures it, first steps."""

from __future__ import annotations

from parley.core.onboarding import FIRST_COMMANDS, home, welcome
from parley.core.services import Services
from tests.conftest import Ask
from tests.hostile import check_everywhere

WHO = "Members with Manage Server are Parley admins."


def test_the_welcome_is_short_and_names_three_first_commands(services: Services) -> None:
    reply = welcome(services.registry, WHO)
    steps = next(s.text for s in reply.sections if s.title == "Three first commands")
    assert [line.split("`")[1].split()[0] for line in steps.splitlines()] == [
        "/summary", "/fact", "/article"]
    assert "`/fact <question>`" in steps and len(FIRST_COMMANDS) == 3
    assert WHO in str(reply.sections) and "/settings show" in str(reply.sections)
    assert len(reply.text) + sum(len(s.text) for s in reply.sections) < 1200


async def test_home_lists_the_channels_articles_and_digests(ask: Ask,
                                                            services: Services) -> None:
    from parley.core.models import Role

    empty = await home(services, "console", "w1", WHO)
    assert empty.data["default_article"] == "peru-illegal-immigration"
    assert empty.data["channels"] == {} and "None yet" in empty.sections[-1].text
    await ask("/article use peru-illegal-immigration", role=Role.MODERATOR, channel="news")
    await ask("/digest subscribe weekdays 17:30", role=Role.MODERATOR, channel="news")
    full = await home(services, "console", "w1", WHO)
    assert full.data["channels"] == {"news": "peru-illegal-immigration"}
    assert "weekdays 17:30" in full.sections[-1].text and "`news`" in full.sections[-1].text
    other = await home(services, "console", "elsewhere", WHO)  # another workspace's are not shown
    assert other.data["channels"] == {} and other.data["digests"] == []
    check_everywhere(full)
    check_everywhere(welcome(services.registry, WHO))
