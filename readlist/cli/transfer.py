"""Commands that move the library in and out: `export markdown|bibtex|csl`, `import markdown|bibtex|csl`."""

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from readlist.cli.app import app, library, settings
from readlist.cli.output import clean_export, error, info
from readlist.core.clean import inert_json

if TYPE_CHECKING:
    from readlist.core.library import Library
    from readlist.core.models import Status

export_app = typer.Typer(
    help="Export the library as Markdown notes, BibTeX or CSL JSON.", no_args_is_help=True, add_completion=False
)
import_app = typer.Typer(
    help="Bring Markdown notes, a BibTeX file or CSL JSON into the library.", no_args_is_help=True, add_completion=False
)
app.add_typer(export_app, name="export")
app.add_typer(import_app, name="import")

StatusOption = Annotated[
    str | None, typer.Option("--status", "-s", help="Only papers with this status (to-read, reading, read, dropped).")
]
TagFilter = Annotated[str | None, typer.Option("--tag", "-t", help="Only papers with this tag.")]
QueryOption = Annotated[
    str | None,
    typer.Option(
        "--query",
        "-q",
        help="Only papers matching this query, as `readlist list -q` takes it (words, author:, tag:, #tag, "
        "status:, year:2020..2022, source:, -word).",
    ),
]
ForceOption = Annotated[
    bool, typer.Option("--force", help="Replace an existing file that readlist did not write (or that changed since).")
]
SinceOption = Annotated[
    str | None, typer.Option("--since", help="Only papers added on or after this date (YYYY-MM-DD, YYYY-MM, YYYY).")
]


@export_app.command("markdown")
def export_markdown_command(
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="A .md file for one digest, or a directory for one file per paper; - or none: print the digest.",
        ),
    ] = None,
    status: StatusOption = None,
    tag: TagFilter = None,
    since: SinceOption = None,
    query: QueryOption = None,
    group_by: Annotated[str, typer.Option("--group-by", "-g", help="Group the digest by status, tag or month.")] = (
        "status"
    ),
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help="Replace a digest readlist did not write, or files edited since the last export and not imported.",
        ),
    ] = False,
) -> None:
    """Export papers and notes as Markdown (YAML front matter, ready for Obsidian)."""
    from readlist.formats.markdown.write import export_markdown

    out = _out(out)
    result = export_markdown(
        library(),
        out,
        status=_status(status),
        tag=tag,
        since=since,
        group_by=group_by.strip().lower(),
        force=force,
        query=query,
    )
    if out is None:
        sys.stdout.write(clean_export(result or ""))
    elif result:
        info(result)


@export_app.command("bibtex")
def export_bibtex_command(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this .bib file; - or none: print.")] = None,
    status: StatusOption = None,
    tag: TagFilter = None,
    since: SinceOption = None,
    query: QueryOption = None,
    force: ForceOption = False,
) -> None:
    """Export papers as BibTeX: imported entries as they were written, with your tags, notes and status.

    Exactly the papers one .bib file gave, unedited, give that file back byte for byte, with its
    @comment, @preamble and @string blocks; other exports leave those blocks out and say so.
    """
    from readlist.formats.bibtex_export import bibtex_pieces

    out = _out(out)
    lib = library()
    ids = _selected_ids(lib, status, tag, since, query)
    notes: list[str] = []
    text = bibtex_pieces(
        ids, lib.papers_by_shard(ids), lib.export_keys(), lambda: lib.papers_by_shard(list(lib.snapshot().light)),
        notes_field=lib.settings.bibtex_notes_field, notes=notes,
    )  # fmt: skip
    if _write(out, text, force=force, example="readlist.bib"):
        info(f"Wrote {len(ids)} BibTeX entr{'ies' if len(ids) != 1 else 'y'} to {out}")
    for note in notes:
        info(note)


def _selected_ids(
    lib: "Library", status: str | None, tag: str | None, since: str | None, query: str | None
) -> list[str]:
    """The ids of the papers the options select, in the export's order, chosen from the light records (no
    paper's text read); says so when they select none."""
    from readlist.formats.select import select_ids

    ids = select_ids(
        lib.snapshot().stored_light.values(), lib, status=_status(status), tag=tag, since=since, query=query
    )
    _say_none(ids, status, tag, since, query)
    return ids


def _say_none(
    chosen: "Sequence[object]", status: str | None, tag: str | None, since: str | None, query: str | None
) -> None:
    """Say so when the options select no paper."""
    if not chosen:
        info(
            "No papers to export"
            + (" (check --status, --tag, --since and --query)" if status or tag or since or query else "")
        )


def _out(out: Path | None) -> Path | None:
    """``--out``: None (or ``-``) for stdout, else the path with ``~`` expanded."""
    return None if out is None or str(out) == "-" else out.expanduser()


def _write(out: Path | None, text: str | Iterable[str], *, force: bool, example: str, json: bool = False) -> bool:
    """An export's text (or its pieces) to stdout (``out`` None) or to a file by the one safe writer; True if a
    file was written.

    Every exporter goes through here. The file must be a regular file or a
    symlink to one (written through); a folder, a FIFO or a device is bad
    input (exit 2); an existing file that readlist did not write there needs
    ``--force``. Control characters never leave (``json``: as ``\\uXXXX``
    escapes, so the data stays exact).
    """
    if out is None:
        try:
            for piece in [text] if isinstance(text, str) else text:
                sys.stdout.write(inert_json(piece) if json else clean_export(piece))
        except BrokenPipeError:
            pass  # the reader left (`readlist export bibtex | head`): the rest is not wanted, as with `list`
        return False
    from readlist.core.errors import BadInput
    from readlist.formats.files import write_export

    if out.is_dir():
        raise BadInput(f"{out} is a directory: give a file name such as {out / example}")
    write_export(out, text, home=settings().home, force=force, json=json)
    return True


@export_app.command("csl")
def export_csl_command(
    out: Annotated[Path | None, typer.Option("--out", "-o", help="Write to this .json file; - or none: print.")] = None,
    status: StatusOption = None,
    tag: TagFilter = None,
    since: SinceOption = None,
    query: QueryOption = None,
    force: ForceOption = False,
) -> None:
    """Export papers as CSL JSON (Zotero, pandoc, citeproc): tags as keyword, notes as note, status in custom."""
    from readlist.formats.csl import csl_pieces

    out = _out(out)
    lib = library()
    ids = _selected_ids(lib, status, tag, since, query)
    text = csl_pieces(ids, lib.papers_by_shard(ids), lib.export_keys())
    if _write(out, text, force=force, example="readlist.json", json=True):
        info(f"Wrote {len(ids)} CSL item{'s' if len(ids) != 1 else ''} to {out}")


@import_app.command("markdown")
def import_markdown_command(
    directory: Annotated[Path, typer.Argument(help="A directory written by `readlist export markdown --out DIR`.")],
    dry_run: Annotated[bool, typer.Option("--dry-run", "-n", help="Show what would change; change nothing.")] = False,
) -> None:
    """Bring back notes, tags and status edited in exported Markdown files.

    Only those three change. Files that cannot be matched to a saved paper are
    named and skipped (exit status 1 after the others are applied).
    """
    from readlist.formats.markdown.read import import_markdown

    report = import_markdown(library(), directory.expanduser(), dry_run=dry_run)
    verb = "Would update" if dry_run else "Updated"
    for change in report.updated:
        info(f"{verb} {change.paper_id} ({', '.join(change.fields)}) from {change.rel}")
        for conflict in change.conflicts:
            info(f"  {change.rel}: {conflict}")
    for rel, reason in report.problems:
        error(f"{rel}: {reason}; skipped")
    if not report.updated:
        info(f"No changes to import from {report.matched} file{'s' if report.matched != 1 else ''}")
    if report.problems:
        raise typer.Exit(1)


ImportTags = Annotated[list[str], typer.Option("--tag", "-t", help="Tag every imported paper (repeat for more).")]
ImportStatus = Annotated[
    str | None,
    typer.Option("--status", "-s", help="Set this status on every imported paper (default: new ones to-read)."),
]


@import_app.command("bibtex")
def import_bibtex_command(
    file: Annotated[Path, typer.Argument(help="A .bib file.")],
    tag: ImportTags = [],  # noqa: B006
    status: ImportStatus = None,
) -> None:
    """Import a BibTeX file, offline, keeping every entry whole (type, key, every field).

    keywords become tags, annote the note, readstatus the status. Entries with
    the same arXiv id, DOI or key as a saved paper join it; a likely duplicate
    (same title, first author and year) is reported and kept apart. A broken
    entry is skipped and named with its line and key (exit 1); the rest is imported.
    `readlist refresh` fetches what arXiv knows about the arXiv ones later.
    """
    from readlist.formats.bibtex_import import import_bibtex

    lib = library()
    report = import_bibtex(
        lib, file.expanduser(), tags=tag, status=_status(status), notes_field=lib.settings.bibtex_notes_field
    )
    for line in report.summary_lines():
        info(line)
    if report.skipped:
        raise typer.Exit(1)


@import_app.command("csl")
def import_csl_command(
    file: Annotated[Path, typer.Argument(help="A CSL JSON file (Zotero's or pandoc's).")],
    tag: ImportTags = [],  # noqa: B006
    status: ImportStatus = None,
) -> None:
    """Import a CSL JSON file, keeping every item whole; keyword becomes tags, note the note.

    The same rules as `import bibtex` decide which items are papers already saved.
    """
    from readlist.formats.csl import import_csl

    report = import_csl(library(), file.expanduser(), tags=tag, status=_status(status))
    for line in report.summary_lines():
        info(line)
    if report.skipped:
        raise typer.Exit(1)


def _status(text: str | None) -> "Status | None":
    from readlist.core.models import Status

    return Status.parse(text) if text else None
