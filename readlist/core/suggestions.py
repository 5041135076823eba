"""Suggestions: papers picked by curated monthly selections, to accept or dismiss.

A suggestion is keyed like the paper it would become (its arXiv id, or the
``doi:``/``manual:`` id of a paper not on arXiv), so pulling a month again,
or the same paper picked by two sources or in two months, updates one record
that lists every pick. Dismissing is remembered by that key: never again.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any

from readlist.core.config import Settings
from readlist.core.errors import BadInput, NotFound
from readlist.core.library import Before, Library, manual_id
from readlist.core.models import Paper, Status, now_iso
from readlist.core.month import Month
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
    week: str | None = None  # weekly lists: the first day (ISO) of the curator's week
    week_label: str = ""  # "June 3–9, 2024"
    number: int | None = None  # the curator's own number in that week ("4)")
    upvotes: int | None = None  # Hugging Face daily papers: the paper's upvotes


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
        """Record a pick; False if this source already picked it that month (that week and number, for weekly
        lists: a paper picked in two weeks, or twice in one, keeps each pick)."""
        for existing in self.picks:
            same = existing["source"] == pick.source and existing["month"] == pick.month
            if same and existing.get("week") == pick.week and existing.get("number") == pick.number:
                return False
        entry: dict[str, Any] = {
            "source": pick.source, "month": pick.month, "rank": pick.rank, "blurb": pick.blurb, "url": pick.url,
        }  # fmt: skip
        if pick.title:
            entry["title"] = pick.title
        if pick.week:
            entry.update(week=pick.week, week_label=pick.week_label, number=pick.number)
        if pick.upvotes is not None:
            entry["upvotes"] = pick.upvotes
        self.picks.append(entry)
        if pick.blurb and not self.blurb:
            self.blurb = pick.blurb
        return True

    def to_dict(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in _FIELD_NAMES}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Suggestion:
        """Build from a stored record; lists are copied, so the record itself is never changed."""
        values = {k: v for k, v in data.items() if k in _FIELD_NAMES}
        for name in ("authors", "links", "picks"):
            if name in values:
                values[name] = [dict(v) if isinstance(v, dict) else v for v in values[name]]
        if isinstance(values.get("metadata"), dict):
            values["metadata"] = dict(values["metadata"])
        return cls(**values)

    def public_dict(self, in_library: bool) -> dict[str, Any]:
        """The record `suggestions --json` prints: the stored one plus its first pick and in_library."""
        pick = self.first_pick
        data = self.to_dict()
        data.pop("metadata")
        data.update(
            source=pick.get("source"),
            month=pick.get("month"),
            rank=pick.get("rank"),
            week=pick.get("week"),
            number=pick.get("number"),
            in_library=in_library,
        )
        return data


_FIELD_NAMES = tuple(f.name for f in fields(Suggestion))


def suggestion_key(arxiv_id: str | None, title: str, doi: str | None = None) -> str:
    """The key a pick is stored under: the id its paper would have."""
    return arxiv_id if arxiv_id else manual_id(title, doi)


class Suggestions:
    """The suggestions of a library: the stored ones, over the selection shipped with readlist.

    The shipped selection (Zeta Alpha's January 2021 "Best of arXiv", already
    resolved) is read from package data and shown as if stored, so a fresh
    offline install has real suggestions; it is written to library.json only
    when the user acts on one of its suggestions (or a pull merges into it).
    Reading never writes.
    """

    def __init__(self, library: Library) -> None:
        self.library = library

    def records(self) -> dict[str, dict[str, Any]]:
        """Suggestion records by key: stored ones, and shipped ones never stored (until the first pull)."""
        stored = self.library.snapshot().suggestions
        shipped = shipped_records(self.library.settings)
        if not shipped or _pulled(stored):
            return dict(stored)
        merged = {key: record for key, record in shipped.items() if key not in stored}
        merged.update(stored)
        return merged

    def all(self) -> list[Suggestion]:
        return [Suggestion.from_dict(r) for r in self.records().values()]

    def get(self, key: str) -> Suggestion | None:
        stored = self.library.snapshot().suggestions
        record = stored.get(key)
        if record is None:
            record = shipped_records(self.library.settings).get(key)
            if record is not None and _pulled(stored):
                record = None
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

    def _put(self, suggestions: Iterable[Suggestion]) -> None:
        """Store suggestions as they are now (in the current transaction, or one of their own)."""
        with self.library._transaction() as tx:
            tx.put_suggestions({s.key: s.to_dict() for s in suggestions})

    def _remove(self, keys: Iterable[str]) -> None:
        with self.library._transaction() as tx:
            tx.remove_suggestions(keys)

    def merge_pulled(self, plan: Callable[[dict[str, dict[str, Any]]], PulledPicks]) -> tuple[int, int]:
        """Record a pull's picks (one transaction); returns (new suggestions, new picks).

        Under the lock, ``plan`` (:func:`readlist.sources.record.record`) reads the suggestion records (a copy
        it may change) and says which suggestions moved or changed and which picks join which suggestion.
        """
        with self.library._transaction():
            pulled = plan(self.records())
            self._remove(pulled.removed)
            self._put(pulled.replaced.values())
            return self.record_picks(pulled.items)

    def record_picks(self, items: Iterable[tuple[Suggestion, Pick]]) -> tuple[int, int]:
        """Merge resolved picks into the table; returns (new suggestions, new picks).

        A suggestion already stored keeps its state (accepted or dismissed stay so).
        """
        new_suggestions = new_picks = 0
        with self.library._transaction():
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
                self._put([stored])
        return new_suggestions, new_picks

    def find(self, ref: str) -> Suggestion:
        """A suggestion by its key, or by any form of its arXiv id."""
        text = ref.strip()
        arxiv_ref = find_arxiv_ref(text)
        key = arxiv_ref.id if arxiv_ref else text
        found = self.get(key)
        if found is None:
            raise NotFound(f"no suggestion {key!r} (see `readlist suggestions --all`)")
        return found

    def in_library(self, suggestion: Suggestion, saved_ids: Collection[str] | None = None) -> bool:
        ids = saved_ids if saved_ids is not None else self.library.snapshot().papers
        return suggestion.key in ids

    def accept(
        self, refs: Iterable[str], tags: Mapping[str, Sequence[str]] | None = None, *, before: Before | None = None
    ) -> list[Paper]:
        """Add the picks to the library as to-read, tagged with their sources, blurb kept, in one transaction.

        ``tags`` gives some of them more tags, by suggestion key or as named in ``refs`` (the user's, or
        those `--auto-tag` proposes); ``before`` keeps the papers and suggestions as they were, for an undo.
        """
        refs = list(refs)
        if not refs:
            raise BadInput("name at least one suggestion to accept")
        papers = []
        lib = self.library
        with lib._transaction():
            chosen = [self.find(r) for r in refs]
            for ref, s in zip(refs, chosen, strict=True):
                if before is not None:
                    before.suggestions.setdefault(s.key, s.to_dict())
                    before.keep(lib.get(s.key), s.key)
                paper = self._accept_one(s)
                wanted = (tags or {}).get(s.key) or (tags or {}).get(ref)
                papers.append(lib.tag(paper.id, wanted) if wanted else paper)
                s.state, s.state_date = State.ACCEPTED.value, now_iso()
            self._put(chosen)
        return papers

    def _accept_one(self, s: Suggestion) -> Paper:
        lib = self.library
        tags = s.sources
        source = "suggestion:" + ",".join(s.sources)
        existing = lib.get(s.key)
        if existing is not None:
            lib.merge_into(existing, tags, None, None, s.blurb)
            lib._save(existing)
            return existing
        if s.arxiv_id:
            ref = ArxivRef(s.arxiv_id)
            details: dict[str, Any] = {
                "title": s.title, "authors": list(s.authors), "url": f"https://arxiv.org/abs/{ref.id}",
                "pdf_url": f"https://arxiv.org/pdf/{ref.id}", "year": arxiv_year(ref.id),
            }  # fmt: skip
            details.update(s.metadata or {})
            # Without an abstract the details are the curator's: `readlist refresh` asks arXiv for the rest.
            pending = not details.get("abstract")
            details.pop("pending", None)
            paper = lib.new_paper(
                s.key, tags=tags, status=Status.TO_READ, source=source, blurb=s.blurb, pending=pending, **details
            )
        else:
            picked = Month.from_key(str(s.first_pick.get("month", ""))) if s.picks else None
            year = picked.year if picked else None
            paper = lib.new_paper(
                s.key, tags=tags, status=Status.TO_READ, source=source, blurb=s.blurb, title=s.title,
                authors=list(s.authors), year=year, url=s.url, doi=s.doi,
            )  # fmt: skip
        lib._save(paper)
        return paper

    def dismiss(self, refs: Iterable[str], *, before: Before | None = None) -> list[Suggestion]:
        """Never suggest these again (``before`` keeps them as they were, for an undo)."""
        with self.library._transaction():
            chosen = [self.find(r) for r in refs]
            for s in chosen:
                if before is not None:
                    before.suggestions.setdefault(s.key, s.to_dict())
                s.state, s.state_date = State.DISMISSED.value, now_iso()
            self._put(chosen)
        return chosen

    def restore(self, papers: Iterable[tuple[str, Paper | None]], suggestions: Iterable[Suggestion] = ()) -> None:
        """Undo's restore, in one transaction: each paper put back as it was (removed if it was not there, its
        files out of the trash), each suggestion as it was."""
        with self.library._transaction():
            for paper_id, paper in papers:
                self.library.restore_state(paper_id, paper)
            self._put(suggestions)


@dataclass
class PulledPicks:
    """What a pull does to the stored suggestions (see :meth:`Suggestions.merge_pulled`)."""

    items: list[tuple[Suggestion, Pick]] = field(default_factory=list)
    """Each pick, with the suggestion it joins (by key)."""
    replaced: dict[str, Suggestion] = field(default_factory=dict)
    """Suggestions stored anew before the picks join: moved to their arXiv id, or a shipped pick replaced."""
    removed: list[str] = field(default_factory=list)
    """Keys of suggestions that moved (to their arXiv id)."""


def arxiv_year(arxiv_id: str) -> int | None:
    """The year an arXiv id was submitted in (2101.03961 -> 2021, hep-th/9711200 -> 1997)."""
    digits = arxiv_id.rsplit("/", 1)[-1][:2]
    if not digits.isdigit():
        return None
    yy = int(digits)
    return 2000 + yy if yy < 91 else 1900 + yy


SHIPPED_FILES = ("best-of-arxiv-2021-01.json",)
SHIPPED_SEEN = "2021-02-01T00:00:00+00:00"


def shipped_enabled(settings: Settings) -> bool:
    """``[sources.builtin] enabled`` in config.toml (default true)."""
    table = settings.sources.get("builtin", {})
    value = table.get("enabled", True) if isinstance(table, Mapping) else None
    if not isinstance(value, bool):
        where = settings.config_file or "config.toml"
        raise BadInput(f"[sources.builtin] in {where} must be a table with enabled = true or false")
    return value


@functools.cache
def _shipped() -> dict[str, dict[str, Any]]:
    from importlib import resources

    out: dict[str, dict[str, Any]] = {}
    for name in SHIPPED_FILES:
        data = json.loads(resources.files("readlist.core").joinpath("data", name).read_text(encoding="utf-8"))
        for item in data["picks"]:
            arxiv_id = item.get("arxiv_id")
            doi = item.get("doi")
            pick = {
                "source": data["source"], "month": data["month"], "rank": item["rank"], "blurb": item["blurb"],
                "url": data["url"], "title": item["post_title"], "builtin": True,
            }  # fmt: skip
            suggestion = Suggestion(
                key=arxiv_id or manual_id(item["title"], doi),
                title=item["title"],
                arxiv_id=arxiv_id,
                authors=list(item["authors"]),
                blurb=item["blurb"],
                url=f"https://arxiv.org/abs/{arxiv_id}" if arxiv_id else (f"https://doi.org/{doi}" if doi else None),
                links=list(item.get("links", [])),
                doi=doi,
                picks=[pick],
                first_seen=SHIPPED_SEEN,
            )
            out[suggestion.key] = suggestion.to_dict()
    return out


def shipped_records(settings: Settings) -> dict[str, dict[str, Any]]:
    """The shipped selection's suggestion records by key (none when turned off). Do not mutate them."""
    return _shipped() if shipped_enabled(settings) else {}


def _pulled(stored: Mapping[str, Mapping[str, Any]]) -> bool:
    """Whether the library holds picks of its own (pulled), not only shipped ones the user acted on.

    The shipped selection is a first-run sample: once the user has pulled a
    selection, only what they pulled (and shipped suggestions they acted on)
    is shown, so a pull of June 2024 lists June 2024.
    """
    return any(
        isinstance(pick, Mapping) and not pick.get("builtin")
        for record in stored.values()
        for pick in (record.get("picks") or ())
    )


def _negated(month: str) -> str:
    """A sort key that orders YYYY-MM strings newest first."""
    return "".join(chr(0x10FFFF - ord(c)) for c in month)
