"""A reply's rendering is kept for that reply object only, and the memo is bounded; the
response-URL posts' logger has a level, so slack_sdk skips formatting debug lines."""

from __future__ import annotations

import logging

from parley.adapters.rendered import Rendered
from parley.adapters.slack.app import webhook_logger
from parley.core.models import Reply


def test_the_same_reply_is_rendered_once_and_another_afresh() -> None:
    made: list[str] = []

    def render(reply: Reply) -> str:
        made.append(reply.text)
        return reply.text.upper()

    memo: Rendered[str] = Rendered(size=2)
    first = Reply(text="one")
    assert memo.of(first, render) == memo.of(first, render) == "ONE"
    assert made == ["one"]
    assert memo.of(Reply(text="one"), render) == "ONE"  # equal, but another reply
    assert made == ["one", "one"]
    memo.of(Reply(text="two"), render)
    memo.of(first, render)  # pushed out by the two newer ones
    assert made == ["one", "one", "two", "one"]


def test_the_webhook_logger_level_follows_logging_and_is_never_unset() -> None:
    hook_log = logging.getLogger("parley.slack.webhook")
    hook_log.setLevel(logging.NOTSET)
    try:
        assert webhook_logger().level == hook_log.getEffectiveLevel() != logging.NOTSET
    finally:
        hook_log.setLevel(logging.NOTSET)
