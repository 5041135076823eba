"""The library screen paints its first table from the light records: a text is read when its paper is shown
(one shard), and every text only when the filter's word index is built, after the first paint."""

from __future__ import annotations

from typing import Any

import pytest

from readlist.core.library import Library
from readlist.core.texts import SHARDS, Shards
from readlist.tui.screens import library as library_screen
from tests.tui.conftest import SIZE, _paper, detail_text, settle, text_of


async def test_the_first_table_reads_only_the_texts_it_shows(
    library: Library, make_app: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    papers = {}
    for n in range(300):
        pid = f"2301.{10000 + n}"
        added = f"2024-01-01T00:{n // 60:02d}:{n % 60:02d}+00:00"
        papers[pid] = _paper(pid, f"Paper number {n}", ["Ada Lovelace"], 2023, added, abstract=f"Plain abstract {n}.")
    papers["2301.10000"]["abstract"] = "The oldest paper holds the word zymurgical."
    with library._transaction() as tx:
        tx.put_papers(papers)
    loaded: list[int] = []
    real = Shards.load

    def load(self: Shards, n: int) -> Any:
        loaded.append(n)
        return real(self, n)

    monkeypatch.setattr(Shards, "load", load)
    monkeypatch.setattr(library_screen, "WARM_DELAY", 600.0)  # the word index waits: what the paint read is seen
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Plain abstract 299." in detail_text(app)  # the newest paper, shown with its text
        assert 0 < len(set(loaded)) < SHARDS // 2, "the first table read the texts of papers it does not show"
        await pilot.press("slash")
        app.screen.query_one("#filter").value = "zymurgical"  # a word of an abstract, before the index is built
        await pilot.pause()
        assert text_of(app, "#filter-count").startswith("1 of")
