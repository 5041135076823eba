"""Filtering and sorting papers: shared by ``readlist list`` and the TUI."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from readlist.core.errors import BadInput
from readlist.core.models import Paper, Status

SORT_FIELDS = ("added", "title", "year", "status", "author", "published")
_STATUS_ORDER = {s.value: i for i, s in enumerate(Status)}


def search_text(paper: Paper) -> str:
    """Everything ``--search`` looks in, lower-cased: title, authors, abstract, notes, tags."""
    return " ".join(
        (paper.title, " ".join(paper.authors), paper.abstract, paper.notes, " ".join(paper.tags), paper.id)
    ).casefold()


def matches_search(paper: Paper, query: str) -> bool:
    """Every word of the query appears somewhere in the paper, in any case."""
    hay = search_text(paper)
    return all(word in hay for word in query.casefold().split())


def filter_papers(
    papers: Iterable[Paper],
    *,
    status: Status | None = None,
    tag: str | None = None,
    search: str | None = None,
) -> list[Paper]:
    selected = []
    for paper in papers:
        if status is not None and paper.status != status.value:
            continue
        if tag is not None and tag not in paper.tags:
            continue
        if search and not matches_search(paper, search):
            continue
        selected.append(paper)
    return selected


def sort_key(field: str) -> Any:
    if field not in SORT_FIELDS:
        raise BadInput(f"cannot sort by {field!r}: use one of {', '.join(SORT_FIELDS)}")
    keys = {
        "added": lambda p: p.added,
        "title": lambda p: p.title.casefold(),
        "year": lambda p: (p.year or 0, p.published or ""),
        "status": lambda p: (_STATUS_ORDER.get(p.status, 99), p.title.casefold()),
        "author": lambda p: (p.authors[0].split()[-1].casefold() if p.authors else "", p.title.casefold()),
        "published": lambda p: p.published or "",
    }
    return keys[field]


def sort_papers(papers: list[Paper], field: str = "added", reverse: bool | None = None) -> list[Paper]:
    """Sorted copy. Dates and years sort newest first unless ``reverse`` says otherwise."""
    newest_first = field in ("added", "year", "published")
    descending = newest_first if reverse is None else (newest_first != reverse)
    return sorted(papers, key=sort_key(field), reverse=descending)
