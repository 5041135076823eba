"""Files named by a bibliography's entries, linked in place as attachments.

JabRef writes ``file = {description:path:type}`` (``\\:`` and ``\\\\`` escape a colon and a backslash),
Mendeley ``{:path:pdf}``, Zotero's Better BibTeX a bare ``{path}``; several files are joined by ``;``.
CSL JSON items may carry the same text in a ``file`` field. Each local path is resolved against the
folder of the file being imported; a file that is there becomes an attachment *linked in place* (never
copied: only `readlist attach` copies into ``files/``), one that is not is reported, and URLs are left
to the field. The field's text itself stays in the entry as written, so an export gives it back unchanged.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from readlist.core.attachments.extract import file_hash
from readlist.core.attachments.folder import file_kind
from readlist.core.clean import clean_line
from readlist.core.errors import ReadlistError
from readlist.core.models import now_iso

_URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
MAX_FILES = 50
"""File names read from one field at most (a field of thousands of names is cut there)."""


def _split(text: str, sep: str) -> list[str]:
    """``text`` split at each ``sep`` not escaped by a backslash (escapes kept for the next split)."""
    parts, current, i = [], [], 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            current.append(text[i : i + 2])
            i += 2
            continue
        if char == sep:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
        i += 1
    parts.append("".join(current))
    return parts


def _unescape(text: str) -> str:
    return re.sub(r"\\([\\:;])", r"\1", text)


def paths_in(field: str) -> list[str]:
    """The paths (or URLs) a ``file`` field names, as written, unescaped; empty ones left out."""
    out: list[str] = []
    for part in _split(field.strip(), ";")[:MAX_FILES]:
        pieces = _split(part, ":")
        # JabRef / Mendeley: description:path:type; Better BibTeX: a bare path (C:\... included)
        path = ":".join(pieces[1:-1]) if len(pieces) >= 3 else part
        path = _unescape(path).strip()
        if path:
            out.append(path)
    return out


def linked_files(field: str | None, base: Path, limit: int) -> tuple[list[dict[str, Any]], list[str]]:
    """Attachments for the local files a ``file`` field names (resolved against ``base``), and the paths
    named that are not there (or not regular files)."""
    if not field:
        return [], []
    found: list[dict[str, Any]] = []
    missing: list[str] = []
    for written in paths_in(field):
        if _URL.match(written):
            continue
        path = Path(os.path.expanduser(written))
        path = path if path.is_absolute() else base / path
        try:
            if not path.is_file():
                missing.append(written)
                continue
            with open(path, "rb") as handle:  # a regular file: opening it never blocks
                head = handle.read(1024)
            kind = file_kind(path.name, head)
            sha, size = file_hash(path, limit) if kind == "pdf" else (None, path.stat().st_size)
        except (OSError, ReadlistError):
            missing.append(written)
            continue
        entry: dict[str, Any] = {
            "path": os.path.realpath(path), "kind": kind, "size": size, "pages": None, "added": now_iso(),
            "linked": True, "as_written": clean_line(written),
        }  # fmt: skip
        if sha is not None:
            entry["sha256"] = sha
        found.append(entry)
    return found, missing
