"""Input cleaning: invisible and look-alike-blank characters never survive into a reply."""

from __future__ import annotations

import pytest

from parley.core.models import Role
from parley.core.text import clean_input
from tests.conftest import Ask

INVISIBLES = ["\U000e0001", "\U000e0041", "\U000e007f", "\u00ad", "\u2028", "\u2029", "\u3164",
              "\u115f", "\u1160", "\u034f", "\u200b", "\u202e", "\ufeff"]


@pytest.mark.parametrize("char", INVISIBLES, ids=[f"U+{ord(c):04X}" for c in INVISIBLES])
def test_invisible_characters_are_removed_by_input_cleaning(char: str) -> None:
    cleaned = clean_input(f"tax{char}cut")
    assert char not in cleaned
    assert cleaned in ("taxcut", "tax cut")


def test_cleaning_keeps_ordinary_text_newlines_and_emoji() -> None:
    text = "Café — naïve 🙂 Ωmega\n\tline two"
    assert clean_input(text) == text


def test_ascii_text_is_cleaned_as_any_other_text() -> None:
    every = "".join(chr(i) for i in range(128))
    kept = clean_input(every)
    assert kept == "\t\n" + "".join(chr(i) for i in range(32, 127))
    assert clean_input(every + "é") == kept + "é"  # the general path agrees


async def test_invisible_characters_never_reach_a_reply(ask: Ask) -> None:
    hidden = "".join(INVISIBLES)
    reply = await ask(f"/counterpoint add {hidden}tariffs{hidden} raise prices for everyone "
                      "https://example.org/a", role=Role.MEMBER)
    everything = reply.model_dump_json() + reply.text
    for char in INVISIBLES:
        assert char not in reply.text and char not in everything, f"U+{ord(char):04X} in reply"
    assert "tariffs" in reply.text or reply.kind != "answer"


def test_a_text_that_fits_is_split_as_the_full_packing_splits_it() -> None:
    from parley.core.text import _packed, split_to_fit

    for text in ("", "   ", "one line", "\nleading break", "\n\n", "a\n\nb", "trailing\n",
                 "a\n  ", "*bold* and `code`", "x" * 40):
        for limit in (5, 40, 100):
            if len(text) <= limit:
                assert split_to_fit(text, limit) == _packed(text, limit), (text, limit)
