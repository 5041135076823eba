"""The help screen on `?`: every key, generated from the bindings themselves."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

KeyRows = list[tuple[str, list[tuple[str, str]]]]


def key_label(binding: Binding) -> str:
    names = {"question_mark": "?", "slash": "/", "escape": "esc", "enter": "enter", "left_square_bracket": "[",
             "right_square_bracket": "]"}  # fmt: skip
    keys = [names.get(k.strip(), k.strip()) for k in binding.key.split(",")]
    return " ".join(keys)


def key_table(sections: KeyRows) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(justify="right", style="bold", no_wrap=True)
    table.add_column()
    for n, (title, rows) in enumerate(sections):
        if n:
            table.add_row("", "")
        table.add_row("", Text(title, style="bold underline"))
        for key, description in rows:
            table.add_row(key, description)
    return table


class HelpScreen(ModalScreen[None]):
    """Keys by area; escape, q or ? closes it."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,q,question_mark", "close", "Close")]

    def __init__(self, sections: KeyRows) -> None:
        super().__init__(classes="dialog-screen")
        self.sections = sections

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help", classes="dialog"):
            yield Static("readlist keys", classes="dialog-title")
            yield Static(key_table(self.sections))
            yield Static(
                "ctrl+p opens the command palette: every action above, plus pull and export.\n"
                "Themes: ctrl+p → Theme (or set TEXTUAL_THEME).",
                classes="dialog-help",
            )

    def action_close(self) -> None:
        self.dismiss(None)
