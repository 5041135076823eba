"""Commands on saved papers: add, list, show, status, tag, note, rm, open, refresh."""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from readlist.cli.app import app, library, settings
from readlist.cli.output import error, info, paper_text, print_json, print_papers, print_tags
from readlist.core.errors import BadInput, NetworkError

if TYPE_CHECKING:
    from readlist.core.models import Paper

# The data layer (models, query, refs) is imported inside each command: start-up stays light.
SORT_FIELDS_HELP = "Sort by added, title, year, status, author, published."

TagOption = Annotated[list[str], typer.Option("--tag", "-t", help="Tag the paper (repeat for more tags).")]
StatusOption = Annotated[str | None, typer.Option("--status", "-s", help="to-read, reading, read or dropped.")]


def _summary(paper: Paper) -> str:
    version = f" {paper.version}" if paper.version else ""
    return f"{paper.id}{version}  {paper.title or '(pending)'}"


def _split_authors(values: list[str]) -> list[str]:
    names: list[str] = []
    for value in values:
        names += [n.strip() for n in re.split(r",|;|\band\b", value) if n.strip()]
    return names


@app.command("add")
def add(
    refs: Annotated[
        list[str] | None,
        typer.Argument(help="arXiv ids or URLs (2101.03961, arXiv:..., arxiv.org/abs/...).", show_default=False),
    ] = None,
    tag: TagOption = [],  # noqa: B006 (typer reads the default)
    status: StatusOption = None,
    note: Annotated[str | None, typer.Option("--note", "-n", help="A first note.")] = None,
    title: Annotated[str | None, typer.Option(help="Add a paper that is not on arXiv, by hand.")] = None,
    authors: Annotated[list[str], typer.Option("--authors", help='With --title: "First Author, Second Author".')] = [],  # noqa: B006
    year: Annotated[int | None, typer.Option(help="With --title: the year.")] = None,
    url: Annotated[str | None, typer.Option(help="With --title: a link to the paper.")] = None,
    doi: Annotated[str | None, typer.Option(help="With --title: the DOI.")] = None,
) -> None:
    """Save papers by arXiv id or URL, or one paper by hand with --title.

    Adding a saved paper again merges the new tags. If arXiv cannot be reached the
    papers are kept as pending; `readlist refresh` completes them later.
    """
    from readlist.core.models import Status, normalize_tags
    from readlist.core.refs import parse_arxiv_ref

    refs = refs or []
    wanted_status = Status.parse(status) if status else None
    tags = normalize_tags(tag)
    lib = library()
    if title is not None or not refs:
        if refs:
            raise BadInput("give either arXiv references or --title, not both")
        if title is None:
            raise BadInput("nothing to add: give an arXiv id (readlist add 2101.03961) or --title")
        paper, is_new = lib.add_manual(
            title=title, authors=_split_authors(authors), year=year, url=url, doi=doi,
            tags=tags, status=wanted_status, note=note,
        )  # fmt: skip
        info(f"{'Added' if is_new else 'Already saved, updated'} {_summary(paper)}")
        if is_new:
            for other in lib.likely_duplicates(paper):
                info(
                    f"Likely the same paper as {other.id} (key {other.key or '-'}; same title, first author and "
                    f"year), kept apart as {paper.id} (key {paper.key}): `readlist rm {paper.id}` if it is"
                )
        return
    if authors or year or url or doi:
        raise BadInput("--authors, --year, --url and --doi describe a paper added by hand with --title")
    parsed = [parse_arxiv_ref(r) for r in refs]  # all or nothing: bad input changes nothing
    report = lib.add_arxiv(parsed, tags=tags, status=wanted_status, note=note)
    for paper in report.added:
        info(f"Added {_summary(paper)}")
    for paper in report.merged:
        info(f"Already saved, updated {_summary(paper)}")
    failed = False
    for ref in report.unknown:
        error(f"{ref} is not on arXiv: arXiv knows no paper with that id; nothing saved for it")
        failed = True
    if report.interrupted:
        kept = " ".join(p.id for p in report.pending)
        error(f"interrupted; kept as pending: {kept} (run `readlist refresh` later)")
        raise typer.Exit(130)
    if report.error is not None:
        kept = " ".join(p.id for p in report.pending)
        error(f"{report.error}; kept as pending: {kept} (run `readlist refresh` later)")
        failed = True
    elif report.pending:
        info("Pending (run `readlist refresh`): " + " ".join(p.id for p in report.pending))
    if failed:
        raise typer.Exit(1)


QUERY_HELP = (
    "A query: words to find in title, authors, abstract, notes, tags and id (one typo allowed in words of "
    '4+ letters), "a phrase", author:NAME, tag:TAG or #TAG, status:STATUS, year:2020..2022, source:NAME, '
    "id:ID,ID; -TERM leaves out what matches."
)


@app.command("list")
def list_papers(
    status: StatusOption = None,
    tag: Annotated[str | None, typer.Option("--tag", "-t", help="Only papers with this tag.")] = None,
    search: Annotated[str | None, typer.Option("--search", "-q", help=QUERY_HELP)] = None,
    sort: Annotated[str, typer.Option(help=SORT_FIELDS_HELP)] = "added",
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the records as a JSON array.")] = False,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, help="Only the first N papers (in the order shown).")
    ] = None,
) -> None:
    """List saved papers (newest first), optionally filtered; a long list goes through $PAGER at a terminal.

    --status and --tag are the query's status: and tag: terms.
    """
    from readlist.core.models import Status
    from readlist.core.query import list_query, sort_records

    query = list_query(search, status=Status.parse(status) if status else None, tag=tag)
    lib = library()
    records = sort_records(lib.select(query), sort, reverse=reverse)  # light records: no text is read
    if limit is not None:
        records = records[:limit]
    if as_json:
        print_json(lib.joined(records))  # the full records, texts joined
    else:
        print_papers(records)


@app.command("tags")
def tags_command(
    as_json: Annotated[bool, typer.Option("--json", help='Print [{"tag": ..., "count": ...}, ...].')] = False,
) -> None:
    """List every tag with the number of papers carrying it, most used first."""
    from readlist.core.tags import tag_counts

    counts = tag_counts(library().records())
    if as_json:
        print_json([{"tag": tag, "count": count} for tag, count in counts])
    else:
        print_tags(counts)


@app.command("show")
def show(
    ref: Annotated[str, typer.Argument(help="An arXiv id or URL, or a saved id such as doi:...")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the record as JSON.")] = False,
) -> None:
    """Show one saved paper: metadata, status history, tags, abstract and notes."""
    paper = library().find(ref)
    if as_json:
        print_json(paper.to_dict())
    else:
        sys.stdout.write(paper_text(paper) + "\n")


@app.command("status")
def status_command(
    ref: Annotated[str, typer.Argument(help="The paper.")],
    status: Annotated[str, typer.Argument(help="to-read, reading, read or dropped.")],
) -> None:
    """Set a paper's reading status (the date of each change is kept)."""
    from readlist.core.models import Status

    new = Status.parse(status)
    paper = library().set_status(ref, new)
    info(f"{paper.id} is now {paper.status}")


@app.command("tag")
def tag_command(
    ref: Annotated[str | None, typer.Argument(help="The paper.", show_default=False)] = None,
    tags: Annotated[list[str] | None, typer.Argument(help="Tags to add (or remove with --remove).")] = None,
    remove: Annotated[bool, typer.Option("--remove", "-d", help="Remove these tags instead.")] = False,
    rename: Annotated[
        tuple[str, str] | None,
        typer.Option(
            "--rename", metavar="OLD NEW", help="Rename tag OLD to NEW on every paper (merging into NEW if it exists)."
        ),
    ] = None,
) -> None:
    """Add tags to a paper, remove them with --remove, or rename a tag everywhere with --rename OLD NEW."""
    if rename is not None:
        if ref is not None or tags or remove:
            raise BadInput("--rename OLD NEW takes no paper and no other tags: readlist tag --rename OLD NEW")
        from readlist.core.tags import rename_tag

        old, new = rename
        before = rename_tag(library(), old, new)
        count = len(before)
        info(f"Renamed tag {old!r} to {new!r} on {count} paper{'s' if count != 1 else ''}")
        return
    if ref is None or not tags:
        raise BadInput("give a paper and its tags (readlist tag 2101.03961 moe), or --rename OLD NEW")
    paper = library().tag(ref, tags, remove=remove)
    info(f"{paper.id} tags: {' '.join(paper.tags) or '(none)'}")


@app.command("note")
def note_command(
    ref: Annotated[str, typer.Argument(help="The paper.")],
    append: Annotated[
        str | None, typer.Option("--append", "-a", help="Append this text instead of opening $EDITOR.")
    ] = None,
) -> None:
    """Edit a paper's notes (Markdown) in $EDITOR, or append text with --append."""
    lib = library()
    if append is not None:
        if not append.strip():
            raise BadInput("--append needs some text")
        lib.append_note(ref, append)
        return
    from readlist.core.editor import edit_text

    paper = lib.find(ref)
    edited = edit_text(paper.notes, settings().editor, on_warning=lambda line: error(f"warning: {line}"))
    if edited.rstrip("\n") == paper.notes.rstrip("\n"):
        info("Note unchanged")
        return
    lib.set_notes(paper.id, edited.rstrip("\n"))
    info(f"Saved the note of {paper.id}")


@app.command("rm")
def rm(refs: Annotated[list[str], typer.Argument(help="The papers to remove.")]) -> None:
    """Remove papers from the library (all named papers must be saved)."""
    for paper in library().remove(refs):
        info(f"Removed {_summary(paper)}")


@app.command("open")
def open_command(
    ref: Annotated[str, typer.Argument(help="The paper.")],
    pdf: Annotated[bool, typer.Option("--pdf", help="Open the PDF instead of the abstract page.")] = False,
) -> None:
    """Open a paper's page (or its PDF) in the browser."""
    import webbrowser

    from readlist.core.errors import ReadlistError
    from readlist.core.links import check_link

    paper = library().find(ref)
    url = paper.pdf_url if pdf else paper.url
    if not url:
        raise ReadlistError(f"{paper.id} has no {'PDF' if pdf else 'web'} link")
    check_link(url, paper.id, "PDF link" if pdf else "link")  # never an option, a file: or javascript: URL
    if not webbrowser.open(url):
        raise ReadlistError(f"no web browser found to open {url} (set $BROWSER)")
    info(f"Opened {url}")


@app.command("refresh")
def refresh(refs: Annotated[list[str] | None, typer.Argument(help="Papers to refresh (default: all).")] = None) -> None:
    """Fetch pending papers, and say which saved papers have a newer arXiv version."""
    lib = library()
    try:
        report = lib.refresh(refs or [])
    except NetworkError as exc:
        pending = [p.id for p in lib.papers() if p.pending]
        still = f"; still pending: {' '.join(pending)}" if pending else ""
        raise NetworkError(f"{exc}{still}") from None
    for paper in report.completed:
        info(f"Fetched {_summary(paper)}")
    for paper, version in report.newer:
        info(f"Newer version: {paper.id} saved {paper.version}, arXiv has {version}  {paper.title}")
    for paper_id in report.unknown:
        error(f"{paper_id} is not on arXiv (any more)")
    if not (report.completed or report.newer or report.unknown):
        info(f"Checked {report.checked} paper{'s' if report.checked != 1 else ''}: all up to date")
    if report.unknown:
        raise typer.Exit(1)
