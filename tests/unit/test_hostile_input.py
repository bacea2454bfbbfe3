"""Property tests: any input to any command, from any role, gets a well-formed reply that fits
every platform, pings no one and never crashes; malformed documents never half-store."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from parley.core.commands import build_registry
from parley.core.ingest.errors import IngestError
from parley.core.ingest.pipeline import ingest_bytes, is_url
from parley.core.models import Request, Role
from parley.core.registry import dispatch, run_line
from parley.store import articles as article_store
from tests.conftest import Live
from tests.hostile import CORPUS, check_everywhere

PROPERTY = settings(max_examples=25, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
NOW = datetime(2026, 1, 1, tzinfo=UTC)
COMMANDS = build_registry()

piece = st.one_of(st.sampled_from(CORPUS), st.text(max_size=60))
hostile = st.one_of(st.text(max_size=400), st.sampled_from(CORPUS),
                    st.lists(piece, min_size=1, max_size=5).map(" ".join))
# /article add fetches web addresses; fuzzing must not reach beyond loopback
offline = hostile.filter(lambda text: not is_url(text))


def _args(name: str) -> st.SearchStrategy[dict[str, object]]:
    command = COMMANDS.get(name)
    assert command is not None
    value = offline if name == "article add" else hostile
    return st.fixed_dictionaries({}, optional={
        p.name: st.one_of(value, st.integers(-10**12, 10**12), st.none())
        for p in command.params})


@pytest.mark.parametrize("name", [c.name for c in COMMANDS])
def test_any_arguments_from_any_role_get_a_sound_reply(live: Live, name: str) -> None:
    @PROPERTY
    @given(args=_args(name), role=st.sampled_from(list(Role)), user=hostile)
    def check(args: dict[str, object], role: Role, user: str) -> None:
        request = Request(platform="slack", workspace="T1", channel="C1", user=user or "u",
                          user_name=user[:80], role=role, command=name, args=args)
        check_everywhere(live.run(dispatch(live.services.registry, request, live.services)))

    check()


@settings(PROPERTY, max_examples=200)
@given(name=st.sampled_from([c.name for c in COMMANDS] + ["", "nope", "fact fact"]),
       rest=hostile, role=st.sampled_from(list(Role)))
def test_any_typed_line_gets_a_sound_reply(live: Live, name: str, rest: str, role: Role) -> None:
    if name == "article add" and is_url(rest):
        rest = "not a web address"
    base = Request(platform="discord", workspace="1", channel="2", user="3", role=role,
                   command="help")
    check_everywhere(live.run(run_line(live.services.registry, f"/{name} {rest}", base,
                                       live.services)))


TAGS = ["<html>", "</html>", "<head>", "<title>", "</title>", "<body>", "<p>", "</p>", "<div>",
        "</div>", "<h1>", "</h1>", "<h2>", "<script>", "</script>", "<style>", "<!--", "-->",
        "<![CDATA[", "]]>", "<meta name='author' content='", "'>", "<a href='javascript:x'>",
        "<table><tr><td>", "&amp;", "&#0;", "&#xD800;", "&bogus;", "<br/>", "<img src=x>", "\x00"]
MARKDOWN = ["---\n", "title: ", "date: not-a-date\n", "# ", "## ", "\n\n", "By ", "> ", "* ",
            "```", "[x](", ")", "|a|b|\n|-|-|\n", "<div>", "\\", "***"]
SENTENCE = st.sampled_from(["The council approved the budget in March.",
                            "Prices rose 4.5% last year, officials said.", "Why?", "", "…"])


@settings(PROPERTY, max_examples=60)
@given(parts=st.lists(st.one_of(st.sampled_from(TAGS), SENTENCE, st.text(max_size=30)),
                      max_size=60),
       fmt=st.sampled_from(["html", "markdown", "text"]))
def test_malformed_documents_store_whole_or_not_at_all(live: Live, parts: list[str],
                                                       fmt: str) -> None:
    if fmt == "markdown":
        parts = [p.replace("<", "") for p in parts] + list(MARKDOWN[: len(parts) % 9])
    data = "".join(parts).encode("utf-8", "surrogatepass")
    db = live.services.db
    before = live.run(article_store.count(db))
    try:
        result = live.run(ingest_bytes(db, live.services.workers, data, NOW, fmt=fmt))  # type: ignore[arg-type]
    except IngestError as exc:
        assert str(exc) and "\n" not in str(exc).strip()
        assert live.run(article_store.count(db)) == before
        return
    sentences = live.run(article_store.sentences(db, result.article.id))
    assert sentences and result.article.title
    assert live.run(article_store.count(db)) == before + int(result.created)
