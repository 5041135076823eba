"""The library file: a TinyDB database that never loses or tears a write.

TinyDB's own JSONStorage rewrites the file in place (a crash mid-write tears
it) and knows nothing of other processes. :class:`AtomicJSONStorage` instead

* writes a temporary file in the same directory, fsyncs it, keeps the previous
  file as ``library.json.bak`` (a hard link, so no copy), ``os.replace``-s the
  new one in and fsyncs the directory;
* only writes inside :meth:`Store.transaction`, which holds an exclusive lock
  on ``library.json.lock`` around the whole read-modify-write, so a
  ``readlist add`` in one terminal and the TUI in another never lose each
  other's changes;
* parses it once per state of the file (its inode, mtime and size), so a
  command parses it once however many times it reads, and a transaction
  re-parses it only when another writer replaced it since (checked under the
  lock);
* refuses a file it cannot parse and never writes over it;
* follows a ``library.json`` that is a symbolic link (a synced folder): the
  target is replaced atomically in its own folder, where the lock and the
  backup live too, and the link stays. A link to nothing is an error.

Records are keyed by their own id (a paper's arXiv id), not by TinyDB's
counters, which are meaningless across processes: ``document_id_class = str``
is TinyDB's documented way to do that. Writes go through TinyDB's public
storage interface: a transaction hands each table it changed to
:meth:`Storage.write` whole, as TinyDB's ``remove`` and ``insert_multiple``
would leave it; reads of whole tables, the hot path of every command, take
the parsed data from :meth:`Storage.read` once.

Each record is checked and cleaned as it is read (:mod:`readlist.core.records`):
a record that does not fit is left out of what readers see and named in
:attr:`Snapshot.problems`, and every write is refused until it is fixed, so
it is never rewritten silently.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, BinaryIO, cast

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Table

from readlist.core.clean import clean_line
from readlist.core.completion_words import WordsAdded
from readlist.core.errors import BadInput, CorruptLibrary, StoreError
from readlist.core.files import OwnedFileError, kind, open_owned_file, replace_atomically
from readlist.core.light import LightRecords, TxLightRecords
from readlist.core.records import clean_json, clean_record, dropped_values, needs_cleaning, problem
from readlist.core.texts import JoinedPapers, Shards, dump_json, folder_of, generation, generation_of, split, write_json

SCHEMA_VERSION = 3
"""1: one library.json. 2: light records in library.json and their texts in library.texts/ (see
readlist.core.texts), an insertion sequence (``seq``) in each paper, tags normalised. 3: each light record
stores only what differs from its default (see readlist.core.light)."""
COMPACT_SINCE = 3
"""The first schema whose light records are stored compact (older ones are read as they are)."""
LOCK_TIMEOUT = 30.0
TABLES = ("papers", "suggestions", "sources", "meta")
LOCK = "lock file"

Record = dict[str, Any]
Data = dict[str, dict[str, Record]]
Stamp = tuple[int, int, int]
AfterCommit = Callable[[Stamp | None, Stamp | None, Data], None]


class KeyedTable(Table):
    """A table whose document ids are the records' own string keys."""

    # TinyDB's documented customisation of document ids; its annotations say int.
    document_id_class = str  # type: ignore[assignment]


class _Database(TinyDB):
    table_class = KeyedTable


@dataclass(frozen=True)
class Snapshot:
    """The library as one read found it. Its mappings are read-only; do not mutate their records."""

    papers: Mapping[str, Record]
    """Full records: each light record joined with its text, read from its shard when asked for."""
    suggestions: Mapping[str, Record]
    sources: Mapping[str, Record]
    meta: Mapping[str, Record]
    stamp: Stamp | None
    problems: tuple[str, ...] = ()
    """One line per record left out because it does not fit (see readlist.core.records)."""
    light: Mapping[str, Record] = field(default_factory=dict)
    """The papers' light records, full (no abstract, notes or origins): what a list, the filters and sorting
    need, without reading any text. Each is expanded from its stored form when first asked for."""
    stored_light: Mapping[str, Record] = field(default_factory=dict)
    """The light records as library.json stores them (see :attr:`readlist.core.light.LightRecords.stored`):
    for a lookup over every paper of a field stored as it is (id, key, tags, DOI, seq), which expands none."""
    notices: tuple[str, ...] = ()
    """One line per record kept without a value it held (a link that is not http(s), say)."""


@dataclass
class _Loaded:
    data: Data
    problems: tuple[str, ...]
    stamp: Stamp | None
    notices: tuple[str, ...] = ()
    view: LightRecords | None = None
    """The papers' light records over ``data`` (made on the first snapshot, kept with this state of the file)."""

    def light(self) -> LightRecords:
        if self.view is None:
            full = _schema_of(self.data.get("meta", {})) < COMPACT_SINCE
            self.view = LightRecords(self.data.get("papers", {}), full=full)
        return self.view


class AtomicJSONStorage(Storage):
    """TinyDB storage with atomic, locked, backed-up writes (see module doc)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._thread_lock = threading.RLock()
        self._cache: _Loaded | None = None

    # -- where the file really is -------------------------------------------

    def target(self) -> Path:
        """The file written: ``library.json`` itself, or the file its symbolic link names."""
        if not self.path.is_symlink():
            return self.path
        real = Path(os.path.realpath(self.path))
        if not real.exists():
            raise StoreError(
                f"{self.path} is a link to {real}, which does not exist (an unmounted or moved folder?); "
                "mount it, or remove the link to start a new library there"
            )
        return real

    def backup_path(self) -> Path:
        target = self.target()
        return target.with_name(target.name + ".bak")

    def lock_path(self) -> Path:
        target = self.target()
        return target.with_name(target.name + ".lock")

    # -- TinyDB's interface ------------------------------------------------

    def read(self) -> Data | None:
        batch = getattr(self._local, "batch", None)
        if batch is not None:
            return cast(Data, batch)
        loaded = self.load_cached()
        # A shallow copy: TinyDB assigns into the top level before it writes.
        return dict(loaded.data) if loaded.stamp is not None else None

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        if getattr(self._local, "batch", None) is None:
            raise RuntimeError("writes to the library must happen inside Store.transaction()")
        self._local.batch = data
        self._local.dirty = True

    # -- reading -----------------------------------------------------------

    def load_cached(self) -> _Loaded:
        """The parsed file, parsed again only when it was replaced since the last parse."""
        stamp = file_stamp(self.target())
        cached = self._cache
        if cached is not None and cached.stamp == stamp:
            return cached
        loaded = self.load()
        self._cache = loaded
        return loaded

    def load(self) -> _Loaded:
        """Parse the file (an empty library if there is none), or raise CorruptLibrary.

        Records are checked and cleaned unless the file is exactly the one
        readlist last wrote or found clean (its stamp is in the lock file):
        readlist only ever writes checked, clean records, so only a file
        changed by someone else (a hand edit, a sync, a restored backup) pays
        for it, and only on the first read after the change.
        """
        target = self.target()
        try:
            with open(target, "rb") as handle:
                stamp = _stamp_of(os.fstat(handle.fileno()))
                raw = handle.read()
        except FileNotFoundError:
            return _Loaded({}, (), None)
        except OSError as exc:
            raise StoreError(f"cannot read {target}: {exc.strerror or exc}") from None
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise self._corrupt(_why_unreadable(raw, exc)) from None
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise self._corrupt("it does not hold a table of records")
        _check_schema(data, target)
        problems: list[str] = []
        notices: list[str] = []
        if stamp != self._known_clean(target) or file_stamp(target) != stamp:
            cleaned = False
            for name in TABLES:
                table = data.get(name)
                if table:
                    found, changed = _check_table(name, table, notices)
                    problems += found
                    cleaned = cleaned or changed
            if not problems and not cleaned:
                self._remember_clean(target, stamp)
        return _Loaded(data, tuple(problems), stamp, tuple(notices))

    def _remember_clean(self, target: Path, stamp: Stamp) -> None:
        """Someone else's file was checked and nothing in it needed a change: keep its stamp in the lock
        file, as a write does, so that later reads skip the check. Only when no writer holds the lock."""
        with contextlib.suppress(OSError, OwnedFileError):
            handle = open_owned_file(self.lock_path(), LOCK, write=True)  # never a link, never a FIFO
            with handle:
                if not _try_lock(handle):
                    return
                try:
                    if file_stamp(target) == stamp:  # still the file that was checked
                        _remember_stamp(handle, stamp)
                finally:
                    _release(handle)

    def _known_clean(self, target: Path) -> Stamp | None:
        """The stamp of the file as readlist last wrote or checked it, kept in the lock file (None if unknown)."""
        try:
            with open_owned_file(target.with_name(target.name + ".lock"), LOCK) as handle:
                words = handle.read(200).split()
        except (OSError, OwnedFileError):
            return None
        if len(words) != 3 or not all(w.isdigit() for w in words):
            return None
        return (int(words[0]), int(words[1]), int(words[2]))

    def _corrupt(self, what: str) -> CorruptLibrary:
        target = self.target()
        backup = self.backup_path()
        if backup.exists():
            hint = (
                f"the last good state is in {backup}: "
                f"to restore it, copy it over {target.name} (cp '{backup}' '{target}')"
            )
        else:
            hint = "there is no backup yet; fix or move the file away to start a new library"
        return CorruptLibrary(f"cannot read the library {target}: {what}; it was left untouched; {hint}")

    # -- writing -----------------------------------------------------------

    @contextlib.contextmanager
    def batch(self, after_commit: AfterCommit | None = None) -> Iterator[None]:
        """Hold the lock, read once, let TinyDB write in memory, commit once.

        ``after_commit(before, after, data)`` is called once the file is replaced, still under the lock,
        with the stamps of the file read and written and the data written; what it raises is its own."""
        if getattr(self._local, "batch", None) is not None:
            yield  # nested: the outer transaction commits
            return
        with self._thread_lock, self._file_lock() as lock:
            loaded = self.load_cached()  # parsed again only if another writer replaced it (the lock is held)
            if loaded.problems:
                raise StoreError(_refusal(self.target(), loaded.problems))
            # A shallow copy: TinyDB replaces whole tables and never changes a parsed record in place, so the
            # parse stays as the file holds it if this transaction fails.
            self._local.batch = dict(loaded.data)
            self._local.dirty = False
            try:
                yield
                if self._local.dirty:
                    data = self._local.batch
                    data.setdefault("meta", {})["schema"] = {"version": SCHEMA_VERSION}
                    self._commit(data)
                    # Taken under the lock: no other writer can have replaced the file yet.
                    written = file_stamp(self.target())
                    self._local.written_stamp = written
                    self._local.replaced_stamp = loaded.stamp
                    self._cache = _Loaded(data, (), written)
                    _remember_stamp(lock, written)
                    if after_commit is not None:
                        after_commit(loaded.stamp, written, data)
            finally:
                self._local.batch = None
                self._local.dirty = False

    def written_stamp(self) -> Stamp | None:
        """The stamp the file had right after this thread's last commit."""
        stamp: Stamp | None = getattr(self._local, "written_stamp", None)
        return stamp

    def replaced_stamp(self) -> Stamp | None:
        """The stamp of the file this thread's last commit replaced (None: there was none)."""
        stamp: Stamp | None = getattr(self._local, "replaced_stamp", None)
        return stamp

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[BinaryIO]:
        lock_path = self.lock_path()
        try:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
            handle = open_owned_file(lock_path, LOCK, write=True)
        except OSError as exc:
            raise StoreError(f"cannot lock {lock_path}: {exc.strerror or exc}; the library is unchanged") from None
        try:
            _acquire(handle, lock_path)
            try:
                yield handle
            finally:
                _release(handle)
        finally:
            handle.close()

    def _commit(self, data: Data) -> None:
        target = self.target()
        try:
            self._remove_stale_temp_files(target)
            replace_atomically(
                target,
                lambda handle: write_json(handle, data, target),  # never the whole file's JSON at once
                before_replace=lambda: self._keep_backup(target) if target.exists() else None,
                new_mode=0o600,  # a new library is private: notes are personal
            )
        except OSError as exc:
            raise StoreError(f"could not write {target}: {exc.strerror or exc}; the library is unchanged") from None

    @staticmethod
    def _remove_stale_temp_files(target: Path) -> None:
        """Temp files are only written under the lock, so any found now are a killed writer's leftovers."""
        for stale in target.parent.glob(f".{target.name}.*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()

    @staticmethod
    def _keep_backup(target: Path) -> None:
        """Make the current (parsed, so good) file the backup, without copying it.

        A backup path that is not a regular file (a folder, a FIFO) is an error naming the backup;
        a symlink there is replaced, never written through."""
        backup = target.with_name(target.name + ".bak")
        staging = backup.with_name(backup.name + ".tmp")
        try:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(staging)
            try:
                os.link(target, staging)
            except OSError:
                # A file system without hard links: fall back to a copy.
                flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
                with os.fdopen(os.open(staging, flags, 0o600), "wb") as copy:
                    copy.write(target.read_bytes())
            try:
                os.replace(staging, backup)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(staging)
                raise
        except OSError as exc:
            kind_of = ""
            with contextlib.suppress(OSError):
                mode = os.lstat(backup).st_mode
                kind_of = "" if stat.S_ISREG(mode) or stat.S_ISLNK(mode) else f" ({backup.name} is {kind(mode)})"
            raise StoreError(
                f"could not keep the backup {backup}{kind_of}: {exc.strerror or exc}; "
                "the library is unchanged: move it away and try again"
            ) from None

    def close(self) -> None:
        pass


def _schema_of(meta: Mapping[str, Any]) -> int:
    schema = meta.get("schema")
    version = schema.get("version") if isinstance(schema, dict) else None
    return version if isinstance(version, int) else 1


def _check_schema(data: dict[str, Any], path: Path) -> None:
    schema = data.get("meta", {}).get("schema", {"version": SCHEMA_VERSION})
    version = schema.get("version") if isinstance(schema, dict) else None
    if not isinstance(version, int) or isinstance(version, bool):
        raise StoreError(
            f'{path}: meta.schema should be {{"version": {SCHEMA_VERSION}}}, not {str(schema)[:60]!r}; '
            "fix it by hand or restore library.json.bak"
        )
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"{path} was written by a newer readlist (library schema {version}; this readlist reads up to "
            f"{SCHEMA_VERSION}); upgrade readlist to open it"
        )


def _check_table(name: str, table: dict[str, Any], notices: list[str]) -> tuple[list[str], bool]:
    """Leave out (and name) records that do not fit; clean the text of the others, in place. Returns the
    problems, and whether any record's text was cleaned; ``notices`` hears of values dropped in cleaning."""
    problems = []
    cleaned = False
    for key in list(table):
        record = table[key]
        why = problem(name, key, record)
        if why is None and needs_cleaning(record):
            notices += dropped_values(name, key, record)
            try:
                table[key] = clean_record(record)
                cleaned = True
            except ValueError as exc:
                why = str(exc)
        if why is not None:
            del table[key]
            shown = key if len(key) <= 60 else key[:59] + "…"
            problems.append(f"{name} record {clean_line(shown)!r} {why}")
    return problems, cleaned


def _refusal(path: Path, problems: tuple[str, ...]) -> str:
    first = problems[0]
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    return (
        f"{path} holds a record readlist cannot use: {first}{more}; nothing was changed. "
        f"Fix or delete that record in {path.name} by hand (readlist list names them all), "
        f"or restore {path.name}.bak"
    )


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: Any) -> bool:
        try:
            handle.seek(0)
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
            return True
        except OSError:
            return False

    def _release(handle: Any) -> None:
        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(handle: Any) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            return False

    def _release(handle: Any) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def file_stamp(path: Path) -> Stamp | None:
    """Inode, modification time and size: every commit replaces the file, so this changes."""
    try:
        return _stamp_of(os.stat(path))
    except FileNotFoundError:
        return None


def _stamp_of(st: os.stat_result) -> Stamp:
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def _remember_stamp(lock: BinaryIO, stamp: Stamp | None) -> None:
    """Keep the stamp of a file known clean (just written, or checked) in the lock file (held: no other writer
    is in it)."""
    if stamp is None:
        return
    with contextlib.suppress(OSError):  # only an optimisation: without it the next read checks every record
        lock.seek(0)
        lock.truncate()
        lock.write(" ".join(str(n) for n in stamp).encode() + b"\n")
        lock.flush()


def _why_unreadable(raw: bytes, exc: ValueError) -> str:
    if not raw.strip():
        return "it is empty"
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as bad:
        return f"it is not UTF-8 text ({bad.reason} at byte {bad.start})"
    if isinstance(exc, json.JSONDecodeError):
        return f"it is not valid JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
    return f"it is not valid JSON ({exc})"


def _acquire(handle: Any, path: Path) -> None:
    deadline = time.monotonic() + LOCK_TIMEOUT
    delay = 0.002
    while not _try_lock(handle):
        if time.monotonic() > deadline:
            raise StoreError(
                f"another readlist process has held {path} for {LOCK_TIMEOUT:.0f} s; "
                "try again, or delete the lock file if no readlist is running"
            )
        time.sleep(delay)
        delay = min(delay * 2, 0.05)


@dataclass(frozen=True)
class Commit:
    """One write, as :attr:`Store.on_commit` hears it: library.json went from stamp ``before`` to ``after``."""

    before: Stamp | None
    after: Stamp | None
    light: Mapping[str, Record]
    """Every paper's light record as written, in the file's order (do not mutate)."""
    changed: set[str]
    """The papers written (new or changed): library.json now holds them last, in ``light``'s order."""
    removed: set[str]
    current: bool
    """Whether the file is of this readlist's schema."""


OnCommit = Callable[[Commit], None]


def _tag_set(record: Record) -> set[str] | None:
    """A stored record's tags as a set (None when they are not a list of strings: a hand edit)."""
    tags = record.get("tags") or []
    if not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        return None
    return set(tags)


@dataclass
class Transaction:
    """The tables as read under the lock, and the writes to commit at the end.

    ``papers`` (full records, texts joined), ``suggestions``, ``sources`` and
    ``meta`` show the records with this transaction's own writes applied.
    Writes reach the files once, when the transaction ends: the papers' texts
    first (``library.texts/``), then each changed table of ``library.json``, whole.
    """

    store: Store
    light: TxLightRecords = field(default_factory=lambda: TxLightRecords({}))
    suggestions: dict[str, Record] = field(default_factory=dict)
    sources: dict[str, Record] = field(default_factory=dict)
    meta: dict[str, Record] = field(default_factory=dict)
    written_keys: dict[str, set[str]] = field(default_factory=dict)
    removed_keys: dict[str, set[str]] = field(default_factory=dict)
    texts: dict[str, Record | None] = field(default_factory=dict)
    """Texts written by this transaction (None: removed), by paper id."""
    committed: Mapping[str, Record] = field(default_factory=dict)
    """The light records as the file held them when the transaction began (read under the lock)."""
    _last_seq: int | None = None
    _unchecked: set[str] = field(default_factory=set)
    """Papers written whose light record's JSON was not made when they were put (put_light, or a record that
    needed cleaning): the flush makes it before writing anything. The others' JSON showed them clean already."""

    @property
    def papers(self) -> JoinedPapers:
        return JoinedPapers(self.light, self.store.shards, self.texts, self.store.warn)

    def _clean(self, records: Mapping[str, Record]) -> dict[str, Record]:
        # The last wall: nothing is stored with a control character, whoever built the record.
        return {key: dict(self._cleaned(r)) for key, r in records.items()}

    @staticmethod
    def _cleaned(record: Record) -> Record:
        """The record cleaned, or the record itself when it is clean already (not a copy: callers copy)."""
        try:
            return clean_record(record) if needs_cleaning(record) else record
        except ValueError as exc:
            raise BadInput(f"cannot save a record nested that deep: {exc}") from None

    def _put(self, table: str, records: Mapping[str, Record]) -> None:
        view: dict[str, Record] = getattr(self, table)
        records = self._clean(records)
        view.update(records)
        self.written_keys.setdefault(table, set()).update(records)
        self.removed_keys.setdefault(table, set()).difference_update(records)

    def _remove(self, table: str, keys: Iterable[str]) -> None:
        view: dict[str, Record] = getattr(self, table)
        for key in keys:
            view.pop(key, None)
            self.removed_keys.setdefault(table, set()).add(key)
            self.written_keys.setdefault(table, set()).discard(key)

    def saw_last_seq(self, last_seq: int) -> None:
        """The highest insertion sequence stored, as the caller's pass over every record found it before this
        transaction wrote a paper: :meth:`next_seq` then needs no pass of its own."""
        if self._last_seq is None and not self.written_keys.get("papers"):
            self._last_seq = last_seq

    def next_seq(self) -> int:
        """The next insertion sequence number (one more than any stored)."""
        if self._last_seq is None:
            self._last_seq = max((r.get("seq") or 0 for r in self.light.stored.values()), default=0)
        self._last_seq += 1
        return self._last_seq

    def put_papers(self, records: Mapping[str, Record] | Iterable[tuple[str, Record]]) -> None:
        """Store full paper records: the light part in library.json, the text in its shard (when it changed).

        ``records`` by id, or (id, record) pairs stored one by one as they come (an import's stream: each is
        seen by the transaction's views before the next is made). A record keeps its insertion sequence
        (``seq``): the one it carries, else the stored one, else the next.
        """
        pairs = records.items() if isinstance(records, Mapping) else records
        written = self.written_keys.setdefault("papers", set())
        removed = self.removed_keys.setdefault("papers", set())
        unchecked = self._unchecked
        for paper_id, given in pairs:
            # Split first (split copies what it keeps): each half's JSON, made once, shows it clean, and the
            # heavy half's names its generation. Only a record that may need cleaning is cleaned and split again.
            record = given
            light, heavy = split(given)
            heavy_json = clean_json(heavy) if heavy else b""
            if heavy_json is not None and clean_json(light) is not None:
                gen = generation_of(heavy_json) if heavy else ""
                unchecked.discard(paper_id)
            else:
                record = self._cleaned(given)
                light, heavy = split(record)
                gen = generation(heavy) if heavy else ""
                unchecked.add(paper_id)
            old = self.light.get(paper_id)
            light["seq"] = record.get("seq") or (old or {}).get("seq") or self.next_seq()
            light["text"] = gen
            others = [e["key"] for e in heavy.get("other_entries") or () if isinstance(e.get("key"), str)]
            if others:
                light["other_keys"] = others
            else:
                light.pop("other_keys", None)
            if heavy and (old is None or old.get("text") != gen or "text" not in old):
                heavy["gen"] = gen  # heavy is split's own dict
                self.texts[paper_id] = heavy
            elif not heavy and old is not None and old.get("text"):
                self.texts[paper_id] = None
            self.light[paper_id] = light
            written.add(paper_id)
            removed.discard(paper_id)

    def put_light(self, records: Mapping[str, Record]) -> None:
        """Store light records as they are, texts untouched (the upgrade to compact records)."""
        self.light.update(records)
        self._unchecked.update(records)
        self.written_keys.setdefault("papers", set()).update(records)
        self.removed_keys.setdefault("papers", set()).difference_update(records)

    def words_added(self) -> WordsAdded | None:
        """What this transaction added to the words shell completion offers (ids, citation keys, tags), where
        adding is all it did to them: a new paper's words, a paper's new tags (a status or a note adds none).
        None when it may have changed them otherwise (a paper removed, a key or a tag changed, a source or a
        suggestion written): the words are then gathered again from every paper."""
        if any(self.written_keys.get(t) or self.removed_keys.get(t) for t in ("suggestions", "sources")):
            return None
        if self.removed_keys.get("papers"):
            return None
        added = WordsAdded()
        for paper_id in self.written_keys.get("papers", ()):
            old, new = self.committed.get(paper_id), self.light.stored[paper_id]
            new_tags = _tag_set(new)
            if new_tags is None:
                return None
            if old is None:
                added.ids.append(new.get("id"))
                added.keys.append(new.get("key"))
                added.tags.update(new_tags)
                continue
            if any(old.get(name) != new.get(name) for name in ("id", "key", "other_keys")):
                return None
            old_tags = _tag_set(old)
            if old_tags is None or not old_tags <= new_tags:
                return None  # a tag gone may be gone from every paper
            added.tags.update(new_tags - old_tags)
        return added

    def remove_papers(self, ids: Iterable[str]) -> None:
        for paper_id in ids:
            old = self.light.pop(paper_id, None)
            self._unchecked.discard(paper_id)
            if old is not None and old.get("text"):
                self.texts[paper_id] = None
            self.removed_keys.setdefault("papers", set()).add(paper_id)
            self.written_keys.setdefault("papers", set()).discard(paper_id)

    def put_suggestions(self, records: Mapping[str, Record]) -> None:
        self._put("suggestions", records)

    def remove_suggestions(self, keys: Iterable[str]) -> None:
        self._remove("suggestions", keys)

    def put_source(self, name: str, record: Record) -> None:
        self._put("sources", {name: record})

    def put_meta(self, name: str, record: Record) -> None:
        """A record of the meta table (the schema version, written by the migration to schema 2)."""
        self._put("meta", {name: record})

    def flush(self) -> None:
        """Write the texts (heavy first), then hand each changed table to the storage (inside its batch)."""
        if self.texts:
            # BadInput before writing anything, checked a slice at a time: the whole library's JSON is built
            # once, by the commit (50,000 papers' light records are 22 MB of it). The records whose JSON
            # put_papers made (every one an import puts) are known to give it.
            unchecked = self._unchecked
            ids = [k for k in self.written_keys.get("papers", set()) if k in unchecked]
            for start in range(0, len(ids), 1000):
                dump_json([self.light.stored[k] for k in ids[start : start + 1000]], self.store.storage.target())
            try:
                self.store.shards.update(self.texts, self.committed)
            except OSError as exc:
                target = self.store.storage.target()
                raise StoreError(
                    f"could not write {target} (its texts, in {self.store.shards.folder.name}/): "
                    f"{exc.strerror or exc}; the library is unchanged"
                ) from None
        for name in TABLES:
            written = self.written_keys.get(name, set())
            removed = self.removed_keys.get(name, set())
            if not written and not removed:
                continue
            view: dict[str, Record] = self.light.stored if name == "papers" else getattr(self, name)
            # The table as TinyDB's remove and insert_multiple would leave it (the records kept in their order,
            # those written last, in the same order), handed to the storage whole: the written records are
            # shared with this view, not copied twice each (TinyDB's Document, then its table's dict), and the
            # table is not rebuilt twice (150,000 new records: ~0.5 s).
            tables = self.store.storage.read() or {}
            table = dict(tables.get(name, {}))  # a new dict: the parsed one stays as the file holds it
            for key in written | removed:
                table.pop(key, None)
            for key in written:
                table[key] = view[key]
            tables[name] = table
            self.store.storage.write(tables)


class Store:
    """The library file's tables, and the transaction that guards every write.

    Reads outside a transaction are lock-free and always consistent (the file
    is only ever replaced whole). Every write happens inside
    ``with store.transaction() as tx:``, which commits once at the end, so a
    command that changes many records either lands entirely or not at all.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.storage = AtomicJSONStorage(self.path)
        storage = self.storage
        self._db = _Database(storage=lambda: storage)  # TinyDB builds its storage by calling this
        self._local = threading.local()
        self._shards: Shards | None = None
        self.warn: Callable[[str], None] | None = None
        """Hears one line per paper whose text is missing or of another generation, and the migration's line."""
        self.on_commit: OnCommit | None = None
        """Hears each commit, under the lock, once library.json is replaced (see :class:`Commit`); it must not
        raise (the derived rows of readlist.core.rows move on here)."""

    @property
    def shards(self) -> Shards:
        """The papers' texts: ``library.texts/`` beside the resolved library file."""
        folder = folder_of(self.storage.target())
        if self._shards is None or self._shards.folder != folder:
            self._shards = Shards(folder)
        return self._shards

    def table(self, name: str) -> KeyedTable:
        # cache_size=0: TinyDB's query cache would hide other processes' writes.
        return cast(KeyedTable, self._db.table(name, cache_size=0))

    def snapshot(self) -> Snapshot:
        """The library as it is now (parsed once per state of the file)."""
        tx: Transaction | None = getattr(self._local, "tx", None)
        if tx is not None:
            return Snapshot(
                tx.papers, MappingProxyType(tx.suggestions), MappingProxyType(tx.sources),
                MappingProxyType(tx.meta), None, light=MappingProxyType(tx.light),
                stored_light=MappingProxyType(tx.light.stored),
            )  # fmt: skip
        loaded = self.storage.load_cached()
        data = loaded.data
        light = loaded.light()
        return Snapshot(
            JoinedPapers(light, self.shards, warn=self.warn), MappingProxyType(data.get("suggestions", {})),
            MappingProxyType(data.get("sources", {})), MappingProxyType(data.get("meta", {})),
            loaded.stamp, loaded.problems, light=light, notices=loaded.notices, stored_light=light.stored,
        )  # fmt: skip

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Transaction]:
        outer: Transaction | None = getattr(self._local, "tx", None)
        if outer is not None:
            yield outer  # nested: the outer transaction commits
            return
        with self.storage.batch(lambda before, after, data: self._committed(tx, before, after, data)):
            data = self.storage.read() or {}
            full = _schema_of(data.get("meta", {})) < COMPACT_SINCE
            tx = Transaction(
                self, TxLightRecords(data.get("papers", {}), full=full), dict(data.get("suggestions", {})),
                dict(data.get("sources", {})), dict(data.get("meta", {})), committed=data.get("papers", {}),
            )  # fmt: skip
            self._local.tx = tx
            upgraded = None
            try:
                if _schema_of(tx.meta) < SCHEMA_VERSION and tx.light:
                    upgraded = self._migrate(tx)
                yield tx
                tx.flush()
            finally:
                self._local.tx = None
        if upgraded is not None and self.warn is not None:
            self.warn(upgraded)  # said once it is written, never for a write that failed

    def _committed(self, tx: Transaction, before: Stamp | None, after: Stamp | None, data: Data) -> None:
        self._local.words_added = tx.words_added()  # a transaction that commits nothing leaves the last one's
        if self.on_commit is None:
            return
        changed = tx.written_keys.get("papers", set())
        removed = tx.removed_keys.get("papers", set())
        current = _schema_of(data.get("meta", {})) == SCHEMA_VERSION
        self.on_commit(Commit(before, after, data.get("papers", {}), changed, removed, current))

    def _migrate(self, tx: Transaction) -> str:
        """Upgrade an older library on its first write, after keeping the old file as
        ``library.json.v<N>.bak``: schema 1 -> 2 moves the texts apart (:meth:`_texts_apart`), and every
        upgrade rewrites the light records compact (schema 3: only what differs from the default). Returns
        the line that says so."""
        version = _schema_of(tx.meta)
        target = self.storage.target()
        backup = self._keep_old_file(target, version)
        tags_line = self._texts_apart(tx) if version < 2 else ""
        if version >= 2:
            tx.put_light(dict(tx.light.items()))  # written compact (schema 1's went through put_papers)
        tx.put_meta("schema", {"version": SCHEMA_VERSION})
        texts = f"texts now in {self.shards.folder.name}/, " if version < 2 else ""
        return (
            f"upgraded {target.name} to schema {SCHEMA_VERSION} ({texts}light records stored compact, "
            f"the old file kept as {backup.name}){tags_line}"
        )

    @staticmethod
    def _keep_old_file(target: Path, version: int) -> Path:
        """``library.json.v<N>.bak``: the file as the older schema wrote it, just before its upgrade (a hard
        link where possible, replacing the one an upgrade that failed left).

        It is made before anything is written, so a crash during the upgrade leaves it whole."""
        backup = target.with_name(f"{target.name}.v{version}.bak")
        staging = backup.with_name(backup.name + ".tmp")
        try:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(staging)
            try:
                os.link(target, staging)
            except OSError:  # a file system without hard links: a copy
                staging.write_bytes(target.read_bytes())
            os.replace(staging, backup)
        except OSError as exc:
            raise StoreError(
                f"could not keep {backup} before upgrading {target.name}: {exc.strerror or exc}; "
                "the library is unchanged"
            ) from None
        return backup

    @staticmethod
    def _texts_apart(tx: Transaction) -> str:
        """Schema 1 -> 2: move the texts to ``library.texts/``, number the papers in the order they were added,
        and normalise every tag. Returns the part of the upgrade's line that names the tags merged."""
        from readlist.core.models import normalize_tag

        merged: dict[str, str] = {}
        records: dict[str, Record] = {}
        ordered = sorted(tx.light.values(), key=lambda r: (str(r.get("added") or ""), str(r.get("id"))))
        for n, record in enumerate(ordered, start=1):
            tags: list[str] = []
            for tag in record.get("tags") or ():
                try:
                    new = normalize_tag(tag)
                except BadInput:
                    new = tag
                if new != tag:
                    merged[tag] = new
                if new not in tags:
                    tags.append(new)
            records[str(record["id"])] = {**record, "tags": tags, "seq": record.get("seq") or n}
        tx.put_papers(records)
        if not merged:
            return ""
        changes = ", ".join(f"{old!r} -> {new!r}" for old, new in sorted(merged.items())[:5])
        more = f" and {len(merged) - 5} more" if len(merged) > 5 else ""
        return f"; tags normalised: {changes}{more}"

    def in_transaction(self) -> bool:
        """Whether this thread is inside :meth:`transaction` (its reads are the transaction's view)."""
        return getattr(self._local, "tx", None) is not None

    def parsed(self) -> bool:
        """Whether this process has parsed the file as it is now (a :meth:`snapshot` costs nothing more)."""
        cached = self.storage._cache
        return cached is not None and cached.stamp is not None and cached.stamp == self.stamp()

    def check(self) -> None:
        """Raise CorruptLibrary (or StoreError) now if the file cannot be read."""
        self.storage.load_cached()

    def stamp(self) -> Stamp | None:
        """Changes whenever a process replaces the file (for reloads)."""
        return file_stamp(self.storage.target())

    def written_stamp(self) -> Stamp | None:
        """The stamp the file had right after this thread's last commit.

        A reader that compares it with :meth:`stamp` knows whether anyone
        wrote after its own write, without reading the file again.
        """
        return self.storage.written_stamp()

    def last_write(self) -> tuple[Stamp | None, WordsAdded | None]:
        """This thread's last commit: the stamp of the file it replaced, and the words shell completion offers
        that it added, where adding is all it did to them (see :meth:`Transaction.words_added`)."""
        added: WordsAdded | None = getattr(self._local, "words_added", None)
        return self.storage.replaced_stamp(), added
