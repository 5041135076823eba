"""The add dialog: arXiv ids or URLs, and tags for them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label

from readlist.core.errors import BadInput
from readlist.core.models import normalize_tag
from readlist.core.refs import ArxivRef, parse_arxiv_ref
from readlist.tui.dialogs.suggest import TagSuggester, split_tags


@dataclass
class AddRequest:
    refs: list[ArxivRef]
    tags: list[str]


class AddDialog(ModalScreen[AddRequest | None]):
    """Asks for references; checks them before closing so nothing typed is lost."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, tags: list[str]) -> None:
        super().__init__(classes="dialog-screen")
        self.known_tags = tags

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="add-dialog"):
            yield Label("Add papers from arXiv", classes="dialog-title")
            yield Label("arXiv ids or URLs, separated by spaces", classes="dialog-help")
            yield Input(placeholder="2101.03961 or https://arxiv.org/abs/2101.03961", id="add-refs")
            yield Label("Tags (optional)", classes="dialog-help")
            yield Input(placeholder="moe scaling", id="add-tags", suggester=TagSuggester(self.known_tags))
            yield Label("", id="add-error", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Add", variant="primary", id="add")
                yield Button("Cancel", id="cancel")

    def on_mount(self) -> None:
        self.query_one("#add-refs", Input).focus()

    def _request(self) -> AddRequest | None:
        error = self.query_one("#add-error", Label)
        refs_text = self.query_one("#add-refs", Input).value
        words = refs_text.replace(",", " ").split()
        if not words:
            error.update("Type an arXiv id such as 2101.03961, or an arXiv URL.")
            return None
        try:
            refs = [parse_arxiv_ref(w) for w in words]
            tags = [normalize_tag(t) for t in split_tags(self.query_one("#add-tags", Input).value)]
        except BadInput as exc:
            error.update(str(exc))
            return None
        return AddRequest(refs, tags)

    def _submit(self) -> None:
        request = self._request()
        if request is not None:
            self.dismiss(request)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._submit()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "add":
            self._submit()
        else:
            self.dismiss(None)

    def action_cancel(self) -> None:
        self.dismiss(None)
