"""The library keys: add, refresh, pull, export, all tags and help, and what their background jobs report.

A part of the library screen, the outermost around the :class:`~readlist.tui.screens.browser.Browser` (so its
keys apply wherever the focus is): the dialogs ask, :class:`~readlist.tui.widgets.activity.Activity` runs
the job in a thread and reports by message, and the results come back here as notifications and a fresh
read of :class:`~readlist.tui.widgets.sync.LibrarySync`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical

from readlist.core.errors import BadInput
from readlist.core.library import Library
from readlist.core.query import Query, compile_query, ids_term
from readlist.tui import changes
from readlist.tui.actions import bindings
from readlist.tui.dialogs.base import reusable
from readlist.tui.messages import ActivityFinished, PapersAdded
from readlist.tui.model import ALL, VIEW_LABELS, VIEWS
from readlist.tui.screens.browser import Browser
from readlist.tui.screens.triage import Triage
from readlist.tui.widgets.activity import Activity
from readlist.tui.widgets.paper_table import PaperTable
from readlist.tui.widgets.sync import LibrarySync
from readlist.tui.words import short

if TYPE_CHECKING:
    from readlist.core.arxiv_api import ArxivClient
    from readlist.formats.doi import DoiReport
    from readlist.tui.dialogs.add import AddRequest


class LibraryJobs(Vertical):
    """The library keys around the browser, the progress strip under it, and the reads and writes."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("library")

    def __init__(self, library: Library, arxiv_client: ArxivClient | None, *, sort: str, reverse: bool,
                 id: str | None = None) -> None:  # fmt: skip
        super().__init__(id=id)
        self.library = library
        self.arxiv_client = arxiv_client
        self.sort, self.reverse = sort, reverse
        self.told_problems: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        yield Browser(self.library, sort=self.sort, reverse=self.reverse, id="browser")
        yield Activity(self.library, self.arxiv_client, id="activity")
        yield LibrarySync(self.library, sort=self.sort, reverse=self.reverse)

    def tell_problems(self, problems: tuple[str, ...]) -> None:
        """Name the records of library.json that were left out, once per set of them."""
        if problems and problems != self.told_problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            self.notify(
                f"{problems[0]}{more}: left out of every view; fix it in {self.library.settings.library_path} "
                "(readlist refuses to write until then)",
                severity="error", timeout=15, markup=False,
            )  # fmt: skip
        self.told_problems = problems

    def selection(self) -> tuple[Query, str]:
        """What an export takes: the marked papers, else the view as filtered; and how to say so."""
        browser = self.query_one(Browser)
        marked = sorted(self.query_one(PaperTable).marked)
        if marked:
            return compile_query("").narrowed(ids_term(marked)), f"{len(marked)} marked"
        text = browser.query_text
        try:
            query = compile_query(text)
        except BadInput:
            query = compile_query("")
        label = VIEW_LABELS.get(browser.view, "All")
        if browser.view in VIEWS and browser.view != ALL:
            query = query.narrowed(*compile_query(f"status:{browser.view}").terms)
        if text.strip() and query.text:
            label += f", filter “{text.strip()}”"
        return query, label

    def action_add(self) -> None:
        from readlist.tui.dialogs.add import AddDialog

        def done(request: AddRequest | None) -> None:
            if request is not None:
                self.query_one(Browser).keep = request.refs[0].id if request.refs else f"doi:{request.dois[0]}"
                self.query_one(Activity).add(request)

        dialog = reusable(self.app, AddDialog)
        dialog.setup(self.query_one(Browser).model.tags())
        self.app.push_screen(dialog, done)

    @on(PapersAdded)
    def _added(self, message: PapersAdded) -> None:
        report = message.report
        if report is None:
            self.notify(message.error or "could not add", severity="error", timeout=10, markup=False)
            return
        for paper in report.added:
            self.notify(f"Added {short(paper.title)}", timeout=4, markup=False)
        for paper in report.merged:
            self.notify(f"Already saved: {short(paper.title)} (tags merged)", timeout=4, markup=False)
        for paper, old in report.joined:
            self.notify(f"{paper.id} is {old.id}, saved already (same DOI): merged into one", timeout=6, markup=False)
        for ref in report.unknown:
            self.notify(f"{ref} is not on arXiv: nothing saved for it", severity="error", timeout=10, markup=False)
        if report.error is not None:
            kept = " ".join(p.id for p in report.pending)
            self.notify(f"{report.error}; kept as pending: {kept} (R fetches them later)", severity="warning",
                        timeout=10, markup=False)  # fmt: skip
        elif report.pending:
            self.notify("Pending: " + " ".join(p.id for p in report.pending), severity="warning", markup=False)
        if message.error:  # the DOIs failed after the arXiv papers were added
            self.notify(message.error, severity="error", timeout=10, markup=False)
        self.fetch_when_set([p.id for p in report.added if p.is_arxiv and not p.pending], "add")
        kept_ids = {p.id for p in [*report.added, *report.merged, *report.pending, *(p for p, _ in report.joined)]}
        if message.dois is not None:
            kept_ids |= self._dois_added(message.dois)
        if kept_ids:
            before = {i: p for i, p in message.before.items() if i in kept_ids}
            before.update({old.id: old for _, old in report.joined})  # the undo puts the DOI's paper back
            self.query_one(Triage).undo_stack.push(changes.added(before))
            if self.query_one(Browser).view not in ("to-read", "all") and report.added:
                self.query_one(Browser).select_view("to-read")
        self.query_one(LibrarySync).load()

    def _dois_added(self, report: DoiReport) -> set[str]:
        """Say what the DOIs typed in the add dialog did, as `readlist add` does; the ids of the papers kept."""
        for paper in report.added:
            self.notify(f"Added {short(paper.title)}", timeout=4, markup=False)
        for paper in report.updated:
            self.notify(f"Already saved: {short(paper.title)} (updated)", timeout=4, markup=False)
        for paper, why in report.merged:
            self.notify(f"{paper.doi} is {paper.id}, saved already ({why}): merged, both kept", timeout=6,
                        markup=False)  # fmt: skip
        for line in report.failed:
            self.notify(line, severity="error", timeout=10, markup=False)
        if report.error is not None:
            kept = " ".join(p.id for p in report.pending)
            self.notify(f"{report.error}; kept as pending: {kept} (R fetches them later)", severity="warning",
                        timeout=10, markup=False)  # fmt: skip
        elif report.pending:
            self.notify("Pending (the resolver's record has no title; R asks again): "
                        + " ".join(p.id for p in report.pending), severity="warning", markup=False)  # fmt: skip
        return {p.id for p in [*report.added, *report.updated, *report.pending, *(p for p, _ in report.merged)]}

    def fetch_when_set(self, ids: list[str], event: str) -> None:
        """The ``download_pdfs`` setting at work, as the CLI's add and accept: the PDFs of papers just added
        (``on-add``: added or accepted) or accepted (``on-accept``), fetched by a job with a progress line."""
        when = self.library.settings.download_pdfs
        if ids and when != "never" and (when == "on-add" or event == "accept"):
            self.query_one(Activity).fetch_pdfs(ids, event)

    def action_refresh(self) -> None:
        pending = [str(r["id"]) for r in self.query_one(Browser).model.records if r.get("pending")]
        if not pending:
            self.notify("No pending papers: every paper has its details", timeout=3)
            return
        self.query_one(Activity).refresh_pending(pending)

    def action_pull_document(self) -> None:
        from readlist.tui.dialogs.pull_file import PullFile, PullFileDialog

        def done(asked: PullFile | None) -> None:
            if asked is not None:
                text = asked.document
                document = text if "://" in text else str(Path(text).expanduser())
                self.query_one(Activity).pull(document, month=asked.month, all_months=asked.all_months)

        self.app.push_screen(reusable(self.app, PullFileDialog), done)

    def action_pull(self) -> None:
        self.query_one(Activity).pull(None)

    def action_export_markdown(self) -> None:
        self._export("markdown")

    def action_export_bibtex(self) -> None:
        self._export("bibtex")

    def _export(self, kind: str) -> None:
        from readlist.tui.dialogs.path import PathDialog

        query, label = self.selection()
        activity = self.query_one(Activity)

        def done(text: str | None) -> None:
            if text is not None:
                path = Path(text).expanduser()
                if kind == "markdown":
                    activity.export_markdown(path, query, label)
                else:
                    activity.export_bibtex(path, query, label)

        if kind == "markdown":
            title, default = "Export notes to Markdown", "~/readlist-notes"
            help_text = f"Papers: {label}. A path ending in .md gets one digest; a folder, one file per paper."
        else:
            title, default = "Export BibTeX", "~/readlist.bib"
            help_text = f"Papers: {label}, as BibTeX entries."
        dialog = reusable(self.app, PathDialog)
        dialog.setup(title, help_text, default)
        self.app.push_screen(dialog, done)

    @on(ActivityFinished)
    def _finished(self, message: ActivityFinished) -> None:
        for text, severity in message.messages:
            self.notify(text, severity=severity, timeout=10 if severity == "error" else 6, markup=False)
        browser = self.query_one(Browser)
        if message.show_view and browser.view != message.show_view:
            browser.select_view(message.show_view)
        if message.changed_library:
            self.query_one(LibrarySync).load()

    def action_all_tags(self) -> None:
        from readlist.tui.screens.tags import TagsScreen

        browser, library = self.query_one(Browser), self.library

        def done(choice: str | None) -> None:
            if choice:
                browser.show_query(f"#{choice}")

        def rename(old: str, new: str) -> None:
            self.query_one(LibrarySync).write(lambda: changes.rename_tag(library, old, new), f"could not rename #{old}")
            self.notify(f"Renamed #{old} to #{new} (u undoes)", timeout=3, markup=False)

        screen = reusable(self.app, TagsScreen)
        screen.setup(lambda: browser.model.records, rename)
        self.app.push_screen(screen, done)

    def action_help(self) -> None:
        from readlist.tui.screens.help import HelpScreen

        self.app.push_screen(reusable(self.app, HelpScreen))
