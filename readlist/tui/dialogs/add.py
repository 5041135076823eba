"""The add dialog: arXiv ids or URLs, and tags for them."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input, Static

from readlist.core.errors import BadInput
from readlist.core.models import normalize_tags
from readlist.core.refs import ArxivRef, parse_arxiv_ref
from readlist.tui.dialogs.base import Dialog
from readlist.tui.dialogs.tags import TagSuggester, split_tags


@dataclass
class AddRequest:
    refs: list[ArxivRef]
    tags: list[str]


class AddDialog(Dialog[AddRequest]):
    """Asks for references; checks them before closing so nothing typed is lost."""

    DIALOG_ID = "add-dialog"

    def __init__(self) -> None:
        super().__init__()
        self.suggester = TagSuggester([])
        self.configure("Add papers from arXiv", "arXiv ids or URLs, separated by spaces", ok="Add")

    def setup(self, tags: list[str]) -> None:
        self.suggester.tags = tags

    def body(self) -> ComposeResult:
        yield Input(placeholder="2101.03961 or https://arxiv.org/abs/2101.03961", id="add-refs")
        yield Static("Tags (optional)", classes="dialog-help")
        yield Input(placeholder="moe scaling", id="add-tags", suggester=self.suggester)

    def refill(self) -> None:
        for field in self.query(Input):
            field.value = ""

    def result(self) -> AddRequest:
        words = self.query_one("#add-refs", Input).value.replace(",", " ").split()
        if not words:
            raise BadInput("Type an arXiv id such as 2101.03961, or an arXiv URL.")
        refs = [parse_arxiv_ref(w) for w in words]
        tags = normalize_tags(split_tags(self.query_one("#add-tags", Input).value))
        return AddRequest(refs, tags)
