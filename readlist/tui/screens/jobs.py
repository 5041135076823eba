"""What the library keys of the library screen do: add, refresh, pull and export, and their results.

A plain object the screen owns (``screen.jobs``), beside :class:`~readlist.tui.screens.triage.Triage`:
the dialogs ask, :class:`~readlist.tui.widgets.activity.Activity` runs the job in a thread and
reports by message, and the results come back here as notifications and a fresh read.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual.notifications import SeverityLevel

from readlist.core.errors import BadInput
from readlist.core.query import Query, compile_query, ids_term
from readlist.tui import changes
from readlist.tui.dialogs.base import reusable
from readlist.tui.messages import ActivityFinished, PapersAdded
from readlist.tui.model import ALL, VIEW_LABELS, VIEWS
from readlist.tui.screens.finding import Finding
from readlist.tui.screens.host import Host, short, tell

if TYPE_CHECKING:
    from readlist.tui.dialogs.add import AddRequest


class LibraryJobs:
    def __init__(self, host: Host, finding: Finding) -> None:
        self.host = host
        self.finding = finding
        self.told_problems: tuple[str, ...] = ()

    def tell_problems(self, problems: tuple[str, ...]) -> None:
        """Name the records of library.json that were left out, once per set of them."""
        if problems and problems != self.told_problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            self.notify(
                f"{problems[0]}{more}: left out of every view; fix it in {self.host.library.settings.library_path} "
                "(readlist refuses to write until then)",
                "error", timeout=15,
            )  # fmt: skip
        self.told_problems = problems

    def notify(self, message: str, severity: SeverityLevel = "information", timeout: float = 3) -> None:
        tell(self.host, message, severity, timeout)

    def all_tags(self) -> None:
        from readlist.tui.screens.tags import TagsScreen

        host = self.host

        def done(choice: str | None) -> None:
            if choice:
                self.finding.show_query(f"#{choice}")

        def rename(old: str, new: str) -> None:
            library = host.library
            host.sync.write(lambda: changes.rename_tag(library, old, new), f"could not rename #{old}")
            self.notify(f"Renamed #{old} to #{new} (u undoes)", timeout=3)

        screen = reusable(host.app, TagsScreen)
        screen.setup(host.model.records, rename)
        host.app.push_screen(screen, done)

    def selection(self) -> tuple[Query, str]:
        """What an export takes: the marked papers, else the view as filtered; and how to say so."""
        host = self.host
        marked = sorted(host.table.marked)
        if marked:
            return compile_query("").narrowed(ids_term(marked)), f"{len(marked)} marked"
        try:
            query = compile_query(host.query_text)
        except BadInput:
            query = compile_query("")
        label = VIEW_LABELS.get(host.view, "All")
        if host.view in VIEWS and host.view != ALL:
            query = query.narrowed(*compile_query(f"status:{host.view}").terms)
        if host.query_text.strip() and query.text:
            label += f", filter “{host.query_text.strip()}”"
        return query, label

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
        for paper, old in report.joined:
            self.notify(f"{paper.id} is {old.id}, saved already (same DOI): merged into one", timeout=6)
        for ref in report.unknown:
            self.notify(f"{ref} is not on arXiv: nothing saved for it", "error", 10)
        if report.error is not None:
            kept = " ".join(p.id for p in report.pending)
            self.notify(f"{report.error}; kept as pending: {kept} (R fetches them later)", "warning", 10)
        elif report.pending:
            self.notify("Pending: " + " ".join(p.id for p in report.pending), "warning")
        kept_ids = {p.id for p in [*report.added, *report.merged, *report.pending, *(p for p, _ in report.joined)]}
        if kept_ids:
            before = {i: p for i, p in message.before.items() if i in kept_ids}
            before.update({old.id: old for _, old in report.joined})  # the undo puts the DOI's paper back
            self.host.undo_stack.push(changes.added(before))
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

    def pull(self) -> None:
        self.host.activity.pull(None)

    def export_markdown(self) -> None:
        self.export("markdown")

    def export_bibtex(self) -> None:
        self.export("bibtex")

    def export(self, kind: str) -> None:
        from readlist.tui.dialogs.path import PathDialog

        query, label = self.selection()

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
