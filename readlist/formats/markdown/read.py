"""`import markdown`: notes, tags and status edited in exported files come back.

Nothing else a file says (title, authors, dates...) is imported. Each file is
matched by the ``id`` in its front matter, never by its name or by guessing;
files that cannot be matched are reported and skipped.

When the directory has an export manifest, the import is a three-way merge per
field with readlist's one policy (:mod:`readlist.core.merge`): a field the file
did not change since the export keeps the library's value (even if the library
changed meanwhile); a field changed in the file while the library kept the
exported value takes the file's; tags changed on both sides combine; notes
appended to on both sides keep both additions, and notes rewritten on both
sides keep both texts (the library's below a marker line); a status changed on
both sides takes the file's. Every such conflict is reported. Without a
manifest the file's values win.

Only regular files are read (a FIFO, a device, a symlink leading out of the
folder is named and skipped), each within ``max_document_mb``; front matter
is read without YAML aliases; notes come in without control characters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readlist.core.clean import clean_text
from readlist.core.errors import BadInput, ReadlistError
from readlist.core.library import Library
from readlist.core.merge import merge_notes, merge_tags, merge_value
from readlist.core.models import Paper, Status, now_iso
from readlist.formats.files import read_manifest, sha256, write_manifest
from readlist.formats.markdown.sync import (
    Found,
    file_status,
    file_tags,
    manifest_entry,
    norm_notes,
    notes_hash,
    paper_state,
    scan,
)


@dataclass
class FileChange:
    rel: str
    paper_id: str
    notes: str | None = None
    tags: list[str] | None = None
    status: str | None = None
    conflicts: list[str] = field(default_factory=list)
    """Fields changed both in the file and in the library since the export (merged, never lost: readlist.core.merge)."""

    @property
    def fields(self) -> list[str]:
        return [name for name in ("notes", "tags", "status") if getattr(self, name) is not None]


@dataclass
class MarkdownImportReport:
    updated: list[FileChange] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)
    matched: int = 0


def import_markdown(library: Library, directory: Path, *, dry_run: bool = False) -> MarkdownImportReport:
    """Apply the edits found in ``directory`` in one store transaction; report the rest."""
    if not directory.is_dir():
        raise BadInput(f"{directory} is not a directory (give the folder `readlist export markdown --out` wrote)")
    found = scan(directory, limit=library.settings.max_document_bytes)
    if not found:
        raise ReadlistError(f"{directory} holds no Markdown files to import")
    manifest = read_manifest(directory)
    report = MarkdownImportReport()
    by_id: dict[str, list[Found]] = {}
    for item in found:
        if item.problem is not None:
            report.problems.append((item.rel, item.problem))
        else:
            by_id.setdefault(item.paper_id or "", []).append(item)

    if dry_run:
        _plan(library, by_id, manifest, report)
        return report
    state: dict[str, Any] = {}

    def edit(papers: Mapping[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
        state["matched"] = _plan(library, by_id, manifest, report)
        # Read under the lock: the plan was made from these very records.
        records = dict(papers)
        when = now_iso()
        edited: dict[str, dict[str, Any]] = {}
        for change in report.updated:
            paper = Paper.from_dict(records[change.paper_id])
            _apply(paper, change)
            paper.modified = when
            edited[paper.id] = paper.to_dict()
        state["records"] = {**records, **edited}
        return edited  # one table update, however many files changed

    library.apply_edits(edit)
    matched, records = state["matched"], state["records"]
    if manifest:
        _update_manifest(directory, manifest, matched, records)
    return report


def _plan(
    library: Library, by_id: dict[str, list[Found]], manifest: dict[str, dict[str, Any]], report: MarkdownImportReport
) -> list[Found]:
    """Fill ``report`` with the changes and problems; return the files matched to a paper."""
    records = library.snapshot().papers
    matched: list[Found] = []
    for paper_id in sorted(by_id):
        items = by_id[paper_id]
        if len(items) > 1:
            others = ", ".join(i.rel for i in items)
            for item in items:
                report.problems.append((item.rel, f"several files claim id {paper_id} ({others}); keep one"))
            continue
        item = items[0]
        record = records.get(paper_id)
        if record is None:
            report.problems.append((item.rel, f"id {paper_id} is not in your library"))
            continue
        report.matched += 1
        paper = Paper.from_dict(record)
        base = manifest_entry(manifest, item.rel, paper_id)
        if base is not None and base.get("sha256") == sha256(item.data):
            matched.append(item)  # untouched since the export
            continue
        try:
            change = _diff(item, paper, base)
        except BadInput as exc:
            report.problems.append((item.rel, str(exc)))
            continue
        matched.append(item)
        if change.fields:
            report.updated.append(change)
    return matched


def _diff(item: Found, paper: Paper, base: dict[str, Any] | None) -> FileChange:
    """What the file changes, merged with what the library changed since the export (readlist.core.merge).

    ``base`` is the manifest's record of the file as exported; without one
    the file's values win. The file is the edit being saved ("mine"), the
    library what is stored now ("theirs").
    """
    assert item.document is not None
    meta = item.document.meta
    change = FileChange(item.rel, paper.id)
    file_notes = clean_text(item.document.notes).rstrip()
    if norm_notes(file_notes) != norm_notes(paper.notes):
        if base is None:
            change.notes = file_notes
        elif notes_hash(file_notes) != base.get("notes"):  # the file's notes changed since the export
            merged = merge_notes(_base_notes(base, paper.notes), file_notes, paper.notes)
            if norm_notes(merged.value) != norm_notes(paper.notes):
                change.notes = merged.value
            if merged.conflict:
                change.conflicts.append(
                    "its notes and the library's both changed since the export: both are kept, the library's "
                    "below a marker line; review the note"
                )
    if "tags" in meta:
        tags = file_tags(meta["tags"])
        if tags != paper.tags:
            merged_tags = tags if base is None else merge_tags(base.get("tags") or [], tags, paper.tags).value
            if merged_tags != paper.tags:
                change.tags = merged_tags
    if "status" in meta:
        status = file_status(meta["status"])
        if status != paper.status:
            merged_status = merge_value(base.get("status") if base else paper.status, status, paper.status)
            if base is None or merged_status.value != paper.status:
                change.status = status if base is None else merged_status.value
            if merged_status.conflict:
                change.conflicts.append(
                    f"its status ({status}) and the library's ({paper.status}) both changed since the export: "
                    "the file's is kept"
                )
    return change


def _base_notes(base: dict[str, Any], library_notes: str) -> str:
    """The notes as exported: kept in the manifest since this version; older manifests keep only their hash."""
    text = base.get("notes_text")
    if isinstance(text, str):
        return text
    # An older manifest: if the library still holds what was exported, that is the base; else it is unknown,
    # and any change on both sides is a conflict (both texts kept).
    return library_notes if notes_hash(library_notes) == base.get("notes") else "\0unknown"


def _apply(paper: Paper, change: FileChange) -> None:
    if change.notes is not None:
        paper.notes = change.notes
    if change.tags is not None:
        paper.tags = list(change.tags)
    if change.status is not None:
        paper.set_status(Status(change.status))


def _update_manifest(
    directory: Path, manifest: dict[str, dict[str, Any]], matched: list[Found], records: dict[str, dict[str, Any]]
) -> None:
    """The files just imported are in step with the library now: record that as their base."""
    files = dict(manifest)
    for item in matched:
        record = records.get(item.paper_id or "")
        if record is not None:
            paper = Paper.from_dict(record)
            files[item.rel] = {"sha256": sha256(item.data), "id": paper.id, **paper_state(paper)}
    if files != manifest:
        write_manifest(directory, files)
