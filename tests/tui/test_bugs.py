"""Issue 12's bugs, one test each (each failed before its fix), driven as a user would."""

from __future__ import annotations

import gc
import stat
import sys
from pathlib import Path

import pytest
from textual.widgets._toast import Toast

from readlist.core.config import load_settings
from readlist.core.library import Library
from readlist.core.query import compile_query
from readlist.core.suggestions import Suggestions
from readlist.tui.screens.library import LibraryScreen
from readlist.tui.widgets.detail import DetailPane
from readlist.tui.widgets.paper_table import PaperTable
from tests.conftest import run_process
from tests.tui.conftest import (
    SIZE,
    burst,
    detail_text,
    fits,
    open_suggestions,
    plain,
    row_text,
    run_action,
    said,
    seed_suggestions,
    settle,
    shown,
    stored,
    tab_label,
    text_of,
)


# 1. On an empty library, keys stop working after any dialog closes.
@pytest.mark.parametrize("dialog", ["question_mark", "a"])
async def test_1_empty_library_keys_work_after_a_dialog_closes(library: Library, make_app, dialog: str) -> None:
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press(dialog)
        await pilot.pause()
        assert not isinstance(app.screen, LibraryScreen), "the dialog opened"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("x", "a")  # keys that are no text: the add dialog opens, nothing is typed anywhere
        await pilot.pause()
        assert app.screen.query_one("#add-refs").value == ""
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen.query_one("#filter").value == ""
        # Papers arrive from another process: the table shows them, no filter is in the way.
        other = Library(load_settings())
        with other._transaction() as tx:
            tx.put_papers({"2101.03961": {"id": "2101.03961", "title": "Switch Transformers", "status": "to-read"}})
        for _ in range(30):
            await pilot.pause(0.1)
            if app.screen.query_one(PaperTable).rows:
                break
        assert shown(app) == ["2101.03961"] and tab_label(app, "all") == "All 1"
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running, "q quits"


# 2. `/` and a word sent in one burst lose the word.
async def test_2_slash_and_a_word_in_one_burst_filter(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.select_view("all")
        await settle(pilot)
        await burst(pilot, "/attention")
        assert app.screen.query_one("#filter").value == "attention"
        assert shown(app) == ["1706.03762"]


# 3. `j k g G` do nothing in Suggestions; `j` then `x` dismissed the wrong suggestion.
async def test_3_moving_keys_in_suggestions_and_x_dismisses_the_row_shown(seeded: Library, make_app) -> None:
    seed_suggestions(seeded)
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        listing = await open_suggestions(pilot)
        assert listing.current.key == "manual:conference-only-paper"
        await pilot.press("j")
        assert listing.current.key == "2103.00020", "j moves down (past the next month's header)"
        await pilot.press("G")
        assert listing.current.key == "2101.00408"
        await pilot.press("g")
        assert listing.current.key == "manual:conference-only-paper"
        await pilot.press("j", "j", "k")
        assert listing.current.key == "2103.00020"
        await pilot.press("x")
        await settle(pilot)
        assert Suggestions(seeded).get("2103.00020").state == "dismissed"
        assert Suggestions(seeded).get("manual:conference-only-paper").state == "new"


# 4. `enter` does not open the note in the library views.
async def test_4_enter_opens_the_note(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        await pilot.pause()
        assert text_of(app, "#notes-title").startswith("Notes · Switch Transformers")


# 5. The detail pane can't be reached from the keyboard.
async def test_5_tab_focuses_the_detail_pane_and_the_keys_scroll_it(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        detail = app.screen.query_one(DetailPane)
        await pilot.press("tab")
        assert detail.has_focus
        assert detail.max_scroll_y > 0, "at 80x24 the detail is taller than its pane"
        await pilot.press("j", "j", "j")
        assert detail.scroll_y == 3
        await pilot.press("G")
        assert detail.scroll_y == detail.max_scroll_y
        notes = detail.query_one("#detail-notes")
        assert "Capacity factor 1.25 was enough." in plain(notes.content)
        assert notes.display and detail.children[-1] is notes, (
            "the notes at the bottom can be read (scrolled to the end)"
        )
        assert app.screen.query_one(PaperTable).current.id == "2101.03961", "the table stayed where it was"
        await pilot.press("tab")
        assert app.screen.query_one(PaperTable).has_focus


# 6. Python's cyclic garbage collector is off for the whole TUI session.
async def test_6_the_collector_runs_once_the_tui_has_painted(seeded: Library, make_app) -> None:
    gc.disable()  # as `readlist` does for its short commands
    try:
        app = make_app(seeded)
        async with app.run_test(size=SIZE) as pilot:
            await settle(pilot)
            assert gc.isenabled()
    finally:
        gc.enable()


def test_6_readlist_leaves_the_collector_on_for_the_tui(monkeypatch: pytest.MonkeyPatch) -> None:
    from readlist.cli import main as cli_main

    seen: list[bool] = []
    monkeypatch.setattr(cli_main, "has_terminal", lambda: True)
    monkeypatch.setattr("readlist.tui.app.run", lambda library: seen.append(gc.isenabled()))
    monkeypatch.setattr(sys, "argv", ["readlist"])
    with pytest.raises(SystemExit) as exit_:
        cli_main.main()
    assert exit_.value.code in (0, None) and seen == [True]


# 7. Three search behaviours.
async def test_7_the_filter_is_the_one_query_language(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.select_view("all")
        await settle(pilot)
        field = app.screen.query_one("#filter")
        records = list(seeded.snapshot().papers.values())
        for query in ("2012.15723", "mixture experts", "swtich", "author:shazeer -#moe", "year:..2020", "#vision"):
            field.value = query
            await pilot.pause()
            expected = {r["id"] for r in compile_query(query).filter(records)}
            assert expected and set(shown(app)) == expected, query


# 8. Export ignores the filter.
@pytest.mark.parametrize(("action", "name"), [("export_markdown", "notes.md"), ("export_bibtex", "refs.bib")])
async def test_8_export_from_the_palette_takes_the_filtered_papers(
    seeded: Library, make_app, tmp_path: Path, action: str, name: str
) -> None:
    out = tmp_path / name
    app = make_app(seeded)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        app.screen.select_view("all")
        await settle(pilot)
        app.screen.query_one("#filter").value = "shazeer"  # Switch Transformers and Attention
        await pilot.pause()
        await run_action(app, action)
        await pilot.pause()
        assert "filter “shazeer”" in app.screen.help_text
        app.screen.query_one("#path-input").value = str(out)
        await pilot.press("enter")
        await settle(pilot)
    text = out.read_text(encoding="utf-8")
    assert "Switch Transformers" in text and "Attention Is All You Need" in text
    assert "RepVGG" not in text and "Few-shot" not in text


# 9. Cut-off text: dialogs, notifications, the Tags column, the date added.
async def test_9_dialog_and_notification_text_is_never_cut(seeded: Library, make_app, tmp_path: Path) -> None:
    out = tmp_path / "a-folder-with-a-rather-long-name" / "and-another-one-below-it" / "digest.md"
    app = make_app(seeded)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        app.screen.query_one("#add-refs").value = "not-an-id"
        await pilot.press("enter")
        await pilot.pause()
        error = " ".join(str(app.screen.query_one(".dialog-error").render()).split())
        assert "is not an arXiv" in error and fits(app.screen.query_one(".dialog-error")), (
            "the whole error is on screen"
        )
        await pilot.press("escape")
        await pilot.pause()
        await run_action(app, "export_markdown")
        await pilot.pause()
        assert app.screen.help_text.endswith("a folder, one file per paper.") and fits(
            app.screen.query_one("#dialog-help")
        )
        app.screen.query_one("#path-input").value = str(out)
        await pilot.press("enter")
        await settle(pilot)
        assert out.exists()
        assert said(app).endswith(f"Wrote a digest of 2 papers to {out} (To read)")
        assert all(fits(toast) for toast in app.screen.query(Toast)), "the whole path is shown"


async def test_9_tags_get_room_and_the_date_added_shows_when_wide(seeded: Library, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=(150, 40)) as pilot:
        await settle(pilot)
        app.screen.select_view("all")
        await settle(pilot)
        header = str(app.screen.query_one(PaperTable).render_line(0).text)
        assert header.startswith("   Title  (sorted by date added)") and header.rstrip().endswith("Added")
        row = row_text(app, "1706.03762")
        assert "transformers classic" in row
        assert row.rstrip().endswith("2024-03-02")


# 10. No terminal: bare `readlist` prints the help and exits 2.
@pytest.mark.parametrize("args", [(), ("tui",)])
def test_10_no_terminal_no_tui(home: Path, args: tuple[str, ...]) -> None:
    result = run_process(*args, timeout=30)  # stdin is /dev/null, stdout a pipe
    assert result.returncode == 2
    assert "\x1b" not in result.stdout + result.stderr, "no escape codes"
    assert "the TUI needs a terminal" in result.stderr
    if not args:
        assert "Usage: readlist" in result.stderr


# 12. Notes editing: the file ends with a newline; without $EDITOR, vi or nano.
async def test_12_e_without_editor_falls_back_to_vi(
    seeded: Library, make_app, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    vi = tmp_path / "bin" / "vi"
    vi.parent.mkdir()
    vi.write_text(f"#!{sys.executable}\nimport sys\nopen(sys.argv[1], 'a').write('line two\\n')\n", encoding="utf-8")
    vi.chmod(vi.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(vi.parent))
    monkeypatch.setattr("readlist.core.editor.FALLBACK_EDITORS", ("vi", "nano"))
    app = make_app(seeded)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
    assert stored(seeded, "2101.03961")["notes"].endswith("* Simple routing works.\nline two")


# 13. Accepting a shipped suggestion gives the shipped metadata; no false "arXiv was not reachable".
async def test_13_an_accepted_shipped_suggestion_has_its_year_and_no_false_claim(
    home: Path, tmp_path: Path, make_app
) -> None:
    (tmp_path / "config.toml").write_text("", encoding="utf-8")  # the shipped selection on
    library = Library(load_settings())
    app = make_app(library)
    async with app.run_test(size=(150, 40)) as pilot:
        key = (await open_suggestions(pilot)).current.key
        await pilot.press("enter")
        await settle(pilot)
        record = stored(library, key)
        assert record is not None and record["year"] == 2000 + int(key[:2])
        app.screen.select_view("to-read")
        await settle(pilot)
        text = detail_text(app) + "\n" + said(app)
        assert "arXiv was not reachable" not in text
        if record["pending"]:
            assert "not fetched from arXiv yet" in text


# 14. A Markdown import conflict offers no way out but --force.
def test_14_an_import_conflict_never_leaves_the_user_stuck(cli, home: Path, tmp_path: Path) -> None:
    assert cli("add", "--title", "A Paper By Hand", "--note", "first").code == 0
    out = tmp_path / "vault"
    assert cli("export", "markdown", "--out", str(out)).code == 0
    note = next(p for p in out.glob("*.md") if p.name != "index.md")
    note.write_text(note.read_text(encoding="utf-8").replace("first", "edited in the vault"), encoding="utf-8")
    library = Library(load_settings())
    library.set_notes("manual:a-paper-by-hand", "rewritten in the library")
    r = cli("import", "markdown", str(out))
    assert r.code == 0, r.err
    assert "both are kept" in r.err  # said, and nothing lost
    notes = Library(load_settings()).get("manual:a-paper-by-hand").notes
    assert notes.startswith("edited in the vault") and notes.endswith("rewritten in the library")
    # The user tidies the note in the vault; importing again takes it, with no conflict left.
    assert cli("export", "markdown", "--out", str(out)).code == 0
    note.write_text(
        note.read_text(encoding="utf-8").split("edited in the vault")[0] + "one tidy note\n", encoding="utf-8"
    )
    r = cli("import", "markdown", str(out))
    assert r.code == 0, r.err
    assert "both" not in r.err
    assert Library(load_settings()).get("manual:a-paper-by-hand").notes == "one tidy note"
