"""Filtering and sorting saved papers: shared by ``readlist list`` and the TUI.

Everything here works on the stored records (plain dicts, as library.json
holds them) rather than on :class:`~readlist.core.models.Paper` objects, so
listing 10,000 papers builds no objects at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from readlist.core.errors import BadInput
from readlist.core.models import Status

Record = dict[str, Any]

SORT_FIELDS = ("added", "title", "year", "status", "author", "published")
NEWEST_FIRST = frozenset({"added", "year", "published"})
"""Fields whose natural order is newest first."""
_STATUS_ORDER = {s.value: i for i, s in enumerate(Status)}


def _title(r: Record) -> str:
    return (r.get("title") or "").casefold()


def _first_surname(r: Record) -> str:
    authors = r.get("authors") or []
    return authors[0].split()[-1].casefold() if authors and authors[0].split() else ""


SORT_KEYS: dict[str, Callable[[Record], Any]] = {
    "added": lambda r: r.get("added") or "",
    "title": _title,
    "year": lambda r: (r.get("year") or 0, r.get("published") or ""),
    "status": lambda r: (_STATUS_ORDER.get(r.get("status", ""), 99), _title(r)),
    "author": lambda r: (_first_surname(r), _title(r)),
    "published": lambda r: r.get("published") or "",
}


def search_text(r: Record) -> str:
    """Everything ``--search`` looks in, case-folded: title, authors, abstract, notes, tags, id."""
    parts = (
        r.get("title") or "",
        " ".join(r.get("authors") or ()),
        r.get("abstract") or "",
        r.get("notes") or "",
        " ".join(r.get("tags") or ()),
        r.get("id") or "",
    )
    return " ".join(parts).casefold()


def matches_search(r: Record, query: str) -> bool:
    """Every word of the query appears somewhere in the paper, in any case."""
    hay = search_text(r)
    return all(word in hay for word in query.casefold().split())


def filter_records(
    records: Iterable[Record],
    *,
    status: Status | None = None,
    tag: str | None = None,
    search: str | None = None,
) -> list[Record]:
    selected = []
    for r in records:
        if status is not None and r.get("status") != status.value:
            continue
        if tag is not None and tag not in (r.get("tags") or ()):
            continue
        if search and not matches_search(r, search):
            continue
        selected.append(r)
    return selected


def sort_records(records: list[Record], field: str = "added", reverse: bool = False) -> list[Record]:
    """A sorted copy. Dates and years come newest first; ``reverse`` flips the natural order."""
    if field not in SORT_KEYS:
        raise BadInput(f"cannot sort by {field!r}: use one of {', '.join(SORT_FIELDS)}")
    descending = (field in NEWEST_FIRST) != reverse
    return sorted(records, key=SORT_KEYS[field], reverse=descending)
