"""Printing for the command line: JSON for scripts, rich tables for people.

JSON goes out as ``json.dumps`` of the stored records. Human output uses rich
only when stdout is a terminal (and then respects NO_COLOR); piped output is
plain tab-separated lines, one paper per line, easy to grep and cut.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from readlist.core.models import Paper

Record = dict[str, Any]


def print_json(data: Any) -> None:
    """The records as JSON: indented for a person at a terminal, compact for a pipe."""
    import orjson  # ~10x faster than json.dumps on a large library

    option = orjson.OPT_APPEND_NEWLINE | (orjson.OPT_INDENT_2 if sys.stdout.isatty() else 0)
    sys.stdout.write(orjson.dumps(data, option=option).decode("utf-8"))


def info(message: str) -> None:
    """A line for the person at the terminal (stderr keeps stdout for data)."""
    print(message, file=sys.stderr)


def error(message: str) -> None:
    print(f"readlist: {message}", file=sys.stderr)


def _date(iso: str | None) -> str:
    return (iso or "")[:10]


def paper_line(r: Record) -> str:
    """One paper as a tab-separated line: id, status, year, title, first author, tags."""
    from readlist.core.models import first_author

    fields = (
        r["id"], r.get("status", ""), str(r.get("year") or ""), r.get("title") or "",
        first_author(r.get("authors") or []), ",".join(r.get("tags") or ()),
    )  # fmt: skip
    return "\t".join(fields)


def print_papers(records: list[Record]) -> None:
    """Saved papers (as stored records): a table for a person, plain lines for a pipe."""
    if not sys.stdout.isatty():
        sys.stdout.write("".join(paper_line(r) + "\n" for r in records))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    from readlist.core.models import Status, first_author

    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("", no_wrap=True)
    table.add_column("id", style="cyan", no_wrap=True)
    table.add_column("title", ratio=3)
    table.add_column("first author", ratio=1, no_wrap=True)
    table.add_column("year", no_wrap=True)
    table.add_column("tags", style="magenta", ratio=1)
    table.add_column("added", no_wrap=True, style="dim")
    for r in records:
        title = Text(r.get("title") or "")  # Text, not markup: titles may hold brackets
        if r.get("pending"):
            title.append(" (pending)", style="dim")
        table.add_row(
            Status(r.get("status", "to-read")).mark, Text(r["id"]), title, Text(first_author(r.get("authors") or [])),
            str(r.get("year") or ""), Text(" ".join(r.get("tags") or ())), _date(r.get("added")),
        )  # fmt: skip
    console = Console()
    console.print(table)
    console.print(f"[dim]{len(records)} paper{'s' if len(records) != 1 else ''}[/dim]")


def paper_text(paper: Paper) -> str:
    """A plain-text card of one paper (what `show` prints)."""
    lines = [paper.title or "(title not fetched yet)"]
    if paper.authors:
        lines.append(", ".join(paper.authors))
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
        ("journal", paper.journal_ref or ""),
        ("added", _date(paper.added)),
        ("source", paper.source),
    ]
    lines += [f"{name:<11}{value}" for name, value in rows if value]
    if paper.pending:
        lines.append("pending    metadata not fetched yet: run `readlist refresh`")
    if paper.blurb:
        lines += ["", "Why it was picked:", paper.blurb]
    if paper.abstract:
        lines += ["", "Abstract:", paper.abstract]
    if paper.notes:
        lines += ["", "Notes:", paper.notes]
    return "\n".join(lines)
