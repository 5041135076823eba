"""What the library screen shows: papers in sort order, per-view lists, the filter.

Plain Python (no Textual) so that it can be built in a worker thread and
measured on its own. It works on the stored records (dicts) and makes a
:class:`~readlist.core.models.Paper` only for a row that is looked at, so a
10,000-paper library is sorted and indexed without building 10,000 objects.
Filtering a view only computes a list of positions; the table widget renders
the visible slice.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, overload

from readlist.core.models import Paper, Status
from readlist.core.query import NEWEST_FIRST, SORT_KEYS
from readlist.tui.search import SearchIndex, haystack

ALL = "all"
SUGGESTIONS = "suggestions"
VIEWS: tuple[str, ...] = (*(s.value for s in Status), ALL)
VIEW_LABELS = {"to-read": "To read", "reading": "Reading", "read": "Read", "dropped": "Dropped", ALL: "All"}
SORTS: tuple[str, ...] = ("added", "title", "year", "status")
SORT_LABELS = {"added": "date added", "title": "title", "year": "year", "status": "status"}
"""The TUI's sorts; the orders themselves are readlist.core.query's (dates and years newest first)."""

Record = dict[str, Any]


def record_haystack(r: Record) -> str:
    return haystack(r.get("title") or "", r.get("authors") or [], r.get("tags") or [], r.get("notes") or "")


class LazyPapers(Sequence[Paper]):
    """Papers made from records on first access, then kept."""

    def __init__(self, records: list[Record], positions: dict[str, int] | None = None) -> None:
        self.records = records
        self.positions = positions if positions is not None else {r["id"]: i for i, r in enumerate(records)}
        self._made: dict[int, Paper] = {}

    def index_of(self, paper_id: str) -> int | None:
        """The position of a paper, without making any Paper."""
        return self.positions.get(paper_id)

    def __len__(self) -> int:
        return len(self.records)

    @overload
    def __getitem__(self, index: int) -> Paper: ...
    @overload
    def __getitem__(self, index: slice) -> list[Paper]: ...
    def __getitem__(self, index: int | slice) -> Paper | list[Paper]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self.records)
        paper = self._made.get(index)
        if paper is None:
            paper = self._made[index] = Paper.from_dict(self.records[index])
        return paper

    def __iter__(self) -> Iterator[Paper]:
        return (self[i] for i in range(len(self.records)))


@dataclass
class PaperModel:
    """Papers sorted one way, with their search index and per-status positions."""

    records: list[Record]
    papers: LazyPapers
    sort: str
    index: SearchIndex
    positions: dict[str, int]
    by_view: dict[str, list[int]]

    @classmethod
    def from_records(cls, records: Iterable[Record], sort: str = "added") -> PaperModel:
        ordered = sorted(records, key=SORT_KEYS[sort], reverse=sort in NEWEST_FIRST)
        by_view: dict[str, list[int]] = {view: [] for view in VIEWS}
        for i, record in enumerate(ordered):
            by_view.setdefault(record.get("status", ""), []).append(i)
        by_view[ALL] = list(range(len(ordered)))
        positions = {r["id"]: i for i, r in enumerate(ordered)}
        return cls(
            records=ordered,
            papers=LazyPapers(ordered, positions),
            sort=sort,
            # The haystacks are made on the first filter or in the background after the first paint.
            index=SearchIndex(lambda: [record_haystack(r) for r in ordered]),
            positions=positions,
            by_view=by_view,
        )

    @classmethod
    def build(cls, papers: Iterable[Paper], sort: str = "added") -> PaperModel:
        return cls.from_records((p.to_dict() for p in papers), sort)

    def counts(self) -> dict[str, int]:
        return {view: len(self.by_view.get(view, ())) for view in VIEWS}

    def rows(self, view: str, query: str = "") -> list[int]:
        """Positions of the papers shown in ``view`` whose text matches ``query``."""
        candidates = self.by_view.get(view, [])
        if not query.strip():
            return list(candidates)
        return self.index.matching(query, candidates)

    def get(self, paper_id: str) -> Paper | None:
        position = self.positions.get(paper_id)
        return None if position is None else self.papers[position]

    def tags(self) -> list[str]:
        """Every tag in the library, most used first."""
        counts: dict[str, int] = {}
        for record in self.records:
            for tag in record.get("tags") or ():
                counts[tag] = counts.get(tag, 0) + 1
        return sorted(counts, key=lambda t: (-counts[t], t))

    def with_paper(self, paper: Paper) -> PaperModel:
        """A model where ``paper`` replaces (or joins) its stored version."""
        others = [r for r in self.records if r.get("id") != paper.id]
        return PaperModel.from_records([*others, paper.to_dict()], self.sort)

    def without(self, paper_id: str) -> PaperModel:
        return PaperModel.from_records([r for r in self.records if r.get("id") != paper_id], self.sort)

    def sorted_by(self, sort: str) -> PaperModel:
        return PaperModel.from_records(self.records, sort)
