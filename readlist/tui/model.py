"""What the library screen shows: papers in sort order, per-view lists, the filter.

Plain Python (no Textual) so that it can be built in a worker thread and
measured on its own. It works on the stored records (dicts) and makes a
:class:`~readlist.core.models.Paper` only for a row that is looked at, so a
10,000-paper library is sorted and indexed without building 10,000 objects.
Filtering a view computes a list of positions with the query language's one
evaluator, its words answered by the search index (:mod:`readlist.core.query_index`); the table renders the
visible slice, each row from its light record.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, overload

from readlist.core.errors import BadInput
from readlist.core.light import LightRecords
from readlist.core.models import Paper, Status
from readlist.core.query import NEWEST_FIRST, SORT_KEYS, compile_query
from readlist.core.query_index import TextIndex
from readlist.core.tags import tag_counts

ALL = "all"
SUGGESTIONS = "suggestions"
VIEWS: tuple[str, ...] = (*(s.value for s in Status), ALL)
VIEW_LABELS = {"to-read": "To read", "reading": "Reading", "read": "Read", "dropped": "Dropped", ALL: "All"}
SORTS: tuple[str, ...] = ("added", "title", "year", "status", "author")
SORT_LABELS = {"added": "date added", "title": "title", "year": "year", "status": "status", "author": "first author"}
"""The TUI's sorts; the orders themselves are readlist.core.query's (dates and years newest first)."""

Record = Mapping[str, Any]


Join = Callable[[Record], Record]
"""A light record joined with its text (:meth:`readlist.core.texts.JoinedPapers.join`): read from its shard."""


class LazyPapers(Sequence[Paper]):
    """Papers made from records on first access, then kept; a light record is joined with its text then
    (one shard read for the rows on screen, not every text of the library)."""

    def __init__(self, records: Sequence[Record], positions: dict[str, int], join: Join | None = None) -> None:
        self.records = records
        self.positions = positions
        self.join = join
        self._made: dict[int, Paper] = {}
        self._rows: dict[int, Paper] = {}

    def row(self, index: int) -> Paper:
        """The paper at ``index`` as a table row shows it: made from its light record alone (no shard read),
        unless the whole paper was made already. Not for what shows or changes its text."""
        paper = self._made.get(index)
        if paper is None:
            paper = self._rows.get(index)
            if paper is None:
                paper = self._rows[index] = Paper.from_dict(dict(self.records[index]))
        return paper

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
            record = self.records[index]
            full = self.join(record) if self.join is not None and "text" in record else record
            paper = self._made[index] = Paper.from_dict(dict(full))
        return paper

    def __iter__(self) -> Iterator[Paper]:
        return (self[i] for i in range(len(self.records)))


class LightList(Sequence[Record]):
    """Light records in one order, each expanded from its stored form when first read
    (:class:`readlist.core.light.LightRecords`): the first screen of a large library is sorted and counted from
    the stored records, and only the rows it shows are expanded (the rest in a thread after the first paint)."""

    UNSORTED = "status"
    """The sort whose key reads a field as its stored form does not (a status left out is to-read)."""

    def __init__(self, light: LightRecords, keys: list[str]) -> None:
        self.light = light
        self.keys = keys
        self._filled = False

    def __len__(self) -> int:
        return len(self.keys)

    @overload
    def __getitem__(self, index: int) -> Record: ...
    @overload
    def __getitem__(self, index: slice) -> list[Record]: ...
    def __getitem__(self, index: int | slice) -> Record | list[Record]:
        if isinstance(index, slice):
            return [self.light[k] for k in self.keys[index]]
        return self.light[self.keys[index]]

    def __iter__(self) -> Iterator[Record]:
        light = self.light
        return (light[k] for k in self.keys)

    def sorted(self, key: Callable[[Record], Any], reverse: bool) -> LightList:
        """These records sorted by ``key`` of their stored forms (the order of their full forms, for any sort
        but :attr:`UNSORTED`: the fields sorts read are stored as they read, a missing one as its default)."""
        stored = self.light.stored
        return LightList(self.light, sorted(self.keys, key=lambda k: key(stored[k]), reverse=reverse))

    def statuses(self) -> Iterator[Any]:
        status_of = self.light.status_of
        return (status_of(k) for k in self.keys)

    @property
    def filled(self) -> bool:
        return self._filled

    def fill(self) -> None:
        """Expand every record now (a thread, after the first paint), so the screen never waits on it."""
        for _ in self:
            pass
        self._filled = True


@dataclass
class Filtered:
    rows: list[int]
    counts: dict[str, int]
    error: str = ""


@dataclass
class PaperModel:
    """Papers sorted one way, with what answers their words (``index``) and per-status positions."""

    records: Sequence[Record]
    """Each paper's light record (or full record), in the sort's order (a :class:`LightList` from a read)."""
    papers: LazyPapers
    sort: str
    reverse: bool
    index: TextIndex
    positions: dict[str, int]
    by_view: dict[str, list[int]]
    join: Join | None = field(default=None, repr=False, compare=False)
    """Joins a light record with its text (records may be light: a paper's text is read when it is shown)."""
    _legacy_keys: dict[str, str] | None = field(default=None, repr=False, compare=False)

    @classmethod
    def from_records(
        cls,
        records: Iterable[Record],
        sort: str = "added",
        reverse: bool = False,
        previous: PaperModel | None = None,
        changed: Iterable[str] | None = None,
        join: Join | None = None,
    ) -> PaperModel:
        """The model of ``records`` (full records, or light ones that ``join`` joins with their texts; without
        it, the previous model's).

        ``previous`` (and the ids that ``changed``, when known) let the words follow its search index.
        """
        if join is None and previous is not None:
            join = previous.join
        descending = (sort in NEWEST_FIRST) != reverse
        ordered: Sequence[Record]
        by_view: dict[str, list[int]] = {view: [] for view in VIEWS}
        if isinstance(records, LightList) and sort != LightList.UNSORTED:
            ordered = records.sorted(SORT_KEYS[sort], descending)  # no record expanded
            for i, status in enumerate(ordered.statuses()):
                by_view.setdefault(status, []).append(i)
            positions = {k: i for i, k in enumerate(ordered.keys)}  # stored under their ids (records.problem)
        else:
            ordered = sorted(records, key=SORT_KEYS[sort], reverse=descending)
            for i, record in enumerate(ordered):
                by_view.setdefault(record.get("status", ""), []).append(i)
            positions = {r["id"]: i for i, r in enumerate(ordered)}
        by_view[ALL] = list(range(len(ordered)))
        index = TextIndex(
            ordered, previous.index if previous is not None else None, changed, join=join, positions=positions
        )
        return cls(ordered, LazyPapers(ordered, positions, join), sort, reverse, index, positions, by_view, join)

    def counts(self) -> dict[str, int]:
        return {view: len(self.by_view.get(view, ())) for view in VIEWS}

    def rows(self, view: str, query: str = "") -> list[int]:
        """Positions of the papers shown in ``view`` that match ``query`` (BadInput for a bad query)."""
        candidates = self.by_view.get(view, [])
        if not query.strip():
            return list(candidates)
        return self.index.select(compile_query(query), candidates)

    def filtered(self, view: str, query: str, *, full_text: bool = False) -> Filtered:
        """The rows of ``view`` and each view's count under ``query`` (one pass over the library); with
        ``full_text``, plain words match the PDFs' pages too.

        A query that is no query (a bad status or year) shows nothing, and says why.
        """
        if not query.strip():
            return Filtered(list(self.by_view.get(view, [])), self.counts())
        try:
            compiled = compile_query(query)
        except BadInput as exc:
            return Filtered([], self.counts(), str(exc))
        matching = self.index.select(compiled, self.by_view[ALL], full_text=full_text)
        chosen = set(matching)
        counts = {v: len(chosen.intersection(self.by_view.get(v, ()))) for v in VIEWS}
        # A view's positions ascend (they are made in the sort's order): picked in C, in that order.
        rows = matching if view == ALL else sorted(chosen.intersection(self.by_view.get(view, ())))
        return Filtered(rows, counts)

    def citation_key(self, paper: Paper) -> str | None:
        """The key to cite ``paper`` by: its stored key, else the one exports give it (readlist.core.citekey)."""
        if paper.key:
            return paper.key
        if self._legacy_keys is None:
            from readlist.core.citekey import legacy_keys

            self._legacy_keys = legacy_keys(dict(r) for r in self.records if r.get("title"))
        return self._legacy_keys.get(paper.id)

    def get(self, paper_id: str) -> Paper | None:
        position = self.positions.get(paper_id)
        return None if position is None else self.papers[position]

    def tags(self) -> list[str]:
        """Every tag in the library, most used first."""
        return [tag for tag, _ in tag_counts(self.records)]

    def with_papers(self, papers: Iterable[Paper]) -> PaperModel:
        """A model where ``papers`` replace (or join) their stored versions (shown before the write ends)."""
        new = {p.id: p.to_dict() for p in papers}
        changed = list(new)
        records = [new.pop(r["id"], r) for r in self.records]
        model = PaperModel.from_records([*records, *new.values()], self.sort, self.reverse, self, changed)
        model.warm_if_cheap()
        return model

    def sorted_by(self, sort: str, reverse: bool = False) -> PaperModel:
        model = PaperModel.from_records(self.records, sort, reverse, self, changed=())
        model.warm_if_cheap()
        return model

    def warm_if_cheap(self) -> None:
        """Follow the previous state's search index now when the changed papers are known (they are read)."""
        if self.index.follows_warm:
            self.index.warm()
