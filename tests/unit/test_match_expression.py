"""The full-text query expression: only letters, digits and dots of a member's words reach it,
each phrase quoted, so no member text is read as FTS5 or tsquery syntax."""

from __future__ import annotations

from parley.store.search import match_expression


def test_only_letters_digits_and_dots_survive_each_word_quoted() -> None:
    hostile = [("NEAR(a", "b)*"), ('"OR"',), ("x_y", "café", "3.5%", "٣"), ("--", "^")]
    assert match_expression(hostile) == '"NEARa b" OR "OR" OR "xy café 3.5 ٣"'


def test_a_word_keeps_what_str_isalnum_keeps() -> None:
    sample = "".join(chr(i) for i in range(0x3000) if not 0xD800 <= i < 0xE000)
    kept = match_expression([(sample,)]).strip('"')
    assert kept == "".join(ch for ch in sample if ch.isalnum() or ch == ".").replace('"', "")
