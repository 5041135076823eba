"""The TUI's full-text toggle (issue 19): ctrl+f makes the filter's plain words look in the attached PDFs'
text too, as `list --full-text` does, and the filter bar says so."""

from __future__ import annotations

from pathlib import Path

from readlist.core.config import load_settings
from readlist.core.library import Library
from tests.files.pdfs import text_pdf
from tests.tui.conftest import SEED, SIZE, burst, detail_text, run_action, said, settle, shown, text_of

WORD = "zebrafish"
"""In one paper's PDF only: no title, abstract, note or tag of the seed holds it."""


def _library(tmp_path: Path) -> Library:
    library = Library(load_settings())
    with library.transaction() as tx:
        tx.put_papers({r["id"]: r for r in SEED})
    source = tmp_path / "switch.pdf"
    source.write_bytes(text_pdf(["Routing experts", f"We also tried the {WORD} retina data set."]))
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
