"""The library screen's actions: every key that changes, opens or fetches something.

A mixin of :class:`~readlist.tui.screens.library.LibraryScreen`, kept apart so
that the screen's file is about layout and the view, and this one about doing.
The dialogs and screens a key opens are imported when the key is first
pressed (the notes editor brings the Markdown and text-area machinery), so
they cost nothing at start-up.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work
from textual.app import SuspendNotSupported
from textual.notifications import SeverityLevel
from textual.worker import get_current_worker

from readlist.core.editor import edit_text
from readlist.core.errors import ReadlistError
from readlist.core.models import Paper, Status, slugify
from readlist.tui import changes
from readlist.tui.labels import month_label
from readlist.tui.model import SUGGESTIONS, VIEW_LABELS
from readlist.tui.widgets.activity import Activity
from readlist.tui.widgets.paper_table import PaperTable

if TYPE_CHECKING:
    from readlist.tui.dialogs.add import AddRequest
    from readlist.tui.screens.help import KeyRows
    from readlist.tui.screens.library import LibraryScreen

    _Base = LibraryScreen
else:
    _Base = object

STATUS_CYCLE = {"to-read": Status.READING, "reading": Status.READ, "read": Status.TO_READ, "dropped": Status.TO_READ}


def short(title: str, width: int = 50) -> str:
    return title if len(title) <= width else title[: width - 1] + "…"


class ActionsMixin(_Base):
    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications carry titles, paths and error text: plain text unless asked."""
        self.app.notify(message, title=title, severity=severity, timeout=timeout, markup=markup)

    # -- status, tags, notes, delete ------------------------------------------------

    def _status(self, paper: Paper, status: Status) -> None:
        library = self.rl_app.library
        optimistic = Paper.from_dict(paper.to_dict())
        optimistic.set_status(status)
        self.apply_locally(optimistic)
        self.write(lambda: changes.set_status(library, paper.id, status), f"could not change {paper.id}")
        self.notify(f"{status.value}: {short(paper.title or paper.id)}", timeout=2)

    def action_cycle_status(self) -> None:
        paper = self.current_paper
        if paper is not None:
            self._status(paper, STATUS_CYCLE.get(paper.status, Status.TO_READ))

    def action_set_status(self, status: str) -> None:
        paper = self.current_paper
        if paper is not None and paper.status != status:
            self._status(paper, Status(status))

    def action_tags(self) -> None:
        from readlist.tui.dialogs.tags import TagsDialog

        paper = self.current_paper
        if paper is None:
            return
        library = self.rl_app.library

        def done(tags: list[str] | None) -> None:
            if tags is not None and tags != paper.tags:
                self.write(lambda: changes.set_tags(library, paper.id, paper.tags, tags), f"could not tag {paper.id}")

        self.app.push_screen(TagsDialog(paper.title or paper.id, paper.tags, self.model.tags()), done)

    def save_notes(self, paper_id: str, base: str, text: str) -> None:
        """Save notes edited from ``base`` (merged with anything written meanwhile)."""
        library = self.rl_app.library
        self.write(lambda: changes.set_notes(library, paper_id, base, text), f"could not save the notes of {paper_id}")

    def action_notes(self) -> None:
        from readlist.tui.screens.notes import NotesScreen

        paper = self.current_paper
        if paper is not None:
            screen = NotesScreen(
                paper.title or paper.id, paper.notes, lambda base, text: self.save_notes(paper.id, base, text)
            )
            self.app.push_screen(screen)

    def action_edit_external(self) -> None:
        paper = self.current_paper
        if paper is None:
            return
        editor = self.rl_app.library.settings.editor
        if not editor:
            self.notify(
                "No editor set: set $EDITOR (or `editor` in config.toml); n edits the notes in readlist.",
                severity="warning",
                timeout=8,
            )
            return
        name = slugify(paper.title or paper.id, 30)
        outcome: list[str | ReadlistError] = []

        def edit() -> None:
            # Errors are caught inside the suspended block so that the terminal is always resumed.
            try:
                outcome.append(edit_text(paper.notes, editor, name))
            except ReadlistError as exc:
                outcome.append(exc)

        try:
            with self.app.suspend():
                edit()
        except SuspendNotSupported:
            if not self.app.is_headless:
                self.notify("This terminal cannot hand over to an editor; n edits the notes in readlist.")
                return
            edit()
        result = outcome[0] if outcome else None
        if isinstance(result, ReadlistError):
            self.notify(str(result), severity="error", timeout=8)
        elif result is not None and result != paper.notes:
            self.save_notes(paper.id, paper.notes, result)
            self.notify("Notes saved", timeout=2)

    def action_delete(self) -> None:
        from readlist.tui.dialogs.confirm import ConfirmDialog

        paper = self.current_paper
        if paper is None:
            return
        library = self.rl_app.library

        def done(yes: bool | None) -> None:
            if yes:
                self.write(lambda: changes.delete(library, paper.id), f"could not delete {paper.id}")
                self.notify(f"Deleted {short(paper.title or paper.id)} (u undoes)", timeout=3)

        question = f"Delete “{short(paper.title or paper.id, 60)}”?\nIts notes and tags go with it (u undoes)."
        self.app.push_screen(ConfirmDialog(question), done)

    def action_undo(self) -> None:
        change = self.undo_stack.pop()
        if change is None:
            self.notify("Nothing to undo", timeout=2)
            return
        library = self.rl_app.library

        def run() -> None:
            changes.undo(library, change)

        self._pending_focus = change.focus
        self.write(run, "could not undo")
        self.notify(f"Undid {change.label}", timeout=2)

    # -- opening ---------------------------------------------------------------

    def _open(self, url: str | None, what: str) -> None:
        if not url:
            self.notify(f"No {what} for this paper", severity="warning")
            return
        self.rl_app.open_link(url)
        self.notify(f"Opening {url}", timeout=2)

    def action_open_page(self) -> None:
        suggestion = self.current_suggestion
        if suggestion is not None:
            url = f"https://arxiv.org/abs/{suggestion.arxiv_id}" if suggestion.arxiv_id else suggestion.url
            self._open(url, "link")
            return
        paper = self.current_paper
        if paper is not None:
            url = paper.url or (f"https://arxiv.org/abs/{paper.id}" if paper.is_arxiv else None)
            self._open(url, "link")

    def action_open_pdf(self) -> None:
        paper = self.current_paper
        if paper is not None:
            self._open(paper.pdf_url or (f"https://arxiv.org/pdf/{paper.id}" if paper.is_arxiv else None), "PDF")

    # -- suggestions -----------------------------------------------------------

    def action_accept(self) -> None:
        s = self.current_suggestion
        if s is None:
            return
        library = self.rl_app.library
        self.write(lambda: changes.accept(library, s.key), f"could not accept {s.key}")
        self.notify(f"Accepted into To read: {short(s.title)}", timeout=3)

    def action_dismiss_suggestion(self) -> None:
        s = self.current_suggestion
        if s is None:
            return
        library = self.rl_app.library
        self.write(lambda: changes.dismiss(library, s.key), f"could not dismiss {s.key}")
        self.notify(f"Dismissed: {short(s.title)}", timeout=3)

    # -- adding ----------------------------------------------------------------

    def action_add(self) -> None:
        from readlist.tui.dialogs.add import AddDialog

        def done(request: AddRequest | None) -> None:
            if request is not None:
                ids = " ".join(r.id for r in request.refs)
                self.query_one(Activity).start("add", f"Fetching {ids} from arXiv…")
                self._pending_focus = request.refs[0].id
                self.add_papers(request)

        self.app.push_screen(AddDialog(self.model.tags()), done)

    @work(thread=True, exclusive=True, exit_on_error=False, group="add")
    def add_papers(self, request: AddRequest) -> None:
        library = self.rl_app.library
        before = {r.id: library.get(r.id) for r in request.refs}
        try:
            report = library.add_arxiv(request.refs, tags=request.tags, client=self.rl_app.arxiv_client)
        except ReadlistError as exc:
            self.app.call_from_thread(self._added, None, str(exc), before)
            return
        self.app.call_from_thread(self._added, report, None, before)

    def _added(self, report: Any, error: str | None, before: dict[str, Paper | None]) -> None:
        self.query_one(Activity).stop("add")
        if error is not None:
            self.notify(error, severity="error", timeout=10)
            return
        for paper in report.added:
            self.notify(f"Added {short(paper.title)}", timeout=4)
        for paper in report.merged:
            self.notify(f"Already saved: {short(paper.title)} (tags merged)", timeout=4)
        for ref in report.unknown:
            self.notify(f"{ref} is not on arXiv: nothing saved for it", severity="error", timeout=10)
        if report.error is not None:
            kept = " ".join(p.id for p in report.pending)
            self.notify(
                f"{report.error}; kept as pending: {kept} (run `readlist refresh` later)",
                severity="warning",
                timeout=10,
            )
        elif report.pending:
            self.notify("Pending: " + " ".join(p.id for p in report.pending), severity="warning")
        kept_ids = {p.id for p in [*report.added, *report.merged, *report.pending]}
        if kept_ids:
            self.undo_stack.push(changes.added({i: p for i, p in before.items() if i in kept_ids}))
            if self.view not in ("to-read", "all") and report.added:
                self.select_view("to-read")
        self.reload()

    # -- pull and export ----------------------------------------------------------

    def action_pull(self) -> None:
        self.query_one(Activity).start("pull", "Pulling curated suggestions…")
        self.pull_suggestions(None)

    def action_pull_document(self) -> None:
        from readlist.tui.dialogs.path import PathDialog

        def done(text: str | None) -> None:
            if text:
                document = text if "://" in text else str(Path(text).expanduser())
                self.query_one(Activity).start("pull", f"Pulling {document}…")
                self.pull_suggestions(document)

        help_text = "A Best of arXiv post, a Markdown/HTML list, or a list of arXiv ids: a file or a URL."
        self.app.push_screen(PathDialog("Pull one selection", help_text, "", button="Pull"), done)

    @work(thread=True, exclusive=True, exit_on_error=False, group="pull")
    def pull_suggestions(self, document: str | None) -> None:
        from readlist.sources.pull import pull

        worker = get_current_worker()

        def progress(what: str, done: int, total: int) -> None:
            if not worker.is_cancelled:
                self.app.call_from_thread(self.query_one(Activity).progress, "pull", what, done, total)

        try:
            report = pull(self.rl_app.library, document=document, progress=progress)
        except ReadlistError as exc:
            self.app.call_from_thread(self._pulled, None, str(exc))
            return
        self.app.call_from_thread(self._pulled, report, None)
        if self.view != SUGGESTIONS:
            self.app.call_from_thread(self.select_view, SUGGESTIONS)

    def _pulled(self, report: Any, error: str | None) -> None:
        self.query_one(Activity).stop("pull")
        if error is not None:
            self.notify(error, severity="error", timeout=10)
            return
        months = ", ".join(month_label(m) for m in report.months) or "nothing new"
        self.notify(
            f"Pulled {months}: {report.new_suggestions} new suggestions, {report.new_picks} new picks", timeout=6
        )
        for failure in report.failures:
            self.notify(failure, severity="error", timeout=10)
        self.reload()

    def _export_scope(self) -> tuple[list[Paper], str | None, str]:
        table = self.query_one("#papers", PaperTable)
        papers = [table.papers[i] for i in table.rows] if self.view != "suggestions" else list(self.model.papers)
        status = self.view if self.view in ("to-read", "reading", "read", "dropped") else None
        label = VIEW_LABELS.get(self.view, "All")
        if self.query_text.strip() and self.view != "suggestions":
            label += f", filter “{self.query_text.strip()}”"
        return papers, status, label

    def action_export_markdown(self) -> None:
        from readlist.tui.dialogs.path import PathDialog

        _, status, label = self._export_scope()
        label = VIEW_LABELS.get(status or "all", "All")

        def done(text: str | None) -> None:
            if text is not None:
                path = Path(text).expanduser()
                self.query_one(Activity).start("export", f"Exporting notes to {path}…")
                self.export_markdown(path, status)

        help_text = f"Papers in view “{label}”. A path ending in .md gets one digest; a folder, one file per paper."
        self.app.push_screen(PathDialog("Export notes to Markdown", help_text, "~/readlist-notes"), done)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def export_markdown(self, path: Path, status: str | None) -> None:
        from readlist.export.markdown import export_markdown

        try:
            export_markdown(self.rl_app.library, path, status=Status(status) if status else None)
        except (ReadlistError, OSError) as exc:
            self.app.call_from_thread(self._exported, "", f"export failed: {exc}")
            return
        self.app.call_from_thread(self._exported, f"Exported notes to {path}", None)

    def action_export_bibtex(self) -> None:
        from readlist.tui.dialogs.path import PathDialog

        papers, _, label = self._export_scope()

        def done(text: str | None) -> None:
            if text is not None:
                path = Path(text).expanduser()
                self.query_one(Activity).start("export", f"Exporting BibTeX to {path}…")
                self.export_bibtex(path, papers)

        help_text = f"{len(papers)} papers ({label}) as BibTeX entries."
        self.app.push_screen(PathDialog("Export BibTeX", help_text, "~/readlist.bib"), done)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export")
    def export_bibtex(self, path: Path, papers: list[Paper]) -> None:
        from readlist.export.bibtex import export_bibtex
        from readlist.export.files import write_atomic

        try:
            write_atomic(path, export_bibtex(papers))  # as `readlist export bibtex --out` does
        except (ReadlistError, OSError) as exc:
            self.app.call_from_thread(self._exported, "", f"export failed: {exc}")
            return
        self.app.call_from_thread(self._exported, f"Exported {len(papers)} papers to {path}", None)

    def _exported(self, message: str, error: str | None) -> None:
        self.query_one(Activity).stop("export")
        if error:
            self.notify(error, severity="error", timeout=10)
        else:
            self.notify(message, timeout=6)

    # -- help ------------------------------------------------------------------

    def key_sections(self) -> KeyRows:
        from readlist.tui.screens.help import key_label
        from readlist.tui.screens.notes import NotesScreen

        def rows(bindings: list[Any], actions: set[str] | None = None) -> list[tuple[str, str]]:
            return [(key_label(b), b.description) for b in bindings if actions is None or b.action in actions]

        mine = self.BINDINGS
        table = PaperTable.BINDINGS
        return [
            ("Papers", rows(mine, {"cycle_status", "set_status('to-read')", "set_status('reading')",
                                    "set_status('read')", "set_status('dropped')", "tags", "notes",
                                    "edit_external", "open_page", "open_pdf", "delete", "undo"})),
            ("Finding", [*rows(mine, {"filter", "leave_filter", "sort", "view(1)", "view(-1)"}), *rows(table)]),
            ("Library", [*rows(mine, {"add", "help", "app.quit"}), ("ctrl+p", "Command palette")]),
            ("Suggestions view", [*rows(mine, {"accept", "dismiss_suggestion"}), ("o", "Open the paper")]),
            ("Notes editor", rows(NotesScreen.BINDINGS)),
        ]  # fmt: skip

    def action_help(self) -> None:
        from readlist.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self.key_sections()))
