"""A yes/no question."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import Button, Static

from readlist.tui.dialogs.base import Dialog


class ConfirmDialog(Dialog[bool]):
    """Asks a question: y (or the first button) says yes, n or escape no."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "submit", "Yes"),
        Binding("n,escape", "cancel", "No"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.question = ""

    def setup(self, title: str, question: str, yes: str = "Delete") -> None:
        self.configure(title, ok=f"{yes} (y)", cancel="Cancel (n)")
        self.question = question

    def body(self) -> ComposeResult:
        yield Static(self.question, classes="dialog-question", markup=False)

    def refill(self) -> None:
        self.query_one(".dialog-question", Static).update(self.question)

    def first_focus(self) -> None:
        self.set_focus(self.query_one("#cancel", Button))

    def result(self) -> bool:
        return True
