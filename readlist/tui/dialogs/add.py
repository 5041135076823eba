"""The add dialog: arXiv ids or URLs, and tags for them."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input, Static

from readlist.core.errors import BadInput
from readlist.core.models import normalize_tag
from readlist.core.refs import ArxivRef, parse_arxiv_ref
from readlist.tui.dialogs.base import Dialog
from readlist.tui.dialogs.tags import TagSuggester, split_tags


@dataclass
class AddRequest:
    refs: list[ArxivRef]
    tags: list[str]


class AddDialog(Dialog[AddRequest]):
    """Asks for references; checks them before closing so nothing typed is lost."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__("Add papers from arXiv", "arXiv ids or URLs, separated by spaces", ok="Add", id="add-dialog")
        self.known_tags = tags

    def body(self) -> ComposeResult:
        yield Input(placeholder="2101.03961 or https://arxiv.org/abs/2101.03961", id="add-refs")
        yield Static("Tags (optional)", classes="dialog-help")
        yield Input(placeholder="moe scaling", id="add-tags", suggester=TagSuggester(self.known_tags))

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#add-refs", Input))

    def result(self) -> AddRequest:
        words = self.query_one("#add-refs", Input).value.replace(",", " ").split()
        if not words:
            raise BadInput("Type an arXiv id such as 2101.03961, or an arXiv URL.")
        refs = [parse_arxiv_ref(w) for w in words]
        tags = [normalize_tag(t) for t in split_tags(self.query_one("#add-tags", Input).value)]
        return AddRequest(refs, tags)
