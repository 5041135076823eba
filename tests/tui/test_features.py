"""What a day's reading needs (issue 12): the filter's count, triage at speed, marks, sorts,
the reading view, refreshing pending papers, all tags, and choices remembered."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from readlist.core.library import Library
from readlist.core.suggestions import Suggestions
from readlist.tui.screens.library import LibraryScreen
from readlist.tui.screens.reading import ReadingScreen
from readlist.tui.widgets.paper_table import PaperTable
from tests.arxiv_server import ArxivServer
from tests.tui.conftest import (
    SIZE,
    detail_text,
    open_suggestions,
    plain,
    run_action,
    said,
    seed_suggestions,
    settle,
    shown,
    stored,
    tab_label,
    text_of,
    words,
)


def table(app: Any) -> PaperTable:
    return app.screen.query_one(PaperTable)


async def test_the_filter_counts_n_of_m_and_the_tabs_follow_it(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        app.screen.query_one("#filter").value = "fedus"
        await pilot.pause()
        assert text_of(app, "#filter-count") == "1 of 2", "To read: one of its two papers matches"
        tabs = {view: tab_label(app, view) for view in ("to-read", "reading", "read", "dropped", "all")}
        assert list(tabs.values()) == ["To read 1", "Reading 0", "Read 0", "Dropped 0", "All 1"]
        app.screen.query_one("#filter").value = "status:someday"
        await pilot.pause()
        assert "unknown status 'someday'" in text_of(app, "#filter-count"), "a bad query says what is wrong"
        await pilot.press("escape", "escape")
        await pilot.pause()
        assert tab_label(app, "to-read") == "To read 2" and tab_label(app, "all") == "All 5"


async def test_sort_by_author_and_reverse_any_sort(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.select_view("all")
        await settle(pilot)
        for _ in range(4):
            await pilot.press("S")  # title, year, status, first author
        assert table(app).sort_label == "first author"
        # Ding, Example, Fedus, Gao, Vaswani
        assert shown(app) == ["2101.03697", "2101.06561", "2101.03961", "2012.15723", "1706.03762"]
        await pilot.press("r")
        assert table(app).sort_label == "first author, reversed"
        assert shown(app) == ["1706.03762", "2012.15723", "2101.03961", "2101.06561", "2101.03697"]
    # The sort is remembered for the next session, in the TUI's own state file (never in config.toml).
    state = json.loads((seeded.settings.home / "tui-state.json").read_text(encoding="utf-8"))
    assert state["sort"] == "author" and state["reverse"] is True
    again = make_app(seeded)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        again.screen.select_view("all")
        await settle(pilot)
        assert shown(again)[0] == "1706.03762"


async def test_the_theme_is_remembered(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "nord"
        await pilot.pause()
    assert json.loads((seeded.settings.home / "tui-state.json").read_text(encoding="utf-8"))["theme"] == "nord"
    again = make_app(seeded)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.theme == "nord"


async def test_space_marks_rows_and_keys_apply_to_all_marked(seeded: Library, make_app, tmp_path: Path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.select_view("all")
        await settle(pilot)
        await pilot.press("space", "j", "space")  # Switch and RepVGG... space moves on: Switch, then Large N
        assert table(app).marked == {"2101.03961", "2101.06561"}
        assert text_of(app, "#filter-count") == "5 of 5 · 2 marked (esc unmarks)"
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one("#tags-input").value = "batch"
        await pilot.press("enter")
        await settle(pilot)
        assert stored(seeded, "2101.03961")["tags"] == ["moe", "scaling", "batch"]
        assert stored(seeded, "2101.06561")["tags"] == ["batch"]
        assert table(app).marked == set(), "applied: the marks go"
        await pilot.press("g", "space", "space", "3")  # Switch and RepVGG, read
        await settle(pilot)
        assert stored(seeded, "2101.03961")["status"] == "read" and stored(seeded, "2101.03697")["status"] == "read"
        await pilot.press("u")
        await settle(pilot)
        assert stored(seeded, "2101.03961")["status"] == "to-read", "one undo puts both back"
        assert stored(seeded, "2101.03697")["status"] == "reading"
        await pilot.press("g", "space", "space", "escape")
        assert table(app).marked == set(), "esc unmarks"
        await pilot.press("g", "space", "space", "d", "y")
        await settle(pilot)
        assert stored(seeded, "2101.03961") is None and stored(seeded, "2101.03697") is None


async def test_export_takes_the_marked_papers(seeded: Library, make_app, tmp_path: Path) -> None:
    out = tmp_path / "marked.bib"
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.select_view("all")
        await settle(pilot)
        await pilot.press("j", "space", "j", "space")  # RepVGG and Attention (space moves on)
        await run_action(app, "export_bibtex")
        await pilot.pause()
        assert app.screen.help_text == "Papers: 2 marked, as BibTeX entries."
        app.screen.query_one("#path-input").value = str(out)
        await pilot.press("enter")
        await settle(pilot)
    text = out.read_text(encoding="utf-8")
    assert text.count("@") == 2 and "2101.03697" in text and "1706.03762" in text


async def test_delete_moves_the_cursor_to_the_next_row(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.select_view("all")
        await settle(pilot)
        await pilot.press("j", "d", "y")
        await settle(pilot)
        assert stored(seeded, "2101.03697") is None
        assert table(app).current.id == "2101.06561"


async def test_accept_and_dismiss_move_on_to_the_next_suggestion(seeded: Library, make_app) -> None:
    seed_suggestions(seeded)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        listing = await open_suggestions(pilot)
        await pilot.press("enter")  # accept the conference-only paper
        await settle(pilot)
        assert listing.current.key == "2103.00020"
        await pilot.press("x")
        await settle(pilot)
        assert Suggestions(seeded).get("2103.00020").state == "dismissed"
        assert listing.current.key == "2101.08751"


async def test_the_reading_view_shows_one_paper_and_n_writes_notes(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.screen.select_view("all")
        await settle(pilot)
        await pilot.press("j", "j", "j")  # Attention Is All You Need: it has a curator's blurb
        await pilot.press("v")
        await pilot.pause()
        assert isinstance(app.screen, ReadingScreen)
        text = words(detail_text(app))
        assert "Attention Is All You Need" in text and "The paper that started the transformer era." in text
        assert "Abstract of Attention Is All You Need." in text
        await pilot.press("n")
        await pilot.pause()
        await pilot.press("enter", *"Read it twice.", "escape")
        await settle(pilot)
        assert isinstance(app.screen, ReadingScreen)
        assert "Read it twice." in detail_text(app), "the reading view shows the notes just written"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
    assert stored(seeded, "1706.03762")["notes"].endswith("Read it twice.")


async def test_refresh_pending_papers_with_a_progress_line(
    arxiv: ArxivServer, seeded: Library, make_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    with seeded._transaction() as tx:
        tx.put_papers({"2101.08751": {"id": "2101.08751", "pending": True, "status": "to-read",
                                      "added": "2024-03-06T09:00:00+00:00"}})  # fmt: skip
    asked = threading.Event()
    go_on = threading.Event()
    refresh = seeded.refresh

    def held_refresh(*args: Any, **kwargs: Any) -> Any:
        asked.set()
        go_on.wait(10)  # arXiv answers once the test has seen the progress line
        return refresh(*args, **kwargs)

    monkeypatch.setattr(seeded, "refresh", held_refresh)
    app = make_app(seeded)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("R")
        assert asked.wait(10)
        await pilot.pause()
        assert text_of(app, "#activity-label") == "Refreshing pending papers: 0 of 1…"
        go_on.set()
        await settle(pilot)
        assert "Fetched 1 pending paper" in said(app)
        record = stored(seeded, "2101.08751")
        assert record["pending"] is False and record["title"].startswith("Rethink Training of BERT Rerankers")
        await pilot.press("R")
        await settle(pilot)
        assert said(app).endswith("No pending papers: every paper has its details")


def tag_rows(app: Any) -> list[str]:
    """The tags screen's rows ("2 #moe")."""
    return [words(plain(option.prompt)) for option in app.screen.query_one(OptionList).options]


async def test_all_tags_with_counts_and_rename_merges_them(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await pilot.pause()
        assert app.screen.title_text == "All tags (5)"
        text = tag_rows(app)
        for entry in ("1 #moe", "1 #scaling", "1 #vision", "1 #classic", "1 #transformers"):
            assert entry in text
        await pilot.press("r")  # rename the first one: classic
        await pilot.pause()
        app.screen.query_one("#rename-input").value = "moe"
        await pilot.press("enter")
        await settle(pilot)
        assert stored(seeded, "1706.03762")["tags"] == ["transformers", "moe"]
        assert "2 #moe" in tag_rows(app) and "#classic" not in tag_rows(app)  # the tags screen stayed open
        await pilot.press("enter")  # the papers with #moe
        await settle(pilot)
        assert app.screen.query_one("#filter").value == "#moe"
        assert set(shown(app)) == {"2101.03961", "1706.03762"}
        await pilot.press("u")
        await settle(pilot)
        assert stored(seeded, "1706.03762")["tags"] == ["transformers", "classic"]


async def test_y_copies_the_citation_key_the_detail_shows(seeded: Library, make_app) -> None:
    with seeded._transaction() as tx:  # one paper with a key of its own (imported); the others get the exports' key
        tx.put_papers({"2101.03697": {**tx.papers["2101.03697"], "key": "ding2021repvgg-own"}})
    app = make_app(seeded)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        assert "Cite as    fedus2021switch" in detail_text(app)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == "fedus2021switch" and said(app).endswith("Copied fedus2021switch")
        app.screen.select_view("reading")
        await settle(pilot)
        await pilot.press("y")
        assert app.clipboard == "ding2021repvgg-own"
