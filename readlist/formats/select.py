"""Which papers an export holds, and in what order.

The filters are the query language's (:mod:`readlist.core.query`): ``--query``
is a query as `readlist list -q` and the TUI filter take it, and ``--status``
and ``--tag`` are its ``status:`` and ``tag:`` terms; ``--since`` keeps papers
added on or after a date.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar

from readlist.core.errors import BadInput
from readlist.core.models import Paper, Status
from readlist.core.query import Query, Term, compile_query, status_term, tag_term

if TYPE_CHECKING:
    from readlist.core.library import Library

T = TypeVar("T")


def parse_since(text: str) -> str:
    """A ``--since`` date as the ISO prefix it stands for: YYYY, YYYY-MM or YYYY-MM-DD."""
    value = text.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if not m or (m[2] and not 1 <= int(m[2]) <= 12) or (m[3] and not 1 <= int(m[3]) <= 31):
        raise BadInput(f"--since {text!r} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY")
    return value


def select_papers(
    papers: Iterable[Paper],
    library: Library,
    *,
    status: Status | str | None = None,
    tag: str | None = None,
    since: str | None = None,
    query: str | Query | None = None,
) -> list[Paper]:
    """Those of ``papers`` (the library's) matching every given filter, in a stable order (newest added first,
    then id).

    ``query`` is a query of the query language, as text or compiled (the TUI
    passes its filter, or the ids of the marked rows), run as `readlist list -q` runs it
    (:meth:`readlist.core.library.Library.select`: the search index for words and ``text:``,
    predicates over the light records for fields; PDFs' pages as the extraction cache holds them, no PDF
    is read). ``since`` keeps papers
    added on or after that date (a YYYY, YYYY-MM or YYYY-MM-DD prefix). The
    order never depends on the order of the store.
    """
    by_id = {p.id: p for p in papers}
    chosen = select_ids(
        [{"id": p.id, "added": p.added} for p in by_id.values()], library, status=status, tag=tag, since=since,
        query=query,
    )  # fmt: skip
    return [by_id[paper_id] for paper_id in chosen]


def select_ids(
    records: Iterable[Mapping[str, Any]],
    library: Library,
    *,
    status: Status | str | None = None,
    tag: str | None = None,
    since: str | None = None,
    query: str | Query | None = None,
) -> list[str]:
    """:func:`select_papers` over records that give each paper's ``id`` and ``added`` (the light records as
    stored): the ids of the papers chosen, in the same order, no paper's text read."""
    compiled = compile_query(query) if isinstance(query, str) else query or compile_query("")
    extra: list[Term] = []
    if status is not None:
        extra.append(status_term(status))
    if tag:
        extra.append(tag_term(tag))
    compiled = compiled.narrowed(*extra)
    floor = parse_since(since) if since else None
    wanted = {str(r["id"]) for r in library.select(compiled, read_pdfs=False)} if compiled.terms else None
    chosen: list[tuple[str, str]] = []
    for record in records:
        paper_id, added = str(record["id"]), str(record.get("added") or "")
        if (floor is None or added[: len(floor)] >= floor) and (wanted is None or paper_id in wanted):
            chosen.append((added, paper_id))
    return [paper_id for _, paper_id in _newest_first(chosen, itemgetter(0), itemgetter(1))]


def stable_order(papers: Iterable[Paper]) -> list[Paper]:
    """Newest added first; ids (unique) break ties, so the order is total."""
    return _newest_first(papers, lambda p: p.added or "", lambda p: p.id)


def _newest_first(items: Iterable[T], added: Callable[[T], str], paper_id: Callable[[T], str]) -> list[T]:
    """Newest added first; ids (unique) break ties, so the order is total."""
    return sorted(sorted(items, key=paper_id), key=added, reverse=True)
