"""The one table of characters readlist never stores or shows."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readlist.core.clean import clean_line, clean_text, clean_value, is_clean, json_is_clean

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


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for k, v in value.items() for t in (k, *_texts(v))]
    if isinstance(value, list):
        return [t for v in value for t in _texts(v)]
    return []


JSON_VALUES = st.recursive(
    st.text(alphabet=st.sampled_from(["a", "\\", "b", "u", "0", "\n", "\t", "—", "é", *DANGEROUS])) | st.integers(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3),
    max_leaves=8,
)


@given(JSON_VALUES, st.booleans())
def test_json_is_clean_answers_as_every_string_would(value: object, ascii_only: bool) -> None:
    # The one-pass check of a text shard's bytes says "clean" only when every string in it is (escaped or raw).
    raw = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8")
    if json_is_clean(raw):
        assert all(is_clean(text) for text in _texts(value))
    if all(is_clean(text) and "\\" not in text for text in _texts(value)) and not ascii_only:
        assert json_is_clean(raw)


def test_json_is_clean_reads_latex_backslashes_as_text() -> None:
    assert json_is_clean(json.dumps({"origin": "\\bf \\frac \\ref \\url{x} \\u00e9"}).encode())
    assert not json_is_clean(json.dumps({"notes": "\\\\\x1b[2J"}).encode())
