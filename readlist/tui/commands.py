"""Every action of the library screen as a command in the palette (ctrl+p)."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import SystemCommand
from textual.screen import Screen

from readlist.tui.model import SORT_LABELS, SORTS, VIEW_LABELS, VIEWS

# (title, help, action): the actions are the library screen's (see its BINDINGS for keys).
COMMANDS: list[tuple[str, str, str]] = [
    ("Add papers from arXiv", "Fetch by arXiv id or URL (a)", "add"),
    ("Filter papers", "Filter by title, authors, tags and notes as you type (/)", "filter"),
    ("Clear the filter", "Show every paper of the view again (escape)", "leave_filter"),
    ("Cycle status", "to-read → reading → read (s)", "cycle_status"),
    ("Mark as to read", "Set the status to to-read (1)", "set_status('to-read')"),
    ("Mark as reading", "Set the status to reading (2)", "set_status('reading')"),
    ("Mark as read", "Set the status to read (3)", "set_status('read')"),
    ("Mark as dropped", "Set the status to dropped (4)", "set_status('dropped')"),
    ("Edit tags", "Edit the paper's tags, completing from the library's (t)", "tags"),
    ("Edit notes", "Edit the notes in readlist's Markdown editor (n)", "notes"),
    ("Edit notes in $EDITOR", "Open the notes in your editor (e)", "edit_external"),
    ("Open the arXiv page", "Open the paper's page in the browser (o)", "open_page"),
    ("Open the PDF", "Open the paper's PDF in the browser (p)", "open_pdf"),
    ("Delete paper", "Delete the paper after confirmation (d)", "delete"),
    ("Undo", "Undo the last change (u)", "undo"),
    ("Accept suggestion", "Add the suggestion to To read (enter)", "accept"),
    ("Dismiss suggestion", "Never suggest this paper again (x)", "dismiss_suggestion"),
    ("Pull curated suggestions", "Fetch the curated monthly selections since the last pull", "pull"),
    ("Pull a selection from a file or URL…", "Read one post or list of papers as suggestions", "pull_document"),
    ("Export notes to Markdown…", "Write the notes of the view's papers as Markdown", "export_markdown"),
    ("Export BibTeX…", "Write the shown papers as a .bib file", "export_bibtex"),
    ("Cycle the sort order", "Sort by date added, title, year or status (S)", "sort"),
    ("Next view", "Show the next view (])", "view(1)"),
    ("Previous view", "Show the previous view ([)", "view(-1)"),
    ("Help: keys", "Show every key (?)", "help"),
]


def screen_commands(screen: Screen) -> Iterable[SystemCommand]:
    """The commands that apply now (a paper command needs a highlighted paper)."""
    from readlist.tui.screens.library import ALL_VIEWS, LibraryScreen

    if not isinstance(screen, LibraryScreen):
        return
    for title, help_text, action in COMMANDS:
        name = action.split("(")[0]
        if screen.check_action(name, ()) is False:
            continue
        yield SystemCommand(title, help_text, lambda action=action: screen.run_action(action))
    for view in ALL_VIEWS:
        label = VIEW_LABELS.get(view, "Suggestions")
        yield SystemCommand(f"View: {label}", f"Show {label}", lambda view=view: screen.select_view(view))
    if screen.view in VIEWS:
        for field in SORTS:
            yield SystemCommand(
                f"Sort by {SORT_LABELS[field]}", "Order the table", lambda field=field: screen.action_sort(field)
            )
