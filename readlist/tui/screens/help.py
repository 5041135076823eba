"""The help screen on `?`: every key, from the table of actions (readlist.tui.actions)."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Static

from readlist.tui.actions import help_sections
from readlist.tui.dialogs.base import Dialog

KeyRows = list[tuple[str, list[tuple[str, str]]]]


def key_table(sections: KeyRows) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold", no_wrap=True)
    table.add_column()
    for n, (title, rows) in enumerate(sections):
        if n:
            table.add_row("", "")
        table.add_row("", Text(title, style="bold underline"))
        for key, description in rows:
            table.add_row(Text(key), Text(description))
    return table


class HelpScreen(Dialog[None]):
    """Keys by area; escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "cancel", "Close")]

    DIALOG_ID = "help"

    def __init__(self) -> None:
        super().__init__()
        self.configure(
            "readlist keys",
            "ctrl+p opens the command palette: every action, plus pull, export and the sorts. "
            "Themes: ctrl+p → Theme (remembered). The filter: words (one typo allowed in words of 4+ letters), "
            '"a phrase", author:NAME, #tag or tag:TAG, status:read, year:2020..2022, source:NAME, -word to leave out.',
            ok=None,
            cancel="Close",
        )

    def body(self) -> ComposeResult:
        yield Static(key_table(help_sections(keymap=getattr(self.app, "user_keys", {}))), id="help-keys")

    def first_focus(self) -> None:
        self.set_focus(self.query_one("#help"))  # the arrows and page keys scroll it
