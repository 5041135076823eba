"""The paper keys: status, tags, notes, delete, undo and the reading view.

A part of the library screen around :class:`~readlist.tui.widgets.main_pane.MainPane` (so its keys apply
wherever the focus is in it). It owns the undo stack; it is given the model the screen shows; it changes
papers through :mod:`readlist.tui.changes`, sent up as :class:`~readlist.tui.messages.WriteAsked` (the
screen queues the write) and, for a status, :class:`~readlist.tui.messages.ShowNow` (shown before the write
ends). After a change the cursor moves on to the next row, so a list is triaged key after key. A key acts on
every marked paper (space marks), else on the highlighted one. The keys that hand a paper outside the TUI
(open, copy, $EDITOR, fetch PDFs) are the part inside it, :class:`~readlist.tui.screens.outside.Outside`.
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical

from readlist.core.library import Library
from readlist.core.models import Paper, Status
from readlist.tui import changes
from readlist.tui.actions import bindings, needs_of
from readlist.tui.changes import UndoStack
from readlist.tui.dialogs.base import reusable
from readlist.tui.messages import ShowNow, WriteAsked
from readlist.tui.model import PaperModel
from readlist.tui.screens.outside import Outside
from readlist.tui.widgets.main_pane import MainPane
from readlist.tui.widgets.paper_table import PaperTable
from readlist.tui.words import count, short

STATUS_CYCLE = {"to-read": Status.READING, "reading": Status.READ, "read": Status.TO_READ, "dropped": Status.TO_READ}


class Triage(Vertical):
    """The paper keys around the main pane (see the module's docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("papers")

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library = library
        self.model = PaperModel.from_records([], "added")
        """The library as shown (given by the browser with each view)."""
        self.undo_stack = UndoStack()

    def compose(self) -> ComposeResult:
        yield Outside(self.library, id="outside")

    def targets(self) -> list[Paper]:
        """The papers a key acts on: the marked ones, else the highlighted one."""
        return self.query_one(MainPane).targets()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needs = needs_of(action, parameters)
        main = self.query_one(MainPane)
        if needs == "paper":
            return bool(self.targets())
        if needs == "item":
            return main.current_paper is not None or main.current_suggestion is not None
        return True

    def _write(self, job: changes.Job, failure: str, focus: str | None = None) -> None:
        self.post_message(WriteAsked(job, failure, focus))

    def _next_row(self, papers: list[Paper]) -> str | None:
        """Where the cursor goes after a change to ``papers``: the row after the highlighted one."""
        table = self.query_one(PaperTable)
        current = table.current
        if len(papers) != 1 or current is None or papers[0].id != current.id:
            return current.id if current is not None else None
        return table.id_at(table.cursor + 1) or table.id_at(table.cursor - 1) or current.id

    def action_set_status(self, status: str | Status, papers: list[Paper] | None = None) -> None:
        wanted = Status(status)
        papers = [p for p in (papers or self.targets()) if p.status != wanted.value]
        if not papers:
            return
        library, ids = self.library, [p.id for p in papers]
        shown = [Paper.from_dict(p.to_dict()) for p in papers]
        for paper in shown:
            paper.set_status(wanted)
        after = self._next_row(papers)
        self.query_one(PaperTable).clear_marks()
        self.post_message(ShowNow(self.model.with_papers(shown), after))  # at once, before the write
        self._write(lambda: changes.set_status(library, ids, wanted), "could not change the status", after)
        what = short(papers[0].title or papers[0].id) if len(papers) == 1 else count(len(papers))
        self.notify(f"{wanted.value}: {what}", timeout=2, markup=False)

    def action_cycle_status(self) -> None:
        papers = self.targets()
        if papers:
            self.action_set_status(STATUS_CYCLE.get(papers[0].status, Status.TO_READ), papers)

    def action_tags(self) -> None:
        from readlist.tui.dialogs.tags import TagsDialog

        papers = self.targets()
        if not papers:
            return
        library, ids = self.library, [p.id for p in papers]
        common = [t for t in papers[0].tags if all(t in p.tags for p in papers[1:])]
        what = (
            papers[0].title or papers[0].id if len(papers) == 1 else f"{count(len(papers))} (the tags they all carry)"
        )

        def done(tags: list[str] | None) -> None:
            if tags is not None and tags != common:
                self.query_one(PaperTable).clear_marks()
                self._write(lambda: changes.set_tags(library, ids, common, tags), "could not change the tags")

        dialog = reusable(self.app, TagsDialog)
        dialog.setup(what, common, self.model.tags())
        self.app.push_screen(dialog, done)

    @on(PaperTable.Activated)
    def action_notes(self) -> None:
        """n, or enter on a paper: its notes in readlist's editor."""
        paper = self.query_one(MainPane).current_paper
        if paper is not None:
            self.open_notes(paper.id)

    def open_notes(self, paper_id: str) -> None:
        from readlist.tui.screens.notes import NotesScreen

        paper = self.model.get(paper_id)
        if paper is None:
            return
        library = self.library

        def save(base: str, text: str) -> None:
            self._write(
                lambda: changes.set_notes(library, paper_id, base, text), f"could not save the notes of {paper_id}"
            )

        self.app.push_screen(NotesScreen(paper.title or paper.id, paper.notes, save))

    def action_read(self) -> None:
        from readlist.tui.screens.reading import ReadingScreen

        paper = self.query_one(MainPane).current_paper
        if paper is not None:
            model_get = lambda paper_id: self.model.get(paper_id)  # noqa: E731 (the model of the moment)
            key = lambda paper: self.model.citation_key(paper)  # noqa: E731
            self.app.push_screen(ReadingScreen(paper.id, model_get, self.open_notes, key))

    def action_delete(self) -> None:
        from readlist.tui.dialogs.confirm import ConfirmDialog

        papers = self.targets()
        if not papers:
            return
        library, ids = self.library, [p.id for p in papers]
        after = self._next_row(papers)
        what = f"“{short(papers[0].title or papers[0].id, 60)}”" if len(papers) == 1 else count(len(papers))

        def done(yes: bool | None) -> None:
            if yes:
                self.query_one(PaperTable).clear_marks()
                self._write(lambda: changes.delete(library, ids), "could not delete", after)
                self.notify(f"Deleted {what} (u undoes)", timeout=3, markup=False)

        question = f"Delete {what}? Notes and tags go with {'it' if len(papers) == 1 else 'them'} (u undoes)."
        dialog = reusable(self.app, ConfirmDialog)
        dialog.setup("Delete", question)
        self.app.push_screen(dialog, done)

    def action_undo(self) -> None:
        change = self.undo_stack.pop()
        if change is None:
            self.notify("Nothing to undo", timeout=2)
            return
        library = self.library
        self._write(lambda: changes.undo(library, change), "could not undo", change.focus)
        self.notify(f"Undid {change.label}", timeout=2, markup=False)
