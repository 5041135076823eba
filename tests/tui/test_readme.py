"""The README's key table is the TUI's table of actions, and every key in it is bound where it says."""

from __future__ import annotations

import re
from pathlib import Path

from readlist.tui.actions import ACTIONS, readme_table

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_key_table_is_generated_from_the_bindings() -> None:
    text = README.read_text(encoding="utf-8")
    found = re.search(r"<!-- keys: [^>]*-->\n(.*?)\n<!-- /keys -->", text, re.S)
    assert found, "the README has no generated key table"
    assert found[1] == readme_table(), "run `python -m readlist.tui.actions` and paste its table into the README"


def test_every_row_with_keys_is_a_binding_of_its_owner() -> None:
    from readlist.tui.screens.browser import Browser
    from readlist.tui.screens.jobs import LibraryJobs
    from readlist.tui.screens.notes import NotesScreen
    from readlist.tui.screens.outside import Outside
    from readlist.tui.screens.reading import ReadingScreen
    from readlist.tui.screens.triage import Triage
    from readlist.tui.widgets.detail import DetailPane
    from readlist.tui.widgets.paper_table import PaperTable
    from readlist.tui.widgets.suggestion_list import SuggestionList
    from readlist.tui.widgets.suggestions_pane import SuggestionsPane

    owners = {
        "library": [LibraryJobs], "finding": [Browser], "papers": [Triage], "outside": [Outside],
        "suggestions": [SuggestionsPane],
        "list": [PaperTable], "reading": [ReadingScreen], "notes": [NotesScreen],
    }  # fmt: skip
    for row in ACTIONS:
        if not row.keys or row.owner == "textual":
            continue
        for cls in owners[row.owner]:
            bound = {(b.key, b.action) for b in cls.BINDINGS if not isinstance(b, tuple)}  # type: ignore[union-attr]
            assert (row.keys, row.name) in bound, f"{cls.__name__} lacks {row.keys} -> {row.name}"
            assert callable(getattr(cls, "action_" + row.name.split("(")[0].removeprefix("app."), None)) or (
                row.name.startswith("app.")
            ), f"{cls.__name__} has no action for {row.name}"

    moves = {
        (row.keys, row.name) for row in ACTIONS if row.owner == "list" and row.name.startswith(("move", "page", "jump"))
    }
    for cls in (SuggestionList, DetailPane):
        assert moves <= {(b.key, b.action) for b in cls.BINDINGS}, f"{cls.__name__} lacks the moving keys"  # type: ignore[union-attr]
