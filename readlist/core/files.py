"""Reading files that may not be what they seem.

A path named on the command line or found in an import folder may be a FIFO
(opening it for reading waits for a writer, forever), a device (``/dev/zero``
never ends), a folder, or a symlink leading anywhere. :func:`read_regular`
reads only regular files, never blocks on opening, and stops at a size cap,
with one-line errors that say what the path is instead.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

from readlist.core.clean import EXCERPT, clean_line, excerpt
from readlist.core.errors import BadInput, ReadlistError

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISLNK, "a symlink"),
)


class NotRegularFile(BadInput):
    """A path that is not a regular file readlist may read (or one too large)."""


def kind(mode: int) -> str:
    """What a file of this st_mode is, in words ("a regular file", "a FIFO (named pipe)", ...)."""
    if stat.S_ISREG(mode):
        return "a regular file"
    for test, words in _KINDS:
        if test(mode):
            return words
    return "not a regular file"


def read_regular(path: Path, limit: int, *, shown: str | None = None, follow: bool = True, hint: str = "") -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes, else :class:`NotRegularFile`.

    ``follow=False`` refuses a symlink (for files found in a folder, whose
    links the caller has already judged). Opening never blocks: a FIFO or a
    device is named and refused, not read. ``hint`` ends the message when the
    file does not exist (say, "give a path or an http(s) URL").
    """
    name = excerpt(shown if shown is not None else str(path), 1000)
    fd, found = _open_regular(path, name, limit, follow, hint)
    try:
        chunks: list[bytes] = []
        size = 0
        # The first read asks for the whole file as it was found (a regular file gives it at once), so a large
        # file is not held twice, as chunks and joined.
        want = max(1 << 20, min(found, limit) + 1)
        while True:
            chunk = os.read(fd, want)
            if not chunk:
                break
            size += len(chunk)
            _check_size(name, size, limit)
            chunks.append(chunk)
            want = 1 << 20
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except OSError as exc:
        raise NotRegularFile(f"cannot read {name}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


def read_regular_chunks(path: Path, chunk: int = 1 << 20, *, hint: str = "") -> Iterator[bytes]:
    """The bytes of a regular file of any size, ``chunk`` bytes at a time, so that a large file is never held
    whole; the same checks and errors as :func:`read_regular` (raised at the first ``next``)."""
    name = excerpt(str(path), 1000)
    fd, _ = _open_regular(path, name, sys.maxsize, True, hint)
    try:
        while True:
            try:
                data = os.read(fd, chunk)
            except OSError as exc:
                raise NotRegularFile(f"cannot read {name}: {exc.strerror or exc}") from None
            if not data:
                return
            yield data
    finally:
        os.close(fd)


def _open_regular(path: Path, name: str, limit: int, follow: bool, hint: str) -> tuple[int, int]:
    """A descriptor open for reading on a regular file, and its size; NotRegularFile otherwise."""
    try:
        before = os.stat(path) if follow else os.lstat(path)
    except FileNotFoundError:
        raise NotRegularFile(f"no file {name}{': ' + hint if hint else ''}") from None
    except OSError as exc:
        raise NotRegularFile(f"cannot read {name}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(before.st_mode):
        raise NotRegularFile(f"{name} is {kind(before.st_mode)}, not a regular file; readlist reads only files")
    _check_size(name, before.st_size, limit)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
    if not follow:
        flags |= getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise NotRegularFile(f"cannot read {name}: {exc.strerror or exc}") from None
    try:
        opened = os.fstat(fd)
    except OSError as exc:
        os.close(fd)
        raise NotRegularFile(f"cannot read {name}: {exc.strerror or exc}") from None
    if not stat.S_ISREG(opened.st_mode):  # replaced between the look and the open
        os.close(fd)
        raise NotRegularFile(f"{name} is {kind(opened.st_mode)}, not a regular file; readlist reads only files")
    return fd, opened.st_size


def _check_size(name: str, size: int, limit: int) -> None:
    if size > limit:
        raise NotRegularFile(
            f"{name} is larger than {limit / 1_000_000:g} MB, readlist's limit for a document; "
            "if it is meant to be that large, raise max_document_mb (READLIST_MAX_DOCUMENT_MB)"
        )


def parse_json(data: bytes | str, what: str) -> Any:
    """JSON from outside, or one-line BadInput naming ``what``: deep nesting is an error, never a RecursionError."""
    import orjson  # refuses nesting deeper than 1024 levels, where json would recurse

    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        reason = clean_line(str(exc).split("\n", 1)[0])[:EXCERPT] or "empty"
        raise BadInput(f"{what} is not valid JSON ({reason})") from None


def replace_atomically(
    target: Path,
    content: bytes | Callable[[BinaryIO], None],
    *,
    durable: bool = True,
    before_replace: Callable[[], None] | None = None,
    new_mode: int = 0o666,
    keep_mode: bool = True,
) -> None:
    """The one way readlist writes a whole file: a temp file beside ``target``, then ``os.replace``.

    A reader (another readlist, Obsidian, a sync client) never sees half a
    file, and a failure leaves the old file as it was. ``content`` is the
    bytes, or a function that writes them to the open temp file. A replaced
    file keeps its permissions; a new one gets ``new_mode`` less the user's
    umask (the library passes 0o600: notes are private). ``durable`` fsyncs
    the file and its folder (the library must survive a power cut; a
    regenerable export need not pay 10,000 fsyncs). ``before_replace`` runs
    once the data is safe on disk, just before the swap (the store keeps its
    backup there). ``keep_mode=False`` gives the new file ``new_mode`` even over an old one (a cache
    is always 0600). Raises OSError.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    mode: int | None = None
    if keep_mode:
        with contextlib.suppress(FileNotFoundError):
            here = os.stat(target)
            mode = stat.S_IMODE(here.st_mode) if stat.S_ISREG(here.st_mode) else None
    tmp: Path | None = target.with_name(f".{target.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")
    assert tmp is not None
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), new_mode)
        with os.fdopen(fd, "wb") as handle:
            if isinstance(content, bytes):
                handle.write(content)
            else:
                content(handle)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, target)
        tmp = None
        if durable:
            fsync_directory(target.parent)
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def fsync_directory(directory: Path) -> None:
    """Make a rename in ``directory`` durable (a no-op where folders cannot be opened, as on Windows)."""
    if sys.platform == "win32":  # pragma: no cover - Windows cannot open a directory for fsync
        return
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# -- files readlist owns: the lock, the backup, the ledger, caches, state ------------------------------


class OwnedFileError(ReadlistError):
    """A file readlist keeps for itself is not a regular file (a FIFO, a device, a folder, a link)."""


_OWNED_FLAGS = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _not_regular(path: Path, what: str, mode: int | None = None) -> OwnedFileError:
    if mode is None:
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            mode = 0
    return OwnedFileError(
        f"{clean_line(str(path))} is {kind(mode)}, not a regular file; readlist keeps its {what} there: "
        "move it away and try again"
    )


def open_owned(path: Path, what: str, *, write: bool = False) -> int:
    """A descriptor on ``path``, a regular file readlist owns (its ``what``: "lock file", "backup", ...).

    Opened with ``O_NOFOLLOW`` and ``O_NONBLOCK`` (a symlink planted in its place is never followed,
    a FIFO never waits for a writer) and checked with ``fstat`` on the descriptor, so nothing can be
    swapped in between. ``write`` opens it for reading and writing, creating it with mode 0600.
    FileNotFoundError when it is absent and not ``write``; :class:`OwnedFileError` (one line naming
    the file) when it is not a regular file; other OSErrors as they come.
    """
    flags = (os.O_RDWR | os.O_CREAT if write else os.O_RDONLY) | _OWNED_FLAGS | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags, 0o600)
    except OSError as exc:
        if isinstance(exc, FileNotFoundError) or exc.errno not in (errno.ELOOP, errno.EISDIR, errno.ENXIO):
            raise
        raise _not_regular(path, what) from None
    try:
        opened = os.fstat(fd)
        if not stat.S_ISREG(opened.st_mode):
            raise _not_regular(path, what, opened.st_mode)
        if _OWNED_FLAGS & getattr(os, "O_NONBLOCK", 0):  # a regular file: back to ordinary blocking reads
            os.set_blocking(fd, True)
    except BaseException:
        os.close(fd)
        raise
    return fd


def open_owned_file(path: Path, what: str, *, write: bool = False) -> BinaryIO:
    """:func:`open_owned` as a binary file object ("r+b" when ``write``, else "rb")."""
    return os.fdopen(open_owned(path, what, write=write), "r+b" if write else "rb")


def check_owned(path: Path, what: str) -> None:
    """Raise :class:`OwnedFileError` if ``path`` exists and is not a regular file (a symlink included)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if not stat.S_ISREG(mode):
        raise _not_regular(path, what, mode)


def read_cache(path: Path, limit: int) -> bytes | None:
    """The bytes of a cache file readlist owns, or None when it is absent, too large or not a regular file.

    A cache is derived: anything that is not what readlist wrote is simply rebuilt (and replaced by
    :func:`write_cache`), never followed, never waited on.
    """
    try:
        fd = open_owned(path, "cache")
    except (OSError, OwnedFileError):
        return None
    try:
        if os.fstat(fd).st_size > limit:
            return None
        chunks: list[bytes] = []
        size = 0
        while chunk := os.read(fd, 1 << 20):
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def write_cache(path: Path, content: bytes | Callable[[BinaryIO], None]) -> None:
    """Replace a pure cache (one that can always be built again) with ``content``, mode 0600, not fsynced.

    Whatever sits there that is not a regular file, a symlink (to /dev/zero, say), a FIFO or a device,
    is removed, never followed or written through; an empty folder too. Raises OSError (a folder with
    files in it, an unwritable cache folder): callers then go on without a cache.
    """
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    if mode is not None and not stat.S_ISREG(mode):
        if stat.S_ISDIR(mode):
            os.rmdir(path)
        else:
            os.unlink(path)
    replace_atomically(path, content, durable=False, new_mode=0o600, keep_mode=False)
