"""The reading list's operations: what the CLI and the TUI both call.

Every change goes through :meth:`Library.change`, one store transaction that
re-reads the file under its lock, so a change never overwrites what another
process wrote in between.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from readlist.core.citekey import CitationKeys, identity_key, legacy_keys, suffix, surname, title_id, used_keys
from readlist.core.config import Settings
from readlist.core.errors import BadInput, NetworkError, NotFound
from readlist.core.links import browsable
from readlist.core.models import MAX_TAGS, Paper, Status, normalize_tag, normalize_tags, now_iso, slugify
from readlist.core.refs import ArxivRef, find_arxiv_ref
from readlist.core.store import Record, Snapshot, Stamp, Store, Transaction

if TYPE_CHECKING:
    from readlist.core.arxiv_api import ArxivClient
    from readlist.core.query import Query

# Fields an arXiv fetch fills in; the user's own fields are never touched by it.
METADATA_FIELDS = (
    "title", "authors", "year", "published", "updated", "abstract", "categories",
    "primary_category", "url", "pdf_url", "doi", "journal_ref", "comment",
)  # fmt: skip


@dataclass
class AddReport:
    """What an add did: papers added or merged, kept pending, or unknown to arXiv."""

    added: list[Paper] = field(default_factory=list)
    merged: list[Paper] = field(default_factory=list)
    pending: list[Paper] = field(default_factory=list)
    unknown: list[ArxivRef] = field(default_factory=list)
    error: NetworkError | None = None
    interrupted: bool = False
    """Ctrl-C came while arXiv was being asked: the new references were kept as pending, and the caller should stop."""


@dataclass
class RefreshReport:
    completed: list[Paper] = field(default_factory=list)
    newer: list[tuple[Paper, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    checked: int = 0


def manual_id(title: str, doi: str | None = None, *, authors: Iterable[str] = (), year: int | None = None) -> str:
    """A stable id for a paper not on arXiv: its DOI, else ``manual:<title>-<first author's surname>-<year>``.

    Papers with the same title by other authors or from other years get
    other ids (:func:`readlist.core.citekey.title_id`). Without authors and
    year it is the title's slug alone, the id such papers always had, so ids
    already stored (and suggestions' keys) keep working.
    """
    if doi:
        return "doi:" + normalize_doi(doi)
    names = [a for a in authors if a.strip()]
    if not names and year is None:
        return "manual:" + slugify(title)
    return title_id(title, surname(names[0]) if names else "", year)


def normalize_doi(doi: str) -> str:
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi.strip(), flags=re.IGNORECASE)
    if not re.fullmatch(r"10\.\d{4,9}/\S+", doi):
        raise BadInput(f"{doi!r} is not a DOI (they look like 10.1145/3442188.3445922)")
    return doi.lower()


class Library:
    """The saved papers of one READLIST_HOME: the one door to the store.

    Everything outside ``readlist.core`` reads through :meth:`snapshot` (or the
    helpers built on it) and writes inside :meth:`transaction`; nothing else
    touches the file. ``on_problem`` hears, once per state of the file, about
    each stored record that does not fit and is left out (see
    :mod:`readlist.core.records`).
    """

    def __init__(self, settings: Settings, on_problem: Callable[[str], None] | None = None) -> None:
        self.settings = settings
        self._store = Store(settings.library_path)
        self._store.warn = on_problem
        self._on_problem = on_problem
        self._reported: Stamp | None = None

    # -- reading -----------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """The library as it is now: read-only tables, parsed once per state of the file.

        Inside a transaction it is the transaction's view (with its own writes).
        """
        snap = self._store.snapshot()
        if (snap.problems or snap.notices) and self._on_problem is not None and snap.stamp != self._reported:
            self._reported = snap.stamp
            for line in snap.problems[:5]:
                self._on_problem(f"{line}; skipped (fix it in {self.settings.library_path})")
            if len(snap.problems) > 5:
                self._on_problem(f"{len(snap.problems) - 5} more records skipped for the same reason")
            for line in snap.notices[:5]:
                self._on_problem(f"warning: {line}")
            if len(snap.notices) > 5:
                self._on_problem(f"warning: {len(snap.notices) - 5} more values ignored for the same reason")
        return snap

    def transaction(self) -> contextlib.AbstractContextManager[Transaction]:
        """Lock the library, read it once, and commit every write made inside at the end (or none)."""
        return self._store.transaction()

    def records(self) -> list[Record]:
        """Full stored records, texts joined (every paper's text is read: prefer :meth:`light_records`)."""
        return list(self.snapshot().papers.values())

    def light_records(self) -> list[Record]:
        """The papers' light records as library.json holds them: no abstract, notes or origins (do not mutate)."""
        return list(self.snapshot().light.values())

    def joined(self, records: Iterable[Record]) -> list[Record]:
        """Full records (texts joined) for light ones."""
        papers = self.snapshot().papers
        return [papers[str(r["id"])] for r in records if str(r["id"]) in papers]

    def papers(self) -> list[Paper]:
        return [Paper.from_dict(r) for r in self.snapshot().papers.values()]

    def get(self, paper_id: str) -> Paper | None:
        record = self.snapshot().papers.get(paper_id)
        return Paper.from_dict(record) if record is not None else None

    def select(self, query: Query) -> list[Record]:
        """The light records of the saved papers that match a query of the query language, in the store's order
        (:meth:`joined` gives their full records).

        Field terms are tested on the light records; words and phrases are
        answered by the search index in the cache folder
        (:mod:`readlist.core.search_index`), brought up to date first, or by
        reading the texts when it cannot be used.
        """
        snap = self.snapshot()
        records = list(snap.light.values())
        if not query.terms:
            return records
        if not query.on_text:
            return query.filter(records)
        from readlist.core.query import run
        from readlist.core.search_index import open_text_search

        text = open_text_search(self.settings.cache_dir, self.settings.library_path, snap.papers, snap.stamp, records)
        return [records[i] for i in run(query, records, range(len(records)), text)]

    def stamp(self) -> Stamp | None:
        """Changes whenever any process replaces the library file."""
        return self._store.stamp()

    def written_stamp(self) -> Stamp | None:
        """The file's stamp right after this thread's last commit (see Store.written_stamp)."""
        return self._store.written_stamp()

    def check(self) -> None:
        """Raise CorruptLibrary or StoreError now if the library cannot be read."""
        self._store.check()

    def key(self, ref: str) -> str:
        """The id a reference names: an arXiv id in any form, ``doi:...``, ``manual:...``, or a citation key."""
        arxiv_ref = find_arxiv_ref(ref)
        if arxiv_ref is not None:
            return arxiv_ref.id
        text = ref.strip()
        if text.startswith(("doi:", "manual:")):
            return text
        if re.match(r"(https?://(dx\.)?doi\.org/)?10\.\d{4,9}/", text):
            return "doi:" + normalize_doi(text)
        by_key = self.paper_by_citation_key(text)
        if by_key is not None:
            return by_key
        raise BadInput(
            f"{ref!r} is not a paper reference: use an arXiv id (2101.03961), doi:..., manual:... "
            "or the citation key `readlist show` gives"
        )

    def paper_by_citation_key(self, key: str) -> str | None:
        """The id of the saved paper cited as ``key`` (its stored key, or a key of another entry it merged)."""
        for record in self.snapshot().light.values():
            if record.get("key") == key or key in (record.get("other_keys") or ()):
                return str(record["id"])
            for other in record.get("other_entries") or ():  # a library not yet migrated holds them inline
                if isinstance(other, dict) and other.get("key") == key:
                    return str(record["id"])
        return None

    def find(self, ref: str) -> Paper:
        """The saved paper a reference names, or NotFound."""
        paper_id = self.key(ref)
        paper = self.get(paper_id)
        if paper is None:
            raise NotFound(f"{paper_id} is not in your library (see `readlist list`)")
        return paper

    # -- changing ----------------------------------------------------------

    def save(self, paper: Paper) -> None:
        with self.transaction() as tx:
            tx.put_papers({paper.id: paper.to_dict()})

    def change(self, ref: str, edit: Callable[[Paper], None]) -> Paper:
        """Apply ``edit`` to the saved paper under the lock and store the result."""
        paper_id = self.key(ref)
        with self.transaction() as tx:
            paper = self.find(paper_id)
            edit(paper)
            paper.modified = now_iso()
            tx.put_papers({paper.id: paper.to_dict()})
        return paper

    def set_status(self, ref: str, status: Status) -> Paper:
        return self.change(ref, lambda p: p.set_status(status))

    def tag(self, ref: str, tags: Iterable[str], remove: bool = False) -> Paper:
        clean = normalize_tags(tags)
        gone = set(clean)

        def edit(paper: Paper) -> None:
            if remove:
                paper.tags = [t for t in paper.tags if t not in gone]
            elif paper.add_tags(clean):
                raise BadInput(
                    f"{paper.id} would hold more than {MAX_TAGS:,} tags, readlist's limit for a paper; "
                    "nothing was changed"
                )

        return self.change(ref, edit)

    def set_notes(self, ref: str, notes: str) -> Paper:
        def edit(paper: Paper) -> None:
            paper.notes = notes

        return self.change(ref, edit)

    def append_note(self, ref: str, text: str) -> Paper:
        return self.change(ref, lambda p: p.append_note(text))

    def remove(self, refs: Iterable[str]) -> list[Paper]:
        """Remove saved papers; every reference must name one, or nothing is removed."""
        ids = list(dict.fromkeys(self.key(r) for r in refs))  # a paper named twice is removed once
        with self.transaction() as tx:
            papers = [self.find(i) for i in ids]
            tx.remove_papers(p.id for p in papers)
        return papers

    def restore(self, paper: Paper) -> None:
        """Put back a paper exactly as it was (undo)."""
        self.save(paper)

    def restore_state(self, paper_id: str, before: Paper | None) -> None:
        """Undo's restore: put a paper back as it was, or remove it when it was not there before."""
        with self.transaction() as tx:
            if before is None:
                tx.remove_papers([paper_id])
            else:
                tx.put_papers({before.id: before.to_dict()})

    def place_imported(self, plan: Callable[[Mapping[str, Record], CitationKeys], Mapping[str, Record]]) -> None:
        """Import placement: under the lock, ``plan`` reads the papers (full records, texts read as asked for)
        and claims keys from the key service; the records it returns are stored, in one commit."""
        with self.transaction() as tx:
            keys = self.citation_keys()  # papers saved before keys were stored get theirs first
            writes = plan(tx.papers, keys)
            if writes:
                tx.put_papers(writes)

    def apply_edits(self, edit: Callable[[Mapping[str, Record]], Mapping[str, Record]]) -> None:
        """Edits brought back from files (import markdown): under the lock, ``edit`` reads the papers and
        returns the changed records, stored in one commit."""
        with self.transaction() as tx:
            edited = edit(tx.papers)
            if edited:
                tx.put_papers(edited)

    def record_pull(self, source: str, *, last_month: str | None, failed: bool) -> None:
        """Remember that ``source`` was pulled now (and the last month it gave, and whether it failed)."""
        with self.transaction() as tx:
            previous = dict(tx.sources.get(source) or {})
            previous.update(last_pull=now_iso(), failed=failed)
            if last_month:
                previous["last_month"] = last_month
            tx.put_source(source, previous)

    # -- adding ------------------------------------------------------------

    def new_paper(
        self,
        paper_id: str,
        *,
        tags: Iterable[str] = (),
        status: Status | None = None,
        note: str | None = None,
        source: str = "arxiv",
        blurb: str = "",
        **fields: Any,
    ) -> Paper:
        when = now_iso()
        fields.pop("id", None)
        paper = Paper(id=paper_id, added=when, source=source, blurb=blurb, **fields)
        self.give_key(paper)
        paper.set_status(status or Status.TO_READ, when)
        paper.add_tags([normalize_tag(t) for t in tags])
        if note:
            paper.append_note(note)
        return paper

    def used_keys(self) -> set[str]:
        """Every citation key in the library, lower-cased (BibTeX compares keys without case).

        Papers saved before keys were stored get theirs here, once, inside the
        caller's transaction: the key exports always gave them
        (:func:`readlist.core.citekey.legacy_keys`). Papers without a title yet
        wait for one (`readlist refresh`).
        """
        with self.transaction() as tx:
            light = tx.light
            if any(not r.get("key") and r.get("title") for r in light.values()):
                legacy = legacy_keys(light.values())
                records = tx.papers
                tx.put_papers(
                    {
                        pid: {**records[pid], "key": legacy[pid]}
                        for pid, r in light.items()
                        if not r.get("key") and r.get("title")
                    }
                )
            return used_keys(tx.light.values())

    def citation_keys(self) -> CitationKeys:
        """The library's key service (readlist.core.citekey): every key in use, and the one way to claim more."""
        return CitationKeys(self.used_keys())

    def give_key(self, paper: Paper, keys: CitationKeys | None = None) -> None:
        """Generate a paper's citation key, once: when it first has a title (author, year, first word, b/c...)."""
        if paper.key or not paper.title:
            return
        paper.key = (keys or self.citation_keys()).new(paper)

    def likely_duplicates(self, paper: Paper) -> list[Paper]:
        """Saved papers with the same title, first author's surname and year as ``paper`` (never merged)."""
        ident = identity_key(paper.title, paper.authors, paper.year)
        if ident is None:
            return []
        return [
            Paper.from_dict(r)
            for pid, r in self.snapshot().light.items()
            if pid != paper.id and identity_key(r.get("title"), r.get("authors") or [], r.get("year")) == ident
        ]

    @staticmethod
    def merge_into(paper: Paper, tags: Iterable[str], status: Status | None, note: str | None, blurb: str = "") -> None:
        """What adding an already saved paper does: new tags, status and note join it."""
        paper.add_tags([normalize_tag(t) for t in tags])
        if status is not None:
            paper.set_status(status)
        if note and note not in paper.notes:
            paper.append_note(note)
        if blurb and not paper.blurb:
            paper.blurb = blurb
        paper.modified = now_iso()

    def add_arxiv(
        self,
        refs: Iterable[ArxivRef],
        *,
        tags: Iterable[str] = (),
        status: Status | None = None,
        note: str | None = None,
        source: str = "arxiv",
        blurb: str = "",
        client: ArxivClient | None = None,
    ) -> AddReport:
        """Fetch and save arXiv papers, in one request and one transaction.

        Papers already saved (and complete) are merged without asking arXiv.
        If arXiv cannot be reached, every new reference is kept as a pending
        record with its tags and note, and the report carries the error. So
        does Ctrl-C while arXiv is being asked: the references are kept as
        pending and the report says ``interrupted`` (the caller then stops).
        """
        tags = [normalize_tag(t) for t in tags]
        wanted = list({r.id: r for r in refs}.values())
        stored = self.snapshot().papers  # one read of the file, not one per reference
        saved = {r.id: Paper.from_dict(stored[r.id]) if r.id in stored else None for r in wanted}
        to_fetch = [r for r in wanted if _needs_fetch(r, saved[r.id])]
        report = AddReport()
        found: dict[str, dict[str, Any]] = {}
        if to_fetch:
            try:
                if client is None:
                    from readlist.core.arxiv_api import get_client

                    client = get_client(self.settings)
                result = client.fetch(to_fetch)
                found = result.found
                report.unknown = result.missing
            except NetworkError as exc:
                report.error = exc
            except KeyboardInterrupt:  # what the user typed is saved before the command stops
                report.interrupted = True

        unknown = {r.id for r in report.unknown}
        with self.transaction() as tx:
            for ref in wanted:
                if ref.id in unknown:
                    continue
                paper = self.get(ref.id)  # re-read under the lock
                meta = found.get(ref.id)
                if paper is None:
                    if meta is not None:
                        paper = self.new_paper(
                            ref.id, tags=tags, status=status, note=note, source=source, blurb=blurb, **meta
                        )
                        report.added.append(paper)
                    else:
                        paper = self.new_paper(
                            ref.id, tags=tags, status=status, note=note, source=source, blurb=blurb,
                            version=ref.version, pending=True, url=f"https://arxiv.org/abs/{ref.id}",
                            pdf_url=f"https://arxiv.org/pdf/{ref.query_id}",
                        )  # fmt: skip
                        report.pending.append(paper)
                else:
                    if meta is not None:
                        apply_metadata(paper, meta)
                        self.give_key(paper)
                    self.merge_into(paper, tags, status, note, blurb)
                    (report.pending if paper.pending else report.merged).append(paper)
                tx.put_papers({paper.id: paper.to_dict()})
        return report

    def add_manual(
        self,
        *,
        title: str,
        authors: Iterable[str] = (),
        year: int | None = None,
        url: str | None = None,
        doi: str | None = None,
        tags: Iterable[str] = (),
        status: Status | None = None,
        note: str | None = None,
        source: str = "manual",
        blurb: str = "",
        abstract: str = "",
    ) -> tuple[Paper, bool]:
        """Save a paper that is not on arXiv. Returns the paper and whether it is new.

        The same DOI is the same paper (tags, status and note join it). Without
        a DOI the id is made from the title, the first author's surname and the
        year, so a different paper with the same title gets its own; a paper
        that matches all three is a likely duplicate, saved apart (see
        :meth:`likely_duplicates`), never merged silently.
        """
        title = " ".join(title.split())
        if not title:
            raise BadInput("a paper added by hand needs a --title")
        if year is not None and not 1000 <= year <= 2999:
            raise BadInput(f"--year {year} is not a year")
        if url is not None and not browsable(url):
            raise BadInput(f"--url {url!r} is not an http(s) URL")
        clean_doi = normalize_doi(doi) if doi else None
        names = [" ".join(a.split()) for a in authors if a.strip()]
        base = manual_id(title, clean_doi, authors=names, year=year)
        with self.transaction() as tx:
            paper_id = base
            if clean_doi:  # the same DOI is the same paper, whatever id it was saved under (an arXiv id)
                paper_id = next((pid for pid, r in tx.light.items() if r.get("doi") == clean_doi), base)
            else:
                n = 1
                while paper_id in tx.light:
                    n += 1
                    paper_id = f"{base}-{suffix(n)}"
            paper = self.get(paper_id)
            is_new = paper is None
            if paper is None:
                paper = self.new_paper(
                    paper_id, tags=tags, status=status, note=note, source=source, blurb=blurb,
                    title=title, authors=names, year=year,
                    published=f"{year}-01-01" if year else None, doi=clean_doi, abstract=abstract,
                    url=url or (f"https://doi.org/{clean_doi}" if clean_doi else None),
                )  # fmt: skip
            else:
                self.merge_into(paper, tags, status, note, blurb)
            tx.put_papers({paper.id: paper.to_dict()})
        return paper, is_new

    # -- refreshing --------------------------------------------------------

    def refresh(self, refs: Iterable[str] = (), client: ArxivClient | None = None) -> RefreshReport:
        """Complete pending papers and note which saved papers have a newer version.

        Without references, every arXiv paper in the library is checked.
        """
        ids = [self.key(r) for r in refs]
        papers = self.papers()
        if ids:
            by_id = {p.id: p for p in papers}
            missing = [i for i in ids if i not in by_id]
            if missing:
                raise NotFound(f"{missing[0]} is not in your library (see `readlist list`)")
            papers = [by_id[i] for i in ids]
        papers = [p for p in papers if p.is_arxiv]
        report = RefreshReport(checked=len(papers))
        if not papers:
            return report
        if client is None:
            from readlist.core.arxiv_api import get_client

            client = get_client(self.settings)
        # A pending paper saved with a version gets that version; others the latest.
        asked = [ArxivRef(p.id, p.version if p.pending else None) for p in papers]
        result = client.fetch(asked)
        with self.transaction() as tx:
            for old in papers:
                paper = self.get(old.id)
                meta = result.found.get(old.id)
                if paper is None:
                    continue  # removed meanwhile
                if meta is None:
                    report.unknown.append(paper.id)
                    continue
                if paper.pending:
                    apply_metadata(paper, meta)
                    self.give_key(paper)  # a key comes with the title, and stays
                    report.completed.append(paper)
                else:
                    paper.latest_version = meta["version"]
                    for key in ("doi", "journal_ref"):
                        if meta.get(key) and not getattr(paper, key):
                            setattr(paper, key, meta[key])
                    if _version_number(meta["version"]) > _version_number(paper.version):
                        report.newer.append((paper, meta["version"]))
                tx.put_papers({paper.id: paper.to_dict()})
        return report


def apply_metadata(paper: Paper, meta: dict[str, Any]) -> None:
    """Fill a paper's arXiv fields from fetched metadata, keeping the user's own."""
    for key in METADATA_FIELDS:
        if key in meta:
            setattr(paper, key, meta[key])
    if meta.get("version"):
        paper.version = meta["version"]
        paper.latest_version = paper.latest_version or meta["version"]
    paper.pending = False


def _needs_fetch(ref: ArxivRef, saved: Paper | None) -> bool:
    """A new paper, a pending one, or another version than the one saved: arXiv must be asked."""
    return saved is None or saved.pending or bool(ref.version and ref.version != saved.version)


def _version_number(version: str | None) -> int:
    return int(version[1:]) if version and version[1:].isdigit() else 0
