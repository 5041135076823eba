"""The TUI's word index with full text on: a plain word matches a paper whose PDFs' pages hold it, as
``list --full-text`` does (the SQLite index's answer is given here as a function)."""

from __future__ import annotations

import pytest

from readlist.core.query import compile_query
from readlist.core.query_index import TextIndex

RECORDS = [
    {"id": "2101.03961", "title": "Switch Transformers", "status": "to-read"},
    {"id": "1706.03762", "title": "Attention Is All You Need", "status": "read"},
    {"id": "2012.15723", "title": "Zebrafish vision, from the retina up", "status": "to-read"},
]


def pages(text: str) -> set[str]:
    return {"2101.03961"} if text == "zebrafish" else set()


@pytest.mark.parametrize("warm", [False, True])
def test_plain_words_match_the_pages_only_with_full_text(warm: bool) -> None:
    index = TextIndex(RECORDS, pages=pages)
    if warm:
        index.warm()
    everyone = range(len(RECORDS))
    assert index.select(compile_query("zebrafish"), everyone) == [2]
    assert index.select(compile_query("zebrafish"), everyone, full_text=True) == [0, 2]
    assert index.select(compile_query("-zebrafish"), everyone, full_text=True) == [1]
    assert index.select(compile_query("zebrafish status:read"), everyone, full_text=True) == []
    assert index.select(compile_query("attention"), everyone, full_text=True) == [1]
