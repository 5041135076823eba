"""Background jobs (add, pull, export, refresh, PDFs) and their one-line progress strip.

Each job runs in a thread worker (arXiv and the curated sources are
synchronous and sleep between requests: never on the event loop) and reports
back with messages (readlist.tui.messages), which bubble to the screen. The
strip shows what is running; it is hidden when nothing is.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.notifications import SeverityLevel
from textual.widgets import Label, ProgressBar
from textual.worker import get_current_worker

from readlist.core.errors import ReadlistError
from readlist.core.library import Library
from readlist.core.month import month_label
from readlist.core.query import Query
from readlist.tui.messages import ActivityFinished, PapersAdded, PullProgress
from readlist.tui.threads import in_thread

if TYPE_CHECKING:
    from readlist.core.arxiv_api import ArxivClient
    from readlist.tui.dialogs.add import AddRequest

REFRESH_BATCH = 20
"""Pending papers asked of arXiv per request while refreshing (the progress line moves per batch)."""


class Activity(Horizontal):
    """Runs the jobs, and shows what is running."""

    def __init__(self, library: Library, arxiv_client: ArxivClient | None = None, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library = library
        self.arxiv_client = arxiv_client
        self.jobs: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Label("", id="activity-label", markup=False)

    def on_mount(self) -> None:
        self.display = False

    # -- the strip ----------------------------------------------------------------

    @property
    def bar(self) -> ProgressBar:
        """The bar, made with the first job (an idle strip costs nothing)."""
        found = self.query(ProgressBar)
        if found:
            return found.first()
        bar = ProgressBar(total=None, show_eta=False, id="activity-bar")
        self.mount(bar)
        return bar

    def start(self, job: str, text: str) -> None:
        self.jobs[job] = text
        self.bar.update(total=None, progress=0)
        self._show()

    def stop(self, job: str) -> None:
        self.jobs.pop(job, None)
        self._show()

    def _show(self) -> None:
        self.display = bool(self.jobs)
        self.query_one("#activity-label", Label).update(" · ".join(self.jobs.values()))

    @on(PullProgress)
    def _progress(self, message: PullProgress) -> None:
        if message.job in self.jobs:
            self.jobs[message.job] = message.what
            self.bar.update(total=max(message.total, 1), progress=message.done)
            self._show()

    @on(PapersAdded)
    @on(ActivityFinished)
    def _finished(self, message: PapersAdded | ActivityFinished) -> None:
        self.stop(message.job if isinstance(message, ActivityFinished) else "add")

    # -- the jobs -----------------------------------------------------------------

    def add(self, request: AddRequest) -> None:
        named = " ".join([*(r.id for r in request.refs), *request.dois])
        asked = " and ".join(who for who, refs in (("arXiv", request.refs), ("the DOI resolver", request.dois)) if refs)
        self.start("add", f"Fetching {named} from {asked}…")
        self._add(request)

    @in_thread("add", "add papers")
    def _add(self, request: AddRequest) -> None:
        from readlist.core.library import AddReport, Before

        before = {r.id: self.library.get(r.id) for r in request.refs}
        report = AddReport()
        try:
            if request.refs:
                report = self.library.add_arxiv(request.refs, tags=request.tags, client=self.arxiv_client)
        except ReadlistError as exc:
            self.post_message(PapersAdded(None, before, str(exc)))
            return
        if not request.dois:
            self.post_message(PapersAdded(report, before))
            return
        from readlist.formats.doi import add_dois

        kept = Before()
        try:
            dois = add_dois(self.library, request.dois, tags=request.tags, before=kept)
        except ReadlistError as exc:
            self.post_message(PapersAdded(report, before, str(exc)))
            return
        for paper_id, paper in kept.papers.items():
            before.setdefault(paper_id, paper)
        self.post_message(PapersAdded(report, before, dois=dois))

    def pull(self, document: str | None, *, month: str | None = None, all_months: bool = False) -> None:
        """Pull the curated sources, or one ``document`` (its latest month, ``month``, or ``all_months``)."""
        which = f" ({month})" if month else " (every month)" if all_months else ""
        self.start("pull", f"Pulling {document}{which}…" if document else "Pulling curated suggestions…")
        self._pull(document, month, all_months)

    @in_thread("pull", "pull suggestions")
    def _pull(self, document: str | None, month: str | None = None, all_months: bool = False) -> None:
        from readlist.sources.pull import pull
        from readlist.tui.dialogs.pull_file import months_line

        worker = get_current_worker()

        def progress(what: str, done: int, total: int) -> None:
            if not worker.is_cancelled:
                self.post_message(PullProgress("pull", what, done, total))

        try:
            report = pull(self.library, document=document, progress=progress, month=month, all_months=all_months)
        except ReadlistError as exc:
            self.post_message(ActivityFinished("pull", [(str(exc), "error")]))
            return
        months = ", ".join(month_label(m) for m in report.months) or "nothing new"
        messages: list[tuple[str, SeverityLevel]] = [
            (f"Pulled {months}: {report.new_suggestions} new suggestions, {report.new_picks} new picks", "information")
        ]
        if report.other_months:  # a file of several months: its latest was pulled, and the others are named
            others = report.other_months
            messages.append((
                f"The file also holds {len(others)} other month{'s' if len(others) != 1 else ''}: "
                f"{months_line(others)}. Pull a file again with one in Month, or all.", "information",
            ))  # fmt: skip
        messages += [(failure, "error") for failure in report.failures]
        self.post_message(ActivityFinished("pull", messages, changed_library=True, show_view="suggestions"))

    def export_markdown(self, path: Path, query: Query, label: str) -> None:
        self.start("export", f"Exporting notes to {path}…")
        self._export_markdown(path, query, label)

    @in_thread("export", "export Markdown")
    def _export_markdown(self, path: Path, query: Query, label: str) -> None:
        from readlist.formats.markdown.write import export_markdown

        try:
            summary = export_markdown(self.library, path, query=query)
        except (ReadlistError, OSError) as exc:
            self.post_message(ActivityFinished("export", [(f"export failed: {exc}", "error")]))
            return
        self.post_message(ActivityFinished("export", [(f"{summary or 'Exported'} ({label})", "information")]))

    def export_bibtex(self, path: Path, query: Query, label: str) -> None:
        self.start("export", f"Exporting BibTeX to {path}…")
        self._export_bibtex(path, query, label)

    @in_thread("export", "export BibTeX")
    def _export_bibtex(self, path: Path, query: Query, label: str) -> None:
        from readlist.formats.bibtex_export import export_bibtex
        from readlist.formats.files import write_export
        from readlist.formats.select import select_papers

        settings = self.library.settings
        try:  # as `readlist export bibtex --out` does
            everyone = self.library.papers()
            papers = select_papers(everyone, self.library, query=query)
            text = export_bibtex(papers, library=everyone, notes_field=settings.bibtex_notes_field)
            write_export(path, text, home=settings.home)
        except (ReadlistError, OSError) as exc:
            self.post_message(ActivityFinished("export", [(f"export failed: {exc}", "error")]))
            return
        count = f"{len(papers)} paper{'s' if len(papers) != 1 else ''}"
        self.post_message(ActivityFinished("export", [(f"Exported {count} ({label}) to {path}", "information")]))

    def fetch_pdfs(self, ids: list[str], why: str) -> None:
        """Download the arXiv PDFs of ``ids`` into files/ (the ``download_pdfs`` setting, ``why``: "add" or
        "accept"), at arXiv's pace, a progress line per paper; the text is read in a child process."""
        from readlist.tui import changes

        library, total = self.library, len(ids)
        self.start("pdfs", f"Fetching {total} PDF{'s' if total != 1 else ''} (download_pdfs on {why})…")

        def job() -> None:
            def progress(done: int, total: int, paper_id: str) -> None:
                self.post_message(PullProgress("pdfs", f"PDF {done} of {total}: {paper_id}", done - 1, total))

            try:
                change = changes.fetch_pdfs(library, ids, progress)
            except ReadlistError as exc:
                self.post_message(ActivityFinished("pdfs", [(f"PDFs: {exc}", "error")], changed_library=True))
                return
            if change.report:
                self.post_message(ActivityFinished("pdfs", [(f"PDFs: {change.report}", "error")], changed_library=True))
                return
            done = f"Fetched {total} PDF{'s' if total != 1 else ''} into files/"
            self.post_message(ActivityFinished("pdfs", [(done, "information")], changed_library=True))

        self.run_worker(job, thread=True, group="pdfs", exclusive=False, exit_on_error=False,
                        description="fetch PDFs")  # fmt: skip

    def refresh_pending(self, ids: list[str]) -> None:
        self.start("refresh", f"Refreshing {len(ids)} pending paper{'s' if len(ids) != 1 else ''} from arXiv…")
        self._refresh(ids)

    @in_thread("refresh", "refresh pending")
    def _refresh(self, ids: list[str]) -> None:
        fetched: list[str] = []
        messages: list[tuple[str, SeverityLevel]] = []
        for start in range(0, len(ids), REFRESH_BATCH):
            batch = ids[start : start + REFRESH_BATCH]
            self.post_message(PullProgress("refresh", f"Refreshing pending papers: {start} of {len(ids)}…", start,
                                           len(ids)))  # fmt: skip
            try:
                report = self.library.refresh(batch, client=self.arxiv_client)
            except ReadlistError as exc:
                messages.append((f"{exc}; still pending: {len(ids) - len(fetched)}", "error"))
                break
            fetched += [p.id for p in report.completed]
            messages += [(f"{i} is not on arXiv", "error") for i in report.unknown]
        by_doi = [i for i in ids if i.startswith("doi:")]
        if by_doi:  # pending papers saved by DOI: asked of the DOI resolver
            from readlist.formats.doi import refresh_dois

            dois = refresh_dois(self.library, by_doi)
            fetched += [p.id for p in dois.added]
            messages += [(line, "error") for line in dois.failed]
            if dois.error is not None:
                messages.append((f"{dois.error}; still pending: {len(dois.pending)}", "error"))
        if fetched:
            messages.insert(
                0, (f"Fetched {len(fetched)} pending paper{'s' if len(fetched) != 1 else ''}", "information")
            )
        self.post_message(ActivityFinished("refresh", messages, changed_library=bool(fetched)))
