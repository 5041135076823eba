"""Suggestions: papers picked by curated monthly selections, to accept or dismiss.

A suggestion is keyed like the paper it would become (its arXiv id, or the
``doi:``/``manual:`` id of a paper not on arXiv), so pulling a month again,
or the same paper picked by two sources or in two months, updates one record
that lists every pick. Dismissing is remembered by that key: never again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from readlist.core.errors import BadInput, CorruptLibrary, NotFound, StoreError
from readlist.core.library import Library, manual_id
from readlist.core.models import Paper, Status, now_iso
from readlist.core.refs import ArxivRef, find_arxiv_ref


class State(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"


@dataclass
class Pick:
    """One appearance of a paper in one source's selection for one month."""

    source: str
    month: str  # YYYY-MM
    rank: int
    blurb: str = ""
    url: str | None = None  # the selection's page (the post, the list)
    title: str = ""  # the title as the selection wrote it (before arXiv resolved it)


@dataclass
class Suggestion:
    key: str
    title: str
    arxiv_id: str | None = None
    authors: list[str] = field(default_factory=list)
    blurb: str = ""
    url: str | None = None
    links: list[dict[str, str]] = field(default_factory=list)
    doi: str | None = None
    picks: list[dict[str, Any]] = field(default_factory=list)
    state: str = State.NEW.value
    state_date: str | None = None
    first_seen: str = field(default_factory=now_iso)
    metadata: dict[str, Any] | None = None
    """The arXiv metadata fetched while resolving (so accepting needs no network)."""

    @property
    def first_pick(self) -> dict[str, Any]:
        return min(self.picks, key=lambda p: (p["month"], p["rank"])) if self.picks else {}

    @property
    def sources(self) -> list[str]:
        return sorted({p["source"] for p in self.picks})

    @property
    def months(self) -> list[str]:
        return sorted({p["month"] for p in self.picks})

    def add_pick(self, pick: Pick) -> bool:
        """Record a pick; False if this source already picked it that month."""
        for existing in self.picks:
            if existing["source"] == pick.source and existing["month"] == pick.month:
                return False
        entry = {"source": pick.source, "month": pick.month, "rank": pick.rank, "blurb": pick.blurb, "url": pick.url}
        if pick.title:
            entry["title"] = pick.title
        self.picks.append(entry)
        if pick.blurb and not self.blurb:
            self.blurb = pick.blurb
        return True

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FIELD_NAMES}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Suggestion:
        return cls(**{k: v for k, v in data.items() if k in _FIELD_NAMES})

    def public_dict(self, in_library: bool) -> dict[str, Any]:
        """The record `suggestions --json` prints: the stored one plus its first pick and in_library."""
        pick = self.first_pick
        data = self.to_dict()
        data.pop("metadata")
        data.update(
            source=pick.get("source"),
            month=pick.get("month"),
            rank=pick.get("rank"),
            in_library=in_library,
        )
        return data


_FIELD_NAMES = tuple(f.name for f in fields(Suggestion))


def suggestion_key(arxiv_id: str | None, title: str, doi: str | None = None) -> str:
    """The key a pick is stored under: the id its paper would have."""
    return arxiv_id if arxiv_id else manual_id(title, doi)


class Suggestions:
    """The suggestions table of a library."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.table = library.store.suggestions
        self._builtin_checked = False

    def load_builtin(self) -> int:
        """Merge the selection shipped with readlist into the table, once per library (see readlist.sources.builtin)."""
        if self._builtin_checked:
            return 0
        self._builtin_checked = True
        from readlist.sources.builtin import load

        try:
            return load(self.library)
        except CorruptLibrary:
            raise
        except StoreError:
            # A library that cannot be written (read-only home, full disk) still
            # shows the suggestions it holds; the merge waits for a writable day.
            return 0

    def all(self) -> list[Suggestion]:
        self.load_builtin()
        return [Suggestion.from_dict(r) for r in self.table.records().values()]

    def get(self, key: str) -> Suggestion | None:
        record = self.table.record(key)
        return Suggestion.from_dict(record) if record is not None else None

    def select(
        self,
        *,
        month: str | None = None,
        source: str | None = None,
        include_all: bool = False,
    ) -> list[Suggestion]:
        """Suggestions ordered by month (newest first), then rank; only new ones unless include_all."""
        chosen = []
        for s in self.all():
            if not include_all and s.state != State.NEW:
                continue
            if month and month not in s.months:
                continue
            if source and source not in s.sources:
                continue
            chosen.append(s)
        chosen.sort(key=lambda s: (_negated(s.first_pick.get("month", "")), s.first_pick.get("rank", 0)))
        return chosen

    def record_picks(self, items: Iterable[tuple[Suggestion, Pick]]) -> tuple[int, int]:
        """Merge resolved picks into the table; returns (new suggestions, new picks).

        A suggestion already stored keeps its state (accepted or dismissed stay so).
        """
        new_suggestions = new_picks = 0
        with self.library.store.transaction():
            for incoming, pick in items:
                stored = self.get(incoming.key)
                if stored is None:
                    stored = incoming
                    new_suggestions += 1
                else:
                    for name in ("arxiv_id", "doi", "url", "metadata"):
                        if getattr(incoming, name) and not getattr(stored, name):
                            setattr(stored, name, getattr(incoming, name))
                    if not stored.authors:
                        stored.authors = incoming.authors
                    known = {link.get("url") for link in stored.links}
                    stored.links += [link for link in incoming.links if link.get("url") not in known]
                if stored.add_pick(pick):
                    new_picks += 1
                self.table.put(stored.key, stored.to_dict())
        return new_suggestions, new_picks

    def find(self, ref: str) -> Suggestion:
        """A suggestion by its key, or by any form of its arXiv id."""
        self.load_builtin()
        text = ref.strip()
        arxiv_ref = find_arxiv_ref(text)
        key = arxiv_ref.id if arxiv_ref else text
        found = self.get(key)
        if found is None:
            raise NotFound(f"no suggestion {key!r} (see `readlist suggestions --all`)")
        return found

    def in_library(self, suggestion: Suggestion, saved_ids: set[str] | None = None) -> bool:
        ids = saved_ids if saved_ids is not None else set(self.library.store.papers.records())
        return suggestion.key in ids

    def accept(self, refs: Iterable[str]) -> list[Paper]:
        """Add the picks to the library as to-read, tagged with their sources, blurb kept."""
        chosen = [self.find(r) for r in refs]
        if not chosen:
            raise BadInput("name at least one suggestion to accept")
        papers = []
        with self.library.store.transaction():
            for s in chosen:
                papers.append(self._accept_one(s))
                s.state, s.state_date = State.ACCEPTED.value, now_iso()
                self.table.put(s.key, s.to_dict())
        return papers

    def _accept_one(self, s: Suggestion) -> Paper:
        lib = self.library
        tags = s.sources
        source = "suggestion:" + ",".join(s.sources)
        existing = lib.get(s.key)
        if existing is not None:
            lib.merge_into(existing, tags, None, None, s.blurb)
            lib.store.papers.put(existing.id, existing.to_dict())
            return existing
        if s.arxiv_id:
            if s.metadata:
                paper = lib.new_paper(
                    s.key, tags=tags, status=Status.TO_READ, source=source, blurb=s.blurb, **s.metadata
                )
            else:
                # Not resolved with metadata: keep it pending; `readlist refresh` fills it.
                ref = ArxivRef(s.arxiv_id)
                paper = lib.new_paper(
                    s.key, tags=tags, status=Status.TO_READ, source=source, blurb=s.blurb, title=s.title,
                    authors=list(s.authors), pending=True, url=f"https://arxiv.org/abs/{ref.id}",
                    pdf_url=f"https://arxiv.org/pdf/{ref.id}",
                )  # fmt: skip
        else:
            year = int(s.first_pick["month"][:4]) if s.picks else None
            paper = lib.new_paper(
                s.key, tags=tags, status=Status.TO_READ, source=source, blurb=s.blurb, title=s.title,
                authors=list(s.authors), year=year, url=s.url, doi=s.doi,
            )  # fmt: skip
        lib.store.papers.put(paper.id, paper.to_dict())
        return paper

    def dismiss(self, refs: Iterable[str]) -> list[Suggestion]:
        chosen = [self.find(r) for r in refs]
        with self.library.store.transaction():
            for s in chosen:
                s.state, s.state_date = State.DISMISSED.value, now_iso()
                self.table.put(s.key, s.to_dict())
        return chosen

    def restore(self, suggestion: Suggestion) -> None:
        """Put a suggestion back as it was (undo in the TUI)."""
        with self.library.store.transaction():
            self.table.put(suggestion.key, suggestion.to_dict())


def _negated(month: str) -> str:
    """A sort key that orders YYYY-MM strings newest first."""
    return "".join(chr(0x10FFFF - ord(c)) for c in month)
