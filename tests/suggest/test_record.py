"""Storing picks: each paper once, and untitled picks never merged by their (empty) titles."""

from __future__ import annotations

from pathlib import Path

from readlist.core.config import load_settings
from readlist.core.library import Library
from readlist.core.suggestions import Pick, Suggestion, Suggestions
from readlist.sources.record import record


def test_untitled_picks_stay_distinct(no_builtin: Path) -> None:
    """A plain list of arXiv ids, not resolved yet: three ids are three suggestions."""
    library = Library(load_settings())
    items = [
        (Suggestion(key=arxiv_id, title="", arxiv_id=arxiv_id), Pick("reading-group", "2021-01", rank))
        for rank, arxiv_id in enumerate(("2101.03961", "2101.03697", "2012.15723"), 1)
    ]
    assert record(library, items) == (3, 3)
    assert sorted(s.key for s in Suggestions(library).all()) == ["2012.15723", "2101.03697", "2101.03961"]
