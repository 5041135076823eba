"""The library screen paints its first table from the light records: a text is read when its paper is shown
(one shard); the filter's words are answered by the search index once it is brought up to date after the first
paint (before that, by reading the texts), and the papers changed since are read."""

from __future__ import annotations

from typing import Any

import pytest

from readlist.core.library import Library
from readlist.core.texts import SHARDS, Shards, shard_of
from readlist.tui.screens import library as library_screen
from tests.tui.conftest import SIZE, _paper, detail_text, settle, text_of


def _seed(library: Library, count: int, rare: str, abstract: str) -> None:
    """``count`` papers added a second apart, each with its own abstract; ``rare`` gets ``abstract``."""
    papers = {}
    for n in range(count):
        pid = f"2301.{10000 + n}"
        added = f"2024-01-01T00:{n // 60:02d}:{n % 60:02d}+00:00"
        papers[pid] = _paper(pid, f"Paper number {n}", ["Ada Lovelace"], 2023, added, abstract=f"Plain abstract {n}.")
    papers[rare]["abstract"] = abstract
    with library._transaction() as tx:
        tx.put_papers(papers)


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The text shards read, in order (each read of one is a parse of its JSON)."""
    reads: list[int] = []
    real = Shards.load

    def load(self: Shards, n: int) -> Any:
        reads.append(n)
        return real(self, n)

    monkeypatch.setattr(Shards, "load", load)
    return reads


async def test_the_first_table_reads_only_the_texts_it_shows(
    library: Library, make_app: Any, monkeypatch: pytest.MonkeyPatch, loaded: list[int]
) -> None:
    _seed(library, 300, "2301.10000", "The oldest paper holds the word zymurgical.")
    loaded.clear()  # the shards the seeding write read
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


async def test_the_filter_asks_the_search_index_and_reads_only_the_papers_changed_since(
    library: Library, make_app: Any, monkeypatch: pytest.MonkeyPatch, loaded: list[int]
) -> None:
    _seed(library, 40, "2301.10007", "This one holds the word zymurgical.")
    monkeypatch.setattr(library_screen, "WARM_DELAY", 0.01)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for _ in range(200):
            if app.screen.model.index.words is not None:
                break
            await pilot.pause(0.02)
        assert app.screen.model.index.words is not None, "the search index answers the filter"
        loaded.clear()
        await pilot.press("slash")
        field = app.screen.query_one("#filter")
        field.value = "zymurgical"
        await pilot.pause()
        assert text_of(app, "#filter-count") == "1 of 40"
        field.value = "zymurgcal -number"  # a typo, and a negated word
        await pilot.pause()
        assert text_of(app, "#filter-count") == "0 of 40"
        assert set(loaded) <= {shard_of("2301.10007")}, "the filter read texts (the detail shows the one found)"
        library.set_notes("2301.10020", "Read about quokkas.")  # another process's write
        for _ in range(200):
            if "2301.10020" in app.screen.model.index.stale:
                break
            await pilot.pause(0.02)
        assert app.screen.model.index.words is not None and app.screen.model.index.stale == {"2301.10020"}
        field.value = "quokkas"
        await pilot.pause()
        assert text_of(app, "#filter-count") == "1 of 40"
        field.value = "-quokka"
        await pilot.pause()
        assert text_of(app, "#filter-count") == "39 of 40"
