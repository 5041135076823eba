"""The command palette (ctrl+p): every action of the table that applies now, the views and the sorts."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import SystemCommand
from textual.screen import Screen

from readlist.tui.actions import key_label, keys_of, palette_rows
from readlist.tui.model import SORT_LABELS, SORTS, VIEW_LABELS, VIEWS


def screen_commands(screen: Screen) -> Iterable[SystemCommand]:
    """The commands that apply now (a paper command needs a highlighted or marked paper)."""
    from readlist.tui.screens.browser import ALL_VIEWS
    from readlist.tui.screens.library import LibraryScreen

    if not isinstance(screen, LibraryScreen):
        return
    browser = screen.browser
    keymap = getattr(screen.app, "user_keys", {})
    for row in palette_rows():
        name, _, args = row.name.partition("(")
        parameters = tuple(a.strip().strip("'") for a in args.rstrip(")").split(",")) if args else ()
        part = screen.part(row.owner)
        if part.check_action(name, parameters) is False:
            continue
        keys = f" ({key_label(keys_of(row, keymap))})" if row.keys else ""
        yield SystemCommand(row.title, (row.help or row.label) + keys, lambda a=row.name, p=part: p.run_action(a))
    for view in ALL_VIEWS:
        label = VIEW_LABELS.get(view, "Suggestions")
        yield SystemCommand(f"View: {label}", f"Show {label}", lambda view=view: screen.select_view(view))
    if screen.view in VIEWS:
        for field in SORTS:
            yield SystemCommand(
                f"Sort by {SORT_LABELS[field]}", "Order the table", lambda field=field: browser.action_sort(field)
            )
