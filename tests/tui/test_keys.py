"""Every key of the library screen, driven with Pilot, asserting what the user sees and what is stored."""

from __future__ import annotations

import sys

import pytest

from readlist.core.library import Library
from readlist.tui.screens.library import LibraryScreen
from readlist.tui.widgets.paper_table import PaperTable
from tests.tui.conftest import SIZE, detail_text, said, settle, shown, stored, tab_label, text_of, words


def table(app) -> PaperTable:  # type: ignore[no-untyped-def]
    return app.screen.query_one(PaperTable)


async def test_views_show_counts_and_switch(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        views = ("to-read", "reading", "read", "dropped", "all", "suggestions")
        labels = ["To read 2", "Reading 1", "Read 1", "Dropped 1", "All 5", "Suggestions 0"]
        assert [tab_label(app, view) for view in views] == labels
        assert shown(app) == ["2101.03961", "1706.03762"]  # to-read, newest added first
        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert shown(app) == ["2101.03697"]
        for _ in range(3):
            await pilot.press("right_square_bracket")
        await settle(pilot)
        assert len(shown(app)) == 5
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert shown(app) == ["2012.15723"]


async def test_sort_cycles_added_title_year_status(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.select_view("all")
        await settle(pilot)
        assert shown(app)[0] == "2101.03961"
        await pilot.press("S")  # title
        assert shown(app)[0] == "1706.03762"  # Attention...
        assert table(app).sort_label == "title"
        await pilot.press("S")  # year, newest first
        assert shown(app)[-1] == "1706.03762"
        await pilot.press("S")  # status
        statuses = [table(app).papers[i].status for i in table(app).rows]
        assert statuses == ["to-read", "to-read", "reading", "read", "dropped"]


async def test_filter_as_you_type_forgives_case_and_typos(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.select_view("all")
        await settle(pilot)
        await pilot.press("slash", *"REPVGG")
        assert shown(app) == ["2101.03697"]
        await settle(pilot)
        assert "RepVGG" in detail_text(app) and "Switch Transformers" not in detail_text(app)
        field = app.screen.query_one("#filter")
        for query, expected in (
            ("trnasformers", {"2101.03961", "1706.03762"}),  # a swapped letter
            ("capacity factor", {"2101.03961"}),  # in the notes only
            ("shazeer #moe", {"2101.03961"}),  # an author and a tag
            ("Shazeer", {"2101.03961", "1706.03762"}),
            ("nothing-like-this", set()),
        ):
            field.value = query
            await pilot.pause()
            assert set(shown(app)) == expected, query


async def test_escape_leaves_the_filter_then_clears_it(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"switch")
        assert shown(app) == ["2101.03961"]
        await pilot.press("escape")
        assert table(app).has_focus, "escape gives the keys back to the table"
        assert shown(app) == ["2101.03961"], "the filter stays until a second escape"
        await pilot.press("s")  # a table key works again: status changes, no 's' typed in the filter
        await settle(pilot)
        assert stored(seeded, "2101.03961")["status"] == "reading"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen.query_one("#filter").value == ""


async def test_status_keys_set_and_cycle_and_the_cursor_moves_on(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.select_view("all")
        await settle(pilot)
        assert table(app).current.id == "2101.03961"
        await pilot.press("s")  # to-read -> reading, and on to the next row
        await settle(pilot)
        assert stored(seeded, "2101.03961")["status"] == "reading"
        assert table(app).current.id == "2101.03697", "triage: the cursor moves to the next row"
        await pilot.press("k", "s")  # reading -> read
        await settle(pilot)
        assert stored(seeded, "2101.03961")["status"] == "read"
        for key, status in (("4", "dropped"), ("2", "reading"), ("3", "read"), ("1", "to-read")):
            await pilot.press("k", key)
            await settle(pilot)
            assert stored(seeded, "2101.03961")["status"] == status
        history = [c["status"] for c in stored(seeded, "2101.03961")["status_history"]]
        assert history[-3:] == ["reading", "read", "to-read"]


async def test_status_change_moves_the_paper_out_of_its_view(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert shown(app) == ["2101.03961", "1706.03762"]
        await pilot.press("3")
        await settle(pilot)
        assert shown(app) == ["1706.03762"]
        assert tab_label(app, "to-read") == "To read 1" and tab_label(app, "read") == "Read 2"


async def test_tags_dialog_completes_and_saves(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t")
        await pilot.pause()
        field = app.screen.query_one("#tags-input")
        assert field.value == "moe scaling ", "a word typed next is a new tag"
        await pilot.press("v", "i")
        await pilot.pause(0.2)
        await pilot.press("right")  # accept the completion "vision"
        assert field.value == "moe scaling vision"
        await pilot.press("enter")
        await settle(pilot)
        assert stored(seeded, "2101.03961")["tags"] == ["moe", "scaling", "vision"]
        # Removing one tag keeps the others.
        await pilot.press("t")
        await pilot.pause()
        app.screen.query_one("#tags-input").value = "moe vision"
        await pilot.press("enter")
        await settle(pilot)
        assert stored(seeded, "2101.03961")["tags"] == ["moe", "vision"]


async def test_tags_dialog_cancel_changes_nothing(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("t", "x", "escape")
        await settle(pilot)
        assert stored(seeded, "2101.03961")["tags"] == ["moe", "scaling"]
        assert isinstance(app.screen, LibraryScreen)


async def test_notes_editor_saves_on_ctrl_s_and_on_leaving(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert text_of(app, "#notes-title") == "Notes · Switch Transformers: Scaling to Trillion Parameter Models"
        await pilot.press("enter", *"First addition.", "ctrl+s")
        await settle(pilot)
        assert stored(seeded, "2101.03961")["notes"].endswith("Simple routing works.\nFirst addition.")
        await pilot.press("enter", *"Second.", "escape")
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert stored(seeded, "2101.03961")["notes"].endswith("First addition.\nSecond.")
        assert detail_text(app).rstrip().endswith("First addition. Second."), "the detail pane shows the saved notes"


async def test_notes_rendered_as_markdown_in_the_detail_pane(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = detail_text(app)
        assert "Take-aways" in text and "## Take-aways" not in text
        assert "Capacity factor 1.25 was enough." in text
        assert "* Capacity" not in text


async def test_e_edits_notes_in_editor(seeded: Library, make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    script = "import sys; open(sys.argv[1], 'a').write('Written in the editor.\\n')"
    monkeypatch.setattr(seeded, "settings", seeded.settings.__class__(
        **{**seeded.settings.__dict__, "editor": f"{sys.executable} -c \"{script}\""}))  # fmt: skip
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        notes = stored(seeded, "2101.03961")["notes"]
        assert notes.startswith("## Take-aways") and notes.endswith("Simple routing works.\nWritten in the editor.")


async def test_e_without_an_editor_says_how_to_set_one(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert said(app).startswith("No editor found: set $EDITOR")
        assert stored(seeded, "2101.03961")["notes"].startswith("## Take-aways")


async def test_o_and_p_open_the_page_and_the_pdf(seeded: Library, make_app, opened) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("o", "p")
        await settle(pilot)
        assert opened == ["https://arxiv.org/abs/2101.03961", "https://arxiv.org/pdf/2101.03961v1"]


async def test_d_deletes_after_confirmation(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("d")
        await pilot.pause()
        assert app.screen.question.startswith("Delete “Switch Transformers")
        await pilot.press("n")  # no
        await settle(pilot)
        assert stored(seeded, "2101.03961") is not None
        await pilot.press("d", "y")
        await settle(pilot)
        assert stored(seeded, "2101.03961") is None
        assert shown(app) == ["1706.03762"]


async def test_help_screen_lists_every_key(seeded: Library, make_app) -> None:
    from readlist.tui.actions import help_sections

    app = make_app(seeded)
    async with app.run_test(size=(120, 100)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = words(text_of(app, "#help-keys"))
        rows = [row for _, section in help_sections() for row in section]
        assert len(rows) > 40
        for key, what in rows:
            assert f"{key} {what}" in text, f"help lacks {key} {what}"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)


async def test_command_palette_runs_actions(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"mark as read")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert stored(seeded, "2101.03961")["status"] == "read"


async def test_palette_offers_every_action_that_applies(seeded: Library, make_app) -> None:
    from readlist.tui.actions import ACTIONS, PARTS
    from readlist.tui.commands import screen_commands

    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        titles = {c.title for c in screen_commands(app.screen)}
        for row in ACTIONS:
            if row.owner in PARTS and row.title and row.needs not in ("suggestion", "suggestions-view", "back"):
                assert row.title in titles, row.title
        assert "Accept suggestion" not in titles, "a suggestion command needs a suggestion"
        assert "Fit order or curators' order" not in titles, "the order of the Suggestions view, there only"
        assert "Pull curated suggestions" in titles and "Export BibTeX…" in titles
        assert "Sort by first author" in titles
        app.screen.select_view("suggestions")
        await settle(pilot)
        titles = {c.title for c in screen_commands(app.screen)}
        assert "Fit order or curators' order" in titles and "Cycle the sort order" not in titles


async def test_q_quits(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0 and not app.is_running


async def test_empty_library_welcomes(library: Library, make_app) -> None:
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        text = text_of(app, "#welcome")
        assert "Welcome to readlist" in text
        assert "readlist add 2101.03961" in text
