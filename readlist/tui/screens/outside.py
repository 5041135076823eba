"""The paper keys that hand a paper to something outside the TUI: $EDITOR (notes, fields), the clipboard,
a browser or PDF viewer (the local file first), and arXiv's PDFs fetched into files/.

A part of the library screen around :class:`~readlist.tui.widgets.main_pane.MainPane` (inside
:class:`~readlist.tui.screens.triage.Triage`), so its keys apply wherever the focus is in it. It reads what
the main pane shows; it changes papers through :mod:`readlist.tui.changes`, sent up as
:class:`~readlist.tui.messages.WriteAsked` (the screen queues the write and keeps the undo stack fed).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from textual.app import ComposeResult, SuspendNotSupported
from textual.binding import BindingType
from textual.containers import Vertical

from readlist.core.editor import Command, edit_text, editor_command
from readlist.core.errors import ReadlistError
from readlist.core.library import Library
from readlist.core.models import Paper
from readlist.tui import changes
from readlist.tui.actions import bindings, needs_of
from readlist.tui.messages import OpenFile, OpenLink, WriteAsked
from readlist.tui.widgets.main_pane import MainPane
from readlist.tui.widgets.paper_table import PaperTable

T = TypeVar("T")


class Outside(Vertical):
    """The keys that reach outside the TUI, around the main pane (see the module's docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("outside")

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library = library

    def compose(self) -> ComposeResult:
        yield MainPane(self.library, id="main")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needs = needs_of(action, parameters)
        main = self.query_one(MainPane)
        if needs == "paper":
            return bool(main.targets())
        if needs == "item":
            return main.current_paper is not None or main.current_suggestion is not None
        return True

    def _hand_over(self, edit: Callable[[], T], instead: str) -> T | ReadlistError | None:
        """Run ``edit`` (which runs $EDITOR) with the terminal handed over; None if this terminal cannot."""
        outcome: list[T | ReadlistError] = []

        def run() -> None:
            try:  # caught inside the suspended block, so that the terminal is always resumed
                outcome.append(edit())
            except ReadlistError as exc:
                outcome.append(exc)

        try:
            with self.app.suspend():
                run()
        except SuspendNotSupported:
            if not self.app.is_headless:
                self.notify(f"This terminal cannot hand over to an editor; {instead}.", markup=False)
                return None
            run()
        return outcome[0] if outcome else None

    def _editing(self, without: str) -> tuple[Paper, Command] | None:
        """The highlighted paper and the editor to hand it to (e and E); None, and a word on what to do
        ``without`` one, when there is no editor."""
        paper = self.query_one(MainPane).current_paper
        if paper is None:
            return None
        command = editor_command(self.library.settings.editor)
        if command is None:
            self.notify(f"No editor found: set $EDITOR (or `editor` in config.toml){without}.",
                        severity="warning", timeout=8, markup=False)  # fmt: skip
            return None
        return paper, command

    def action_edit_external(self) -> None:
        editing = self._editing("; n edits the notes in readlist")
        if editing is None:
            return
        paper, command = editing
        warnings: list[str] = []
        result = self._hand_over(
            lambda: edit_text(paper.notes, command, on_warning=warnings.append), "n edits the notes in readlist"
        )
        for line in warnings:
            self.notify(line, severity="warning", timeout=12, markup=False)
        if isinstance(result, ReadlistError):
            self.notify(str(result), severity="error", timeout=8, markup=False)
        elif result is not None and result.rstrip("\n") != paper.notes.rstrip("\n"):
            library, base, text = self.library, paper.notes, result.rstrip("\n")
            failure = f"could not save the notes of {paper.id}"
            self.post_message(WriteAsked(lambda: changes.set_notes(library, paper.id, base, text), failure))
            self.notify("Notes saved", timeout=2)

    def action_edit_fields(self) -> None:
        """The highlighted paper's fields in $EDITOR, as `readlist edit` opens them (the TUI comes back after)."""
        from readlist.formats.edit_form import edit_in_editor

        editing = self._editing(" to edit the fields")
        if editing is None:
            return
        paper, command = editing
        result = self._hand_over(lambda: edit_in_editor(paper, command), "use `readlist edit` in a shell")
        if isinstance(result, ReadlistError):
            self.notify(str(result), severity="error", timeout=8, markup=False)
        elif result:
            library, fields = self.library, result
            failure = f"could not save {paper.id}"
            self.post_message(WriteAsked(lambda: changes.edit_fields(library, paper.id, fields), failure, paper.id))
            self.notify(f"Saved {', '.join(fields)} (u undoes)", timeout=3, markup=False)
        else:
            self.notify("Unchanged", timeout=2)

    def action_copy_key(self) -> None:
        main = self.query_one(MainPane)
        paper = main.current_paper
        key = main.model.citation_key(paper) if paper is not None else None
        if not key:
            self.notify("This paper has no citation key yet", severity="warning")
            return
        self.app.copy_to_clipboard(str(key))
        self.notify(f"Copied {key}", timeout=2, markup=False)

    def _open(self, url: str | None, what: str, owner: str) -> None:
        from readlist.core.errors import BadInput
        from readlist.core.links import check_link

        if not url:
            self.notify(f"No {what} for this paper", severity="warning")
            return
        try:
            check_link(url, owner, what)
        except BadInput as exc:
            self.notify(str(exc), severity="error", markup=False)
            return
        self.post_message(OpenLink(url))  # the app opens it and says how that went

    def _open_local(self, paper: Paper, pdf: bool) -> bool:
        """Open the paper's local file (a PDF first), if it has one on disk, at the filter's best ``text:``
        hit's page where the viewer takes one; whether it did."""
        local = self.library.local_file(paper, pdf=pdf)
        if local is None:
            return False
        hits = self.query_one(MainPane).text_hits(paper)
        best = next((h for h in hits if self.library.file_path({"path": h.get("path")}) == local), None)
        page = best.get("page") if best is not None else None
        self.post_message(OpenFile(str(local), page if isinstance(page, int) else None))
        return True

    def action_open_page(self) -> None:
        main = self.query_one(MainPane)
        if (s := main.current_suggestion) is not None:
            self._open(f"https://arxiv.org/abs/{s.arxiv_id}" if s.arxiv_id else s.url, "link", s.key)
        elif (paper := main.current_paper) is not None and not self._open_local(paper, pdf=False):
            self._open(paper.url or (f"https://arxiv.org/abs/{paper.id}" if paper.is_arxiv else None), "link", paper.id)

    def action_open_pdf(self) -> None:
        paper = self.query_one(MainPane).current_paper
        if paper is not None and not self._open_local(paper, pdf=True):
            pdf = paper.pdf_url or (f"https://arxiv.org/pdf/{paper.id}" if paper.is_arxiv else None)
            self._open(pdf, "PDF", paper.id)

    def action_fetch_pdfs(self) -> None:
        """Download the arXiv PDFs of the marked papers (or the highlighted one), a progress line per paper."""
        targets = self.query_one(MainPane).targets()
        papers = [p for p in targets if p.is_arxiv and not any(f.get("kind") == "pdf" for f in p.files)]
        if not papers:
            self.notify("No arXiv paper here lacks its PDF", timeout=2)
            return
        library, ids, app = self.library, [p.id for p in papers], self.app

        def progress(done: int, total: int, paper_id: str) -> None:
            app.call_from_thread(self.notify, f"PDFs {done}/{total}: {paper_id}", timeout=2, markup=False)

        self.query_one(PaperTable).clear_marks()
        job = lambda: changes.fetch_pdfs(library, ids, progress)  # noqa: E731
        self.post_message(WriteAsked(job, "could not fetch the PDFs"))
