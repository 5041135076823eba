"""Edit a paper's tags, completing from the tags already in the library."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from readlist.core.errors import BadInput
from readlist.core.models import normalize_tag
from readlist.tui.dialogs.suggest import TagSuggester, split_tags


class TagsDialog(ModalScreen[list[str] | None]):
    """Dismisses with the paper's new tags (all of them), or None."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, title: str, tags: list[str], known: list[str]) -> None:
        super().__init__(classes="dialog-screen")
        self.paper_title = title
        self.tags = tags
        self.known = known

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="tags-dialog"):
            yield Label("Tags", classes="dialog-title")
            yield Label(self.paper_title, classes="dialog-help")
            yield Input(" ".join(self.tags), id="tags-input", suggester=TagSuggester(self.known))
            yield Label("Space-separated; → accepts a completion; enter saves.", classes="dialog-help")
            yield Label("", id="tags-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Save", variant="primary", id="save")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        field = self.query_one("#tags-input", Input)
        field.focus()
        field.cursor_position = len(field.value)

    def _submit(self) -> None:
        try:
            tags: list[str] = []
            for tag in split_tags(self.query_one("#tags-input", Input).value):
                clean = normalize_tag(tag)
                if clean not in tags:
                    tags.append(clean)
        except BadInput as exc:
            self.query_one("#tags-error", Label).update(str(exc))
            return
        self.dismiss(tags)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "save":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
