"""The light rows: a derived copy of the papers' light records, so that a read need not parse library.json.

One SQLite file per library in readlist's cache folder (``rows-<hash of the
library's path>.sqlite3``, beside the search index). It holds, for the library
file at one stamp (:func:`readlist.core.store.file_stamp`: inode, time, size):

* ``rows``: each paper's row (:data:`ROW_FIELDS`, what ``list``, the field
  filters, sorting and finding a paper by key or DOI read) as typed columns of
  a ``STRICT`` table (so a text is a text and a year an integer, or nothing,
  without a check in Python), lists as texts joined by U+001F (a control
  character, which no stored text holds), in the order library.json holds
  them (``pos``, the rowid: a list reads them in one scan);
* ``lights``: each paper's whole light record as JSON, by id (what ``show`` reads);
* ``meta``: the layout's version and the stamp the rows are for.

A reader asks for the rows of the stamp the library file has now
(:meth:`RowCache.read`) and gets them, or None (missing, stale, another layout,
corrupt, a link or a FIFO in its place): it then parses library.json as before
and rebuilds the rows (:meth:`RowCache.rebuild`). A writer moves the rows on at
commit, under the library's lock (:meth:`RowCache.advance`): only the changed
papers' rows are written, and only when the rows were those of the file it
replaced, so the next command finds them current. It is never the source of
truth: rows are made only from a library read whole without a problem, and a
file changed by anyone else (a sync, a hand edit) has another stamp.

It is outside input as the search index is: a regular file (anything else in
its place is removed, never followed), opened with ``trusted_schema`` off, its
tables checked against the layout (``STRICT`` included), the one light record
that ``show`` reads checked as library.json's are, and rebuilt on any doubt.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from _blake2 import blake2b  # hashlib's own blake2b, without loading OpenSSL (~3-8 ms of every start)
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import orjson

from readlist.core import cache_db

Record = dict[str, Any]

ROWS_VERSION = "5"
ROW_FIELDS = (
    "id", "key", "title", "authors", "year", "published", "status", "tags", "added", "seq", "source", "doi",
    "other_keys", "pending",
)  # fmt: skip
"""The fields of a row: what ``list`` prints, its field filters and sorts read, and finding a paper by its
citation key or DOI reads (see readlist.core.query)."""
_LISTS = ("authors", "tags", "other_keys")
_SEP = "\x1f"
BUSY_TIMEOUT = 1.0

_SCHEMA = (
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT",
    "CREATE TABLE rows(pos INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, key TEXT, title TEXT, authors TEXT, "
    "year INTEGER, published TEXT, status TEXT, tags TEXT, added TEXT, seq INTEGER, source TEXT, doi TEXT, "
    "other_keys TEXT, pending INTEGER) STRICT",
    "CREATE TABLE lights(id TEXT PRIMARY KEY NOT NULL, light BLOB NOT NULL) STRICT",
)
_INDEXES: tuple[str, ...] = ()  # pos is the rowid: the rows are read in their order without an index
_TABLES = {"meta", "rows", "lights"}
_COLUMNS = ", ".join(ROW_FIELDS)
_INSERT = f"INSERT INTO rows(pos, {_COLUMNS}) VALUES ({', '.join('?' * (len(ROW_FIELDS) + 1))})"
_INSERT_LIGHT = "INSERT INTO lights VALUES (?, ?)"


def rows_file(cache_dir: Path, library_path: Path) -> Path:
    """The rows of one library: ``rows-<hash of its path>.sqlite3`` in the cache folder."""
    name = blake2b(str(library_path.resolve()).encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()
    return cache_dir / f"rows-{name}.sqlite3"


def _values(pos: int, light: Mapping[str, Any]) -> tuple[Any, ...]:
    """The columns of one paper's row, for :data:`_INSERT` (lists joined by U+001F, whole or not at all)."""
    values: list[Any] = [pos]
    for name in ROW_FIELDS:
        value = light.get(name)
        if name in _LISTS:
            value = _SEP.join(value) if value else None
        elif name == "pending":
            value = int(value) if isinstance(value, bool) else None
        values.append(value)
    return tuple(values)


def _records(rows: Iterable[tuple[Any, ...]]) -> list[Record]:
    """The rows as records: lists are lists (empty when there are none), and a paper without a status has
    none. One tuple unpack per row, and only non-empty lists split (at 10,000
    papers this is the bulk of a ``list``'s reading)."""
    sep = _SEP
    records: list[Record] = []
    append = records.append
    for key_id, key, title, authors, year, published, status, tags, added, seq, source, doi, others, pending in rows:
        record = {
            "id": key_id, "key": key, "title": title, "authors": authors.split(sep) if authors else [],
            "year": year, "published": published, "status": status, "tags": tags.split(sep) if tags else [],
            "added": added, "seq": seq, "source": source, "doi": doi,
            "other_keys": others.split(sep) if others else [], "pending": bool(pending),
        }  # fmt: skip
        if status is None:
            del record["status"]
        append(record)
    return records


class Rows:
    """The rows of the library at one stamp: ``records`` in library.json's order, and each light record."""

    def __init__(self, records: list[Record], db: sqlite3.Connection) -> None:
        self.records = records
        self._db = db

    def light(self, paper_id: str) -> Record | None:
        """The whole light record of one paper (None if there is none, or it cannot be read now)."""
        try:
            row = self._db.execute("SELECT light FROM lights WHERE id = ?", (paper_id,)).fetchone()
            record = orjson.loads(row[0]) if row is not None else None
        except (sqlite3.Error, orjson.JSONDecodeError, TypeError):
            return None
        return record if _sound_light(paper_id, record) else None

    def close(self) -> None:
        self._db.close()


class RowCache:
    """The rows file of one library (see the module doc). Every method opens and closes its own connection,
    so any thread may call it; none raises for a cache that cannot be used (it answers None, or does nothing)."""

    def __init__(self, path: Path) -> None:
        self.path = path

    # -- reading -------------------------------------------------------------------------

    def read(self, stamp: object) -> Rows | None:
        """The rows of the library file at ``stamp``, or None when they are not exactly those."""
        if stamp is None:
            return None
        try:
            mode = os.lstat(self.path).st_mode
        except OSError:
            return None
        if not stat.S_ISREG(mode):
            return None  # a link, a FIFO: the next rebuild removes it
        db: sqlite3.Connection | None = None
        try:
            db = cache_db.connect(self.path, BUSY_TIMEOUT)
            if not _sound(db):
                db.close()
                return None
            db.execute("BEGIN")  # the stamp and the rows of one state
            found = db.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
            if found is None or found[0] != repr(stamp):
                db.execute("ROLLBACK")
                db.close()
                return None
            records = _records(db.execute(f"SELECT {_COLUMNS} FROM rows ORDER BY pos"))
            db.execute("ROLLBACK")
        except (OSError, sqlite3.Error, AttributeError, ValueError):
            if db is not None:
                db.close()
            return None
        return Rows(records, db)

    def read_one(self, stamp: object, paper_id: str) -> tuple[bool, Record | None]:
        """``(True, light record)`` of one paper (``(True, None)``: no such paper) when the rows are those of
        ``stamp``; ``(False, None)`` when they cannot say."""
        if stamp is None:
            return False, None
        try:
            if not stat.S_ISREG(os.lstat(self.path).st_mode):
                return False, None
        except OSError:
            return False, None
        try:
            db = cache_db.connect(self.path, BUSY_TIMEOUT)
        except (OSError, sqlite3.Error):
            return False, None
        try:
            if not _sound(db):
                return False, None
            db.execute("BEGIN")
            found = db.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
            if found is None or found[0] != repr(stamp):
                return False, None
            row = db.execute("SELECT light FROM lights WHERE id = ?", (paper_id,)).fetchone()
            if row is None:
                listed = db.execute("SELECT 1 FROM rows WHERE id = ?", (paper_id,)).fetchone()
                return (False, None) if listed else (True, None)
            light = orjson.loads(row[0])
            if not _sound_light(paper_id, light):
                return False, None
            return True, light
        except (sqlite3.Error, orjson.JSONDecodeError, TypeError):
            return False, None
        finally:
            db.close()

    # -- writing -------------------------------------------------------------------------

    def rebuild(self, light: Mapping[str, Mapping[str, Any]], stamp: object) -> None:
        """Make the rows those of ``light`` (every light record, in library.json's order) at ``stamp``."""
        if stamp is None:
            return
        with self._writing(create=True) as db:
            if db is None:
                return
            db.execute("DELETE FROM rows")
            db.execute("DELETE FROM lights")
            db.executemany(_INSERT, (_values(pos, r) for pos, r in enumerate(light.values())))
            db.executemany(_INSERT_LIGHT, ((key, orjson.dumps(r)) for key, r in light.items()))
            db.execute("UPDATE meta SET value = ? WHERE key = 'stamp'", (repr(stamp),))

    def advance(
        self,
        before: object,
        after: object,
        light: Mapping[str, Mapping[str, Any]],
        changed: Iterable[str],
        removed: Iterable[str],
    ) -> None:
        """A write replaced the library file at ``before`` by one at ``after`` (``light``: its papers in the
        file's order): when the rows were those of ``before``, write the ``changed`` papers' rows (at the end,
        where library.json now has them), drop the ``removed`` ones, and name ``after``. Else leave them
        stale for the next reader to rebuild."""
        if before is None or after is None or not self.path.exists():
            return
        with self._writing(create=False) as db:
            if db is None:
                return
            found = db.execute("SELECT value FROM meta WHERE key = 'stamp'").fetchone()
            if found is None or found[0] != repr(before):
                return
            gone = set(removed) | set(changed)
            db.executemany("DELETE FROM rows WHERE id = ?", ((key,) for key in gone))
            db.executemany("DELETE FROM lights WHERE id = ?", ((key,) for key in gone))
            (last,) = db.execute("SELECT coalesce(max(pos), -1) FROM rows").fetchone()
            wanted = set(changed)
            moved = [key for key in light if key in wanted] if wanted else []
            db.executemany(_INSERT, (_values(last + 1 + n, light[key]) for n, key in enumerate(moved)))
            db.executemany(_INSERT_LIGHT, ((key, orjson.dumps(light[key])) for key in moved))
            db.execute("UPDATE meta SET value = ? WHERE key = 'stamp'", (repr(after),))

    @contextlib.contextmanager
    def _writing(self, create: bool) -> Iterator[sqlite3.Connection | None]:
        """One write transaction on a sound file (made anew when ``create`` and the file is in doubt), or None."""
        db: sqlite3.Connection | None = None
        try:
            db = self._open(create)
        except (OSError, sqlite3.Error):
            db = None
        if db is None:
            yield None
            return
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")
        except (sqlite3.Error, OSError, TypeError, ValueError, OverflowError):
            pass  # a busy, full or read-only cache, a number SQLite cannot hold: the next reader rebuilds them
        finally:
            db.close()

    def _open(self, create: bool) -> sqlite3.Connection | None:
        cache_db.remove_if_not_regular(self.path)
        if not self.path.exists():
            if not create:
                return None
            self.path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        db = cache_db.connect(self.path, BUSY_TIMEOUT)
        try:
            if _sound(db):
                return db
        except sqlite3.DatabaseError:
            pass
        db.close()
        if not create:
            return None
        cache_db.remove(self.path)
        db = cache_db.connect(self.path, BUSY_TIMEOUT)
        db.execute("BEGIN IMMEDIATE")
        for statement in (*_SCHEMA, *_INDEXES):
            db.execute(statement)
        db.execute("INSERT INTO meta VALUES ('version', ?), ('stamp', '')", (ROWS_VERSION,))
        db.execute("COMMIT")
        with contextlib.suppress(OSError):
            os.chmod(self.path, 0o600)
        return db


def _sound(db: sqlite3.Connection) -> bool:
    """Whether the file holds this layout, as readlist made it (its tables' SQL and its version)."""
    rows = db.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    tables = {name: sql for kind, name, sql in rows if kind == "table"}
    if set(tables) != _TABLES or sorted(tables.values()) != sorted(_SCHEMA):
        return False
    if any(kind in ("trigger", "view") for kind, _, _ in rows):
        return False
    version = db.execute("SELECT value FROM meta WHERE key = 'version'").fetchone()
    return version is not None and version[0] == ROWS_VERSION


def _sound_light(paper_id: str, light: object) -> bool:
    """Whether one light record read from the rows is one library.json could hold, under its id."""
    from readlist.core.records import problem

    return isinstance(light, dict) and problem("papers", paper_id, light) is None
