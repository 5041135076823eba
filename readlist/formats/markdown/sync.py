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

from readlist.core.clean import clean_line, clean_text, excerpt
from readlist.core.errors import BadInput
from readlist.core.files import NotRegularFile, read_regular
from readlist.core.models import MAX_TAGS, Paper, Status, normalize_tag
from readlist.formats.files import special_file
from readlist.formats.markdown.document import Document, DocumentError, parse_document

INDEX_NAME = "index.md"


def norm_notes(notes: str) -> str:
    """Notes as compared: as exported (no control characters, line ends unified), trailing blank space ignored."""
    return clean_text(notes).rstrip()


def notes_hash(notes: str) -> str:
    return hashlib.sha256(norm_notes(notes).encode("utf-8")).hexdigest()


def paper_state(paper: Paper) -> dict[str, Any]:
    """The state a file is exported with (kept in the manifest)."""
    notes = norm_notes(paper.notes)
    return {"notes": notes_hash(paper.notes), "notes_text": notes, "tags": list(paper.tags), "status": paper.status}


DOCUMENT_LIMIT = 20_000_000
"""Largest paper file read when the caller has no settings at hand (``max_document_mb``'s default)."""


@dataclass
class Found:
    """A Markdown file in an export directory, read as a paper document (or not).

    ``special`` marks a file readlist neither reads nor replaces: not a regular
    file (a FIFO, a device, a socket) or a symlink leading out of the folder.
    """

    path: Path
    rel: str
    data: bytes
    document: Document | None = None
    problem: str | None = None
    quick_id: str | None = None
    special: bool = False

    @property
    def paper_id(self) -> str | None:
        if self.quick_id is not None:
            return self.quick_id
        if self.document is None:
            return None
        value = self.document.meta.get("id")
        return value if isinstance(value, str) else None


def markdown_files(directory: Path) -> Iterator[tuple[Path, str]]:
    """Every .md entry under ``directory`` except hidden ones and the top-level index, sorted.

    Symlinked folders are not entered; entries that are not regular files are
    listed too (:func:`read_found` names them and skips them).
    """
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


def read_found(
    path: Path, rel: str, *, quick: bool = False, root: Path | None = None, limit: int = DOCUMENT_LIMIT
) -> Found:
    """A file read as a paper document. ``quick``: only learn its id, when it is written as readlist writes it.

    Only a regular file (or a symlink to one inside ``root``, the folder
    scanned) of at most ``limit`` bytes is read: a FIFO, a device or a link
    out of the folder comes back ``special``, with the reason as its problem.
    """
    special = special_file(path, root if root is not None else path.parent)
    if special is not None:
        return Found(path, rel, b"", problem=special, special=True)
    try:
        data = read_regular(Path(os.path.realpath(path)), limit, shown=rel, follow=False)
    except NotRegularFile as exc:
        return Found(path, rel, b"", problem=_reason(str(exc), rel), special="not a regular file" in str(exc))
    if quick:
        m = _QUICK_ID.match(data)
        if m is not None:
            raw = m[1].replace(b"''", b"'") if m[1] is not None else m[2]
            with contextlib.suppress(UnicodeDecodeError):
                return Found(path, rel, data, quick_id=raw.decode("utf-8"))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return Found(path, rel, data, problem="it is not UTF-8 text")
    try:
        document = parse_document(text)
    except DocumentError as exc:
        return Found(path, rel, data, problem=str(exc))
    found = Found(path, rel, data, document=document)
    value = document.meta.get("id")
    if value is None:
        found.problem = "its front matter has no id"
    elif not isinstance(value, str):
        found.problem = f"its id {excerpt(value)} is not text (quote it: id: '...')"
    return found


def _reason(message: str, rel: str) -> str:
    """A read error about ``rel`` as the reason in "REL: REASON; skipped"."""
    for shown in (repr(rel), excerpt(rel)):
        if message.startswith(shown + " "):
            return "it " + message[len(shown) + 1 :]
    return message


def scan(directory: Path, *, quick: bool = False, limit: int = DOCUMENT_LIMIT) -> list[Found]:
    """Every Markdown file of the folder, read; a symlink to a file the scan meets anyway is left out."""
    entries = list(markdown_files(directory))
    files = {os.path.realpath(path) for path, _ in entries if not path.is_symlink()}
    return [
        read_found(path, rel, quick=quick, root=directory, limit=limit)
        for path, rel in entries
        if not (path.is_symlink() and os.path.realpath(path) in files)
    ]


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
        raise BadInput(f"tags must be a list, not {excerpt(value)}")
    if len(items) > 10 * MAX_TAGS:
        raise BadInput(f"{len(items):,} tags: a paper holds at most {MAX_TAGS:,}")
    tags: list[str] = []
    seen: set[str] = set()
    for item in items:
        if not isinstance(item, str | int | float) or isinstance(item, bool):
            raise BadInput(f"tag {excerpt(item)} is not a word")
        try:
            tag = normalize_tag(clean_line(str(item)))
        except BadInput:
            raise BadInput(f"tag {excerpt(item)} is empty once trimmed") from None
        if tag not in seen:
            seen.add(tag)
            tags.append(tag)
    if len(tags) > MAX_TAGS:
        raise BadInput(f"{len(tags):,} tags: a paper holds at most {MAX_TAGS:,}")
    return tags


def file_status(value: Any) -> str:
    if not isinstance(value, str):
        raise BadInput(f"status {excerpt(value)} is not one of to-read, reading, read, dropped")
    try:
        return Status.parse(value).value
    except BadInput:
        raise BadInput(f"unknown status {excerpt(value)}: use one of to-read, reading, read, dropped") from None
