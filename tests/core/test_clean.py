"""The one table of characters readlist never stores or shows."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readlist.core.clean import clean_line, clean_text, clean_value, is_clean

DANGEROUS = ["\x1b", "\x07", "\x9b", "\x9d", "\x00", "\x7f", "\u202e", "\u2066", "\r", "\u2028"]


@pytest.mark.parametrize("char", DANGEROUS)
def test_line_and_text_drop_terminal_controls(char: str) -> None:
    raw = f"Evil{char}]0;owned{char}Title"
    assert char not in clean_line(raw)
    assert char not in clean_text(raw)


def test_text_keeps_newlines_and_tabs_line_does_not() -> None:
    assert clean_text("a\r\nb\tc\n") == "a\nb\tc\n"
    assert clean_line("a\nb\tc") == "a b c"


def test_clean_text_is_returned_unchanged() -> None:
    text = "Switch Transformers: Scaling to Trillion Parameter Models — ½ ☃ 北京"
    assert clean_line(text) is text
    assert clean_text(text) is text


def test_clean_value_cleans_nested_records_and_refuses_deep_nesting() -> None:
    record = {"title": "a\x1b[2Jb", "abstract": "x\ny\x9b", "picks": [{"blurb": "\x07z"}]}
    cleaned = clean_value(record, multiline=frozenset({"abstract", "blurb"}))
    assert cleaned == {"title": "a [2Jb", "abstract": "x\ny ", "picks": [{"blurb": " z"}]}
    deep: list = []
    for _ in range(100):
        deep = [deep]
    with pytest.raises(ValueError, match="nested"):
        clean_value(deep)


@given(st.text())
def test_nothing_unsafe_survives(text: str) -> None:
    assert is_clean(clean_text(text))
    assert is_clean(clean_line(text), multiline=False)
    assert not any(c in clean_text(text) for c in "\x1b\x07\x9b\x9d")
