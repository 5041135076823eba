"""The reading list's operations: what the CLI and the TUI both call.

Every change goes through :meth:`Library.change`, one store transaction that
re-reads the file under its lock, so a change never overwrites what another
process wrote in between.
"""

from __future__ import annotations

import contextlib
import re
import stat
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from readlist.core.citekey import (
    CitationKeys,
    identity_key,
    key_census,
    legacy_keys,
    suffix,
    surname,
    title_id,
    used_keys,
)
from readlist.core.config import Settings
from readlist.core.errors import BadInput, NetworkError, NotFound
from readlist.core.light import LightRecords
from readlist.core.links import browsable
from readlist.core.models import MAX_TAGS, Paper, Status, normalize_tag, normalize_tags, now_iso, slugify
from readlist.core.refs import ArxivRef, find_arxiv_ref
from readlist.core.store import Commit, Record, Snapshot, Stamp, Store, Transaction

if TYPE_CHECKING:
    from readlist.core.arxiv_api import ArxivClient
    from readlist.core.attachments.folder import Copied
    from readlist.core.completion_words import WordsAdded
    from readlist.core.query import Query, Text
    from readlist.core.query_index import WordAnswers
    from readlist.core.rows import Rows

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
    joined: list[tuple[Paper, Paper]] = field(default_factory=list)
    """Papers saved by DOI that turned out to be the arXiv paper added: (the paper, now under its arXiv id;
    the paper as it was saved before, under its own id). Both records' fields and origins are kept in one."""
    error: NetworkError | None = None
    interrupted: bool = False
    """Ctrl-C came while arXiv was being asked: the new references were kept as pending, and the caller should stop."""


@dataclass
class AttachReport:
    """What an attach did: the paper as saved, the attachments it gained, and one line per file whose
    text could not be read (the file is attached all the same) or was read only in part."""

    paper: Paper
    attached: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


@dataclass
class RefreshReport:
    completed: list[Paper] = field(default_factory=list)
    newer: list[tuple[Paper, str]] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    checked: int = 0


@dataclass
class Before:
    """What a write replaced, for an undo: given to an operation, it is filled under the operation's lock.

    ``papers``: each paper as stored just before (None: it was not there); ``suggestions``: each suggestion
    record as it was (:class:`readlist.core.suggestions.Suggestions` fills it).
    """

    papers: dict[str, Paper | None] = field(default_factory=dict)
    suggestions: dict[str, Record] = field(default_factory=dict)

    def keep(self, paper: Paper | None, paper_id: str | None = None) -> None:
        """Remember ``paper`` as it is now (the first state seen of each paper is the one kept)."""
        key = paper.id if paper is not None else paper_id
        if key is not None and key not in self.papers:
            self.papers[key] = Paper.from_dict(paper.to_dict()) if paper is not None else None


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
    helpers built on it) and writes through a named operation (:meth:`change`,
    :meth:`add_arxiv`, :meth:`place_imported`, :meth:`restore_state`...), each
    one transaction; the transaction itself is private to ``readlist.core``
    (``tests/core/test_one_door.py`` holds every other module to it).
    ``on_problem`` hears, once per state of the file, about each stored record
    that does not fit and is left out (see :mod:`readlist.core.records`).
    """

    def __init__(self, settings: Settings, on_problem: Callable[[str], None] | None = None) -> None:
        self.settings = settings
        self._store = Store(settings.library_path)
        self._store.warn = on_problem
        self._store.on_commit = self._advance_rows
        self._on_problem = on_problem
        self._reported: Stamp | None = None
        self._index_syncing = threading.Lock()
        """Held while this process brings the search index up to date (one sync at a time; readers of the
        PDFs' pages answer without waiting on its writes)."""

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

    def _transaction(self) -> contextlib.AbstractContextManager[Transaction]:
        """Lock the library, read it once, and commit every write made inside at the end (or none).

        Private to ``readlist.core``: other layers call a named operation."""
        return self._store.transaction()

    def records(self) -> list[Record]:
        """Full stored records, texts joined (every paper's text is read: prefer :meth:`light_records`)."""
        return list(self.snapshot().papers.values())

    def light_records(self) -> list[Record]:
        """The papers' light records, every field filled in: no abstract, notes or origins (do not mutate)."""
        return list(self.snapshot().light.values())

    def joined(self, records: Iterable[Record]) -> list[Record]:
        """Full records (texts joined) for light ones."""
        from readlist.core.texts import JoinedPapers

        papers = self.snapshot().papers
        if isinstance(papers, JoinedPapers):
            return papers.joined(str(r["id"]) for r in records)
        return [papers[str(r["id"])] for r in records if str(r["id"]) in papers]

    def joined_parts(self, ids: Sequence[str], size: int = 500) -> Iterator[list[Record]]:
        """The full records (texts joined) of these papers, in lists of up to ``size``, all from one snapshot:
        a long list is printed as it is joined, never held whole."""
        from readlist.core.texts import JoinedPapers

        papers = self.snapshot().papers
        for start in range(0, len(ids), size):
            part = ids[start : start + size]
            if isinstance(papers, JoinedPapers):
                yield papers.joined(part)
            else:
                yield [papers[paper_id] for paper_id in part if paper_id in papers]

    def joined_json_parts(self, ids: Sequence[str], size: int = 500) -> Iterator[list[bytes]]:
        """:meth:`joined_parts` as JSON (each record as ``orjson.dumps`` writes it): a text laid out as readlist
        writes it is copied as it is written, not parsed into objects and written again."""
        from readlist.core.texts import JoinedPapers

        papers = self.snapshot().papers
        if not isinstance(papers, JoinedPapers):
            import orjson

            for part in self.joined_parts(ids, size):
                yield [orjson.dumps(record) for record in part]
            return
        for start in range(0, len(ids), size):
            yield papers.joined_json(ids[start : start + size])

    def papers(self) -> list[Paper]:
        return [Paper.from_dict(r) for r in self.snapshot().papers.values()]

    def papers_by_shard(self, paper_ids: Iterable[str]) -> Iterator[list[Paper]]:
        """These saved papers, a text shard's at a time: each shard read for them is let go once its papers
        are given, so that a pass over every paper (an export) holds one shard's texts, not all of them."""
        from readlist.core.texts import JoinedPapers

        papers = self.snapshot().papers
        if isinstance(papers, JoinedPapers):
            for part in papers.by_shard(paper_ids):
                yield [Paper.from_dict(record) for _, record in part]
        else:  # inside a transaction: the records are held already
            yield [Paper.from_dict(papers[paper_id]) for paper_id in paper_ids if paper_id in papers]

    def export_keys(self) -> dict[str, str]:
        """Every saved paper's citation key, from the light records alone: the stored one, else the one
        exports always gave it (:func:`readlist.core.citekey.citation_keys` without reading any text)."""
        snap = self.snapshot()
        stored = snap.stored_light
        legacy = legacy_keys(snap.light.values()) if key_census(stored.values()).keyless else {}
        return {paper_id: record.get("key") or legacy[paper_id] for paper_id, record in stored.items()}

    def get(self, paper_id: str) -> Paper | None:
        """The saved paper with this id (from its row and its text alone when the rows are current)."""
        if not self._store.in_transaction() and not self._store.parsed():
            from readlist.core.rows import RowCache

            known, light = RowCache(self._rows_path()).read_one(self._store.stamp(), paper_id)
            if known:
                if light is None:
                    return None
                from readlist.core.texts import JoinedPapers

                return Paper.from_dict(
                    JoinedPapers({paper_id: light}, self._store.shards, warn=self._store.warn)[paper_id]
                )
        record = self.snapshot().papers.get(paper_id)
        return Paper.from_dict(record) if record is not None else None

    # -- the light rows (readlist.core.rows): reads that need not parse library.json ------------

    def _rows_path(self) -> Path:
        from readlist.core.rows import rows_file

        return rows_file(self.settings.cache_dir, self.settings.library_path)

    def _fresh_rows(self, stamp: Stamp | None = None) -> Rows | None:
        """The rows of the library as it is now (at ``stamp``, when the caller took it), when a derived copy is
        current and this process has not parsed library.json already (inside a transaction: None, the
        transaction's view is the truth)."""
        if self._store.in_transaction() or self._store.parsed():
            return None
        from readlist.core.rows import RowCache

        return RowCache(self._rows_path()).read(self._store.stamp() if stamp is None else stamp)

    def _light_for_lookup(self) -> Mapping[str, Record]:
        """Each paper's id, key, other keys and DOI (its row, or its light record), by id."""
        rows = self._fresh_rows()
        if rows is None:
            return self.snapshot().stored_light  # the fields looked up are stored as they are: none expanded
        rows.close()
        return {str(r["id"]): r for r in rows.records}

    def _rebuild_rows(self) -> None:
        """Make the rows those of the library as parsed now (only from a library read without a problem)."""
        from readlist.core.rows import RowCache
        from readlist.core.store import SCHEMA_VERSION

        snap = self.snapshot()
        schema = snap.meta.get("schema") or {}
        if snap.stamp is None or snap.problems or snap.notices or schema.get("version") != SCHEMA_VERSION:
            return
        RowCache(self._rows_path()).rebuild(snap.light, snap.stamp)

    def _advance_rows(self, commit: Commit) -> None:
        """A commit moves the rows on (only the changed papers' rows are written), under the lock."""
        if not commit.current:
            return
        from readlist.core.rows import RowCache

        try:
            rows = RowCache(self._rows_path())
        except OSError:  # the library's path cannot be resolved now: the next list makes the rows anew
            return
        # The commit's papers are as stored (schema 3, compact); the rows hold them expanded.
        rows.advance(commit.before, commit.after, LightRecords(commit.light), commit.changed, commit.removed)

    def list_rows(self, query: Query, *, full_text: bool = False) -> list[Record]:
        """The rows (:data:`readlist.core.rows.ROW_FIELDS` of the light records, or the whole light records)
        of the saved papers that match ``query``, in the store's order: what ``list`` prints and sorts.

        When the derived rows are current, library.json is not parsed: field terms are tested on the rows and
        words on the search index (when it is current too). Else it is :meth:`select`, and the rows are made
        again for the next command.
        """
        stamp = self._store.stamp()
        rows = self._fresh_rows(stamp)
        current = rows is not None
        if rows is not None:
            try:
                records = rows.records
                if not query.terms:
                    return records
                if not query.on_text:
                    return query.filter(records)
                found = self._run_on_current_index(query, records, full_text, stamp)
                if found is None and self.sync_search_index() == stamp:
                    # The index caught up with the rows' state (a write since it was synced): the words are
                    # answered on the rows as they are, no light record expanded.
                    found = self._run_on_current_index(query, records, full_text, stamp)
                if found is not None:
                    return found
            finally:
                rows.close()
            del rows, records  # not held while select reads the library (and the index is built)
        selected = self.select(query, full_text=full_text)
        if not current:
            self._rebuild_rows()
        return selected

    def _run_on_current_index(
        self, query: Query, records: list[Record], full_text: bool, stamp: Stamp | None
    ) -> list[Record] | None:
        """``query`` run over ``records`` (the rows at ``stamp``) with the search index, when the index is of
        that stamp too (else None: it needs the library's texts to catch up)."""
        from readlist.core.query import run
        from readlist.core.search_index import IndexedText, IndexUnusable, SearchIndex, index_file

        index = SearchIndex(index_file(self.settings.cache_dir, self.settings.library_path))
        try:
            if not index.is_current(stamp):
                return None
            text = IndexedText(index, records, full_text)
            return [records[i] for i in run(query, records, range(len(records)), text)]
        except IndexUnusable:
            return None
        finally:
            index.close()

    def sorted_ids(self, query: Query, sort: str, *, reverse: bool = False, full_text: bool = False) -> list[str]:
        """The ids of the papers :meth:`select` gives, in :func:`readlist.core.query.sort_order`: what
        ``list --json`` joins. Without a term and by date added (fields stored as they are), the stored
        records are sorted as they are, so that each light record is expanded once, into its joined record."""
        from readlist.core.query import sort_order

        if not query.terms and sort == "added":
            stored = list(self.snapshot().stored_light.values())
            return [str(stored[i]["id"]) for i in sort_order(stored, sort, reverse=reverse)]
        found = self.select(query, full_text=full_text)
        return [str(found[i]["id"]) for i in sort_order(found, sort, reverse=reverse)]

    def select(self, query: Query, *, full_text: bool = False, read_pdfs: bool = True) -> list[Record]:
        """The light records of the saved papers that match a query of the query language, in the store's order
        (:meth:`joined` gives their full records).

        Field terms are tested on the light records; words and phrases are
        answered by the search index in the cache folder
        (:mod:`readlist.core.search_index`), brought up to date first, or by
        reading the texts when it cannot be used. ``text:`` terms, and with
        ``full_text`` free words too, look in the pages of the papers' PDFs,
        which only the index holds. Without ``read_pdfs`` (a process that must never read a PDF: the TUI),
        the index learns PDFs' pages from the extraction cache only.
        """
        snap = self.snapshot()
        records = list(snap.light.values())
        if not query.terms:
            return records
        if not query.on_text:
            return query.filter(records)
        from readlist.core.query import run
        from readlist.core.search_index import open_text_search

        pages = self._page_texts if read_pdfs else self._cached_page_texts
        with self._index_syncing:  # it syncs the index: one sync at a time in this process
            text = open_text_search(
                self.settings.cache_dir, self.settings.library_path, snap.papers, snap.stamp, records, pages,
                full_text=full_text,
            )  # fmt: skip
            return [records[i] for i in run(query, records, range(len(records)), text)]

    def sync_search_index(self) -> Stamp | None:
        """Bring the search index to the library now, attached PDFs' pages included: the library's stamp
        the index now follows, or None when it cannot be written now (the next search brings it up to date)."""
        from readlist.core.search_index import IndexUnusable, SearchIndex, index_file

        with self._index_syncing:
            snap = self.snapshot()
            index = SearchIndex(index_file(self.settings.cache_dir, self.settings.library_path))
            try:
                index.sync(snap.papers, snap.stamp, self._page_texts)
                return snap.stamp
            except IndexUnusable:
                return None
            finally:
                index.close()

    def sync_page_index(self) -> Stamp | None:
        """Bring the search index to the library for a process that must never read a PDF (the TUI, in a
        thread): the pages come from the extraction cache only. The library's stamp the index now follows,
        or None when it cannot be used now."""
        from readlist.core.search_index import IndexUnusable, SearchIndex, index_file

        with self._index_syncing:
            snap = self.snapshot()
            index = SearchIndex(index_file(self.settings.cache_dir, self.settings.library_path))
            try:
                index.sync(snap.papers, snap.stamp, self._cached_page_texts)
                return snap.stamp
            except IndexUnusable:
                return None
            finally:
                index.close()

    def word_answers(self, stamp: Stamp) -> WordAnswers | None:
        """What answers the TUI's filter words from the search index as it is now, when it follows the
        library at ``stamp`` (None: it moved on, or it cannot be read). Its connection is opened here (a
        thread) and read from the caller's event loop; a word it cannot answer later is answered by reading."""
        import sqlite3

        from readlist.core.query_index import WordAnswers
        from readlist.core.search_index import IndexUnusable, SearchIndex, index_file

        index = SearchIndex(index_file(self.settings.cache_dir, self.settings.library_path))
        try:
            if not index.is_current(stamp):
                index.close()
                return None
            index.vocabulary()
            numbered = index.db.execute("SELECT n, id FROM docs").fetchall()
            doc_ids: list[str | None] = [None] * (max((n for n, _ in numbered), default=-1) + 1)
            for n, paper_id in numbered:
                doc_ids[n] = paper_id
            del numbered
        except (IndexUnusable, sqlite3.Error):
            index.close()
            return None

        def docs_matching(term: Text) -> set[int] | None:
            try:
                return index.docs_matching(term)
            except (IndexUnusable, sqlite3.Error):
                return None

        def ids_among(term: Text, paper_ids: list[str]) -> set[str] | None:
            try:
                return index.ids_matching_among(term, paper_ids)
            except (IndexUnusable, sqlite3.Error):
                return None

        return WordAnswers(docs_matching, doc_ids, stamp, ids_among)

    def ids_with_page_text(self, text: str, *, sync: bool = True) -> set[str]:
        """The ids of the papers whose indexed PDF pages hold ``text``, the index first brought up to date
        (:meth:`sync_page_index`); with ``sync`` False, the index as it is, and none while another thread
        syncs it (no waiting on its writes)."""
        import sqlite3

        from readlist.core.search_index import IndexUnusable, SearchIndex, index_file

        if sync:
            self.sync_page_index()
        if not self._index_syncing.acquire(blocking=sync):
            return set()
        index = SearchIndex(index_file(self.settings.cache_dir, self.settings.library_path))
        try:
            return index.ids_with_page_text(text)
        except (IndexUnusable, sqlite3.Error):
            return set()
        finally:
            index.close()
            self._index_syncing.release()

    def text_hits(
        self, query: Query, records: Iterable[Record], *, full_text: bool = False
    ) -> dict[str, list[dict[str, Any]]]:
        """Where the query's ``text:`` terms (and with ``full_text`` its words) are in each paper's PDFs:
        ``{paper id: [{"page": N, "snippet": "…", "path": "files/…"}]}``, pages counted from 1, best first."""
        from readlist.core.attachments.snippets import hits_for

        if not self._index_syncing.acquire(blocking=False):
            return {}  # another thread is writing the index: no waiting on it (the TUI asks again after)
        try:
            return hits_for(self.settings, query, [str(r.get("id") or "") for r in records], full_text=full_text)
        finally:
            self._index_syncing.release()

    def _cached_page_texts(self, sha256: str, path: str) -> list[str] | None:
        """A PDF's page texts for the index, from the extraction cache only (None when not there)."""
        from readlist.core.attachments.extract import UnreadablePdf, cached_text

        try:
            cached = cached_text(self.settings, sha256)
        except UnreadablePdf:
            return None
        return cached.pages if cached is not None else None

    def _page_texts(self, sha256: str, path: str) -> list[str] | None:
        """A PDF's page texts for the index: from the extraction cache, else read from the file now."""
        from readlist.core.attachments.extract import UnreadablePdf, cached_text, extract_text
        from readlist.core.errors import ReadlistError

        try:
            cached = cached_text(self.settings, sha256)
            if cached is None:
                cached = extract_text(self.file_path({"path": path}), self.settings)
        except (UnreadablePdf, ReadlistError, OSError):
            return None
        return cached.pages if cached.sha256 == sha256 else None  # the file changed since it was recorded

    def stamp(self) -> Stamp | None:
        """Changes whenever any process replaces the library file."""
        return self._store.stamp()

    def written_stamp(self) -> Stamp | None:
        """The file's stamp right after this thread's last commit (see Store.written_stamp)."""
        return self._store.written_stamp()

    def last_write(self) -> tuple[Stamp | None, WordsAdded | None]:
        """The stamp of the file this thread's last commit replaced, and the words shell completion offers that
        the commit added, where adding is all it did to them (see Store.last_write)."""
        return self._store.last_write()

    def check(self) -> None:
        """Raise CorruptLibrary or StoreError now if the library cannot be read."""
        self._store.check()

    def key(self, ref: str) -> str:
        """The id a reference names: an arXiv id in any form, ``doi:...``, ``manual:...``, or a citation key."""
        arxiv_ref = find_arxiv_ref(ref)
        if arxiv_ref is not None:
            return arxiv_ref.id
        text = ref.strip()
        if text.startswith("manual:"):
            return text
        if text.startswith("doi:") or re.match(r"(https?://(dx\.)?doi\.org/)?10\.\d{4,9}/", text):
            try:
                doi = normalize_doi(text)
            except BadInput:
                return text
            return self.paper_by_doi(doi) or "doi:" + doi
        by_key = self.paper_by_citation_key(text)
        if by_key is not None:
            return by_key
        raise BadInput(
            f"{ref!r} is not a paper reference: use an arXiv id (2101.03961), doi:..., manual:... "
            "or the citation key `readlist show` gives"
        )

    def paper_by_doi(self, doi: str) -> str | None:
        """The id of the saved paper with this DOI: ``doi:<doi>`` itself, else a paper whose ``doi`` it is
        (an arXiv paper that a journal published, a DOI paper merged into its arXiv preprint)."""
        light = self._light_for_lookup()  # the DOI is a light field: no text is read
        if "doi:" + doi in light:
            return "doi:" + doi
        return next((pid for pid, r in light.items() if (r.get("doi") or "").lower() == doi), None)

    def paper_by_citation_key(self, key: str) -> str | None:
        """The id of the saved paper cited as ``key`` (its stored key, or a key of another entry it merged)."""
        for record in self._light_for_lookup().values():
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

    def _save(self, paper: Paper) -> None:
        """Store a paper as it is (core's own writes: an accepted suggestion, undo's restore)."""
        with self._transaction() as tx:
            tx.put_papers({paper.id: paper.to_dict()})

    def change(self, ref: str, edit: Callable[[Paper], None], *, before: Before | None = None) -> Paper:
        """Apply ``edit`` to the saved paper under the lock and store the result (``before`` keeps it as it was)."""
        return self.change_many([ref], edit, before=before)[0]

    def change_many(
        self, refs: Iterable[str], edit: Callable[[Paper], None], *, before: Before | None = None
    ) -> list[Paper]:
        """Apply ``edit`` to each saved paper, in one transaction: all are stored, or none (``before`` keeps
        each as it was, for an undo)."""
        paper_ids = [self.key(ref) for ref in refs]
        changed: list[Paper] = []
        with self._transaction() as tx:
            for paper_id in paper_ids:
                paper = self.find(paper_id)
                if before is not None:
                    before.keep(paper)
                edit(paper)
                paper.modified = now_iso()
                tx.put_papers({paper.id: paper.to_dict()})
                changed.append(paper)
        return changed

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
        """Remove saved papers; every reference must name one, or nothing is removed.

        Their files in ``files/`` move to ``files/.trash/`` once the records are gone; the papers
        returned name them there, so :meth:`restore` (the TUI's undo) brings them back.
        """
        ids = list(dict.fromkeys(self.key(r) for r in refs))  # a paper named twice is removed once
        with self._transaction() as tx:
            papers = [self.find(i) for i in ids]
            tx.remove_papers(p.id for p in papers)
        for paper in papers:
            paper.files = [self._to_trash(entry) for entry in paper.files]
        return papers

    def restore(self, paper: Paper) -> None:
        """Put back a paper exactly as it was (undo), its files taken back out of the trash."""
        from readlist.core.attachments.folder import TRASH

        if any(str(entry.get("path", "")).startswith(f"files/{TRASH}/") for entry in paper.files):
            paper.files = [self._from_trash(entry) for entry in paper.files]
        self._save(paper)

    # -- attached files ----------------------------------------------------

    def file_path(self, entry: dict[str, Any]) -> Path:
        """Where an attachment is on disk: its ``path`` against the folder of the resolved library.json."""
        from readlist.core.attachments.folder import library_folder

        return library_folder(self.settings) / str(entry.get("path", ""))

    def local_file(self, paper: Paper, *, pdf: bool = False) -> Path | None:
        """The paper's first attached file that is on disk (a PDF first; only a PDF with ``pdf``)."""
        entries = sorted(paper.files, key=lambda f: f.get("kind") != "pdf")
        for entry in entries:
            if pdf and entry.get("kind") != "pdf":
                continue
            path = self.file_path(entry)
            if path.is_file():
                return path
        return None

    def attach(self, ref: str, sources: Iterable[Path], *, move: bool = False, index: bool = True) -> AttachReport:
        """Copy files into ``files/`` and record them on the paper, in one transaction.

        Every file is checked (a regular file or a symlink to one, within ``max_pdf_mb``) before any is
        copied; a PDF's text is read and kept in the cache before the record is written (``index=False``
        defers it). ``move`` deletes the given paths once the record is saved.
        """
        from readlist.core.attachments.folder import copy_in, files_folder
        from readlist.core.files import NotRegularFile, kind

        paper = self.find(ref)
        sources = list(sources)
        for source in sources:  # bad input changes nothing: every file is judged before the first copy
            try:
                info = source.stat()
            except OSError as exc:
                raise NotRegularFile(f"cannot attach {source}: {exc.strerror or exc}") from None
            if not stat.S_ISREG(info.st_mode):
                what = kind(info.st_mode)
                raise NotRegularFile(f"{source} is {what}, not a regular file; only files can be attached")
        folder = files_folder(self.settings)
        copies: list[Copied] = []
        try:
            for source in sources:
                copies.append(copy_in(source, folder, paper.key or paper.id, self.settings.max_pdf_bytes))
            report = self._record_copies(paper.id, copies, [s.name for s in sources], index=index)
        except BaseException:
            for copy in copies:
                with contextlib.suppress(OSError):
                    copy.path.unlink()
            raise
        if move:
            for source in sources:
                with contextlib.suppress(OSError):
                    source.unlink()
        return report

    def attach_pdf(self, ref: str, body: bytes, *, index: bool = True) -> AttachReport:
        """Record a downloaded PDF (written as a ``.part`` file until whole, then named)."""
        from readlist.core.attachments.folder import files_folder, write_unique

        paper = self.find(ref)
        copy = write_unique(files_folder(self.settings), paper.key or paper.id, "paper.pdf", lambda write: write(body))
        try:
            return self._record_copies(paper.id, [copy], ["paper.pdf"], index=index)
        except BaseException:
            with contextlib.suppress(OSError):
                copy.path.unlink()
            raise

    def _record_copies(self, paper_id: str, copies: list[Copied], names: list[str], *, index: bool) -> AttachReport:
        from readlist.core.attachments.extract import UnreadablePdf, extract_text
        from readlist.core.attachments.folder import file_kind, library_folder

        home = library_folder(self.settings)
        entries: list[dict[str, Any]] = []
        problems: list[str] = []
        notes: list[str] = []
        for copy, name in zip(copies, names, strict=True):
            entry: dict[str, Any] = {
                "path": copy.path.relative_to(home).as_posix(), "kind": file_kind(name, copy.head),
                "size": copy.size, "pages": None, "sha256": copy.sha256, "added": now_iso(),
            }  # fmt: skip
            if entry["kind"] == "pdf" and index:
                try:
                    text = extract_text(copy.path, self.settings, sha256=copy.sha256, shown=entry["path"])
                except UnreadablePdf as exc:
                    entry["problem"] = exc.reason
                    problems.append(f"{exc}; attached all the same")
                else:
                    entry["pages"] = text.page_count
                    if text.truncated:
                        notes.append(
                            f"{entry['path']} has {text.page_count} pages: the text of the first "
                            f"{len(text.pages)} is searchable (pdf_max_pages)"
                        )
            entries.append(entry)
        with self._transaction() as tx:
            paper = self.find(paper_id)  # re-read under the lock
            paper.files = [*paper.files, *entries]
            paper.modified = now_iso()
            tx.put_papers({paper.id: paper.to_dict()})
        if index:
            self.sync_search_index()
        return AttachReport(paper, entries, problems, notes)

    def detach(self, ref: str, which: str | None = None) -> tuple[Paper, dict[str, Any]]:
        """Take one attachment off a paper (by its path or file name; none needed when it has one).

        A copy in ``files/`` moves to ``files/.trash/``; a file linked in place is left where it is.
        """
        paper_id = self.key(ref)
        with self._transaction() as tx:
            paper = self.find(paper_id)
            if not paper.files:
                raise NotFound(f"{paper.id} has no attached files")
            if which is None:
                if len(paper.files) > 1:
                    names = ", ".join(str(f.get("path")) for f in paper.files)
                    raise BadInput(f"{paper.id} has {len(paper.files)} files ({names}): name the one to detach")
                chosen = paper.files[0]
            else:
                matches = [f for f in paper.files if which in (f.get("path"), Path(str(f.get("path"))).name)]
                if not matches:
                    raise NotFound(f"{paper.id} has no attached file {which!r} (see `readlist show {paper.id}`)")
                chosen = matches[0]
            paper.files = [f for f in paper.files if f is not chosen]
            paper.modified = now_iso()
            tx.put_papers({paper.id: paper.to_dict()})
        return paper, self._to_trash(chosen)

    def _to_trash(self, entry: dict[str, Any]) -> dict[str, Any]:
        """Move a copy in ``files/`` to ``files/.trash/`` (a linked file, or one not there, stays put)."""
        from readlist.core.attachments.folder import (
            FOLDER,
            files_folder,
            inside,
            library_folder,
            move_unique,
            trash_folder,
        )

        path = str(entry.get("path", ""))
        source = self.file_path(entry)
        if entry.get("linked") or not path.startswith(f"{FOLDER}/") or not inside(files_folder(self.settings), source):
            return entry
        if not source.is_file() or inside(trash_folder(self.settings), source):
            return entry
        try:
            moved = move_unique(source, trash_folder(self.settings), source.name)
        except OSError:
            return entry
        return {**entry, "path": moved.relative_to(library_folder(self.settings)).as_posix()}

    def _from_trash(self, entry: dict[str, Any]) -> dict[str, Any]:
        from readlist.core.attachments.folder import files_folder, inside, library_folder, move_unique, trash_folder

        source = self.file_path(entry)
        if entry.get("linked") or not inside(trash_folder(self.settings), source) or not source.is_file():
            return entry
        try:
            moved = move_unique(source, files_folder(self.settings), source.name)
        except OSError:
            return entry
        return {**entry, "path": moved.relative_to(library_folder(self.settings)).as_posix()}

    def restore_state(self, paper_id: str, before: Paper | None) -> None:
        """Undo's restore: put a paper back as it was (its files out of the trash), or remove it when it
        was not there before. Copies it gained since (a fetched PDF) move to ``files/.trash/``, as a removed
        paper's do, rather than stay in ``files/`` with no paper naming them."""
        with self._transaction() as tx:
            now = self.get(paper_id)
            kept = {str(entry.get("path")) for entry in before.files} if before is not None else set()
            gained = [entry for entry in (now.files if now is not None else []) if str(entry.get("path")) not in kept]
            if before is None:
                tx.remove_papers([paper_id])
            else:
                self.restore(before)
        for entry in gained:
            self._to_trash(entry)

    def place_imported(
        self, plan: Callable[[Mapping[str, Record], CitationKeys], Iterable[tuple[str, Record]]]
    ) -> None:
        """Import placement: under the lock, ``plan`` reads the papers (full records, texts read as asked for,
        its own writes included) and claims keys from the key service; each (id, record) it yields is stored
        as it comes, and all of them in one commit."""
        with self._transaction() as tx:
            keys = self.citation_keys()  # papers saved before keys were stored get theirs first
            tx.put_papers(plan(tx.papers, keys))

    def apply_edits(self, edit: Callable[[Mapping[str, Record]], Mapping[str, Record]]) -> None:
        """Edits brought back from files (import markdown): under the lock, ``edit`` reads the papers and
        returns the changed records, stored in one commit."""
        with self._transaction() as tx:
            edited = edit(tx.papers)
            if edited:
                tx.put_papers(edited)

    def record_pull(self, source: str, *, last_month: str | None, failed: bool) -> None:
        """Remember that ``source`` was pulled now (and the last month it gave, and whether it failed)."""
        with self._transaction() as tx:
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
        if tags:  # an import's papers come without: their tags are added after
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
        with self._transaction() as tx:
            light = tx.light
            census = key_census(light.stored.values())  # none expanded
            tx.saw_last_seq(census.last_seq)  # the same pass spares the new papers' sequence numbers their own
            if not census.keyless:
                return census.used
            legacy = legacy_keys(light.values())
            records = tx.papers
            tx.put_papers(
                {
                    pid: {**records[pid], "key": legacy[pid]}
                    for pid, r in light.items()
                    if not r.get("key") and r.get("title")
                }
            )
            return used_keys(tx.light.stored.values())

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
            Paper.from_dict(self.snapshot().light[pid])
            for pid, r in self.snapshot().stored_light.items()  # title, authors and year are stored as they are
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
        with self._transaction() as tx:
            for ref in wanted:
                if ref.id in unknown:
                    continue
                paper = self.get(ref.id)  # re-read under the lock
                meta = found.get(ref.id)
                same = self._saved_by_doi(tx.light.stored, meta) if paper is None and meta is not None else None
                if same is not None and meta is not None:
                    old = Paper.from_dict(tx.papers[same])
                    paper = join_arxiv(Paper.from_dict(tx.papers[same]), ref.id, meta)
                    self.merge_into(paper, tags, status, note, blurb)
                    tx.remove_papers([same])
                    report.joined.append((paper, old))
                elif paper is None:
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

    @staticmethod
    def _saved_by_doi(records: Mapping[str, Record], meta: dict[str, Any]) -> str | None:
        """A saved paper that is not on arXiv and has the DOI arXiv gives for a new paper: the same paper."""
        doi = str(meta.get("doi") or "").lower()
        if not doi:
            return None
        if f"doi:{doi}" in records:
            return f"doi:{doi}"
        return next((pid for pid, r in records.items() if ":" in pid and (r.get("doi") or "").lower() == doi), None)

    def add_doi(
        self,
        doi: str,
        found: Found | None,
        *,
        tags: Iterable[str] = (),
        status: Status | None = None,
        note: str | None = None,
        source: str = "doi",
        before: Before | None = None,
    ) -> tuple[Paper, str, str]:
        """Save a paper by DOI, from the resolver's record (``found``) or pending without one.

        Returns the paper, what happened (``added``, ``pending``, ``updated``: it was saved already,
        ``merged``: it joined a saved paper, which ``why`` names) and why. The same paper is the
        same DOI, whatever id it is saved under, or the arXiv preprint its record names (unless that
        preprint has another DOI). A saved paper keeps its fields and its own entry; the record fills
        what it lacks, and becomes its entry if it had none. ``before`` keeps the paper as it was (undo).
        """
        tags = [normalize_tag(t) for t in tags]
        with self._transaction() as tx:
            records = tx.papers
            paper_id = self.paper_by_doi(doi)
            why = "same DOI"
            if paper_id is None and found is not None and found.preprint is not None:
                preprint = records.get(found.preprint.id)
                if preprint is not None and (preprint.get("doi") or doi).lower() == doi:
                    paper_id, why = found.preprint.id, f"the preprint of {doi}"
            if before is not None:
                before.keep(Paper.from_dict(records[paper_id]) if paper_id is not None else None, "doi:" + doi)
            if paper_id is None:
                values = dict(found.values) if found is not None else {}
                if found is None:
                    values = {"doi": doi, "url": f"https://doi.org/{doi}", "pending": True}
                elif found.preprint is not None and not values.get("pdf_url"):
                    values["pdf_url"] = f"https://arxiv.org/pdf/{found.preprint.query_id}"
                origin = found.origin if found is not None else None
                paper = self.new_paper(
                    "doi:" + doi, tags=tags, status=status, note=note, source=source, origin=origin, **values
                )
                outcome = "pending" if found is None else "added"
            else:
                paper = Paper.from_dict(records[paper_id])
                was_pending = paper.pending
                if found is not None:
                    fill_missing(paper, found.values)
                    paper.doi = paper.doi or doi
                    self._keep_origin(paper, found.origin)
                    if paper.title:
                        paper.pending = False
                    self.give_key(paper)
                self.merge_into(paper, tags, status, note)
                merged = paper_id != "doi:" + doi and paper_id != "doi:" + (paper.doi or "")
                outcome = "merged" if merged and found is not None else "updated"
                if was_pending and not paper.pending and not merged:
                    outcome = "added"
            tx.put_papers({paper.id: paper.to_dict()})
        return paper, outcome, why

    def _keep_origin(self, paper: Paper, origin: dict[str, Any] | None) -> None:
        """Both entries kept: the record becomes the paper's entry, or another entry beside its own."""
        if origin is None:
            return
        if paper.origin is None:
            paper.origin = origin
            return
        if any(o.get("format") == origin.get("format") and o.get("item") == origin.get("item")
               for o in (paper.origin, *paper.other_entries)):  # fmt: skip
            return
        key = self.citation_keys().claim((paper.key or paper.id.replace(":", "-")) + "-doi")
        paper.other_entries.append({**origin, "key": key})

    def complete_doi(self, paper_id: str, found: Found) -> Paper | None:
        """Fill a saved paper's missing fields from its DOI's record (`refresh`); None if it was removed."""
        with self._transaction() as tx:
            record = tx.papers.get(paper_id)
            if record is None:
                return None
            paper = Paper.from_dict(record)
            fill_missing(paper, found.values)
            self._keep_origin(paper, found.origin)
            if paper.title:
                paper.pending = False
            self.give_key(paper)
            paper.modified = now_iso()
            tx.put_papers({paper.id: paper.to_dict()})
        return paper

    def edit_fields(self, ref: str, changes: dict[str, Any], *, before: Before | None = None) -> Paper:
        """Apply the reader's edits of a paper's fields, all or none (`readlist edit`).

        ``changes`` maps field names of :data:`EDITABLE` to their new, checked values. Each becomes
        one of the paper's :attr:`~readlist.core.models.Paper.edited` fields, which exports write over
        the entry as it came. A new key must not be another paper's (keys compare without case);
        attached files stay where they are. ``before`` keeps the paper as it was, for an undo.
        """
        unknown = set(changes) - set(EDITABLE)
        if unknown:
            raise BadInput(f"cannot edit {', '.join(sorted(unknown))}: the fields are {', '.join(EDITABLE)}")
        paper_id = self.key(ref)
        with self._transaction() as tx:
            paper = self.find(paper_id)
            if before is not None:
                before.keep(paper)
            key = changes.get("key")
            if key is not None and key.lower() != (paper.key or "").lower():
                others = {pid: r for pid, r in tx.light.stored.items() if pid != paper.id}  # keys: as stored
                if key in CitationKeys(used_keys(others.values())):  # the key service: keys compare without case
                    owner = next(pid for pid, r in others.items() if key.lower() in used_keys([r]))
                    raise BadInput(f"the key {key!r} is already {owner}'s; choose another; nothing was changed")
            for name, value in changes.items():
                setattr(paper, name, value)
                if name not in paper.edited:
                    paper.edited.append(name)
            if paper.pending and paper.title and not paper.is_arxiv and not paper.id.startswith("doi:"):
                paper.pending = False  # a paper saved from a PDF without an id: the reader completed it
            paper.modified = now_iso()
            tx.put_papers({paper.id: paper.to_dict()})
        return paper

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
        pending: bool = False,
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
        with self._transaction() as tx:
            paper_id = base
            if clean_doi:  # the same DOI is the same paper, whatever id it was saved under (an arXiv id)
                paper_id = next((pid for pid, r in tx.light.stored.items() if r.get("doi") == clean_doi), base)
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
                    url=url or (f"https://doi.org/{clean_doi}" if clean_doi else None), pending=pending,
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
        with self._transaction() as tx:
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


EDITABLE = ("title", "authors", "year", "venue", "type", "key", "doi", "url", "abstract")
"""The fields `readlist edit` opens."""

# Fields a DOI's record fills in on a saved paper that lacks them; the reader's own are never touched.
_FILLABLE = (
    "title", "authors", "year", "published", "abstract", "doi", "journal_ref", "url", "pdf_url", "type",
)  # fmt: skip


@dataclass(frozen=True)
class Found:
    """A DOI's record, mapped: the paper's fields, the record as it came (its origin), the arXiv preprint it names."""

    values: dict[str, Any]
    origin: dict[str, Any] | None = None
    preprint: ArxivRef | None = None


def fill_missing(paper: Paper, values: dict[str, Any]) -> list[str]:
    """Fill the paper's empty fields (and venue names) from ``values``; the names filled."""
    filled = []
    for name in _FILLABLE:
        value = values.get(name)
        if value and not getattr(paper, name):
            setattr(paper, name, value)
            filled.append(name)
    for name, value in (values.get("venue") or {}).items():
        if value and not paper.venue.get(name):
            paper.venue[name] = value
            filled.append(f"venue.{name}")
    return filled


def join_arxiv(paper: Paper, arxiv_id: str, meta: dict[str, Any]) -> Paper:
    """A paper saved by DOI that is the arXiv paper ``arxiv_id``: one paper under the arXiv id.

    The saved paper's fields (the journal's title, authors and venue, the reader's own) and its entry
    are kept; arXiv's fill what it lacks, and its version, dates, categories and links come along.
    """
    paper.id = arxiv_id
    for key in ("version", "published", "updated", "categories", "primary_category", "pdf_url", "comment"):
        if meta.get(key):
            setattr(paper, key, meta[key])
    paper.latest_version = meta.get("version")
    fill_missing(paper, meta)
    paper.url = meta.get("url") or paper.url
    paper.pending = not paper.title
    paper.modified = now_iso()
    return paper


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
