"""Commands on the papers' files: attach, detach, trash, pdf."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from readlist.cli.app import app, library, settings
from readlist.cli.output import error, file_summary, info

if TYPE_CHECKING:
    from readlist.core.library import AttachReport

NoIndexOption = Annotated[
    bool, typer.Option("--no-index", help="Return before the text of the PDFs is read (it is read when searched).")
]


def report_attached(report: AttachReport) -> bool:
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
