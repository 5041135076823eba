"""The search index: an SQLite FTS5 database in readlist's cache folder, derived from the library.

One file per library (``search-<hash of the library's path>.sqlite3`` in
``Settings.cache_dir``, beside the ranking's cache). It answers the words and
phrases of a query (:class:`readlist.core.query.Text` terms) for
:func:`readlist.core.query.run`, with exactly the answers of
:class:`readlist.core.query.ScanText` (the tests hold them to it), without
parsing or scanning any paper's abstract or notes in Python.

What it holds (``INDEX_VERSION`` names this layout):

* ``docs(n, id, fp, text)``: each paper's :func:`readlist.core.query.search_text`
  (title, authors, abstract, notes, tags and id, case-folded) and a
  fingerprint of it. A phrase, or a word with other characters in it
  (``2101.03961``, ``doi:10.1145/...``), is a substring of ``text``, found with
  ``instr`` by SQLite: ids are found as typed, never through a tokenizer.
* ``words``: a contentless FTS5 table over each paper's distinct words (runs of
  letters and digits, as the query language splits them), with the ``ascii``
  tokenizer, so its tokens are exactly those words. ``vocab`` (``fts5vocab``)
  is the library's vocabulary: a word typed so far is a substring of whole
  words, looked up there, and a word of 4+ letters also finds the words one
  edit away that the vocabulary holds (:func:`readlist.core.query.edits1`).
* ``meta``: the layout's version, the library's stamp the index was built for,
  and the letters of its words.
* ``pages(n, sha, page, text)``: the text of each page of each attached PDF
  (``page`` counted from 1), case-folded with white space collapsed
  (:func:`readlist.core.query.page_form`), once per file content (its sha256),
  whichever papers share the file; ``pagewords`` is a contentless FTS5 table of
  each page's distinct words; ``paper_files(id, sha, path)`` says which papers
  have which file. A ``text:`` term is looked for with ``instr`` in the pages
  that hold its words (:meth:`SearchIndex.pages_matching`). The page texts come
  from the extraction cache (:mod:`readlist.core.attachments.extract`), through
  the ``page_texts`` function :meth:`SearchIndex.sync` is given.

It is never the source of truth. :meth:`SearchIndex.sync` brings it to the
library's records: nothing to do when the stamp is the one it was built for,
else only papers whose text changed are indexed again. It is untrusted input
too: a regular file (a link or anything else in its place is removed, never
followed), opened with ``trusted_schema`` off, its tables checked against the
layout, and rebuilt from the library on any doubt (a bad version, a schema
that is not ours, a corrupt file). When it cannot be used at all (a read-only
or full cache folder, another process holding it too long), callers fall back
to :class:`readlist.core.query.ScanText`, with the same answers.

**Extending it** (the full text of attached files): add tables to
``_SCHEMA`` and bump ``INDEX_VERSION`` (an index of an older layout is rebuilt),
fill them in :meth:`SearchIndex.sync` or a method beside it inside one
:meth:`SearchIndex._write` transaction, and answer new query terms from
:attr:`SearchIndex.db` as :meth:`SearchIndex.ids_matching` does.
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
from _blake2 import blake2b  # hashlib's own blake2b, without loading OpenSSL (~3-8 ms of every start)
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path

from readlist.core import cache_db
from readlist.core.query import FullText, Record, ScanText, Text, TextSearch, edits1, page_form, search_text, words_of

INDEX_VERSION = 2
VOCABULARY_STEPS = 500
"""Papers changed in one sync up to which the vocabulary is moved on word by word (above: read again whole)."""
BUSY_TIMEOUT = 2.0
"""Seconds to wait for another process's write to the index before answering without it."""
VOCABULARY_LIMIT = 400
"""A word found inside more vocabulary words than this is answered by scanning the texts (in SQLite)."""

_SCHEMA = (
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE docs(n INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, fp INTEGER NOT NULL, text TEXT NOT NULL)",
    "CREATE VIRTUAL TABLE words USING fts5(w, content='', tokenize='ascii', detail='none')",
    "CREATE VIRTUAL TABLE vocab USING fts5vocab(words, 'row')",
    "CREATE TABLE pages(n INTEGER PRIMARY KEY, sha TEXT NOT NULL, page INTEGER NOT NULL, text TEXT NOT NULL)",
    "CREATE TABLE paper_files(id TEXT NOT NULL, sha TEXT NOT NULL, path TEXT NOT NULL, PRIMARY KEY (id, sha))",
    "CREATE VIRTUAL TABLE pagewords USING fts5(w, content='', tokenize='ascii', detail='none')",
)
_INDEXES = ("CREATE INDEX pages_sha ON pages(sha)", "CREATE INDEX paper_files_sha ON paper_files(sha)")
_TABLES = {"meta", "docs", "words", "vocab", "pages", "paper_files", "pagewords"}

_WORD_RUN = re.compile(r"[^\W_]+")
"""A word, as :func:`readlist.core.query.words_of` splits them (runs of letters and digits)."""

PageTexts = Callable[[str, str], "list[str] | None"]
"""``page_texts(sha256, path)``: a PDF's page texts (from the extraction cache, else read), or None."""


class IndexUnusable(Exception):
    """The index cannot be opened or written now; answer without it."""


def index_file(cache_dir: Path, library_path: Path) -> Path:
    """The index of one library: ``search-<hash of its path>.sqlite3`` in the cache folder."""
    name = blake2b(str(library_path.resolve()).encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()
    return cache_dir / f"search-{name}.sqlite3"


def fingerprint(text: str) -> int:
    """A 63-bit fingerprint of a paper's search text (SQLite integers are signed 64-bit)."""
    digest = blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(digest, "big") >> 1


def _words_text(text: str) -> str:
    return " ".join(sorted(words_of(text)))


class SearchIndex:
    """The FTS5 index of one library (see the module doc). Not shared between threads."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None
        self._vocabulary: tuple[list[str], frozenset[str]] | None = None
        self._doc_ids: dict[int, str] | None = None
        """Each doc number's paper id, read once when many are asked for (forgotten at each sync)."""

    @property
    def db(self) -> sqlite3.Connection:
        """The open database (opened, checked and if need be rebuilt empty, on first use)."""
        if self._db is None:
            self._db = self._open()
        return self._db

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    # -- opening, with every doubt answered by a rebuild ---------------------------------

    def _open(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            cache_db.remove_if_not_regular(self.path)
            db = cache_db.connect(self.path, BUSY_TIMEOUT)
            try:
                if self._sound(db):
                    return db
            except sqlite3.DatabaseError:
                pass
            db.close()
            cache_db.remove(self.path)
            db = cache_db.connect(self.path, BUSY_TIMEOUT)
            with self._transaction(db):
                for statement in (*_SCHEMA, *_INDEXES):
                    db.execute(statement)
                db.execute("INSERT INTO meta VALUES ('version', ?), ('stamp', ''), ('letters', '')", (INDEX_VERSION,))
            return db
        except (OSError, sqlite3.Error) as exc:
            raise IndexUnusable(f"the search index {self.path} cannot be used: {exc}") from None

    @staticmethod
    def _sound(db: sqlite3.Connection) -> bool:
        """Whether the file holds this layout, as readlist made it (its tables' SQL and its version)."""
        rows = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table'").fetchall()
        ours = {name: sql for name, sql in rows if not name.startswith(("words_", "pagewords_", "sqlite_"))}
        if set(ours) != _TABLES or sorted(ours.values()) != sorted(_SCHEMA):
            return False
        if db.execute("SELECT count(*) FROM sqlite_master WHERE type IN ('trigger', 'view')").fetchone()[0]:
            return False
        version = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
        return version is not None and str(version[0]) == str(INDEX_VERSION)

    @staticmethod
    @contextlib.contextmanager
    def _transaction(db: sqlite3.Connection) -> Iterator[None]:
        db.execute("BEGIN IMMEDIATE")
        try:
            yield
        except BaseException:
            db.execute("ROLLBACK")
            raise
        db.execute("COMMIT")

    def _meta(self, key: str) -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row is not None else ""

    # -- keeping it current ---------------------------------------------------------------

    def is_current(self, stamp: object) -> bool:
        """Whether the index is that of the library at ``stamp`` (IndexUnusable when it cannot be opened)."""
        try:
            return stamp is not None and self._meta("stamp") == repr(stamp)
        except sqlite3.Error as exc:
            raise IndexUnusable(f"the search index {self.path} cannot be used: {exc}") from None

    def sync(self, papers: Mapping[str, Record], stamp: object, page_texts: PageTexts | None = None) -> None:
        """Index ``papers`` (full records by id), the library at ``stamp``: only papers whose text changed are
        read and indexed again, and only attached PDFs not indexed yet have their pages added (``page_texts``
        reads them; without it, attached files are left as they are in the index).

        When ``papers`` has light records (``papers.light``, as
        :class:`readlist.core.texts.JoinedPapers` does), a paper is known unchanged
        from its light record and the generation of its text, without reading the text.

        Raises IndexUnusable when the index cannot be read or written now; a
        corrupt index is rebuilt once before that.
        """
        try:
            self._sync(papers, stamp, page_texts)
        except sqlite3.DatabaseError:
            self.close()
            with contextlib.suppress(OSError):
                cache_db.remove(self.path)
            try:
                self._sync(papers, stamp, page_texts)
            except sqlite3.Error as exc:
                raise IndexUnusable(f"the search index {self.path} cannot be used: {exc}") from None
        except sqlite3.Error as exc:  # busy, read-only, full
            raise IndexUnusable(f"the search index {self.path} cannot be used: {exc}") from None

    def _sync(self, papers: Mapping[str, Record], stamp: object, page_texts: PageTexts | None = None) -> None:
        db = self.db
        wanted = repr(stamp)
        if stamp is not None and self._meta("stamp") == wanted:
            return
        self._doc_ids = None
        light: Mapping[str, Record] = getattr(papers, "light", papers)
        # The records as stored (readlist.core.light.LightRecords.stored): the id, title, authors, tags,
        # files and the text's generation read the same there as in the expanded records, so none is expanded.
        stored: Mapping[str, Record] = getattr(light, "stored", light)
        if page_texts is not None:
            self._sync_files(stored.values(), page_texts)
        with self._transaction(db):
            indexed = {row[0]: (row[1], row[2]) for row in db.execute("SELECT id, n, fp FROM docs")}
            letters = set(self._meta("letters"))
            gone = [indexed[i][0] for i in indexed.keys() - light.keys()]
            new: dict[str, int] = {}  # each paper to index again, and its text's fingerprint
            for paper_id, record in stored.items():
                fp = fingerprint(f"{record.get('text', '')}\n{search_text(record)}")
                old = indexed.get(paper_id)
                if old is not None and old[1] == fp:
                    continue
                if old is not None:
                    gone.append(old[0])
                new[paper_id] = fp
            del indexed
            # A few papers changed: the vocabulary is moved on by their words, not read again whole (a
            # scan of every word, ~0.15 s at 50,000 papers).
            vocabulary_before = self._meta("vocabulary") if len(gone) + len(new) <= VOCABULARY_STEPS else ""
            added: set[str] = set()
            removed: set[str] = set()
            for n in gone:
                (old_text,) = db.execute("SELECT text FROM docs WHERE n = ?", (n,)).fetchone()
                old_words = _words_text(old_text)
                if vocabulary_before:
                    removed.update(old_words.split())
                db.execute("INSERT INTO words(words, rowid, w) VALUES ('delete', ?, ?)", (n, old_words))
                db.execute("DELETE FROM docs WHERE n = ?", (n,))
            # Read and inserted one text shard at a time (a first build never holds every paper's text at
            # once), numbered in that order: each insert appends to the tables.
            last: int = db.execute("SELECT max(n) FROM docs").fetchone()[0] or 0
            for group in _by_shard(papers, new):
                docs: list[tuple[int, str, int, str]] = []
                words: list[tuple[int, str]] = []
                for paper_id, record in group:
                    text = search_text(record)
                    distinct = _words_text(text)
                    letters.update(distinct.replace(" ", ""))
                    if vocabulary_before:
                        added.update(distinct.split())
                    last += 1
                    docs.append((last, paper_id, new[paper_id], text))
                    words.append((last, distinct))
                del group
                db.executemany("INSERT INTO docs(n, id, fp, text) VALUES (?, ?, ?, ?)", docs)
                db.executemany("INSERT INTO words(rowid, w) VALUES (?, ?)", words)
            if vocabulary_before and (added or removed):
                known = set(vocabulary_before.split("\n")) | added
                for word in removed - added:  # gone from the library unless another paper still has it
                    if db.execute("SELECT 1 FROM vocab WHERE term = ?", (word,)).fetchone() is None:
                        known.discard(word)
                vocabulary = "\n".join(sorted(known))  # code point order: fts5vocab's (UTF-8 bytes) order
            elif gone or new or not vocabulary_before:
                vocabulary = "\n".join(row[0] for row in db.execute("SELECT term FROM vocab"))
            else:
                vocabulary = None
            if vocabulary is not None:
                db.execute("INSERT OR REPLACE INTO meta VALUES ('vocabulary', ?)", (vocabulary,))
                self._vocabulary = None
            db.execute("UPDATE meta SET value = ? WHERE key = 'stamp'", (wanted,))
            db.execute("UPDATE meta SET value = ? WHERE key = 'letters'", ("".join(sorted(letters)),))

    def _sync_files(self, records: Iterable[Record], page_texts: PageTexts) -> None:
        """Bring ``paper_files`` and ``pages`` to the PDFs the records have (each file read once, outside
        the write transaction, so a slow PDF never holds the index locked)."""
        db = self.db
        wanted: dict[tuple[str, str], str] = {}
        for r in records:
            for entry in r.get("files") or ():
                sha = entry.get("sha256") if isinstance(entry, Mapping) else None
                if isinstance(sha, str) and entry.get("kind") == "pdf" and not entry.get("problem"):
                    wanted[(str(r.get("id") or ""), sha)] = str(entry.get("path") or "")
        stored = {(row[0], row[1]) for row in db.execute("SELECT id, sha FROM paper_files")}
        have = {row[0] for row in db.execute("SELECT DISTINCT sha FROM pages")}
        needed = {sha for _, sha in wanted}
        read: dict[str, list[str]] = {}
        for (_, sha), path in wanted.items():
            if sha not in have and sha not in read:
                texts = page_texts(sha, path)
                if texts is not None:
                    read[sha] = texts
        with self._transaction(db):
            for paper_id, sha in stored - wanted.keys():
                db.execute("DELETE FROM paper_files WHERE id = ? AND sha = ?", (paper_id, sha))
            for (paper_id, sha), path in wanted.items():
                if (paper_id, sha) not in stored:
                    db.execute("INSERT INTO paper_files VALUES (?, ?, ?)", (paper_id, sha, path))
            for sha in have - needed:
                for n, text in db.execute("SELECT n, text FROM pages WHERE sha = ?", (sha,)).fetchall():
                    db.execute(
                        "INSERT INTO pagewords(pagewords, rowid, w) VALUES ('delete', ?, ?)", (n, _words_text(text))
                    )
                db.execute("DELETE FROM pages WHERE sha = ?", (sha,))
            for sha, texts in read.items():
                for number, raw in enumerate(texts, 1):
                    text = page_form(raw)
                    if not text:
                        continue
                    cursor = db.execute("INSERT INTO pages(sha, page, text) VALUES (?, ?, ?)", (sha, number, text))
                    db.execute("INSERT INTO pagewords(rowid, w) VALUES (?, ?)", (cursor.lastrowid, _words_text(text)))

    # -- answering ------------------------------------------------------------------------

    def pages_matching(self, text: str, paper_ids: Sequence[str] | None = None) -> list[tuple[str, str, int, str, str]]:
        """``(paper id, sha256, page, page text, path)`` of every indexed page holding ``text`` (see :func:`page_form`).

        The pages that hold its words (the last one may begin a longer word) are found by FTS5, then
        the text is looked for as typed in those; ``paper_ids`` narrows to those papers.
        """
        text = page_form(text)
        parts = _WORD_RUN.findall(text)
        if not parts:
            return []
        expression = " AND ".join([*(f'"{w}"' for w in parts[:-1]), f'"{parts[-1]}"*'])
        query = (
            "SELECT f.id, p.sha, p.page, p.text, f.path FROM pagewords w JOIN pages p ON p.n = w.rowid "
            "JOIN paper_files f ON f.sha = p.sha WHERE pagewords MATCH ? AND instr(p.text, ?) > 0"
        )
        rows = [
            (str(a), str(b), int(c), str(d), str(e)) for a, b, c, d, e in self.db.execute(query, (expression, text))
        ]
        if paper_ids is not None:
            keep = set(paper_ids)
            rows = [row for row in rows if row[0] in keep]
        return sorted(rows, key=lambda row: (row[0], row[1], row[2]))

    def ids_with_page_text(self, text: str) -> set[str]:
        """The ids of the papers with a PDF page holding ``text``."""
        return {row[0] for row in self.pages_matching(text)}

    def vocabulary(self) -> tuple[list[str], frozenset[str]]:
        """The library's words, as a list and a set (kept in ``meta`` at each sync; read once per index)."""
        if self._vocabulary is None:
            text = self._meta("vocabulary")
            words = text.split("\n") if text else []
            self._vocabulary = (words, frozenset(words))
        return self._vocabulary

    def ids_matching(self, term: Text) -> set[str]:
        """The ids of the indexed papers whose text matches a word or phrase (negation is the caller's)."""
        return self._ids_of(self.docs_matching(term))

    def docs_matching(self, term: Text) -> set[int]:
        """The doc numbers of the indexed papers whose text matches a word or phrase (see :meth:`doc_ids`)."""
        db = self.db
        text = term.text
        listed, known = self.vocabulary()
        parts = words_of(text)
        single = parts == {text}
        # Papers that may hold the text: for each of its words (the longest first), those holding a
        # word of the vocabulary that contains it. A word alone needs nothing more; anything else is
        # then looked for in those papers' texts, as typed.
        candidates: set[int] | None = None
        for part in sorted(parts, key=len, reverse=True)[:3]:
            hits = [v for v in listed if part in v]
            if len(hits) > VOCABULARY_LIMIT:
                continue
            docs = set(_docs_with_any(db, hits))
            candidates = docs if candidates is None else candidates & docs
            if single or not candidates:
                break
        if single and candidates is not None:
            found = candidates
        elif candidates is None:
            found = {row[0] for row in db.execute("SELECT n FROM docs WHERE instr(text, ?) > 0", (text,))}
        else:
            found = set(_docs_containing(db, sorted(candidates), text))
        if term.fuzzy:
            variants = [v for v in edits1(text, self._meta("letters")) if v in known]
            found.update(_docs_with_any(db, variants))
        return found

    def doc_ids(self) -> dict[int, str]:
        """Each doc number's paper id (read once, forgotten at each sync)."""
        if self._doc_ids is None:
            self._doc_ids = {row[0]: row[1] for row in self.db.execute("SELECT n, id FROM docs")}
        return self._doc_ids

    def _ids_of(self, docs: set[int]) -> set[str]:
        """The paper ids of doc numbers."""
        if len(docs) <= 2000 and self._doc_ids is None:
            return _ids_of(self.db, docs)
        ids = self.doc_ids()
        return {ids[n] for n in docs if n in ids}

    def ids_matching_among(self, term: Text, paper_ids: Sequence[str]) -> set[str]:
        """Those of ``paper_ids`` whose text matches ``term``: :meth:`ids_matching` for a few papers (a word
        typed after others narrowed the list), looked for in their texts only."""
        db = self.db
        wanted = list(dict.fromkeys(paper_ids))
        found: set[str] = set()
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT id FROM docs WHERE id IN ({marks}) AND instr(text, ?) > 0"
            found.update(row[0] for row in db.execute(query, (*chunk, term.text)))
        if term.fuzzy:
            _, known = self.vocabulary()
            variants = [v for v in edits1(term.text, self._meta("letters")) if v in known]
            if variants:
                keep = set(wanted)
                found.update(i for i in self._ids_of(set(_docs_with_any(db, variants))) if i in keep)
        return found


def _by_shard(papers: Mapping[str, Record], paper_ids: Iterable[str]) -> Iterator[list[tuple[str, Record]]]:
    """The full records of these papers, a text shard's at a time when ``papers`` reads them from shards
    (:meth:`readlist.core.texts.JoinedPapers.by_shard`), else all at once (they are held already)."""
    by_shard = getattr(papers, "by_shard", None)
    if by_shard is not None:
        yield from by_shard(paper_ids)
    else:
        yield [(paper_id, papers[paper_id]) for paper_id in paper_ids]


def _docs_with_any(db: sqlite3.Connection, words: list[str]) -> Iterator[int]:
    """Doc numbers of the papers holding any of ``words`` (whole words of the vocabulary)."""
    for start in range(0, len(words), 200):
        expression = " OR ".join(f'"{w}"' for w in words[start : start + 200])  # words hold no quote
        yield from (row[0] for row in db.execute("SELECT rowid FROM words WHERE words MATCH ?", (expression,)))


def _docs_containing(db: sqlite3.Connection, docs: list[int], text: str) -> Iterator[int]:
    """Those of ``docs`` whose text contains ``text``."""
    for start in range(0, len(docs), 500):
        chunk = docs[start : start + 500]
        marks = ",".join("?" * len(chunk))
        query = f"SELECT n FROM docs WHERE n IN ({marks}) AND instr(text, ?) > 0"
        yield from (row[0] for row in db.execute(query, (*chunk, text)))


def _ids_of(db: sqlite3.Connection, docs: set[int]) -> set[str]:
    """The paper ids of doc numbers."""
    if not docs:
        return set()
    if len(docs) > 2000:
        return {row[1] for row in db.execute("SELECT n, id FROM docs") if row[0] in docs}
    listed = sorted(docs)
    found: set[str] = set()
    for start in range(0, len(listed), 500):
        chunk = listed[start : start + 500]
        marks = ",".join("?" * len(chunk))
        found.update(row[0] for row in db.execute(f"SELECT id FROM docs WHERE n IN ({marks})", chunk))
    return found


class IndexedText:
    """A :class:`readlist.core.query.TextSearch` over ``records`` answered by a synced :class:`SearchIndex`.

    ``full_text``: free words and phrases are also looked for in the pages of attached PDFs.
    """

    def __init__(self, index: SearchIndex, records: Sequence[Record], full_text: bool = False) -> None:
        self.index = index
        self.records = records
        self.full_text = full_text
        self._cache: dict[Text | FullText, set[str]] = {}

    def select_text(self, term: Text, selected: list[int], keep: bool) -> list[int]:
        ids = self._cache.get(term)
        if ids is None:
            ids = self.index.ids_matching(term)
            if self.full_text:
                ids = ids | self.index.ids_with_page_text(term.text)
            self._cache[term] = ids
        records = self.records
        return [i for i in selected if (str(records[i].get("id") or "") in ids) == keep]

    def select_full_text(self, term: FullText, selected: list[int], keep: bool) -> list[int]:
        ids = self._cache.get(term)
        if ids is None:
            ids = self._cache[term] = self.index.ids_with_page_text(term.text)
        records = self.records
        return [i for i in selected if (str(records[i].get("id") or "") in ids) == keep]


def open_text_search(
    cache_dir: Path,
    library_path: Path,
    papers: Mapping[str, Record],
    stamp: object,
    records: Sequence[Record],
    page_texts: PageTexts | None = None,
    *,
    full_text: bool = False,
) -> TextSearch:
    """The text search for ``records`` (light or full records of ``papers``, the library at ``stamp``): the
    synced index, or a scan of the full records when the index cannot be used now. ``page_texts`` reads
    attached PDFs' pages; ``full_text`` looks for free words in them too."""
    index = SearchIndex(index_file(cache_dir, library_path))
    try:
        index.sync(papers, stamp, page_texts)
    except IndexUnusable:
        index.close()
        return ScanText([papers[str(r["id"])] for r in records])
    return IndexedText(index, records, full_text)
