"""`import markdown`: notes, tags and status edited in exported files come back.

Nothing else a file says (title, authors, dates...) is imported. Each file is
matched by the ``id`` in its front matter, never by its name or by guessing;
files that cannot be matched are reported and skipped.

When the directory has an export manifest, the import is a three-way merge per
field: a field the file did not change since the export keeps the library's
value (even if the library changed meanwhile); a field changed in the file
while the library kept the exported value takes the file's; a field changed on
both sides to different values is a conflict, and that file is skipped.
Without a manifest the file's values win.

Only regular files are read (a FIFO, a device, a symlink leading out of the
folder is named and skipped), each within ``max_document_mb``; front matter
is read without YAML aliases; notes come in without control characters.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readlist.core.clean import clean_text
from readlist.core.errors import BadInput, ReadlistError
from readlist.core.library import Library
from readlist.core.models import Paper, Status, now_iso
from readlist.export.files import read_manifest, sha256, write_manifest
from readlist.export.sync import (
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
    with library.transaction() as tx:
        matched = _plan(library, by_id, manifest, report)
        # Read under the lock: the plan was made from these very records.
        records = dict(tx.papers)
        when = now_iso()
        edited: dict[str, dict[str, Any]] = {}
        for change in report.updated:
            paper = Paper.from_dict(records[change.paper_id])
            _apply(paper, change)
            paper.modified = when
            edited[paper.id] = paper.to_dict()
        if edited:
            tx.put_papers(edited)  # one table update, however many files changed
        records = {**records, **edited}
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
        except _Conflict as exc:
            report.problems.append((item.rel, str(exc)))
            continue
        matched.append(item)
        if change.fields:
            report.updated.append(change)
    return matched


class _Conflict(Exception):
    pass


def _diff(item: Found, paper: Paper, base: dict[str, Any] | None) -> FileChange:
    assert item.document is not None
    meta = item.document.meta
    change = FileChange(item.rel, paper.id)
    theirs_notes = item.document.notes
    if norm_notes(theirs_notes) != norm_notes(paper.notes):
        mine_changed = base is not None and notes_hash(paper.notes) != base.get("notes")
        file_changed = base is None or notes_hash(theirs_notes) != base.get("notes")
        if file_changed and mine_changed:
            raise _Conflict(
                "its notes and the library's notes both changed since the export; to resolve it, make them the "
                f"same: put the merged text in this file and in the library (`readlist note {paper.id}`), "
                "then import again (or export again with --force to take the library's)"
            )
        if file_changed:
            change.notes = clean_text(theirs_notes).rstrip()
    if "tags" in meta:
        tags = file_tags(meta["tags"])
        if tags != paper.tags:
            mine_changed = base is not None and paper.tags != base.get("tags")
            file_changed = base is None or tags != base.get("tags")
            if file_changed and mine_changed:
                raise _Conflict(
                    "its tags and the library's tags both changed since the export; to resolve it, give the file "
                    f"the tags `readlist show {paper.id}` lists, or the library the file's (`readlist tag`), "
                    "then import again"
                )
            if file_changed:
                change.tags = tags
    if "status" in meta:
        status = file_status(meta["status"])
        if status != paper.status:
            mine_changed = base is not None and paper.status != base.get("status")
            file_changed = base is None or status != base.get("status")
            if file_changed and mine_changed:
                raise _Conflict(
                    "its status and the library's status both changed since the export; to resolve it, give the "
                    f"file the status `readlist show {paper.id}` shows, or the library the file's "
                    f"(`readlist status {paper.id} STATUS`), then import again"
                )
            if file_changed:
                change.status = status
    return change


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
