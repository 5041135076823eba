"""Ask for a file or folder path, or a URL (exports, pulling one selection)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Input

from readlist.core.errors import BadInput
from readlist.tui.dialogs.base import Dialog


class PathDialog(Dialog[str]):
    """Dismisses with the text typed (a path or URL), or None."""

    def __init__(self, title: str, help_text: str, default: str, button: str = "Export") -> None:
        super().__init__(title, help_text, ok=button, id="path-dialog")
        self.default = default

    def body(self) -> ComposeResult:
        yield Input(self.default, id="path-input")

    def result(self) -> str:
        text = self.query_one("#path-input", Input).value.strip()
        if not text:
            raise BadInput("Type a path.")
        return text
