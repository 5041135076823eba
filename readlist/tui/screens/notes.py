"""The in-app notes editor: Markdown source, a live preview when there is room."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Label, Markdown, TextArea

from readlist.tui.actions import bindings
from readlist.tui.widgets.keybar import KeyBar

PREVIEW_DELAY = 0.3
"""The preview is rendered this long after the last key."""


def markdown_language() -> str | None:
    """'markdown' when tree-sitter can highlight it, else plain text."""
    try:
        return "markdown" if "markdown" in TextArea().available_languages else None
    except Exception:  # a broken tree-sitter install must not stop note editing
        return None


class NotesScreen(Screen[None]):
    """Edits one paper's notes; ``save(base, text)`` is called on ctrl+s and when leaving.

    ``base`` is the text the edit started from (the notes as opened, or as last
    saved), so the save can merge what another process wrote meanwhile.
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings("notes")

    def __init__(self, title: str, text: str, save: Callable[[str, str], None]) -> None:
        super().__init__()
        self.paper_title = title
        self.original = text
        self.saved = text
        self._save = save
        self._preview_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Label(f"Notes · {self.paper_title}", id="notes-title", markup=False)
        with Horizontal(id="notes-body"):
            yield TextArea(
                self.original,
                language=markdown_language(),
                id="notes-editor",
                soft_wrap=True,
                show_line_numbers=False,
                tab_behavior="indent",
            )
            yield Markdown(self.original, id="notes-preview")
        yield KeyBar()

    def on_mount(self) -> None:
        editor = self.query_one("#notes-editor", TextArea)
        self.set_focus(editor)
        editor.move_cursor(editor.document.end)

    @property
    def text(self) -> str:
        return self.query_one("#notes-editor", TextArea).text

    @on(TextArea.Changed)
    def _changed(self) -> None:
        # The preview follows a pause in typing: re-rendering it at every key would slow the typing.
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(PREVIEW_DELAY, self._preview)
        self.sub_title = "modified" if self.text != self.saved else ""

    def _preview(self) -> None:
        self._preview_timer = None
        preview = self.query_one("#notes-preview", Markdown)
        if preview.display:
            preview.update(self.text)

    def action_save(self) -> None:
        text = self.text
        if text != self.saved:
            self._save(self.saved, text)
            self.saved = text
        self.notify("Notes saved", timeout=2)

    def action_leave(self) -> None:
        text = self.text
        if text != self.saved:
            self._save(self.saved, text)
            self.saved = text
        self.dismiss(None)

    def action_toggle_preview(self) -> None:
        preview = self.query_one("#notes-preview", Markdown)
        preview.display = not preview.display
        if preview.display:
            preview.update(self.text)
