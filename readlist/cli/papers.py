"""Commands on saved papers: add, list, show, status, tag, note, rm, open, refresh."""

import re
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from readlist.cli.app import app, keep_until_exit, library, settings
from readlist.cli.output import (
    error,
    hits_text,
    info,
    paper_text,
    print_json,
    print_json_encoded,
    print_papers,
    print_tags,
)
from readlist.core.errors import BadInput, NetworkError

if TYPE_CHECKING:
    from readlist.core.library import AddReport
    from readlist.core.models import Paper, Status
    from readlist.core.refs import ArxivRef
    from readlist.formats.doi import DoiReport

# The data layer (models, query, refs) is imported inside each command: start-up stays light.
SORT_FIELDS_HELP = "Sort by added, title, year, status, author, published."

TagOption = Annotated[list[str], typer.Option("--tag", "-t", help="Tag the paper (repeat for more tags).")]
StatusOption = Annotated[str | None, typer.Option("--status", "-s", help="to-read, reading, read or dropped.")]


def _summary(paper: "Paper") -> str:
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
        typer.Argument(
            help="arXiv ids or URLs (2101.03961, arXiv:..., arxiv.org/abs/...), DOIs (10.1145/..., doi:..., "
            "https://doi.org/...) or publisher pages whose address holds a DOI.",
            show_default=False,
        ),
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
    """Save papers by arXiv id or URL, by DOI, or one paper by hand with --title.

    Adding a saved paper again merges the new tags. If arXiv or the DOI resolver cannot
    be reached the papers are kept as pending; `readlist refresh` completes them later.
    """
    from readlist.core.models import Status, normalize_tags

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
    parsed, dois, pdfs = _references(refs)  # all or nothing: bad input changes nothing
    failed = False
    for pdf in pdfs:
        failed |= _add_pdf(pdf, tags, wanted_status, note)
    if dois:
        failed |= _add_dois(dois, tags, wanted_status, note)
    if not parsed:
        if failed:
            raise typer.Exit(1)
        return
    report = lib.add_arxiv(parsed, tags=tags, status=wanted_status, note=note)
    if report.interrupted:
        _say_arxiv_added(report)
        kept = " ".join(p.id for p in report.pending)
        error(f"interrupted; kept as pending: {kept} (run `readlist refresh` later)")
        raise typer.Exit(130)
    failed = _say_arxiv_added(report) or failed
    if report.error is None and report.pending:
        info("Pending (run `readlist refresh`): " + " ".join(p.id for p in report.pending))
    from readlist.cli.files import fetch_when_set

    failed = fetch_when_set(report.added, "add") or failed
    if failed:
        raise typer.Exit(1)


def _references(refs: list[str]) -> "tuple[list[ArxivRef], list[str], list[Path]]":
    """arXiv references, DOIs (arXiv's own DOIs are arXiv references) and PDFs on disk; BadInput for anything
    else."""
    from readlist.core.doi import paper_reference
    from readlist.core.refs import ArxivRef, find_arxiv_ref

    arxiv: list[ArxivRef] = []
    dois: list[str] = []
    pdfs: list[Path] = []
    for ref in refs:
        found = find_arxiv_ref(ref)
        if found is None and "://" not in ref and (ref.lower().endswith(".pdf") or Path(ref).is_file()):
            if not Path(ref).exists():
                raise BadInput(f"{ref}: no such file")
            pdfs.append(Path(ref))
            continue
        reference = found or paper_reference(ref)
        if isinstance(reference, ArxivRef):
            arxiv.append(reference)
        elif reference is not None:
            dois.append(reference)
        else:
            raise BadInput(
                f"{ref!r} is not an arXiv reference or a DOI: use an id such as 2101.03961 or hep-th/9711200, "
                "an arxiv.org/abs or /pdf URL, a DOI such as 10.1145/3442188.3445922, or a PDF file"
            )
    return arxiv, dois, pdfs


def _say_arxiv_added(report: "AddReport", where: str = "") -> bool:
    """Say what adding arXiv papers did (``where``: how they were found, e.g. in a PDF); whether any failed."""
    for paper in report.added:
        info(f"Added {_summary(paper)}{where}")
    for paper in report.merged:
        info(f"Already saved, updated {_summary(paper)}{where}")
    for paper, old in report.joined:
        info(f"{paper.id} is the paper saved as {old.id} (same DOI): merged into one, now {_summary(paper)}")
    for ref in report.unknown:
        error(f"{ref}{where} is not on arXiv: arXiv knows no paper with that id; nothing saved for it")
    if report.error is not None and not report.interrupted:
        kept = " ".join(p.id for p in report.pending)
        error(f"{report.error}; kept as pending: {kept} (run `readlist refresh` later)")
    return bool(report.unknown) or (report.error is not None and not report.interrupted)


def _say_dois_added(report: "DoiReport", where: str = "") -> bool:
    """Say what adding papers by DOI did (``where``: how the DOIs were found); whether any failed."""
    for paper in report.added:
        info(f"Added {_summary(paper)}{where}")
    for paper in report.updated:
        info(f"Already saved, updated {_summary(paper)}{where}")
    for paper, why in report.merged:
        info(f"{paper.doi} is {paper.id}, saved already ({why}): merged, both kept  {paper.title}")
    for line in report.failed:
        error(f"{line}{where}")
    if report.error is not None:
        kept = " ".join(p.id for p in report.pending)
        error(f"{report.error}; kept as pending: {kept} (run `readlist refresh` later)")
    return bool(report.failed) or report.error is not None


def _add_pdf(path: Path, tags: list[str], status: "Status | None", note: str | None) -> bool:
    """Add the paper a PDF on disk is, with the file, and say what happened; whether it failed."""
    from readlist.cli.files import report_attached
    from readlist.core.errors import ReadlistError
    from readlist.formats.pdf_paper import add_pdf

    try:
        result = add_pdf(library(), path, tags=tags, status=status, note=note)
    except ReadlistError as exc:
        error(f"{exc}; nothing saved for {path}")
        return True
    failed = False
    where = f" (from {result.found} of {path})"
    if result.arxiv is not None:
        failed = _say_arxiv_added(result.arxiv, where)
    elif result.dois is not None:
        failed = _say_dois_added(result.dois, where)
    elif result.paper is not None:
        info(
            f"No arXiv id or DOI found in {path}: saved {result.paper.id} as pending, titled "
            f"{result.paper.title!r} from the PDF, with the file (`readlist edit {result.paper.id}` completes it)"
        )
    if result.already and result.paper is not None:
        info(f"{path} is attached to {result.paper.id} already")
    if result.attached is not None:
        failed |= not report_attached(result.attached)
    return failed


def _add_dois(dois: list[str], tags: list[str], status: "Status | None", note: str | None) -> bool:
    """Add papers by DOI and say what happened; whether any failed."""
    from readlist.formats.doi import add_dois

    report = add_dois(library(), dois, tags=tags, status=status, note=note)
    failed = _say_dois_added(report)
    if report.error is None and report.pending:
        info("Pending (the resolver's record has no title; run `readlist refresh --doi`): "
             + " ".join(p.id for p in report.pending))  # fmt: skip
    return failed


QUERY_HELP = (
    "A query: words to find in title, authors, abstract, notes, tags and id (one typo allowed in words of "
    '4+ letters), "a phrase", author:NAME, tag:TAG or #TAG, status:STATUS, year:2020..2022, source:NAME, '
    'id:ID,ID, text:WORDS or text:"a phrase" (in the attached PDFs); -TERM leaves out what matches.'
)
FullTextOption = Annotated[
    bool, typer.Option("--full-text", help="Look for the query's words in the attached PDFs' text too.")
]


@app.command("list")
def list_papers(
    status: StatusOption = None,
    tag: Annotated[str | None, typer.Option("--tag", "-t", help="Only papers with this tag.")] = None,
    search: Annotated[str | None, typer.Option("--search", "-q", help=QUERY_HELP)] = None,
    sort: Annotated[str, typer.Option(help=SORT_FIELDS_HELP)] = "added",
    reverse: Annotated[bool, typer.Option("--reverse", "-r", help="Reverse the order.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the records as a JSON array.")] = False,
    full_text: FullTextOption = False,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, help="Only the first N papers (in the order shown).")
    ] = None,
) -> None:
    """List saved papers (newest first), optionally filtered; a long list goes through $PAGER at a terminal.

    --status and --tag are the query's status: and tag: terms. With text: terms (or --full-text),
    --json adds each paper's "hits": the pages of its PDFs that hold them, with a snippet.
    """
    from readlist.core.models import Status
    from readlist.core.query import list_query, sort_order

    query = list_query(search, status=Status.parse(status) if status else None, tag=tag)
    lib = library()
    if not as_json:
        found = lib.list_rows(query, full_text=full_text)
        order = sort_order(found, sort, reverse=reverse)
        print_papers(found, order[:limit] if limit is not None else order)
        keep_until_exit(found)
        return
    # --json joins every record with its text, so it parses library.json anyway: the rows would be a second copy.
    ids = lib.sorted_ids(query, sort, reverse=reverse, full_text=full_text)
    if limit is not None:
        ids = ids[:limit]
    from readlist.core.attachments.snippets import phrases_of

    if phrases_of(query, full_text=full_text):
        hits = lib.text_hits(query, [{"id": i} for i in ids], full_text=full_text)
        print_json([{**r, "hits": hits.get(str(r.get("id")), [])} for parts in lib.joined_parts(ids) for r in parts])
    else:
        print_json_encoded(lib.joined_json_parts(ids))  # the full records, texts joined, printed as they are


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
    search: Annotated[
        str | None, typer.Option("--search", "-q", help='Also show where text:"..." (or, with --full-text, words) is.')
    ] = None,
    full_text: FullTextOption = False,
) -> None:
    """Show one saved paper: metadata, status history, tags, files, abstract and notes.

    With -q, the pages of its PDFs that hold the query's text: terms, each with a snippet.
    """
    lib = library()
    paper = lib.find(ref)
    hits: list[dict[str, object]] | None = None
    if search is not None:
        from readlist.core.query import compile_query

        query = compile_query(search)
        hits = lib.text_hits(query, [paper.to_dict()], full_text=full_text).get(paper.id, [])
    if as_json:
        print_json(paper.to_dict() if hits is None else {**paper.to_dict(), "hits": hits})
        return
    sys.stdout.write(paper_text(paper) + "\n")
    if hits is not None:
        sys.stdout.write(hits_text(hits) + "\n")


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


@app.command("edit")
def edit_command(ref: Annotated[str, typer.Argument(help="The paper.")]) -> None:
    """Edit a paper's title, authors, year, venue, type, key, DOI, URL and abstract in $EDITOR.

    The fields open as YAML; they are checked on save, and a bad edit reopens with the
    problem at the top (nothing is applied until every field checks). Your edits are
    written over the entry as imported on BibTeX and CSL export.
    """
    from readlist.formats.edit_form import edit_in_editor

    lib = library()
    paper = lib.find(ref)
    changes = edit_in_editor(paper, settings().editor)
    if changes is None:
        info(f"Empty form: {paper.id} unchanged")
        return
    if not changes:
        info(f"{paper.id} unchanged")
        return
    paper = lib.edit_fields(paper.id, changes)
    info(f"Saved {paper.id}: {', '.join(changes)}")


@app.command("rm")
def rm(refs: Annotated[list[str], typer.Argument(help="The papers to remove.")]) -> None:
    """Remove papers from the library (all named papers must be saved)."""
    for paper in library().remove(refs):
        info(f"Removed {_summary(paper)}")


@app.command("open")
def open_command(
    ref: Annotated[str, typer.Argument(help="The paper.")],
    pdf: Annotated[bool, typer.Option("--pdf", help="Its local PDF, else arXiv's PDF.")] = False,
    web: Annotated[bool, typer.Option("--web", help="Its web page, even when it has a local file.")] = False,
    page: Annotated[int | None, typer.Option("--page", help="Open the local PDF at this page (some viewers).")] = None,
) -> None:
    """Open a paper's local file when it has one, else its page in the browser."""
    import webbrowser

    from readlist.core.errors import ReadlistError
    from readlist.core.links import check_link, no_browser

    lib = library()
    paper = lib.find(ref)
    local = None if web else lib.local_file(paper, pdf=pdf)
    if local is not None:
        from readlist.core.attachments.opener import open_local

        open_local(local, page=page, viewer=settings().pdf_viewer)
        info(f"Opened {local}")
        return
    url = paper.pdf_url if pdf else paper.url
    if not url:
        raise ReadlistError(f"{paper.id} has no {'PDF' if pdf else 'web'} link")
    check_link(url, paper.id, "PDF link" if pdf else "link")  # never an option, a file: or javascript: URL
    if not webbrowser.open(url):
        raise ReadlistError(no_browser(url))
    info(f"Opened {url}")


@app.command("refresh")
def refresh(
    refs: Annotated[list[str] | None, typer.Argument(help="Papers to refresh (default: all).")] = None,
    doi: Annotated[
        bool, typer.Option("--doi", help="Also complete papers not on arXiv that have a DOI but lack fields.")
    ] = False,
) -> None:
    """Fetch pending papers (arXiv and DOI), and say which saved papers have a newer arXiv version."""
    from readlist.formats.doi import refresh_dois

    lib = library()
    ids = [lib.key(r) for r in refs or []]
    try:
        report = lib.refresh(ids)
    except NetworkError as exc:
        pending = [p.id for p in lib.papers() if p.pending]
        still = f"; still pending: {' '.join(pending)}" if pending else ""
        raise NetworkError(f"{exc}{still}") from None
    by_doi = refresh_dois(lib, ids, incomplete=doi)
    for paper in report.completed + by_doi.added:
        info(f"Fetched {_summary(paper)}")
    for paper, version in report.newer:
        info(f"Newer version: {paper.id} saved {paper.version}, arXiv has {version}  {paper.title}")
    for paper_id in report.unknown:
        error(f"{paper_id} is not on arXiv (any more)")
    for line in by_doi.failed:
        error(line)
    if by_doi.error is not None:
        still = " ".join(p.id for p in by_doi.pending)
        raise NetworkError(f"{by_doi.error}{'; still pending: ' + still if still else ''}")
    if not (report.completed or report.newer or report.unknown or by_doi.added or by_doi.failed):
        checked = report.checked
        info(f"Checked {checked} paper{'s' if checked != 1 else ''}: all up to date")
    if report.unknown or by_doi.failed:
        raise typer.Exit(1)
