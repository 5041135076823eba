"""What the paper, suggestion and library keys of the library screen do.

A plain object the screen owns (``screen.triage``), not a mixin: it sees the
screen only through :class:`Host`, so it imports nothing of the screen's. It
changes papers through :mod:`readlist.tui.changes` in the screen's write
queue, opens the dialogs, and starts the background jobs. After a change the
cursor moves on to the next row, so a list is triaged key after key. A paper
key acts on every marked paper (space marks), else on the highlighted one.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from textual.app import App, SuspendNotSupported
from textual.notifications import SeverityLevel

from readlist.core.editor import edit_text, editor_command
from readlist.core.errors import ReadlistError
from readlist.core.library import Library
from readlist.core.models import Paper, Status, slugify
from readlist.core.query import Query
from readlist.core.suggestions import Suggestion
from readlist.tui import changes
from readlist.tui.changes import UndoStack
from readlist.tui.dialogs.base import reusable
from readlist.tui.messages import ActivityFinished, PapersAdded
from readlist.tui.model import PaperModel

if TYPE_CHECKING:
    from readlist.tui.dialogs.add import AddRequest
    from readlist.tui.widgets.activity import Activity
    from readlist.tui.widgets.paper_table import PaperTable
    from readlist.tui.widgets.suggestion_list import SuggestionList
    from readlist.tui.widgets.sync import LibrarySync

STATUS_CYCLE = {"to-read": Status.READING, "reading": Status.READ, "read": Status.TO_READ, "dropped": Status.TO_READ}


def short(title: str, width: int = 50) -> str:
    return title if len(title) <= width else title[: width - 1] + "…"


def count(n: int, what: str = "paper") -> str:
    return f"{n} {what}{'s' if n != 1 else ''}"


class Host(Protocol):
    """What Triage needs of the library screen."""

    model: PaperModel
    view: str
    undo_stack: UndoStack
    focus_after_read: str | None

    @property
    def app(self) -> App[None]: ...

    library: Library

    @property
    def table(self) -> PaperTable: ...
    @property
    def suggestion_list(self) -> SuggestionList: ...
    @property
    def sync(self) -> LibrarySync: ...
    @property
    def activity(self) -> Activity: ...
    @property
    def current_paper(self) -> Paper | None: ...
    @property
    def current_suggestion(self) -> Suggestion | None: ...
    def targets(self) -> list[Paper]: ...
    def selection_query(self) -> tuple[Query, str]: ...
    def show_model(self, model: PaperModel, keep: str | None = None) -> None: ...
    def select_view(self, view: str) -> None: ...
    def open_link(self, url: str) -> None: ...


class Triage:
    def __init__(self, host: Host) -> None:
        self.host = host

    def notify(self, message: str, severity: SeverityLevel = "information", timeout: float = 3) -> None:
        """Notifications carry titles, paths and error text: plain text, never markup."""
        self.host.app.notify(message, severity=severity, timeout=timeout, markup=False)

    def write(self, job: changes.Job, failure: str) -> None:
        self.host.sync.write(job, failure)

    def _next_row(self, papers: list[Paper]) -> str | None:
        """Where the cursor goes after a change to ``papers``: the row after the highlighted one."""
        table = self.host.table
        current = table.current
        if len(papers) != 1 or current is None or papers[0].id != current.id:
            return current.id if current is not None else None
        return table.id_at(table.cursor + 1) or table.id_at(table.cursor - 1) or current.id

    # -- status, tags, notes, delete, undo --------------------------------------------------

    def set_status(self, status: str | Status, papers: list[Paper] | None = None) -> None:
        wanted = Status(status)
        papers = [p for p in (papers or self.host.targets()) if p.status != wanted.value]
        if not papers:
            return
        library, ids = self.host.library, [p.id for p in papers]
        shown = [Paper.from_dict(p.to_dict()) for p in papers]
        for paper in shown:
            paper.set_status(wanted)
        self.host.focus_after_read = after = self._next_row(papers)
        self.host.table.clear_marks()
        self.host.show_model(self.host.model.with_papers(shown), keep=after)  # at once, before the write
        self.write(lambda: changes.set_status(library, ids, wanted), "could not change the status")
        what = short(papers[0].title or papers[0].id) if len(papers) == 1 else count(len(papers))
        self.notify(f"{wanted.value}: {what}", timeout=2)

    def cycle_status(self) -> None:
        papers = self.host.targets()
        if papers:
            self.set_status(STATUS_CYCLE.get(papers[0].status, Status.TO_READ), papers)

    def tags(self) -> None:
        from readlist.tui.dialogs.tags import TagsDialog

        papers = self.host.targets()
        if not papers:
            return
        library, ids = self.host.library, [p.id for p in papers]
        common = [t for t in papers[0].tags if all(t in p.tags for p in papers[1:])]
        what = (
            papers[0].title or papers[0].id if len(papers) == 1 else f"{count(len(papers))} (the tags they all carry)"
        )

        def done(tags: list[str] | None) -> None:
            if tags is not None and tags != common:
                self.host.table.clear_marks()
                self.write(lambda: changes.set_tags(library, ids, common, tags), "could not change the tags")

        dialog = reusable(self.host.app, TagsDialog)
        dialog.setup(what, common, self.host.model.tags())
        self.host.app.push_screen(dialog, done)

    def rename_tag(self, old: str, new: str) -> None:
        library = self.host.library
        self.write(lambda: changes.rename_tag(library, old, new), f"could not rename #{old}")
        self.notify(f"Renamed #{old} to #{new} (u undoes)", timeout=3)

    def notes(self) -> None:
        paper = self.host.current_paper
        if paper is not None:
            self.open_notes(paper.id)

    def open_notes(self, paper_id: str) -> None:
        from readlist.tui.screens.notes import NotesScreen

        paper = self.host.model.get(paper_id)
        if paper is None:
            return
        library = self.host.library

        def save(base: str, text: str) -> None:
            self.write(
                lambda: changes.set_notes(library, paper_id, base, text), f"could not save the notes of {paper_id}"
            )

        self.host.app.push_screen(NotesScreen(paper.title or paper.id, paper.notes, save))

    def edit_external(self) -> None:
        paper = self.host.current_paper
        if paper is None:
            return
        command = editor_command(self.host.library.settings.editor)
        if command is None:
            self.notify("No editor found: set $EDITOR (or `editor` in config.toml); n edits the notes in readlist.",
                        "warning", 8)  # fmt: skip
            return
        outcome: list[str | ReadlistError] = []

        def edit() -> None:
            # Errors are caught inside the suspended block so that the terminal is always resumed.
            try:
                outcome.append(edit_text(paper.notes, command, slugify(paper.title or paper.id, 30)))
            except ReadlistError as exc:
                outcome.append(exc)

        app = self.host.app
        try:
            with app.suspend():
                edit()
        except SuspendNotSupported:
            if not app.is_headless:
                self.notify("This terminal cannot hand over to an editor; n edits the notes in readlist.")
                return
            edit()
        result = outcome[0] if outcome else None
        if isinstance(result, ReadlistError):
            self.notify(str(result), "error", 8)
        elif result is not None and result.rstrip("\n") != paper.notes.rstrip("\n"):
            library, base, text = self.host.library, paper.notes, result.rstrip("\n")
            self.write(
                lambda: changes.set_notes(library, paper.id, base, text), f"could not save the notes of {paper.id}"
            )
            self.notify("Notes saved", timeout=2)

    def delete(self) -> None:
        from readlist.tui.dialogs.confirm import ConfirmDialog

        papers = self.host.targets()
        if not papers:
            return
        library, ids = self.host.library, [p.id for p in papers]
        after = self._next_row(papers)

        def done(yes: bool | None) -> None:
            if yes:
                self.host.focus_after_read = after
                self.host.table.clear_marks()
                self.write(lambda: changes.delete(library, ids), "could not delete")
                self.notify(f"Deleted {what} (u undoes)", timeout=3)

        what = f"“{short(papers[0].title or papers[0].id, 60)}”" if len(papers) == 1 else count(len(papers))
        question = f"Delete {what}? Notes and tags go with {'it' if len(papers) == 1 else 'them'} (u undoes)."
        dialog = reusable(self.host.app, ConfirmDialog)
        dialog.setup("Delete", question)
        self.host.app.push_screen(dialog, done)

    def undo(self) -> None:
        change = self.host.undo_stack.pop()
        if change is None:
            self.notify("Nothing to undo", timeout=2)
            return
        library = self.host.library
        self.host.focus_after_read = change.focus
        self.write(lambda: changes.undo(library, change), "could not undo")
        self.notify(f"Undid {change.label}", timeout=2)

    # -- copying and opening -------------------------------------------------------------------

    def copy_key(self) -> None:
        from readlist.tui.widgets.detail import citation_key

        paper = self.host.current_paper
        key = citation_key(paper) if paper is not None else None
        if not key:
            self.notify("This paper has no citation key yet", "warning")
            return
        self.host.app.copy_to_clipboard(str(key))
        self.notify(f"Copied {key}", timeout=2)

    def _open(self, url: str | None, what: str) -> None:
        if not url:
            self.notify(f"No {what} for this paper", "warning")
            return
        self.host.open_link(url)
        self.notify(f"Opening {url}", timeout=2)

    def open_page(self) -> None:
        suggestion = self.host.current_suggestion
        if suggestion is not None:
            self._open(
                f"https://arxiv.org/abs/{suggestion.arxiv_id}" if suggestion.arxiv_id else suggestion.url, "link"
            )
            return
        paper = self.host.current_paper
        if paper is not None:
            self._open(paper.url or (f"https://arxiv.org/abs/{paper.id}" if paper.is_arxiv else None), "link")

    def open_pdf(self) -> None:
        paper = self.host.current_paper
        if paper is not None:
            self._open(paper.pdf_url or (f"https://arxiv.org/pdf/{paper.id}" if paper.is_arxiv else None), "PDF")

    # -- suggestions ---------------------------------------------------------------------------

    def _suggestion_write(self, verb: str, job: changes.SuggestionJob) -> None:
        s = self.host.current_suggestion
        if s is None:
            return
        library = self.host.library
        self.host.focus_after_read = self.host.suggestion_list.key_after(s.key)
        self.write(lambda: job(library, s.key), f"could not {verb} {s.key}")
        self.notify(f"{'Accepted into To read' if verb == 'accept' else 'Dismissed'}: {short(s.title)}", timeout=3)

    def accept(self) -> None:
        self._suggestion_write("accept", changes.accept)

    def dismiss(self) -> None:
        self._suggestion_write("dismiss", changes.dismiss)

    # -- adding, refreshing, pulling, exporting -----------------------------------------------------

    def add(self) -> None:
        from readlist.tui.dialogs.add import AddDialog

        def done(request: AddRequest | None) -> None:
            if request is not None:
                self.host.focus_after_read = request.refs[0].id
                self.host.activity.add(request)

        dialog = reusable(self.host.app, AddDialog)
        dialog.setup(self.host.model.tags())
        self.host.app.push_screen(dialog, done)

    def added(self, message: PapersAdded) -> None:
        report = message.report
        if report is None:
            self.notify(message.error or "could not add", "error", 10)
            return
        for paper in report.added:
            self.notify(f"Added {short(paper.title)}", timeout=4)
        for paper in report.merged:
            self.notify(f"Already saved: {short(paper.title)} (tags merged)", timeout=4)
        for ref in report.unknown:
            self.notify(f"{ref} is not on arXiv: nothing saved for it", "error", 10)
        if report.error is not None:
            kept = " ".join(p.id for p in report.pending)
            self.notify(f"{report.error}; kept as pending: {kept} (R fetches them later)", "warning", 10)
        elif report.pending:
            self.notify("Pending: " + " ".join(p.id for p in report.pending), "warning")
        kept_ids = {p.id for p in [*report.added, *report.merged, *report.pending]}
        if kept_ids:
            self.host.undo_stack.push(changes.added({i: p for i, p in message.before.items() if i in kept_ids}))
            if self.host.view not in ("to-read", "all") and report.added:
                self.host.select_view("to-read")
        self.host.sync.load()

    def refresh_pending(self) -> None:
        pending = [str(r["id"]) for r in self.host.model.records if r.get("pending")]
        if not pending:
            self.notify("No pending papers: every paper has its details", timeout=3)
            return
        self.host.activity.refresh_pending(pending)

    def pull_document(self) -> None:
        from readlist.tui.dialogs.path import PathDialog

        def done(text: str | None) -> None:
            if text:
                self.host.activity.pull(text if "://" in text else str(Path(text).expanduser()))

        help_text = "A Best of arXiv post, a Markdown/HTML list, or a list of arXiv ids: a file or a URL."
        dialog = reusable(self.host.app, PathDialog)
        dialog.setup("Pull one selection", help_text, "", button="Pull")
        self.host.app.push_screen(dialog, done)

    def export(self, kind: str) -> None:
        from readlist.tui.dialogs.path import PathDialog

        query, label = self.host.selection_query()

        def done(text: str | None) -> None:
            if text is not None:
                path = Path(text).expanduser()
                if kind == "markdown":
                    self.host.activity.export_markdown(path, query, label)
                else:
                    self.host.activity.export_bibtex(path, query, label)

        if kind == "markdown":
            title, default = "Export notes to Markdown", "~/readlist-notes"
            help_text = f"Papers: {label}. A path ending in .md gets one digest; a folder, one file per paper."
        else:
            title, default = "Export BibTeX", "~/readlist.bib"
            help_text = f"Papers: {label}, as BibTeX entries."
        dialog = reusable(self.host.app, PathDialog)
        dialog.setup(title, help_text, default)
        self.host.app.push_screen(dialog, done)

    def finished(self, message: ActivityFinished) -> None:
        for text, severity in message.messages:
            self.notify(text, severity, 10 if severity == "error" else 6)
        if message.show_view and self.host.view != message.show_view:
            self.host.select_view(message.show_view)
        if message.changed_library:
            self.host.sync.load()
