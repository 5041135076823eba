"""The add dialog: arXiv ids or URLs, or DOIs, and tags for them."""

from __future__ import annotations

from dataclasses import dataclass, field

from textual import events
from textual.app import ComposeResult
from textual.widgets import Input, Static

from readlist.core.clean import clean_line, excerpt
from readlist.core.doi import paper_reference
from readlist.core.errors import BadInput
from readlist.core.models import normalize_tags
from readlist.core.refs import ArxivRef
from readlist.tui.dialogs.base import Dialog
from readlist.tui.dialogs.tags import TagSuggester, split_tags

PASTE_LIMIT = 64 * 1024
"""A paste longer than this is cut here (some 4,000 ids)."""


class RefsField(Input):
    """The field of references: a paste keeps every line, each one a reference (Textual's field keeps the
    first line of a paste and drops the rest without a word)."""

    def _on_paste(self, event: events.Paste) -> None:
        words = clean_line(event.text[:PASTE_LIMIT].replace(",", " ")).split()
        if words:
            text = " ".join(words)
            before = self.value[: self.cursor_position]
            if before and not before.endswith(" "):
                text = " " + text
            self.insert_text_at_cursor(text + " ")
        event.stop()
        event.prevent_default()  # not Input's too, which would insert the first line again


@dataclass
class AddRequest:
    refs: list[ArxivRef]
    tags: list[str]
    dois: list[str] = field(default_factory=list)
    """Papers by DOI (arXiv's own DOIs are in ``refs``)."""


class AddDialog(Dialog[AddRequest]):
    """Asks for references; checks them before closing so nothing typed is lost."""

    DIALOG_ID = "add-dialog"

    def __init__(self) -> None:
        super().__init__()
        self.suggester = TagSuggester([])
        self.configure("Add papers", "arXiv ids or URLs, or DOIs, separated by spaces (or pasted one a line)",
                       ok="Add")  # fmt: skip

    def setup(self, tags: list[str]) -> None:
        self.suggester.tags = tags

    def body(self) -> ComposeResult:
        yield RefsField(placeholder="2101.03961, https://arxiv.org/abs/2101.03961 or 10.1145/3442188.3445922",
                        id="add-refs")  # fmt: skip
        yield Static("Tags (optional)", classes="dialog-help")
        yield Input(placeholder="moe scaling", id="add-tags", suggester=self.suggester)

    def refill(self) -> None:
        for box in self.query(Input):
            box.value = ""

    def result(self) -> AddRequest:
        words = self.query_one("#add-refs", Input).value.replace(",", " ").split()
        if not words:
            raise BadInput("Type an arXiv id such as 2101.03961, an arXiv URL, or a DOI.")
        refs: dict[str, ArxivRef] = {}
        dois: dict[str, None] = {}
        bad: list[str] = []
        for word in words:
            try:
                reference = paper_reference(word)
            except BadInput:  # meant as a DOI, and not one
                reference = None
            if isinstance(reference, ArxivRef):
                refs.setdefault(reference.id, reference)
            elif reference is not None:
                dois[reference] = None
            else:
                bad.append(word)
        if bad:  # every one named, and nothing added until they are fixed or taken out
            named = ", ".join(excerpt(w, 40) for w in bad[:5]) + (f" and {len(bad) - 5} more" if len(bad) > 5 else "")
            verb = "is not an arXiv reference or a DOI" if len(bad) == 1 else "are not arXiv references or DOIs"
            raise BadInput(
                f"{named} {verb}: use ids such as 2101.03961 or hep-th/9711200, arxiv.org URLs, or DOIs such as "
                "10.1145/3442188.3445922 (nothing is added until each one is fixed or taken out)"
            )
        tags = normalize_tags(split_tags(self.query_one("#add-tags", Input).value))
        return AddRequest(list(refs.values()), tags, list(dois))
