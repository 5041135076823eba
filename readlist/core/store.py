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
* reads the file afresh at every transaction (no CachingMiddleware, no query
  cache), so it always sees what other processes wrote;
* refuses a file it cannot parse and never writes over it.

Records are keyed by their own id (a paper's arXiv id), not by TinyDB's
counters, which are meaningless across processes.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson
from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from readlist.core.errors import BadInput, CorruptLibrary, StoreError

SCHEMA_VERSION = 1
LOCK_TIMEOUT = 30.0

Data = dict[str, dict[str, Any]]


class KeyedTable(Table):
    """A table whose document ids are the records' own string keys."""

    document_id_class = str

    def put(self, key: str, record: dict[str, Any]) -> None:
        """Insert or replace the record stored under ``key``."""

        def replace(table: dict[str, Any]) -> None:
            table[key] = record

        self._update_table(replace)

    def put_many(self, records: dict[str, dict[str, Any]]) -> None:
        """Insert or replace many records in one table update."""

        def replace(table: dict[str, Any]) -> None:
            table.update(records)

        self._update_table(replace)

    def record(self, key: str) -> Document | None:
        return self.get(doc_id=key)  # type: ignore[arg-type]

    def records(self) -> dict[str, dict[str, Any]]:
        """All records by key, as stored (callers must not mutate them)."""
        return dict(self._read_table())


class _Database(TinyDB):
    table_class = KeyedTable


class AtomicJSONStorage(Storage):
    """TinyDB storage with atomic, locked, backed-up writes (see module doc)."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.backup_path = self.path.with_name(self.path.name + ".bak")
        self.lock_path = self.path.with_name(self.path.name + ".lock")
        self._local = threading.local()
        self._thread_lock = threading.RLock()

    # -- TinyDB's interface ------------------------------------------------

    def read(self) -> Data | None:
        batch = getattr(self._local, "batch", None)
        if batch is not None:
            return batch
        return self.load()

    def write(self, data: Data) -> None:
        if getattr(self._local, "batch", None) is None:
            raise RuntimeError("writes to the library must happen inside Store.transaction()")
        self._local.batch = data
        self._local.dirty = True

    # -- reading -----------------------------------------------------------

    def load(self) -> Data | None:
        """The parsed file, None if it does not exist, or CorruptLibrary."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            raise StoreError(f"cannot read {self.path}: {exc.strerror or exc}") from None
        try:
            data = orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise self._corrupt(_why_unreadable(raw, exc)) from None
        if not isinstance(data, dict) or not all(isinstance(t, dict) for t in data.values()):
            raise self._corrupt("it does not hold a table of records")
        version = data.get("meta", {}).get("schema", {}).get("version", SCHEMA_VERSION)
        if not isinstance(version, int) or version > SCHEMA_VERSION:
            raise StoreError(
                f"{self.path} was written by a newer readlist (schema {version}); upgrade readlist to open it"
            )
        return data

    def _corrupt(self, what: str) -> CorruptLibrary:
        if self.backup_path.exists():
            hint = (
                f"the last good state is in {self.backup_path}: "
                f"to restore it, copy it over {self.path.name} (cp '{self.backup_path}' '{self.path}')"
            )
        else:
            hint = "there is no backup yet; fix or move the file away to start a new library"
        return CorruptLibrary(f"cannot read the library {self.path}: {what}; it was left untouched; {hint}")

    # -- writing -----------------------------------------------------------

    @contextlib.contextmanager
    def batch(self) -> Iterator[None]:
        """Hold the lock, read once, let TinyDB write in memory, commit once."""
        if getattr(self._local, "batch", None) is not None:
            yield  # nested: the outer transaction commits
            return
        with self._thread_lock, self._file_lock():
            data = self.load()
            if data is None:
                data = {}
            self._local.batch = data
            self._local.dirty = False
            try:
                yield
                if self._local.dirty:
                    data = self._local.batch
                    data.setdefault("meta", {})["schema"] = {"version": SCHEMA_VERSION}
                    self._commit(data)
                    # Taken under the lock: no other writer can have replaced the file yet.
                    self._local.written_stamp = file_stamp(self.path)
            finally:
                self._local.batch = None
                self._local.dirty = False

    @contextlib.contextmanager
    def _file_lock(self) -> Iterator[None]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            handle = open(self.lock_path, "a+b")  # noqa: SIM115 (closed below)
        except OSError as exc:
            raise StoreError(f"cannot lock {self.lock_path}: {exc.strerror or exc}; the library is unchanged") from None
        try:
            _acquire(handle, self.lock_path)
            try:
                yield
            finally:
                _release(handle)
        finally:
            handle.close()

    def _commit(self, data: Data) -> None:
        try:
            payload = orjson.dumps(data)
        except TypeError:
            # Bytes that are not UTF-8 reach Python's argv (and so the library) as lone
            # surrogates; the json module's error says which characters they are.
            try:
                json.dumps(data, ensure_ascii=False).encode("utf-8")
            except UnicodeEncodeError as exc:
                bad = exc.object[exc.start : exc.end]
            else:  # pragma: no cover - orjson refused something else
                raise
            raise BadInput(
                f"cannot save {bad!r}: it is not valid UTF-8 text (check your terminal's encoding); "
                f"{self.path} is unchanged"
            ) from None
        directory = self.path.parent
        tmp_name: str | None = None
        try:
            self._remove_stale_temp_files()
            fd, tmp_name = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=directory)
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
                handle.flush()
                os.fsync(handle.fileno())
            if self.path.exists():
                self._keep_backup()
            os.replace(tmp_name, self.path)
            tmp_name = None
            _fsync_directory(directory)
        except OSError as exc:
            raise StoreError(f"could not write {self.path}: {exc.strerror or exc}; the library is unchanged") from None
        finally:
            if tmp_name is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_name)

    def _remove_stale_temp_files(self) -> None:
        """Temp files are only written under the lock, so any found now are a killed writer's leftovers."""
        for stale in self.path.parent.glob(f".{self.path.name}.*.tmp"):
            with contextlib.suppress(OSError):
                stale.unlink()

    def _keep_backup(self) -> None:
        """Make the current (parsed, so good) file the backup, without copying it."""
        staging = self.backup_path.with_name(self.backup_path.name + ".tmp")
        with contextlib.suppress(FileNotFoundError):
            os.unlink(staging)
        try:
            os.link(self.path, staging)
        except OSError:
            # A file system without hard links: fall back to a copy.
            staging.write_bytes(self.path.read_bytes())
        try:
            os.replace(staging, self.backup_path)
        except OSError:
            with contextlib.suppress(OSError):
                os.unlink(staging)
            raise

    def close(self) -> None:
        pass


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

    def _fsync_directory(directory: Path) -> None:
        pass  # Windows cannot open a directory for fsync; os.replace is durable enough there.

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

    def _fsync_directory(directory: Path) -> None:
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


Stamp = tuple[int, int, int]


def file_stamp(path: Path) -> Stamp | None:
    """Inode, modification time and size: every commit replaces the file, so this changes."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


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


class Store:
    """The library file's tables, and the transaction that guards every write.

    Reads outside a transaction are lock-free and always consistent (the file
    is only ever replaced whole). Every write must happen inside
    ``with store.transaction():``, which commits once at the end, so a command
    that changes many records either lands entirely or not at all.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._db = _Database(self.path, storage=AtomicJSONStorage)
        self.storage: AtomicJSONStorage = self._db.storage  # type: ignore[assignment]

    def table(self, name: str) -> KeyedTable:
        # cache_size=0: TinyDB's query cache would hide other processes' writes.
        return self._db.table(name, cache_size=0)  # type: ignore[return-value]

    @property
    def papers(self) -> KeyedTable:
        return self.table("papers")

    @property
    def suggestions(self) -> KeyedTable:
        return self.table("suggestions")

    def transaction(self) -> contextlib.AbstractContextManager[None]:
        return self.storage.batch()

    def check(self) -> None:
        """Raise CorruptLibrary now if the file cannot be read."""
        self.storage.load()

    def stamp(self) -> Stamp | None:
        """Changes whenever another process replaces the file (for reloads)."""
        return file_stamp(self.path)

    def written_stamp(self) -> Stamp | None:
        """The stamp the file had right after this thread's last commit.

        A reader that compares it with :meth:`stamp` knows whether anyone
        wrote after its own write, without reading the file again.
        """
        return getattr(self.storage._local, "written_stamp", None)
