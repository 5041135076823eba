"""The Suggestions view: groups with counts, detail, accept, dismiss, open, undo, pull."""

from __future__ import annotations

from pathlib import Path

from readlist.core.config import load_settings
from readlist.core.library import Library
from readlist.core.suggestions import Suggestions
from readlist.tui.widgets.sync import LibrarySync
from tests.tui.conftest import (
    SIZE,
    detail_text,
    listing_text,
    open_suggestions,
    run_action,
    said,
    seed_suggestions,
    settle,
    stored,
    tab_label,
    text_of,
)


async def test_groups_by_month_and_source_with_counts(seeded: Library, make_app) -> None:
    seed_suggestions(seeded)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        listing = await open_suggestions(pilot)
        await pilot.press("S")  # the curators' order (by fit is the default from 5 papers)
        await settle(pilot)
        assert text_of(app, "#suggestions-order").startswith("Curators' order · S: by fit with your library")
        assert tab_label(app, "suggestions") == "Suggestions 2"  # new ones only
        text = listing_text(app)
        assert "February 2021 · ML Papers of the Week: 1 new" in text
        assert "January 2021 · Best of arXiv: 1 accepted · 1 dismissed · 1 new" in text
        assert text.index("February 2021") < text.index("January 2021"), "newest month first"
        assert listing.has_focus
        assert listing.current.key == "manual:conference-only-paper"


async def test_detail_shows_blurb_and_abstract(seeded: Library, make_app) -> None:
    seed_suggestions(seeded)
    app = make_app(seeded)
    async with app.run_test(size=(200, 50)) as pilot:
        await open_suggestions(pilot)
        await pilot.press("down")  # past the next group's header, onto CLIP
        await settle(pilot)
        text = detail_text(app)
        assert "Zero-shot transfer that rivals supervised baselines." in text
        assert "We train image and text encoders contrastively." in text
        assert "January 2021 · Best of arXiv #1" in text


async def test_enter_accepts_into_to_read_with_the_blurb(seeded: Library, make_app) -> None:
    seed_suggestions(seeded)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        listing = await open_suggestions(pilot)
        await pilot.press("down")
        assert listing.current.key == "2103.00020"
        await pilot.press("enter")
        await settle(pilot)
        paper = stored(seeded, "2103.00020")
        assert paper is not None and paper["status"] == "to-read"
        assert paper["blurb"] == "Zero-shot transfer that rivals supervised baselines."
        assert Suggestions(seeded).get("2103.00020").state == "accepted"
        text = listing_text(app)
        assert "January 2021 · by fit: 2 accepted · 1 dismissed" in text
        assert "Learning Transferable Visual Models From Natural Language Supervision" in text
        assert "(in library)" in text and tab_label(app, "to-read") == "To read 3"


async def test_x_dismisses_and_u_undoes(seeded: Library, make_app) -> None:
    seed_suggestions(seeded)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await open_suggestions(pilot)
        await pilot.press("x")
        await settle(pilot)
        assert Suggestions(seeded).get("manual:conference-only-paper").state == "dismissed"
        assert "February 2021 · by fit: 1 dismissed" in listing_text(app)
        await pilot.press("u")
        await settle(pilot)
        assert Suggestions(seeded).get("manual:conference-only-paper").state == "new"


async def test_undo_an_accept_removes_the_paper_again(seeded: Library, make_app) -> None:
    seed_suggestions(seeded)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await open_suggestions(pilot)
        await pilot.press("enter")  # the conference-only paper: a hand-made record
        await settle(pilot)
        assert stored(seeded, "manual:conference-only-paper") is not None
        await pilot.press("u")
        await settle(pilot)
        assert stored(seeded, "manual:conference-only-paper") is None
        assert Suggestions(seeded).get("manual:conference-only-paper").state == "new"


async def test_o_opens_the_suggestion(seeded: Library, make_app, opened) -> None:
    seed_suggestions(seeded)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await open_suggestions(pilot)
        await pilot.press("o", "down", "o")
        await settle(pilot)
        assert opened == ["https://example.org/paper", "https://arxiv.org/abs/2103.00020"]


async def test_empty_suggestions_view_says_how_to_pull(library: Library, make_app) -> None:
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await open_suggestions(pilot)
        assert listing_text(app).startswith("No suggestions yet.\nPull the curated monthly selections")


async def test_a_fresh_library_shows_the_shipped_selection(home: Path, tmp_path: Path, make_app) -> None:
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    library = Library(load_settings())
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await open_suggestions(pilot)
        text = listing_text(app)
        assert "January 2021 · Best of arXiv: 10 new" in text  # the curators' order: no paper to rank by
        assert "Switch Transformers" in text


def offline_sources(tmp_path: Path) -> None:
    """No network source: a pull of every source has nothing to ask."""
    names = ("zeta-alpha", "papers-of-the-week", "hf-daily", "builtin")
    text = "".join(f"[sources.{name}]\nenabled = false\n" for name in names)
    (tmp_path / "config.toml").write_text(text, encoding="utf-8")


async def test_pull_every_source_reports_in_a_notification(home: Path, tmp_path: Path, make_app) -> None:
    offline_sources(tmp_path)
    library = Library(load_settings())
    app = make_app(library)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await run_action(app, "pull")
        await settle(pilot)
        assert "Pulled nothing new: 0 new suggestions" in said(app)


async def test_pull_a_document_resolves_it_in_a_worker(arxiv, home: Path, tmp_path: Path, make_app) -> None:
    offline_sources(tmp_path)
    library = Library(load_settings())
    document = Path(__file__).parent.parent / "fixtures" / "sources" / "zeta-alpha-2021-01.md"
    app = make_app(library)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await run_action(app, "pull_document")
        await pilot.pause()
        app.screen.query_one("#path-input").value = str(document)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.view == "suggestions"
        assert "January 2021 · " in listing_text(app)
        assert "Pulled January 2021" in said(app)
        assert Suggestions(library).get("2103.00020") is not None


async def test_the_shipped_selection_shows_without_writing(home: Path, tmp_path: Path, make_app) -> None:
    """The shipped selection is overlaid in memory: opening the TUI leaves library.json as it was."""
    (tmp_path / "config.toml").write_text("", encoding="utf-8")
    library = Library(load_settings())
    with library._transaction() as tx:
        tx.put_papers({"2101.03961": {"id": "2101.03961", "title": "Switch", "status": "to-read"}})
    path = home / "library.json"
    before, mtime = path.read_bytes(), path.stat().st_mtime_ns
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.pause(0.6)  # a poll
        await settle(pilot)
        assert tab_label(app, "suggestions") == "Suggestions 10"
        assert app.screen.query_one(LibrarySync).stamp == library.stamp()
    assert path.read_bytes() == before and path.stat().st_mtime_ns == mtime
