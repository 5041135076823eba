"""Bringing entries from a bibliography into the library: identity, merging, keys, the report.

Shared by `import bibtex` and `import csl`. Each entry arrives as a
:class:`Candidate` (readlist's fields, the entry as written, its key) and is
placed by these rules:

* **The same paper** is the same arXiv id, the same DOI, or the same citation
  key (unless the two disagree on arXiv id, DOI or title: then the keys clash
  and the newcomer gets ``b``, ``c``, ... and the report says so).
  An entry for a saved paper fills what the paper lacks and adds its tags;
  your notes, tags and status are kept. An entry with another key for the
  same paper stays with it (:attr:`~readlist.core.models.Paper.other_entries`),
  so exports still carry the key you cite.
* **A likely duplicate** (same title, first author's surname and year, but
  none of the above) is a paper of its own, reported with both keys, never
  merged.
* **A new paper** keeps its key; its id is the arXiv id, ``doi:...``, or
  ``manual:<title>-<surname>-<year>`` (with ``-b``, ``-c`` for a different
  paper that would get the same one).
"""

from __future__ import annotations

import contextlib
import functools
import gc
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readlist.core.citekey import CitationKeys, identity_key, suffix, title_id
from readlist.core.library import Library
from readlist.core.models import MAX_TAGS, Paper, Status, normalize_tag, now_iso, slugify
from readlist.core.refs import ArxivRef

if TYPE_CHECKING:
    from readlist.formats.bibtex.entry import EntryView

MAX_FIELD_CHARS = 1_000_000
"""The longest field of one entry an import keeps (a title, an abstract, a venue, ...).

A file named on the command line is the user's own and has no size cap (an 87 MB library imports): what bounds
a hostile one is what each entry may hold. An entry with a longer field is skipped and named, the rest imported."""
MAX_NOTE_CHARS = 20_000_000
"""The longest note of one entry, and the longest tag field (its words are capped at :data:`MAX_TAGS` tags)."""


class TooLarge(ValueError):
    """An entry holds a field longer than an import keeps (see :data:`MAX_FIELD_CHARS`)."""


def check_sizes(fields: Mapping[str, Any], long_fields: Iterable[str]) -> None:
    """Raise :class:`TooLarge` naming the first text field longer than its cap (``long_fields``: lower-case
    names that take notes' cap)."""
    long_names: frozenset[str] | None = None  # made only for an entry with a long field (few are)
    for name, value in fields.items():
        if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
            if long_names is None:
                long_names = frozenset(long_fields)
            cap = MAX_NOTE_CHARS if str(name).lower() in long_names else MAX_FIELD_CHARS
            if len(value) > cap:
                raise TooLarge(
                    f"its field {name} holds {len(value):,} characters, more than readlist keeps in one field ({cap:,})"
                )


# Details an import fills in on a saved paper that lacks them; the reader's own fields are never touched.
_FILLABLE = (
    "title", "authors", "year", "doi", "journal_ref", "abstract", "primary_category", "categories", "version",
    "url", "pdf_url", "published",
)  # fmt: skip


@dataclass(slots=True)
class Candidate:
    """One entry of the file, ready to be placed."""

    label: str
    """How messages name it: its key, else its position."""
    key: str | None
    values: dict[str, Any]
    """Paper fields: title, authors, year, venue, abstract, urls, ..."""
    origin: dict[str, Any]
    arxiv: ArxivRef | None = None
    doi: str | None = None
    family: str = ""
    tags: list[str] = field(default_factory=list)
    tags_left_out: int = 0
    """Keywords of the entry past the cap of tags per paper (see :data:`readlist.core.models.MAX_TAGS`)."""
    notes: str = ""
    status: Status | None = None
    titled: bool = True
    """False when the entry has no title of its own (its title is a stand-in such as "[set set]")."""
    mirror: dict[str, tuple[str, str]] = field(default_factory=dict)
    """Fields of the entry that are exactly a paper attribute's value: name -> (attribute, value),
    stored once (in the paper) when the entry becomes a new paper's own."""
    files: list[dict[str, Any]] = field(default_factory=list)
    """Local files its ``file`` field names, linked in place (:mod:`readlist.formats.linked_files`)."""

    @classmethod
    def from_view(
        cls,
        v: EntryView,
        values: dict[str, Any],
        *,
        label: str,
        key: str | None,
        origin: dict[str, Any],
        titled: bool,
        mirror: dict[str, tuple[str, str]],
    ) -> Candidate:
        """The candidate of one entry (BibTeX or CSL alike): what readlist took from it (``v``), the paper
        fields it gives (``values``), and the entry as written (``origin``)."""
        return cls(
            label=label, key=key, values=values, origin=origin, arxiv=v.arxiv, doi=v.doi, family=v.family,
            tags=v.tags, tags_left_out=v.tags_left_out, notes=v.notes, status=v.status, titled=titled,
            mirror=mirror,
        )  # fmt: skip


@dataclass
class ImportReport:
    file: Path
    kind: str = "BibTeX"
    entries: int = 0
    added: list[str] = field(default_factory=list)
    """Ids of the papers added, in the file's order (ids, not papers: 150,000 papers need not stay alive)."""
    updated: list[str] = field(default_factory=list)
    """Ids of the saved papers the file changed."""
    unchanged: list[str] = field(default_factory=list)
    """Ids of the saved papers the file named without changing them."""
    pending: list[str] = field(default_factory=list)
    """Ids of the added or updated arXiv papers still without a title (`readlist refresh` completes them)."""
    merged: list[tuple[str, str, str]] = field(default_factory=list)
    """(entry, the paper's key it joined, why)."""
    likely_duplicates: list[tuple[str, str]] = field(default_factory=list)
    """(key already there, key of the new paper)."""
    renamed: list[tuple[str, str]] = field(default_factory=list)
    """(key as written, key given) when the file's key names another paper."""
    adopted: list[tuple[str, str, str]] = field(default_factory=list)
    """(paper id, old key, the file's key) for saved papers that take the file's entry and key."""
    notes: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    """Entries that could not be read, each named with its line and key: the command then exits 1."""
    seconds: float = 0.0

    def summary_lines(self) -> list[str]:
        def plural(n: int, one: str, many: str) -> str:
            return f"{n} {one if n == 1 else many}"

        def listing(pairs: list[str]) -> str:
            return ", ".join(pairs[:10]) + (f" and {len(pairs) - 10} more" if len(pairs) > 10 else "")

        arxiv = sum(1 for paper_id in self.added if ":" not in paper_id)  # an arXiv id has no scheme
        lines = [
            f"Read {plural(self.entries, 'entry', 'entries')} from {self.file} in {self.seconds:.1f} s",
            f"Added {plural(len(self.added), 'paper', 'papers')} "
            f"({arxiv} from arXiv, {len(self.added) - arxiv} others)",
        ]
        if self.merged:
            shown = listing([f"{entry} -> {key} ({why})" for entry, key, why in self.merged])
            lines.append(f"Merged {plural(len(self.merged), 'entry', 'entries')} into the paper they name: {shown}")
        saved = len(self.updated) + len(self.unchanged)
        if saved:
            lines.append(
                f"{saved} already saved ({len(self.updated)} with details filled in; notes, tags and status kept)"
            )
        if self.adopted:
            shown = listing([f"{pid} {old or '(none)'} -> {new}" for pid, old, new in self.adopted])
            lines.append(f"Citation keys taken from the file for saved papers: {shown}")
        if self.likely_duplicates:
            shown = listing([f"{a} and {b}" for a, b in self.likely_duplicates])
            lines.append(
                f"{plural(len(self.likely_duplicates), 'likely duplicate', 'likely duplicates')} "
                f"(same title, first author and year), kept apart: {shown}"
            )
        if self.renamed:
            shown = listing([f"{a} -> {b}" for a, b in self.renamed])
            lines.append(f"Keys already used by another paper, changed: {shown}")
        if self.pending:
            lines.append(f"{len(self.pending)} arXiv paper(s) had no title: run `readlist refresh` to fetch them")
        lines += self.notes
        lines += [f"Skipped the broken entry at {entry}" for entry in self.skipped]
        return lines


@contextlib.contextmanager
def bulk_work() -> Iterator[None]:
    """Python's cycle collector paused while an import builds its records, none of which form cycles.

    With hundreds of thousands of records alive, each of the collector's full passes walks them all:
    150,000 tiny entries spent about 7 of 22 s of CPU in it. It runs again as usual afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def link_files(
    candidates: list[Candidate], fields: list[str | None], base: Path, limit: int, report: ImportReport
) -> None:
    """Link the local files each entry's ``file`` field names; report the ones that are not there."""
    from readlist.core.clean import excerpt
    from readlist.formats.linked_files import linked_files

    missing: list[str] = []
    linked = 0
    for c, text in zip(candidates, fields, strict=True):
        c.files, gone = linked_files(text, base, limit)
        linked += len(c.files)
        missing += [f"{excerpt(path, 80)} ({c.label})" for path in gone]
    if linked:
        report.notes.append(f"Linked {linked} file{'s' if linked != 1 else ''} in place (file fields)")
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        report.notes.append(f"Files named in file fields that are not there, not linked: {shown}")


def place(
    library: Library,
    candidates: list[Candidate],
    report: ImportReport,
    *,
    tags: Iterable[str] = (),
    status: Status | None = None,
    source: str = "bibtex",
) -> None:
    """Put every candidate into the library in one transaction, by the rules of the module doc.

    ``candidates`` is consumed (emptied as each is placed), and each paper the import adds or changes is
    handed to the store as soon as it is placed: the store keeps only its own split of each record, so
    150,000 entries never exist as candidates, papers and records all at once."""
    started = time.perf_counter()
    extra_tags = [normalize_tag(t) for t in tags]

    def planned(records: Mapping[str, dict[str, Any]], keys: CitationKeys) -> Iterator[tuple[str, dict[str, Any]]]:
        plan = _Plan(library, records, keys, report, extra_tags, status, source)
        candidates.reverse()  # taken from the end, in the file's order
        while candidates:
            written = plan.take(candidates.pop())
            if written is not None:
                yield written.id, vars(written)  # the paper is dropped now: its fields need no copy
        plan.finish()

    library.place_imported(planned)  # one lock, one read of the file, one commit
    report.seconds += time.perf_counter() - started


class _Plan:
    def __init__(
        self,
        library: Library,
        records: Mapping[str, dict[str, Any]],
        keys: CitationKeys,
        report: ImportReport,
        tags: list[str],
        status: Status | None,
        source: str,
    ) -> None:
        self.library = library
        self.records = records
        self.report = report
        self.tags = tags
        self.status = status
        self.source = source
        self.when = now_iso()
        self.state: dict[str, str] = {}  # id -> "added" | "updated" | "unchanged", for every paper touched
        self.pending: set[str] = set()  # ids of written papers still pending
        self.by_doi: dict[str, str] = {}
        self.by_key: dict[str, str] = {}
        self.likely: dict[tuple[str, str, int | None], str] = {}
        self.keys = keys  # the one key service (readlist.core.citekey)
        self.tried_ids: dict[str, int] = {}
        light: Mapping[str, dict[str, Any]] = getattr(records, "light", records)  # no text needs reading here
        for paper_id, record in light.items():
            for other_key in record.get("other_keys") or ():
                self.by_key.setdefault(str(other_key).lower(), paper_id)
            if record.get("doi"):
                self.by_doi.setdefault(str(record["doi"]).lower(), paper_id)
            key = record.get("key")
            if isinstance(key, str) and key:
                self.by_key.setdefault(key.lower(), paper_id)
            for other in record.get("other_entries") or ():
                if isinstance(other, dict) and isinstance(other.get("key"), str):
                    self.by_key.setdefault(other["key"].lower(), paper_id)
            ident = identity_key(str(record.get("title") or ""), record.get("authors") or [], record.get("year"))
            if ident is not None:
                self.likely.setdefault(ident, paper_id)

    # -- finding the paper an entry names ---------------------------------------

    def paper(self, paper_id: str) -> Paper | None:
        """The paper as the transaction holds it now (with what this import already wrote to it)."""
        record = self.records.get(paper_id)
        if record is None:
            return None
        paper = Paper.from_dict(record)
        self.state.setdefault(paper_id, "unchanged")
        return paper

    def find(self, c: Candidate) -> tuple[Paper | None, str]:
        if c.arxiv is not None:
            paper = self.paper(c.arxiv.id)
            if paper is not None:
                return paper, "same arXiv id"
        if c.doi:
            paper_id = self.by_doi.get(c.doi.lower())
            if paper_id is not None:
                return self.paper(paper_id), "same DOI"
        if c.key:
            paper_id = self.by_key.get(c.key.lower())
            if paper_id is not None:
                paper = self.paper(paper_id)
                if paper is not None and not self.clash(c, paper):
                    return paper, "same key"
        return None, ""

    @staticmethod
    def clash(c: Candidate, paper: Paper) -> bool:
        """Whether an entry with a paper's key is in fact another paper."""
        if c.arxiv is not None and paper.is_arxiv and c.arxiv.id != paper.id:
            return True
        if c.doi and paper.doi and c.doi.lower() != paper.doi.lower():
            return True
        title = c.values.get("title") or "" if c.titled else ""
        return bool(title and paper.title and slugify(title, 200) != slugify(paper.title, 200))

    # -- placing ----------------------------------------------------------------

    def take(self, c: Candidate) -> Paper | None:
        """Place one entry; the paper it added or changed (to be stored now), or None."""
        paper, why = self.find(c)
        written = self.add(c) if paper is None else self.merge(c, paper, why)
        if written is not None:
            if written.pending:
                self.pending.add(written.id)
            else:
                self.pending.discard(written.id)
        return written

    def claim_key(self, wanted: str | None, c: Candidate, paper_id: str) -> str | None:
        """The key a paper gets for an entry: as written if free, else made free (and reported)."""
        if wanted:
            key = self.keys.claim(wanted)
            if key != wanted:
                self.report.renamed.append((wanted, key))
        elif c.values.get("title"):
            key = self.keys.new(c.values, family=c.family or None)
        else:
            return None  # a pending arXiv paper: its key comes with its title (`readlist refresh`)
        self.by_key[key.lower()] = paper_id
        return key

    def new_id(self, c: Candidate) -> str:
        if c.arxiv is not None:
            return c.arxiv.id
        if c.doi:
            return "doi:" + c.doi
        if c.titled and c.values.get("title"):
            base = title_id(c.values["title"], c.family, c.values.get("year"))
        else:
            base = "manual:" + slugify(c.key or "untitled")
        n = self.tried_ids.get(base, 1)  # ids are only ever added here: go on from the last one found free
        paper_id = base if n == 1 else f"{base}-{suffix(n)}"
        while paper_id in self.records:
            n += 1
            paper_id = f"{base}-{suffix(n)}"
        self.tried_ids[base] = n
        return paper_id

    def left_out(self, c: Candidate, more: int) -> None:
        """Say how many of an entry's keywords the cap of tags per paper left out."""
        count = c.tags_left_out + more
        if count:
            self.report.notes.append(
                f"{c.label}: {count:,} keyword(s) past the first {MAX_TAGS:,} left out "
                f"(a paper holds at most {MAX_TAGS:,} tags)"
            )

    def add(self, c: Candidate) -> Paper:
        paper_id = self.new_id(c)
        key = self.claim_key(c.key, c, paper_id)
        status = self.status or c.status
        paper = self.library.new_paper(
            paper_id, status=status, note=c.notes or None, source=self.source, key=key, origin=c.origin, **c.values,
        )  # fmt: skip
        tags = [*c.tags, *self.tags]
        if tags or c.tags_left_out:
            self.left_out(c, paper.add_tags(tags))
        if c.mirror and isinstance(paper.origin, dict):
            paper.origin = compact(paper.origin, c.mirror)
        if c.files:
            paper.files = [dict(f) for f in c.files]
        self.state[paper_id] = "added"
        if c.doi:
            self.by_doi.setdefault(c.doi.lower(), paper_id)
        ident = identity_key(paper.title if c.titled else "", paper.authors, paper.year)
        if ident is not None:
            other = self.likely.get(ident)
            if other is not None and other != paper_id:
                before = self.paper(other)
                self.report.likely_duplicates.append(((before.key if before else None) or other, key or paper_id))
            else:
                self.likely[ident] = paper_id
        return paper

    def merge(self, c: Candidate, paper: Paper, why: str) -> Paper | None:
        changed = False
        key = (c.key or "").lower()
        if paper.origin is None:
            paper.origin = c.origin
            changed = True
            if c.key and paper.key != c.key and (key not in self.keys or self.by_key.get(key) == paper.id):
                self.report.adopted.append((paper.id, paper.key or "", c.key))
                if paper.key:
                    self.keys.release(paper.key)
                paper.key = c.key
                self.keys.take(key)
                self.by_key[key] = paper.id
        else:
            copy_of = _copy_of(c, paper)
            if copy_of is not None:  # the same entry again (perhaps with more fields)
                changed |= _fill_origin(copy_of, c.origin)
            else:  # another entry for the same paper: kept whole beside the others, and announced
                other_key = self.claim_key(c.key, c, paper.id)
                paper.other_entries.append({**c.origin, "key": other_key})
                if c.key and other_key != c.key:
                    paper.other_entries[-1]["written_key"] = c.key  # what the file called it, to know it again
                    why += f"; it differs from the entry saved as {c.key}, so both are kept, this one as {other_key}"
                self.report.merged.append((c.label, paper.key or paper.id, why))
                changed = True
        changed |= _fill(paper, c.values)
        known_paths = {f.get("path") for f in paper.files}
        new_files = [dict(f) for f in c.files if f.get("path") not in known_paths]
        if new_files:
            paper.files = [*paper.files, *new_files]
            changed = True
        before = (list(paper.tags), paper.status, paper.notes)
        self.left_out(c, paper.add_tags([*c.tags, *self.tags]))
        if self.status is not None:
            paper.set_status(self.status)
        if c.notes and not paper.notes:
            paper.notes = c.notes
        if c.doi:
            self.by_doi.setdefault(c.doi.lower(), paper.id)
        touched = changed or (list(paper.tags), paper.status, paper.notes) != before
        if not touched:
            return None
        if self.state.get(paper.id) != "added":
            self.state[paper.id] = "updated"
            paper.modified = self.when
        return paper

    def finish(self) -> None:
        """The report's lists of papers, in the order they were first touched."""
        lists = {"added": self.report.added, "updated": self.report.updated, "unchanged": self.report.unchanged}
        for paper_id, state in self.state.items():
            lists[state].append(paper_id)
        self.report.pending = [i for i in self.state if i in self.pending]


def compact(origin: dict[str, Any], names: dict[str, tuple[str, str]]) -> dict[str, Any]:
    """A copy of a new paper's entry with the fields it shares with the paper stored once.

    Only what changes is copied (the fields, or the CSL item, one level deep): a deep copy of every entry
    cost an import of 150,000 entries seconds.
    """
    origin = dict(origin)
    if origin.get("format") != "csl":
        if isinstance(origin.get("fields"), dict):
            origin["fields"] = dict(origin["fields"])
        _bibtex_mirror()(origin, names)
        return origin
    # A CSL item: each field that is exactly the paper's value is emptied (readlist.formats.csl.origin_item fills it).
    item = origin.get("item")
    if isinstance(item, dict):
        item = origin["item"] = dict(item)
    kept: dict[str, str] = {}
    if isinstance(item, dict):
        for name, (attr, value) in names.items():
            if value and item.get(name) == value:
                item[name] = ""
                kept[name] = attr
    if kept:
        origin["mirror"] = kept
    return origin


@functools.cache
def _bibtex_mirror() -> Callable[[dict[str, Any], dict[str, tuple[str, str]]], None]:
    """:func:`readlist.formats.bibtex.entry.mirror`, imported on first use, once (an import statement run for
    each of 150,000 entries cost ~2 us each)."""
    from readlist.formats.bibtex.entry import mirror

    return mirror


def _fill(paper: Paper, values: dict[str, Any]) -> bool:
    """Fill a saved paper's empty details from the entry; the reader's own fields are never touched."""
    changed = False
    for key in _FILLABLE:
        value = values.get(key)
        if value and not getattr(paper, key):
            setattr(paper, key, value)
            changed = True
    for name, value in (values.get("venue") or {}).items():
        if value and not paper.venue.get(name):
            paper.venue[name] = value
            changed = True
    if paper.pending and paper.title:
        paper.pending = False
        changed = True
    return changed


# Fields that hold the reader's own data (tags, notes, status), which readlist merges itself, are not
# compared when deciding whether two entries are the same.
_PERSONAL = frozenset(("keywords", "groups", "mendeley-tags", "annote", "readstatus", "keyword", "note", "custom"))


def _copy_of(c: Candidate, paper: Paper) -> dict[str, Any] | None:
    """The stored entry of ``paper`` that ``c`` is a copy of: the same key (or, without a key, any), the
    same type, and no field whose value differs (a field only one of them has is fine). None if none is."""
    wanted = (c.key or "").lower()
    stored = [(paper.key or "", paper.origin)] if isinstance(paper.origin, dict) else []
    stored += [(str(o.get("written_key") or o.get("key") or ""), o) for o in paper.other_entries if isinstance(o, dict)]
    new = _fields_of(c.origin)
    for key, origin in stored:
        if wanted and key.lower() != wanted:
            continue
        if origin.get("format") != c.origin.get("format"):
            continue
        have = _fields_of(origin)
        if new is None or have is None or new[0] != have[0]:
            continue
        mirrored = origin.get("mirror")
        skip = _PERSONAL | ({str(n).lower() for n in mirrored} if isinstance(mirrored, dict) else set())
        if all(have[1][name] == value for name, value in new[1].items() if name in have[1] and name not in skip):
            return origin
    return None


def _fields_of(origin: dict[str, Any]) -> tuple[str, dict[str, str]] | None:
    """(type, lower-case field name -> value as written) of a stored BibTeX entry or CSL item."""
    if origin.get("format") == "csl":
        item = origin.get("item")
        if not isinstance(item, dict):
            return None
        return str(item.get("type") or ""), {str(k).lower(): repr(v) for k, v in item.items() if k != "type"}
    fields = origin.get("fields")
    if not isinstance(fields, dict):
        return None
    return str(origin.get("type") or ""), {str(k).lower(): str(v) for k, v in fields.items()}


def _fill_origin(stored: dict[str, Any], new: dict[str, Any]) -> bool:
    """Add to a stored entry the fields a new copy of it has and it lacks (its digest goes: it reads otherwise)."""
    if stored.get("format") != new.get("format"):
        return False
    if new.get("format") == "csl":
        item, extra = stored.get("item"), new.get("item")
        if not isinstance(item, dict) or not isinstance(extra, dict):
            return False
        missing = {k: v for k, v in extra.items() if k not in item}
        item.update(missing)
        return bool(missing)
    fields, extra = stored.get("fields"), new.get("fields")
    if not isinstance(fields, dict) or not isinstance(extra, dict):
        return False
    have = {str(k).lower() for k in fields}
    added = False
    for name, value in extra.items():
        if name.lower() not in have:
            fields[name] = value
            if name in (new.get("bare") or ()):
                stored.setdefault("bare", []).append(name)
            added = True
    if added:
        stored.pop("seen", None)
    return added
