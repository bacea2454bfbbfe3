"""Discord embeds: within Discord's limits, paged, and long text split in order."""

from __future__ import annotations

import json

from parley.adapters.discord.render import DESCRIPTION, FIELD_VALUE, FIELDS, TOTAL, pages
from parley.core.models import Reply, ReplySection
from parley.core.text import split_to_fit


def test_split_keeps_order_and_limits() -> None:
    text = "short first line\n" + "word " * 60 + "\nlast line"
    parts = split_to_fit(text, 100)
    assert all(len(p) <= 100 for p in parts)
    assert parts[0].startswith("short first line") and parts[-1].endswith("last line")
    assert " ".join(" ".join(parts).split()) == " ".join(text.split())


def test_long_replies_page_within_discord_limits() -> None:
    reply = Reply(title="T" * 300, text="x " * 5000,
                  sections=[ReplySection(title=f"S{i}", text="y " * 800) for i in range(40)])
    out = pages(reply)
    assert len(out) > 1
    for page in out:
        assert len(page.title) <= 256 and len(page.description) <= DESCRIPTION
        assert len(page.fields) <= FIELDS and page.size() <= TOTAL
        assert all(len(value) <= FIELD_VALUE for _, value in page.fields)


def test_members_text_and_sources_never_render_as_markdown_or_masked_links() -> None:
    from parley.core.models import Reply, ReplySection, Source
    from parley.core.text import member_text

    spoof = "[https://peru.gob.pe/informe](https://evil.example/phish) **loud** ||hidden||"
    reply = Reply(title=f"Fact: {member_text(spoof)}", text=f"**Ours** {member_text(spoof)}",
                  sections=[ReplySection(title="Digest", text=f"• {member_text(spoof)}")],
                  sources=[Source(title="Ministry report", url="https://evil.example/phish")])
    embeds = [p.embed() for p in pages(reply)]
    raw = json.dumps(embeds, ensure_ascii=False)
    assert "](https://evil" not in raw and "[https://peru" not in raw
    assert "**loud**" not in raw and "||hidden||" not in raw
    assert "**Ours**" in raw
    assert "Ministry report — <https://evil.example/phish>" in raw  # shown, not masked
    assert "\ue000" not in raw


def _interaction_data(path: str) -> dict[str, object]:
    """The application command data Discord sends for a path such as ``mod article use``."""
    top, *subs = path.split()
    options: list[dict[str, object]] = []
    if len(subs) == 1:
        options = [{"type": 1, "name": subs[0], "options": []}]
    elif len(subs) == 2:
        options = [{"type": 2, "name": subs[0], "options": [
            {"type": 1, "name": subs[1], "options": []}]}]
    return {"type": 1, "name": top, "options": options}


def test_each_commands_discord_path_is_the_one_discord_shows_and_sends_back() -> None:
    from parley.adapters.discord.commands import application_commands, paths, resolve
    from parley.core.commands import build_registry

    registry = build_registry()
    found = paths(registry)
    assert found["article use"] == "mod article use" and found["fact"] == "fact"
    assert found["counterpoint"] == "counterpoint find"  # a family's own command
    synced = {c["name"]: c for c in application_commands(registry)}
    for cmd in registry:
        top, *subs = found[cmd.name].split()
        options = synced[top].get("options", [])
        for sub in subs:  # each step of the path is a sub-command (group) Discord lists
            step = next(o for o in options if o["name"] == sub and o["type"] in (1, 2))
            options = step.get("options", [])
        assert resolve(registry, _interaction_data(found[cmd.name]))[0] == cmd.name


def test_replies_name_commands_as_discord_files_them_but_never_a_members_words() -> None:
    from parley.adapters.discord.commands import paths
    from parley.adapters.discord.render import command_mentions
    from parley.core.commands import build_registry
    from parley.core.onboarding import welcome
    from parley.core.text import member_text

    mentions = command_mentions(paths(build_registry()))
    reply = Reply(title="Help: /article use", text="No article yet: a moderator can pick one "
                  "with `/article use <id>`. You asked: " + member_text("/article use x"),
                  sections=[ReplySection(title="/counterpoint", text="`/counterpoint [topic]` "
                                         "— or `/counterpoint add <claim>`")])
    page = pages(reply, mentions)[0]
    assert page.title == "Help: /mod article use"
    assert "`/mod article use <id>`" in page.description
    assert page.description.endswith("You asked: /article use x")  # as the member typed it
    name, value = page.fields[0]
    assert name == "/counterpoint"  # a heading naming the family
    assert value == "`/counterpoint find [topic]` — or `/counterpoint add <claim>`"
    greeting = pages(welcome(build_registry(), "Admins configure it."), mentions)[0]
    assert "`/mod article add <source>`" in str(greeting.fields) and "`/summary" in str(
        greeting.fields)
    assert pages(reply)[0].title == "Help: /article use"  # elsewhere (the poster's default)


async def test_buttons_go_out_as_a_view_discord_py_does_not_keep() -> None:
    from parley.adapters.discord.render import buttons
    from parley.adapters.discord.views import Views
    from parley.core.models import Action

    rows = buttons(Reply(text="x", actions=[Action(label="Rate", command="/rate cp1 helpful")]))
    views = Views(size=1)
    view = views.of(rows)
    assert view is not None and view.is_finished()  # so send_message never stores it
    sent = view.to_components()[0]["components"]
    assert [(b["label"], b["custom_id"]) for b in sent] == [("Rate", "parley:/rate cp1 helpful")]
    assert views.of(buttons(Reply(text="y", actions=[Action(label="Rate", command="/rate cp1 "
                                                             "helpful")]))) is view  # made once
    other = views.of(buttons(Reply(text="x", actions=[Action(label="Rate",
                                                             command="/rate cp2 helpful")])))
    assert other is not view and other is not None
    assert other.to_components()[0]["components"][0]["custom_id"] == "parley:/rate cp2 helpful"
    assert views.of(rows) is not view  # the least recently used went out (size 1)
    assert views.of([]) is None
