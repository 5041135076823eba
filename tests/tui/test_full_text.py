"""The TUI's full-text toggle (issue 19): ctrl+f makes the filter's plain words look in the attached PDFs'
text too, as `list --full-text` does, and the filter bar says so."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from readlist.core.config import load_settings
from readlist.core.library import Library
from tests.files.pdfs import text_pdf
from tests.tui.conftest import SEED, SIZE, burst, detail_text, run_action, said, settle, shown, text_of

WORD = "zebrafish"
"""In one paper's PDF only: no title, abstract, note or tag of the seed holds it."""


def _library(tmp_path: Path) -> Library:
    library = Library(load_settings())
    with library._transaction() as tx:
        tx.put_papers({r["id"]: r for r in SEED})
    source = tmp_path / "switch.pdf"
    pages = ["Routing experts", f"We also tried the {WORD} retina data set.", "Compared with RepVGG."]
    source.write_bytes(text_pdf(pages))
    library.attach("2101.03961", [source])
    return library


async def test_a_word_only_in_a_pdf_matches_only_with_full_text_on(make_app, tmp_path: Path) -> None:
    library = _library(tmp_path)
    assert not any(WORD in str(r) for r in SEED)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.select_view("all")
        await settle(pilot)
        await pilot.press("slash")
        await burst(pilot, WORD)
        await settle(pilot)
        assert shown(app) == [] and text_of(app, "#filter-count") == "0 of 5"
        await pilot.press("ctrl+f")  # from inside the filter field
        await settle(pilot)
        assert shown(app) == ["2101.03961"]
        assert text_of(app, "#filter-count") == "1 of 5 · words in PDFs too"
        assert f"p. 2: We also tried the {WORD} retina data set." in detail_text(app)
        assert app.screen.query_one("#filter").value == WORD, "ctrl+f was not typed into the query"
        await run_action(app, "full_text")  # the palette's command: off again
        await settle(pilot)
        assert shown(app) == [] and text_of(app, "#filter-count") == "0 of 5"
        assert said(app).endswith("Full text off")


async def test_full_text_in_the_palette_and_the_bar_shows_it_with_no_query(make_app, tmp_path: Path) -> None:
    library = _library(tmp_path)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Full text: filter words search the PDFs too" in titles
        await pilot.press("ctrl+f")
        await settle(pilot)
        bar = app.screen.query_one("#filter-bar")
        assert bar.display and text_of(app, "#filter-count") == "2 of 2 · words in PDFs too"
        await pilot.press("escape")  # nothing to leave: the toggle stays, and so does the bar that shows it
        await settle(pilot)
        assert bar.display


async def test_a_stale_search_index_is_brought_up_in_a_thread_and_the_filter_follows(make_app, tmp_path, monkeypatch):
    """ctrl+f over an index gone stale: no sync on the event loop (a freeze of seconds at 10,000 papers), the
    filter shows the records' matches at once and the PDFs' too once the index is built; one sync at a time."""
    from readlist.core import search_index

    library = _library(tmp_path)
    search_index.index_file(library.settings.cache_dir, library.settings.library_path).unlink()
    gate, syncs, running = threading.Event(), [], [0]
    real = search_index.SearchIndex.sync

    def gated(self, *args, **kwargs):
        syncs.append((threading.current_thread() is threading.main_thread(), running[0]))
        running[0] += 1
        try:
            gate.wait(10)
            return real(self, *args, **kwargs)
        finally:
            running[0] -= 1

    monkeypatch.setattr(search_index.SearchIndex, "sync", gated)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await until(pilot, lambda: getattr(app.screen, "loaded", False))
        app.screen.select_view("all")
        await pilot.press("slash")
        await burst(pilot, "repvgg")  # in 2101.03697's title, and in 2101.03961's PDF only
        await pilot.press("ctrl+f")
        await until(pilot, lambda: syncs)
        await pilot.pause(0.1)
        assert shown(app) == ["2101.03697"], "the records' match is shown while the index builds"
        assert text_of(app, "#filter-count") == "1 of 5 · words in PDFs too"
        gate.set()
        await settle(pilot)
        assert shown(app) == ["2101.03961", "2101.03697"], "the PDF's match joins once the index is built"
    assert syncs and not any(on_main for on_main, _ in syncs), "the index was synced on the event loop"
    assert all(before == 0 for _, before in syncs), "two syncs ran at once"


async def until(pilot, condition, timeout: float = 10) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await pilot.pause(0.02)
