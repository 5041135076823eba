"""Commands on the papers' files: attach, detach, trash, pdf."""

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from readlist.cli.app import app, library, settings
from readlist.cli.output import error, file_summary, info

if TYPE_CHECKING:
    from readlist.core.library import AttachReport
    from readlist.core.models import Paper

NoIndexOption = Annotated[
    bool, typer.Option("--no-index", help="Return before the text of the PDFs is read (it is read when searched).")
]


def report_attached(report: "AttachReport") -> bool:
    """Say what an attach did; whether every file's text could be read."""
    for entry in report.attached:
        info(f"Attached to {report.paper.id}: {file_summary(entry)}")
    for line in report.notes:
        info(line)
    for line in report.problems:
        error(line)
    return not report.problems


@app.command("attach")
def attach(
    ref: Annotated[str, typer.Argument(help="The paper.")],
    files: Annotated[list[Path], typer.Argument(help="Files to attach (copied into files/ beside library.json).")],
    move: Annotated[bool, typer.Option("--move", help="Delete the given files once they are attached.")] = False,
    no_index: NoIndexOption = False,
) -> None:
    """Attach files to a paper: each is copied into the files/ folder beside library.json, named by the
    paper's citation key. A PDF's text is read for full-text search before the command returns."""
    report = library().attach(ref, files, move=move, index=not no_index)
    if not report_attached(report):
        raise typer.Exit(1)


@app.command("detach")
def detach(
    ref: Annotated[str, typer.Argument(help="The paper.")],
    file: Annotated[
        str | None, typer.Argument(help="The file's path or name (`show` lists them); needed if it has several.")
    ] = None,
) -> None:
    """Take a file off a paper. A copy in files/ moves to files/.trash/ (see `readlist trash`)."""
    paper, entry = library().detach(ref, file)
    info(f"Detached from {paper.id}: {entry.get('path')}")


@app.command("trash")
def trash(
    empty: Annotated[bool, typer.Option("--empty", help="Delete the files in the trash for good.")] = False,
) -> None:
    """List the files of removed papers and detached files (files/.trash/), or delete them with --empty."""
    from readlist.core.attachments.folder import empty_trash, trash_folder

    folder = trash_folder(settings())
    if empty:
        count, size = empty_trash(settings())
        info(f"Deleted {count} file{'s' if count != 1 else ''} ({size / 1_000_000:.1f} MB) from {folder}")
        return
    names = sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
    for name in names:
        typer.echo(name)
    if not names:
        info(f"The trash is empty ({folder})")


@app.command("pdf")
def pdf(
    refs: Annotated[list[str] | None, typer.Argument(help="The papers.", show_default=False)] = None,
    all_papers: Annotated[bool, typer.Option("--all", help="Every arXiv paper in the library.")] = False,
    query: Annotated[str | None, typer.Option("--search", "-q", help="The papers this query finds.")] = None,
    force: Annotated[bool, typer.Option("--force", help="Fetch again papers that already have a PDF.")] = False,
    no_index: NoIndexOption = False,
) -> None:
    """Download the PDFs of arXiv papers into files/ (at arXiv's pace), and read their text for search.

    Papers that already have a PDF are skipped (--force fetches again). The address comes from
    READLIST_ARXIV_PDF (default https://arxiv.org/pdf/{id}).
    """
    from readlist.core.errors import BadInput
    from readlist.core.models import Paper

    lib = library()
    if sum((bool(refs), all_papers, query is not None)) != 1:
        raise BadInput("name the papers: readlist pdf ID..., readlist pdf --all, or readlist pdf -q QUERY")
    if refs:
        papers = [lib.find(r) for r in refs]  # all or nothing: a bad reference fetches nothing
        named = True
    else:
        from readlist.core.query import list_query

        records = lib.select(list_query(query)) if query is not None else lib.records()
        papers = [Paper.from_dict(r) for r in records]
        named = False
    failed = fetch_pdfs(papers, named=named, force=force, index=not no_index)
    if failed:
        raise typer.Exit(1)


def fetch_pdfs(papers: "list[Paper]", *, named: bool, force: bool = False, index: bool = True) -> bool:
    """Download the PDFs of the arXiv papers among ``papers`` that have none; whether any failed.

    ``named``: the user named these papers, so papers skipped (not on arXiv, a PDF already) are said.
    """
    from readlist.core.attachments.download import PdfFetcher
    from readlist.core.errors import NetworkError

    lib = library()
    failed = False
    wanted: list[Paper] = []
    for paper in {p.id: p for p in papers}.values():
        if not paper.is_arxiv:
            if named:
                error(f"{paper.id} is not an arXiv paper: attach its PDF with `readlist attach {paper.id} FILE`")
                failed = True
        elif not force and any(f.get("kind") == "pdf" for f in paper.files):
            if named:
                info(f"{paper.id} has its PDF already ({paper.files[0].get('path')}); --force fetches it again")
        else:
            wanted.append(paper)
    fetcher = PdfFetcher(settings())
    with _progress(len(wanted)) as advance:
        for paper in wanted:
            try:
                body = fetcher.fetch(paper)
            except NetworkError as exc:
                error(str(exc))
                failed = True
            else:
                report = lib.attach_pdf(paper.id, body, index=index)
                failed = not report_attached(report) or failed
            advance(paper.id)
    if not wanted and not failed and not named:
        info("No paper needs its PDF")
    return failed


def fetch_when_set(papers: "list[Paper]", event: str) -> bool:
    """The ``download_pdfs`` setting at work: PDFs of papers just added (``on-add``: added or accepted) or
    accepted (``on-accept``). Pending papers wait for `readlist refresh`. Whether any fetch failed."""
    when = settings().download_pdfs
    if when == "never" or (when == "on-accept" and event != "accept"):
        return False
    ready = [p for p in papers if p.is_arxiv and not p.pending]
    return fetch_pdfs(ready, named=False) if ready else False


@contextlib.contextmanager
def _progress(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar on stderr for more than one paper at a terminal; else nothing (each paper says a line)."""
    if total < 2 or not sys.stderr.isatty():
        yield lambda _paper_id: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    with Progress(
        TextColumn("PDFs"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"),
        console=Console(stderr=True), transient=True,
    ) as progress:  # fmt: skip
        task = progress.add_task("", total=total)

        def advance(paper_id: str) -> None:
            progress.update(task, advance=1, description=paper_id)

        yield advance
