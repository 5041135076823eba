"""What the library screen shows: papers in sort order, per-view lists, the filter.

Plain Python (no Textual) so that it can be built in a worker thread and
measured on its own. Filtering a view only computes a list of positions into
:attr:`PaperModel.papers`; the table widget renders the visible slice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from readlist.core.models import Paper, Status
from readlist.core.query import sort_papers
from readlist.tui.search import SearchIndex, haystack

ALL = "all"
SUGGESTIONS = "suggestions"
VIEWS: tuple[str, ...] = (*(s.value for s in Status), ALL)
VIEW_LABELS = {"to-read": "To read", "reading": "Reading", "read": "Read", "dropped": "Dropped", ALL: "All"}
SORTS: tuple[str, ...] = ("added", "title", "year", "status")
SORT_LABELS = {"added": "date added", "title": "title", "year": "year", "status": "status"}


def paper_haystack(paper: Paper) -> str:
    return haystack(paper.title, paper.authors, paper.tags, paper.notes)


@dataclass
class PaperModel:
    """Papers sorted one way, with their search index and per-status positions."""

    papers: list[Paper]
    sort: str
    index: SearchIndex
    positions: dict[str, int]
    by_view: dict[str, list[int]]

    @classmethod
    def build(cls, papers: Iterable[Paper], sort: str = "added") -> PaperModel:
        ordered = sort_papers(list(papers), sort)
        by_view: dict[str, list[int]] = {view: [] for view in VIEWS}
        for i, paper in enumerate(ordered):
            by_view.setdefault(paper.status, []).append(i)
        by_view[ALL] = list(range(len(ordered)))
        return cls(
            papers=ordered,
            sort=sort,
            index=SearchIndex([paper_haystack(p) for p in ordered]),
            positions={p.id: i for i, p in enumerate(ordered)},
            by_view=by_view,
        )

    @classmethod
    def from_records(cls, records: Iterable[dict[str, Any]], sort: str = "added") -> PaperModel:
        return cls.build((Paper.from_dict(r) for r in records), sort)

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
        for paper in self.papers:
            for tag in paper.tags:
                counts[tag] = counts.get(tag, 0) + 1
        return sorted(counts, key=lambda t: (-counts[t], t))

    def with_paper(self, paper: Paper) -> PaperModel:
        """A model where ``paper`` replaces (or joins) its stored version."""
        others = [p for p in self.papers if p.id != paper.id]
        return PaperModel.build([*others, paper], self.sort)

    def without(self, paper_id: str) -> PaperModel:
        return PaperModel.build([p for p in self.papers if p.id != paper_id], self.sort)

    def sorted_by(self, sort: str) -> PaperModel:
        return PaperModel.build(self.papers, sort)
