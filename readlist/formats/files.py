"""Writing export files safely, and the manifest of what an export wrote.

readlist writes only regular files. A path that is a folder, a FIFO, a
device or a socket (or a symlink to one, or to nothing) is refused as bad
input (exit 2) before anything is written: ``--out /dev/null`` must never turn
/dev/null into a file, and a FIFO must never hang an export. A symlink to a
regular file is written *through*: the file it leads to is replaced
atomically in its own folder and the link stays, as for ``library.json``.

One writer serves every exporter's ``--out`` (:func:`write_export`): it also
refuses to replace a file that readlist did not write there, or that changed
since it did, unless the user gives ``--force``. What readlist wrote where is
kept in ``exports.json`` in READLIST_HOME (path and SHA-256; the exported
file itself is not marked, so every format, JSON included, works the same).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from readlist.core.clean import clean_text, excerpt, inert_json
from readlist.core.errors import BadInput, ReadlistError
from readlist.core.files import NotRegularFile, check_owned, kind, parse_json, read_regular, replace_atomically

MANIFEST_NAME = ".readlist-export.json"
LEDGER_NAME = "exports.json"
"""In READLIST_HOME: the files readlist wrote with ``--out``, and what it wrote in them."""
LEDGER_SIZE = 500
"""The ledger keeps the most recent files this many."""
SMALL_FILE = 5_000_000
"""Largest manifest or ledger readlist reads (they hold a line per file)."""
COMPARE_LIMIT = 200_000_000
"""An existing file larger than this is never taken for one readlist wrote (it is not hashed)."""


def regular_target(path: Path) -> Path:
    """The regular file a write to ``path`` replaces: ``path`` (existing or not), or the file its symlink leads to.

    BadInput (exit 2) when ``path`` is a folder, a FIFO, a device or a socket,
    or a symlink to one of them or to nothing.
    """
    try:
        here = os.lstat(path)
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise ReadlistError(f"cannot write {path}: {exc.strerror or exc}") from None
    if stat.S_ISREG(here.st_mode):
        return path
    if not stat.S_ISLNK(here.st_mode):
        raise BadInput(f"{path} is {kind(here.st_mode)}, not a regular file: {_WAY_OUT}")
    target = Path(os.path.realpath(path))
    try:
        there = os.stat(target)
    except FileNotFoundError:
        raise BadInput(
            f"{path} is a symlink to {target}, which does not exist: create it, or give another file"
        ) from None
    except OSError as exc:
        raise ReadlistError(f"cannot write {path} (a symlink to {target}): {exc.strerror or exc}") from None
    if not stat.S_ISREG(there.st_mode):
        raise BadInput(
            f"{path} is a symlink to {target}, which is {kind(there.st_mode)}, not a regular file: {_WAY_OUT}"
        )
    return target


_WAY_OUT = "readlist writes only regular files (give a file path, or --out - to write to stdout)"


def write_atomic(path: Path, text: str | Iterable[bytes], *, durable: bool = True) -> None:
    """Write UTF-8 text (or the bytes of its pieces, as they come) to a temp file beside the target, then
    replace it.

    The target is :func:`regular_target`'s: ``path``, or the regular file its
    symlink leads to (replaced in its own folder; the link stays). A reader
    (Obsidian, a sync client) never sees half a file; a failure leaves the old
    file as it was. A replaced file keeps its permissions. ``durable=False``
    skips the fsync: for files that can be written again from the library (a
    paper's exported file is only ever replaced when it holds nothing the
    library lacks), where 10,000 fsyncs would cost seconds.
    """
    target = regular_target(path)
    content = text.encode("utf-8") if isinstance(text, str) else lambda handle: handle.writelines(text)
    try:
        replace_atomically(target, content, durable=durable)
    except OSError as exc:
        raise ReadlistError(f"cannot write {path}: {exc.strerror or exc}") from None


def in_pieces(parts: Iterable[str], size: int = 1 << 20) -> Iterator[str]:
    """These parts joined into pieces of about ``size`` characters, none empty: an export written as it is
    made holds a piece, not its whole text. A piece ends where a part does (a part is never cut in two)."""
    held: list[str] = []
    length = 0
    for part in parts:
        held.append(part)
        length += len(part)
        if length >= size:
            yield "".join(held)
            held, length = [], 0
    if length:
        yield "".join(held)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# -- --out: one safe writer for every exporter ------------------------------


def write_export(path: Path, text: str | Iterable[str], *, home: Path, force: bool = False, json: bool = False) -> Path:
    """Write an export (its text, or its pieces as they are made) to ``path`` (a regular file, or a symlink
    to one); return the file written.

    The text is written without control or bidi characters but newline and
    tab (``json``: written as ``\\uXXXX`` escapes, so the data stays exact).

    An existing non-empty file is replaced only when it holds exactly what
    readlist last wrote there (as recorded in READLIST_HOME's
    :data:`LEDGER_NAME`), or with ``force``; otherwise ReadlistError, and
    nothing is written.
    """
    target = regular_target(path)
    check_owned(home / LEDGER_NAME, "export ledger")  # never written through a planted link
    ledger = _read_ledger(home)
    key = str(target.absolute())
    if not force and target.exists() and not _is_ours(target, ledger.get(key)):
        raise ReadlistError(
            f"{path} already exists and readlist did not write it (or it changed since); nothing was written: "
            "give --force to replace it, or another --out"
        )
    digest = hashlib.sha256()

    def written() -> Iterator[bytes]:
        for piece in [text] if isinstance(text, str) else text:
            # The second wall: no control or bidi character leaves.
            data = (inert_json(piece) if json else clean_text(piece)).encode("utf-8")
            digest.update(data)
            yield data

    write_atomic(target, written())
    ledger.pop(key, None)
    ledger[key] = digest.hexdigest()
    with contextlib.suppress(ReadlistError):  # the export is written; a read-only home only costs a --force later
        _write_ledger(home, dict(list(ledger.items())[-LEDGER_SIZE:]))
    return target


def _is_ours(target: Path, digest: str | None) -> bool:
    try:
        data = read_regular(target, COMPARE_LIMIT)
    except NotRegularFile:
        return False
    return not data or (digest is not None and sha256(data) == digest)


def _read_ledger(home: Path) -> dict[str, str]:
    try:
        data = parse_json(read_regular(home / LEDGER_NAME, SMALL_FILE, follow=False), LEDGER_NAME)
    except BadInput:
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {k: v for k, v in files.items() if isinstance(k, str) and isinstance(v, str)}


def _write_ledger(home: Path, files: dict[str, str]) -> None:
    about = "the files `readlist export ... --out` wrote, so that only those are replaced without --force"
    text = json.dumps({"about": about, "files": files}, indent=1)
    ledger = home / LEDGER_NAME
    check_owned(ledger, "export ledger")
    try:
        replace_atomically(ledger, (text + "\n").encode("utf-8"), durable=False, new_mode=0o600)
    except OSError as exc:
        raise ReadlistError(f"cannot write {ledger}: {exc.strerror or exc}") from None


# -- the manifest of a folder export -----------------------------------------


def read_manifest(directory: Path) -> dict[str, dict[str, Any]]:
    """File name -> what the last export wrote there ({} if there is no usable manifest)."""
    try:
        data = parse_json(read_regular(directory / MANIFEST_NAME, SMALL_FILE, follow=False), MANIFEST_NAME)
    except BadInput:
        return {}
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(files, dict):
        return {}
    return {name: entry for name, entry in files.items() if isinstance(entry, dict)}


def write_manifest(directory: Path, files: dict[str, dict[str, Any]]) -> None:
    text = json.dumps(
        {"about": "written by `readlist export markdown`; keeps your edits safe on re-export", "files": files},
        ensure_ascii=False,
        indent=1,
        sort_keys=True,
    )
    write_atomic(directory / MANIFEST_NAME, text + "\n")


def special_file(path: Path, root: Path | None = None) -> str | None:
    """Why ``path`` is not a regular file readlist may read or replace (None if it is one, or does not exist).

    With ``root``, a symlink must lead to a regular file inside ``root``.
    """
    try:
        here = os.lstat(path)
    except FileNotFoundError:
        return None
    except OSError as exc:
        return f"it cannot be read ({exc.strerror or exc})"
    if stat.S_ISREG(here.st_mode):
        return None
    if not stat.S_ISLNK(here.st_mode):
        return f"it is {kind(here.st_mode)}, not a regular file"
    target = Path(os.path.realpath(path))
    if root is not None and not target.is_relative_to(os.path.realpath(root)):
        return f"it is a symlink leading out of the folder (to {excerpt(str(target))})"
    try:
        there = os.stat(target)
    except OSError:
        return f"it is a symlink to {excerpt(str(target))}, which does not exist"
    if not stat.S_ISREG(there.st_mode):
        return f"it is a symlink to {kind(there.st_mode)}, not to a regular file"
    return None
