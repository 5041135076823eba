"""Ask for a file or folder path, or a URL (exports, pulling one selection)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from readlist.core.errors import BadInput
from readlist.tui.dialogs.base import Dialog


class PathDialog(Dialog[str]):
    """Dismisses with the text typed (a path or URL), or None."""

    DIALOG_ID = "path-dialog"

    def __init__(self) -> None:
        super().__init__()
        self.default = ""

    def setup(self, title: str, help_text: str, default: str, button: str = "Export") -> None:
        self.configure(title, help_text, ok=button)
        self.default = default

    def body(self) -> ComposeResult:
        yield Input(self.default, id="path-input")

    def refill(self) -> None:
        self.query_one("#path-input", Input).value = self.default

    def result(self) -> str:
        text = self.query_one("#path-input", Input).value.strip()
        if not text:
            raise BadInput("Type a path.")
        return text
