"""Printing for the command line: JSON for scripts, rich tables for people.

JSON goes out as ``json.dumps`` of the stored records. Human output uses rich
only when stdout is a terminal (and then respects NO_COLOR); piped output is
plain tab-separated lines, one paper per line, easy to grep and cut.

Everything printed from data passes :mod:`readlist.core.clean` again (the
second wall, for libraries stored before readlist cleaned what it stores):
tables and lines with :func:`clean_line`, multi-line text with
:func:`clean_text`, messages too. Rich gets ``Text`` objects, never markup
built from data. JSON stays exact: the characters the wall removes are
written as ``\\uXXXX`` escapes, which a JSON reader turns back into the same
string and a terminal shows as text.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from readlist.core.clean import clean_line, clean_text, inert_json_bytes

if TYPE_CHECKING:
    from readlist.core.models import Paper

Record = dict[str, Any]


def print_json(data: Any) -> None:
    """The records as JSON: indented for a person at a terminal, compact for a pipe."""
    import orjson  # ~10x faster than json.dumps on a large library

    option = orjson.OPT_APPEND_NEWLINE | (orjson.OPT_INDENT_2 if sys.stdout.isatty() else 0)
    payload = inert_json_bytes(orjson.dumps(data, option=option))
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:  # bytes straight out: a 10,000-paper library is 25 MB of JSON
        buffer.write(payload)
        buffer.flush()
    else:  # a text stream without a buffer (captured output in tests)
        sys.stdout.write(payload.decode("utf-8"))


def print_json_encoded(parts: Iterable[list[bytes]]) -> None:
    """One JSON array of the items of ``parts`` (lists of items given as JSON, each one value as
    ``orjson.dumps`` writes it): what :func:`print_json` prints for their values, byte for byte, but written
    part by part, so that a long list (a 50,000-paper library is 150 MB of JSON) is never held whole."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None or sys.stdout.isatty():  # indented, or captured as text: in one go
        import orjson

        print_json([orjson.loads(item) for part in parts for item in part])
        return
    sys.stdout.flush()
    opened = False
    try:
        for part in parts:
            if not part:
                continue
            payload = inert_json_bytes(b",".join(part))  # escapes are per character: a part is a whole
            buffer.write(b"".join((b"," if opened else b"[", payload)))  # nothing left in the buffer if it fails
            opened = True
    except BrokenPipeError:
        return  # the reader left (`readlist list --json | head`): the rest is not wanted, as when written whole
    buffer.write(b"]\n" if opened else b"[]\n")
    buffer.flush()


def clean_export(text: str) -> str:
    """An export printed to stdout: no control or bidi characters but newline and tab."""
    return clean_text(text)


def info(message: str) -> None:
    """A line for the person at the terminal (stderr keeps stdout for data); data in it is made inert."""
    print(clean_text(message), file=sys.stderr)


def error(message: str) -> None:
    print(f"readlist: {clean_text(message)}", file=sys.stderr)


def _date(iso: str | None) -> str:
    return (iso or "")[:10]


def paper_line(r: Record) -> str:
    """One paper as a tab-separated line: id, status, year, title, first author, tags."""
    from readlist.core.models import first_author

    fields = (
        r["id"], r.get("status", ""), str(r.get("year") or ""), r.get("title") or "",
        first_author(r.get("authors") or []), ",".join(r.get("tags") or ()),
    )  # fmt: skip
    line = "\t".join(str(f) for f in fields)
    if line.count("\t") == len(fields) - 1 and clean_line(line.replace("\t", " ")) == line.replace("\t", " "):
        return line  # the usual case: nothing to clean (one check per line, not per field)
    return "\t".join(clean_line(str(f)) for f in fields)


def _raw_lines(records: Iterable[Record]) -> list[str]:
    """:func:`paper_line` of each record with its newline, in the usual case (not checked: see
    :func:`_checked_lines`)."""
    parts = []
    for r in records:
        authors = r.get("authors") or ()
        first = (authors[0] + " et al." if len(authors) > 1 else authors[0]) if authors else ""
        tags = ",".join(r.get("tags") or ())
        parts.append(
            f"{r['id']}\t{r.get('status', '')}\t{r.get('year') or ''}\t{r.get('title') or ''}\t{first}\t{tags}\n"
        )
    return parts


def _checked_lines(parts: list[str], records: Iterable[Record]) -> str:
    """``parts`` (the :func:`_raw_lines` of ``records``) as one text, checked once: a text with nothing but
    printable characters, tabs and newlines, as many as the lines need; else made the long way."""
    text = "".join(parts)
    tabs, lines = text.count("\t"), text.count("\n")
    # isprintable: no control, separator or bidi character (nor a few harmless ones: those take the long way)
    if tabs == 5 * len(parts) and lines == len(parts) and text.replace("\t", "").replace("\n", "").isprintable():
        return text
    return "".join(paper_line(r) + "\n" for r in records)


def paper_lines(records: list[Record]) -> str:
    """:func:`paper_line` of each record, each ending in a newline: built in one go and checked once in the
    usual case."""
    return _checked_lines(_raw_lines(records), records)


def _write_lines(records: list[Record], order: Sequence[int]) -> None:
    """The :func:`paper_lines` of ``records`` in ``order``, written a few thousand at a time.

    The lines are made in the order the records lie in memory (made in that order, as read) and only then
    put in ``order``: at 50,000 papers, going over the records in sorted order costs twice as much."""
    if len(order) * 2 < len(records):  # a few of many (--limit): only those
        records, order = [records[i] for i in order], range(len(order))
    lines = _raw_lines(records)
    write = sys.stdout.write
    try:
        for start in range(0, len(order), LINES_AT_ONCE):  # a long list is never held whole as text
            part = order[start : start + LINES_AT_ONCE]
            write(_checked_lines([lines[i] for i in part], (records[i] for i in part)))
    except BrokenPipeError:
        pass  # the reader left (`readlist list | head`): the rest is not wanted, as when written whole


TITLE_ROOM = 30
"""Columns the title gets at least; narrower terminals drop the first author, then move ids under titles."""


LINES_AT_ONCE = 2000
"""Papers written at a time to a pipe (50,000 papers are 6 MB of text, and each copy of it costs)."""

PAGE_ROWS = 100
"""Rows drawn at a time when a long list is streamed to the pager (each block is one small table)."""


def print_papers(records: list[Record], order: Sequence[int] | None = None) -> None:
    """Saved papers (as stored records), in ``order`` (positions in ``records``; by default as they are):
    a table for a person, plain lines for a pipe.

    A table longer than the terminal goes through ``$PAGER`` (``less -FRX`` when
    unset; an empty ``PAGER`` or ``cat`` writes straight to the terminal), as
    git does, drawn and handed over in blocks of :data:`PAGE_ROWS` rows with the
    same column widths, so that the first screen shows at once however long
    the list.
    """
    if not sys.stdout.isatty():
        _write_lines(records, range(len(records)) if order is None else order)
        return
    if order is not None:
        records = [records[i] for i in order]
    from rich.console import Console

    console = Console()
    footer = f"[dim]{len(records)} paper{'s' if len(records) != 1 else ''}[/dim]"
    if len(records) + 2 <= console.height:
        console.print(papers_table(records, console.width))
        console.print(footer)
        return
    layout = table_layout(records, console.width)
    pager = _start_pager()
    out = console if pager is None else Console(file=pager.stdin, force_terminal=True, width=console.width)
    try:
        for start in range(0, len(records), PAGE_ROWS):
            block = records[start : start + PAGE_ROWS]
            out.print(papers_table(block, console.width, layout=layout, header=start == 0))
        out.print(footer)
    except BrokenPipeError:
        pass  # the pager was closed before the end: nothing more to show
    except KeyboardInterrupt:
        if pager is not None:
            pager.terminate()
    finally:
        if pager is not None:
            with contextlib.suppress(BrokenPipeError, OSError):
                assert pager.stdin is not None
                pager.stdin.close()
            pager.wait()


def _start_pager() -> Any:
    """``$PAGER`` (else ``less -FRX``) reading from a pipe, or None to write to the terminal itself."""
    import shlex
    import subprocess

    command = os.environ.get("PAGER", "less -FRX")
    try:
        argv = shlex.split(command)
    except ValueError:
        return None
    if not argv or argv == ["cat"]:
        return None
    try:
        return subprocess.Popen(argv, stdin=subprocess.PIPE, text=True, encoding="utf-8", errors="replace")
    except OSError:
        return None  # no such pager: the rows still stream to the terminal


def table_layout(records: list[Record], width: int) -> dict[str, Any]:
    """The column widths of the papers table for ``records`` on a terminal ``width`` columns wide."""
    from rich.cells import cell_len

    id_width = max((cell_len(clean_line(r["id"])) for r in records), default=2)
    tags_width = min(18, max((cell_len(clean_line(" ".join(r.get("tags") or ()))) for r in records), default=4))
    show_added = width >= 110
    author_width = 22 if width >= 110 else 16
    room = width - (1 + 4 + max(4, tags_width) + 4 * 2) - (10 + 2 if show_added else 0) - (id_width + 2)
    show_author = room - (author_width + 2) >= TITLE_ROOM
    title_width = room - (author_width + 2 if show_author else 0)
    return {
        "id": id_width, "tags": max(4, tags_width), "added": show_added, "author": author_width,
        "room": room, "show_author": show_author, "title": title_width,
    }  # fmt: skip


def papers_table(
    records: list[Record], width: int, *, layout: dict[str, Any] | None = None, header: bool = True
) -> Any:
    """The table of `list` for a terminal ``width`` columns wide.

    Ids never break (they are what other commands take) and the title keeps at
    least TITLE_ROOM columns: a narrower terminal loses the date added, then the
    first author; when even that leaves too little, each paper takes two lines,
    its title, then its id with the first author, year and tags.
    """
    from rich.table import Table
    from rich.text import Text

    from readlist.core.models import first_author

    def cells(r: Record) -> dict[str, str]:
        return {
            "id": clean_line(r["id"]), "title": clean_line(r.get("title") or ""),
            "author": clean_line(first_author(r.get("authors") or [])), "year": clean_line(str(r.get("year") or "")),
            "tags": clean_line(" ".join(r.get("tags") or ())), "added": clean_line(_date(r.get("added"))),
        }  # fmt: skip

    rows = [(r, cells(r)) for r in records]
    fixed = layout is not None  # blocks of one long list: every block gets the same widths
    layout = layout or table_layout(records, width)
    id_width, tags_width, show_added = layout["id"], layout["tags"], layout["added"]
    author_width, room, show_author = layout["author"], layout["room"], layout["show_author"]
    table = Table(box=None, header_style="bold", pad_edge=False, show_header=header)
    table.add_column("", no_wrap=True)
    if room < TITLE_ROOM:  # two lines per paper
        table.add_column("title / id · first author · year · tags")
        for r, c in rows:
            text = Text(c["title"])  # Text, not markup: titles may hold brackets
            if r.get("pending"):
                text.append(" (pending)", style="dim")
            text.append("\n")
            text.append(c["id"], style="cyan")
            text.append("  " + " · ".join(c[k] for k in ("author", "year", "tags") if c[k]), style="dim")
            table.add_row(_mark(r.get("status")), text)
        return table
    table.add_column("id", style="cyan", no_wrap=True, min_width=id_width)
    table.add_column("title", ratio=1, min_width=TITLE_ROOM, width=layout["title"] if fixed else None)
    if show_author:
        table.add_column(
            "first author", max_width=author_width, no_wrap=True, overflow="ellipsis",
            width=author_width if fixed else None,
        )  # fmt: skip
    table.add_column("year", no_wrap=True, width=4 if fixed else None)
    table.add_column("tags", style="magenta", max_width=tags_width, width=tags_width if fixed else None)
    if show_added:
        table.add_column("added", no_wrap=True, style="dim")
    for r, c in rows:
        title = Text(c["title"])
        if r.get("pending"):
            title.append(" (pending)", style="dim")
        row: list[Any] = [_mark(r.get("status")), Text(c["id"]), title]
        if show_author:
            row.append(Text(c["author"]))
        row += [Text(c["year"]), Text(c["tags"])]
        if show_added:
            row.append(Text(c["added"]))
        table.add_row(*row)
    return table


def print_tags(counts: list[tuple[str, int]]) -> None:
    """Tags with their counts: a table for a person, ``tag<TAB>count`` lines for a pipe."""
    if not sys.stdout.isatty():
        sys.stdout.write("".join(f"{clean_line(tag)}\t{count}\n" for tag, count in counts))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()
    if not counts:
        console.print("[dim]No tags yet: `readlist tag ID TAG` adds one.[/dim]")
        return
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("tag", style="magenta")
    table.add_column("papers", justify="right", no_wrap=True)
    for tag, count in counts:
        table.add_row(Text(clean_line(tag)), str(count))
    console.print(table)
    console.print(f"[dim]{len(counts)} tag{'s' if len(counts) != 1 else ''}[/dim]")


def _mark(status: Any) -> str:
    from readlist.core.models import Status

    try:
        return Status(status or "to-read").mark
    except ValueError:
        return "?"


def file_summary(entry: dict[str, Any]) -> str:
    """One attachment in words: ``files/x.pdf  pdf, 39 pages, 3.4 MB``."""
    size = entry.get("size")
    parts = [str(entry.get("kind") or "file")]
    if isinstance(entry.get("pages"), int):
        parts.append(f"{entry['pages']} page{'s' if entry['pages'] != 1 else ''}")
    if isinstance(size, int):
        parts.append(f"{size / 1_000_000:.1f} MB" if size >= 100_000 else f"{size / 1000:.0f} kB")
    if entry.get("linked"):
        parts.append("linked in place")
    if entry.get("problem"):
        parts.append(f"text not readable ({entry['problem']})")
    return f"{entry.get('path', '')}  {', '.join(parts)}"


def hits_text(hits: list[dict[str, Any]]) -> str:
    """The pages a search found in a paper's PDFs: ``p. 3  files/x.pdf  …snippet…`` per page."""
    if not hits:
        return "\nNot found in its files."
    lines = ["", "Found in its files:"]
    lines += [
        f"  p. {h.get('page')}  {clean_line(str(h.get('path', '')))}  {clean_line(str(h.get('snippet', '')))}"
        for h in hits
    ]
    return "\n".join(lines)


def paper_text(paper: Paper) -> str:
    """A plain-text card of one paper (what `show` prints), every field made inert."""
    return clean_text("\n".join(_card_lines(paper)))


def _card_lines(paper: Paper) -> list[str]:
    lines = [clean_line(paper.title) or "(title not fetched yet)"]
    if paper.authors:
        lines.append(clean_line(", ".join(paper.authors)))
    lines.append("")
    version = f" {paper.version}" if paper.version else ""
    newer = (
        f" (arXiv has {paper.latest_version})"
        if paper.latest_version and paper.version and paper.latest_version != paper.version
        else ""
    )
    rows = [
        ("id", f"{paper.id}{version}{newer}"),
        ("key", paper.key or ""),
        ("status", paper.status + "".join(f"  ·  {c['status']} {_date(c['date'])}" for c in paper.status_history[-3:])),
        ("published", _date(paper.published)),
        ("categories", " ".join(paper.categories)),
        ("tags", " ".join(paper.tags)),
        ("url", paper.url or ""),
        ("pdf", paper.pdf_url or ""),
        ("doi", paper.doi or ""),
        ("type", paper.type or ""),
        ("journal", paper.journal_ref or ""),
        ("added", _date(paper.added)),
        ("source", paper.source),
    ]
    lines += [f"{name:<11}{clean_line(value)}" for name, value in rows if value]
    if paper.pending and paper.id.startswith("manual:"):
        lines.append(f"pending    its details are not known: `readlist edit {paper.id}` completes them")
    elif paper.pending:
        lines.append("pending    metadata not fetched yet: run `readlist refresh`")
    for entry in paper.files:
        lines.append(f"{'file':<11}{clean_line(file_summary(entry))}")
    if paper.blurb:
        lines += ["", "Why it was picked:", clean_text(paper.blurb)]
    if paper.abstract:
        lines += ["", "Abstract:", clean_text(paper.abstract)]
    if paper.notes:
        lines += ["", "Notes:", clean_text(paper.notes)]
    return lines
