"""Reading files that may not be what they seem.

A path named on the command line or found in an import folder may be a FIFO
(opening it for reading waits for a writer, forever), a device (``/dev/zero``
never ends), a folder, or a symlink leading anywhere. :func:`read_regular`
reads only regular files, never blocks on opening, and stops at a size cap,
with one-line errors that say what the path is instead.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from readlist.core.clean import EXCERPT, clean_line, excerpt
from readlist.core.errors import BadInput

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
        if not stat.S_ISREG(opened.st_mode):  # replaced between the look and the open
            raise NotRegularFile(f"{name} is {kind(opened.st_mode)}, not a regular file; readlist reads only files")
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            _check_size(name, size, limit)
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise NotRegularFile(f"cannot read {name}: {exc.strerror or exc}") from None
    finally:
        os.close(fd)


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
    backup there). Raises OSError.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    tmp: Path | None = target.with_name(f".{target.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
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
