"""What links exported files to the library: finding paper files, and their state.

A paper file's *state* is what `import markdown` may bring back: its notes,
tags and status. The export manifest keeps the state each file was written
with, so an import can tell an edit made in the file from a change made in
the library since the export (and never undo the latter).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from readlist.core.errors import BadInput
from readlist.core.models import Paper, Status, normalize_tag
from readlist.export.document import Document, DocumentError, parse_document

INDEX_NAME = "index.md"


def norm_notes(notes: str) -> str:
    """Notes as compared: line ends unified, trailing blank space ignored."""
    return notes.replace("\r\n", "\n").rstrip()


def notes_hash(notes: str) -> str:
    return hashlib.sha256(norm_notes(notes).encode("utf-8")).hexdigest()


def paper_state(paper: Paper) -> dict[str, Any]:
    """The state a file is exported with (kept in the manifest)."""
    return {"notes": notes_hash(paper.notes), "tags": list(paper.tags), "status": paper.status}


@dataclass
class Found:
    """A Markdown file in an export directory, read as a paper document (or not)."""

    path: Path
    rel: str
    data: bytes
    document: Document | None = None
    problem: str | None = None
    quick_id: str | None = None

    @property
    def paper_id(self) -> str | None:
        if self.quick_id is not None:
            return self.quick_id
        if self.document is None:
            return None
        value = self.document.meta.get("id")
        return value if isinstance(value, str) else None


def markdown_files(directory: Path) -> Iterator[tuple[Path, str]]:
    """Every .md file under ``directory`` except hidden ones and the top-level index, sorted."""
    found: list[tuple[str, Path]] = []
    for root, dirs, files in os.walk(directory):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            if name.startswith(".") or not name.lower().endswith(".md"):
                continue
            path = Path(root) / name
            rel = path.relative_to(directory).as_posix()
            if rel == INDEX_NAME:
                continue
            found.append((rel, path))
    for rel, path in sorted(found):
        yield path, rel


# The first line of front matter as readlist writes it: enough to know whose file it is.
_QUICK_ID = re.compile(rb"---\nid: (?:'((?:[^'\n]|'')*)'|([A-Za-z][\w./:-]*))\n")


def read_found(path: Path, rel: str, *, quick: bool = False) -> Found:
    """A file read as a paper document. ``quick``: only learn its id, when it is written as readlist writes it."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return Found(path, rel, b"", problem=f"cannot be read ({exc.strerror or exc})")
    if quick:
        m = _QUICK_ID.match(data)
        if m is not None:
            raw = m[1].replace(b"''", b"'") if m[1] is not None else m[2]
            with contextlib.suppress(UnicodeDecodeError):
                return Found(path, rel, data, quick_id=raw.decode("utf-8"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return Found(path, rel, data, problem="is not UTF-8 text")
    try:
        document = parse_document(text)
    except DocumentError as exc:
        return Found(path, rel, data, problem=str(exc))
    found = Found(path, rel, data, document=document)
    value = document.meta.get("id")
    if value is None:
        found.problem = "its front matter has no id"
    elif not isinstance(value, str):
        found.problem = f"its id {value!r} is not text (quote it: id: '{value}')"
    return found


def scan(directory: Path, *, quick: bool = False) -> list[Found]:
    return [read_found(path, rel, quick=quick) for path, rel in markdown_files(directory)]


def manifest_entry(manifest: dict[str, dict[str, Any]], rel: str, paper_id: str) -> dict[str, Any] | None:
    """What the last export wrote for this file: by its path, or by its id if the user moved it."""
    entry = manifest.get(rel)
    if entry is not None and entry.get("id") == paper_id:
        return entry
    if entry is not None and "id" in entry:
        return None
    same = [e for e in manifest.values() if e.get("id") == paper_id]
    return same[0] if len(same) == 1 else None


def file_tags(value: Any) -> list[str]:
    """Tags as a file gives them: a YAML list, or one string of words / comma-separated."""
    if value is None:
        items: list[Any] = []
    elif isinstance(value, str):
        items = value.replace(",", " ").split()
    elif isinstance(value, list):
        items = value
    else:
        raise BadInput(f"tags must be a list, not {value!r}")
    tags: list[str] = []
    for item in items:
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            raise BadInput(f"tag {item!r} is not a word")
        tag = normalize_tag(str(item))
        if tag not in tags:
            tags.append(tag)
    return tags


def file_status(value: Any) -> str:
    if not isinstance(value, str):
        raise BadInput(f"status {value!r} is not one of to-read, reading, read, dropped")
    return Status.parse(value).value
