"""Issue 22's "TUI for a day", the items left: each test failed before its fix, driven as a user would."""

from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList

from readlist.core.library import Library
from readlist.tui.widgets.detail import DetailPane
from readlist.tui.widgets.filter_bar import FilterBar
from readlist.tui.widgets.paper_table import PaperTable
from tests.tui.conftest import SIZE, burst, plain, said, settle, shown, stored, text_of, words


async def test_typing_after_t_adds_a_tag_instead_of_gluing_it_onto_the_last(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")  # Switch Transformers: moe scaling
        await pilot.pause()
        assert app.screen.query_one("#tags-input").value == "moe scaling "
        await burst(pilot, "nlp")
        await pilot.press("enter")
        await settle(pilot)
    assert stored(seeded, "2101.03961")["tags"] == ["moe", "scaling", "nlp"]


async def test_tags_typed_with_extra_spaces_commas_and_hashes_save_as_words(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one("#tags-input").value = "  moe,, #scaling\tnlp  moe "
        await pilot.press("enter")
        await settle(pilot)
    assert stored(seeded, "2101.03961")["tags"] == ["moe", "scaling", "nlp"]


async def test_tab_back_from_the_detail_pane_goes_to_the_table_not_the_filter(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await burst(pilot, "shazeer")
        await settle(pilot)
        await pilot.press("escape")  # leaves the filter; it stays
        await settle(pilot)
        table, detail = app.screen.query_one(PaperTable), app.screen.query_one(DetailPane)
        field = app.screen.query_one(FilterBar).field
        assert field.display and table.has_focus
        await pilot.press("tab")
        assert detail.has_focus
        await pilot.press("tab")
        assert table.has_focus, f"the focus went to {app.screen.focused!r}"
        await pilot.press("shift+tab")
        assert detail.has_focus
        await pilot.press("shift+tab", "j")
        await settle(pilot)
        assert field.value == "shazeer", "j moved the table, it was not typed into the query"
        assert table.has_focus
        await pilot.press("slash")  # `/` still reaches the filter
        await burst(pilot, " attention")
        await settle(pilot)
        assert field.value == "shazeer attention" and shown(app) == ["1706.03762"]


@pytest.fixture
def no_browser(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A headless machine over SSH: no $BROWSER, no display, no opener on the PATH."""
    for name in ("BROWSER", "DISPLAY", "WAYLAND_DISPLAY"):
        monkeypatch.delenv(name, raising=False)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(webbrowser, "_tryorder", None)  # webbrowser looks again, on this PATH
    monkeypatch.setattr(webbrowser, "_browsers", {})


async def test_o_and_p_without_a_browser_say_so_as_readlist_open_does(seeded: Library, no_browser: None) -> None:
    from readlist.tui.app import ReadlistApp

    app = ReadlistApp(seeded)  # the real opener: Python's webbrowser
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
        await pilot.press("p")
        await settle(pilot)
        notes = [str(n.message) for n in app._notifications]
    assert notes == [
        "no web browser found to open https://arxiv.org/abs/2101.03961 (set $BROWSER)",
        "no web browser found to open https://arxiv.org/pdf/2101.03961v1 (set $BROWSER)",
    ]


async def test_o_with_a_browser_says_it_is_opening(seeded: Library, make_app, opened) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o")
        await settle(pilot)
    assert opened == ["https://arxiv.org/abs/2101.03961"]
    assert said(app).endswith("Opening https://arxiv.org/abs/2101.03961")


def tag_rows(app: Any) -> list[str]:
    return [words(plain(option.prompt)) for option in app.screen.query_one(OptionList).options]


async def test_show_papers_from_the_tags_screen_shows_the_filter_and_its_count(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await pilot.pause()
        await pilot.press("down", "down")  # classic, moe, scaling, transformers, vision: scaling
        await pilot.press("enter")
        await settle(pilot)
        bar = app.screen.query_one(FilterBar)
        assert bar.display and bar.field.value == "#scaling"
        assert text_of(app, "#filter-count").startswith("1 of 5")
        assert shown(app) == ["2101.03961"]


async def test_the_tags_screen_stays_open_after_a_rename_with_the_counts_made_again(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await pilot.pause()
        assert tag_rows(app)[0] == "1 #classic"
        await pilot.press("r")
        await pilot.pause()
        app.screen.query_one("#rename-input").value = "moe"
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.title_text == "All tags (4)", "the tags screen is still open"
        assert "2 #moe" in tag_rows(app) and not any("#classic" in row for row in tag_rows(app))
        options = app.screen.query_one(OptionList)
        assert options.get_option_at_index(options.highlighted).id == "moe", "the renamed tag stays highlighted"
    assert stored(seeded, "1706.03762")["tags"] == ["transformers", "moe"]


async def test_a_screenshot_that_cannot_be_saved_says_where_and_why(seeded: Library, make_app, tmp_path) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        missing = tmp_path / "no-such-folder"
        assert app.screenshot(missing) is None
        await pilot.pause()
        assert said(app).endswith(f"Could not save the screenshot in {missing}: No such file or directory")
        saved = app.screenshot(tmp_path)
        assert saved is not None and saved.parent == tmp_path and saved.read_text(encoding="utf-8").startswith("<svg")
        await pilot.pause()
        assert said(app).endswith(f"Saved the screenshot to {saved}")


async def test_the_palette_screenshot_is_readlists(seeded: Library, make_app, monkeypatch, tmp_path) -> None:
    monkeypatch.setattr("platformdirs.user_downloads_path", lambda: tmp_path / "Downloads")
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        (command,) = [c for c in app.get_system_commands(app.screen) if c.title == "Screenshot"]
        command.callback()
        await pilot.pause(0.3)
        await settle(pilot)
    assert said(app).endswith(f"Could not save the screenshot in {tmp_path / 'Downloads'}: No such file or directory")


PASTED = "2103.00020\nhttps://arxiv.org/abs/2101.08751\r\n2101.04535\n"


async def test_a_paste_of_ids_one_a_line_adds_every_one(arxiv, library: Library, make_app) -> None:
    from textual import events

    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        app.post_message(events.Paste(PASTED))  # as a terminal's bracketed paste reaches the app
        await pilot.pause()
        assert app.screen.query_one("#add-refs").value == "2103.00020 https://arxiv.org/abs/2101.08751 2101.04535 "
        await pilot.press("enter")
        await settle(pilot)
    assert {p.id for p in library.papers()} == {"2103.00020", "2101.08751", "2101.04535"}


async def test_a_paste_with_lines_that_are_no_ids_names_each_and_adds_nothing_yet(
    arxiv, library: Library, make_app
) -> None:
    from textual import events

    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        app.post_message(events.Paste("2103.00020\nnot-an-id\n\x1b[31mred\n2101.04535"))
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        error = text_of(app, ".dialog-error")
        assert error.startswith("'not-an-id', '[31mred' are not arXiv references or DOIs: use ids such as")
        assert "\x1b" not in error
    assert library.papers() == []
