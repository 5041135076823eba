"""Writing export files safely, and the manifest of what an export wrote."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import secrets
from pathlib import Path
from typing import Any

from readlist.core.errors import ReadlistError

MANIFEST_NAME = ".readlist-export.json"


def write_atomic(path: Path, text: str, *, durable: bool = True) -> None:
    """Write UTF-8 text to a temp file beside ``path``, then replace it.

    A reader (Obsidian, a sync client) never sees half a file; a failure leaves
    the old file as it was. ``durable=False`` skips the fsync: for files that
    can be written again from the library (a paper's exported file is only
    ever replaced when it holds nothing the library lacks), where 10,000
    fsyncs would cost seconds.
    """
    data = text.encode("utf-8")
    tmp: Path | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # os.open with 0o666 lets the umask decide the mode, as for any file the user creates
        # (mkstemp would make notes readable by their owner only).
        tmp = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise ReadlistError(f"cannot write {path}: {exc.strerror or exc}") from None
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_manifest(directory: Path) -> dict[str, dict[str, Any]]:
    """File name -> what the last export wrote there ({} if there is no usable manifest)."""
    try:
        data = json.loads((directory / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError):
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
