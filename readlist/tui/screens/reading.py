"""A full-screen reading view of one paper: its facts, the curator's blurb, the abstract and the notes."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import BindingType
from textual.screen import Screen

from readlist.core.models import Paper
from readlist.tui.actions import bindings
from readlist.tui.widgets.detail import DetailPane
from readlist.tui.widgets.keybar import KeyBar


class ReadingScreen(Screen[None]):
    """One paper, full screen; ``n`` writes notes, ``esc`` goes back. The moving keys scroll."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("reading")

    def __init__(
        self,
        paper_id: str,
        lookup: Callable[[str], Paper | None],
        open_notes: Callable[[str], None],
        key: Callable[[Paper], str | None] = lambda paper: paper.key,
    ) -> None:
        super().__init__()
        self.paper_id = paper_id
        self.lookup = lookup
        self.open_notes = open_notes
        self.key = key
        self.shown: Paper | None = None

    def compose(self) -> ComposeResult:
        yield DetailPane(id="reading")
        yield KeyBar()

    def on_mount(self) -> None:
        self.library_changed()
        self.set_focus(self.query_one(DetailPane))

    def library_changed(self) -> None:
        """Show the paper as the library holds it now (its notes may just have been saved)."""
        paper = self.lookup(self.paper_id)
        if paper is None:
            self.dismiss(None)  # deleted meanwhile
            return
        if self.shown is None or paper.to_dict() != self.shown.to_dict():
            self.shown = paper
            self.query_one(DetailPane).show_paper(paper, scroll_home=False, key=self.key(paper))

    def action_notes(self) -> None:
        self.open_notes(self.paper_id)

    def action_close(self) -> None:
        self.dismiss(None)
