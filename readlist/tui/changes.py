"""Writes the TUI makes, and their undo: each change keeps what it replaced.

Plain Python (no Textual): the screen runs these functions in a worker thread.
Every write is one named operation of :class:`~readlist.core.library.Library`
or :class:`~readlist.core.suggestions.Suggestions` (one store transaction
each), which keeps what it replaced in a :class:`~readlist.core.library.Before`,
so nothing another process wrote meanwhile is lost.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from readlist.core.library import Before, Library
from readlist.core.merge import merge_notes, merge_tags
from readlist.core.models import Paper, Status, normalize_tags
from readlist.core.suggestions import Suggestion, Suggestions

UNDO_DEPTH = 200


@dataclass
class Change:
    """What a write replaced: papers as they were (None: it did not exist) and suggestions."""

    label: str
    papers: list[tuple[str, Paper | None]] = field(default_factory=list)
    suggestions: list[Suggestion] = field(default_factory=list)
    focus: str | None = None
    """The paper (or suggestion key) to put the cursor on afterwards."""
    report: str | None = None
    """Something the user should know (a conflict merged by keeping both texts)."""


Job = Callable[[], "Change | None"]
"""A write the screen queues (run in a thread)."""


class UndoStack:
    def __init__(self, depth: int = UNDO_DEPTH) -> None:
        self.depth = depth
        self._items: list[Change] = []

    def push(self, change: Change) -> None:
        self._items.append(change)
        del self._items[: -self.depth]

    def pop(self) -> Change | None:
        return self._items.pop() if self._items else None

    def __len__(self) -> int:
        return len(self._items)


def edit_papers(library: Library, paper_ids: Iterable[str], label: str, edit: Callable[[Paper], None]) -> Change:
    """Apply ``edit`` to each paper in one transaction, remembering each as stored just before."""
    ids = list(dict.fromkeys(paper_ids))
    before = Before()
    library.change_many(ids, edit, before=before)
    return Change(label, papers=[(i, before.papers[i]) for i in ids], focus=ids[0] if len(ids) == 1 else None)


def set_status(library: Library, paper_ids: Iterable[str], status: Status) -> Change:
    return edit_papers(library, paper_ids, f"status {status.value}", lambda p: p.set_status(status))


def set_tags(library: Library, paper_ids: Iterable[str], opened_with: list[str], tags: list[str]) -> Change:
    """Apply the tags the user added and removed since the dialog opened with ``opened_with``.

    The three-way merge of readlist.core.merge: a tag another process added or
    removed meanwhile stays added or removed; so does a tag only some of several
    papers carried (it was not in ``opened_with``).
    """
    clean = normalize_tags(tags)

    def edit(paper: Paper) -> None:
        paper.tags = merge_tags(opened_with, clean, paper.tags).value

    return edit_papers(library, paper_ids, "tags", edit)


def rename_tag(library: Library, old: str, new: str) -> Change:
    """Rename (or merge) a tag on every paper; the undo puts every paper back."""
    from readlist.core.tags import rename_tag as rename

    before = rename(library, old, new)
    return Change(f"tag {old} → {new}", papers=[(i, Paper.from_dict(dict(r))) for i, r in before.items()])


def set_notes(library: Library, paper_id: str, base: str, notes: str) -> Change:
    """Save the editor's ``notes``, merged (readlist.core.merge) with what another process wrote since ``base``."""
    conflict: list[bool] = []

    def edit(paper: Paper) -> None:
        merged = merge_notes(base, notes, paper.notes)
        paper.notes = merged.value
        conflict.append(merged.conflict)

    change = edit_papers(library, [paper_id], "notes", edit)
    if any(conflict):
        change.report = "The notes were changed elsewhere meanwhile: both texts are kept, yours first."
    return change


def edit_fields(library: Library, paper_id: str, fields: dict[str, object]) -> Change:
    """The reader's edits of a paper's fields (`readlist edit`), all or none; the undo puts the paper back."""
    before = Before()
    library.edit_fields(paper_id, fields, before=before)
    return Change("edit", papers=list(before.papers.items()), focus=paper_id)


def fetch_pdfs(library: Library, paper_ids: Sequence[str], progress: Callable[[int, int, str], None]) -> Change:
    """Download the arXiv PDFs of these papers at arXiv's pace (text read in a child process, never here).

    The undo takes the downloaded files off the papers, into ``files/.trash/``. A paper whose PDF could
    not be fetched is named in the change's report; the others keep theirs."""
    from readlist.core.attachments.download import PdfFetcher
    from readlist.core.errors import ReadlistError

    fetcher = PdfFetcher(library.settings)
    failures: list[str] = []
    before: list[tuple[str, Paper | None]] = []
    for done, paper_id in enumerate(paper_ids, 1):
        progress(done, len(paper_ids), paper_id)
        paper = library.get(paper_id)
        if paper is None:
            continue
        try:
            report = library.attach_pdf(paper_id, fetcher.fetch(paper))
        except ReadlistError as exc:
            failures.append(str(exc))
        else:
            before.append((paper_id, paper))
            failures += report.problems
    change = Change("fetch PDFs", papers=before, focus=before[0][0] if len(before) == 1 else None)
    if failures:
        change.report = f"{len(failures)} of {len(paper_ids)} PDFs not fetched: {failures[0]}"
    return change


def delete(library: Library, paper_ids: Iterable[str]) -> Change:
    removed = library.remove(list(paper_ids))
    return Change("delete", papers=[(p.id, p) for p in removed], focus=removed[0].id if len(removed) == 1 else None)


def accept(library: Library, key: str, tags: Sequence[str] = ()) -> Change:
    """Accept a suggestion into To read and give the paper ``tags`` (besides its source's), in one transaction:
    the undo takes the whole of it back."""
    before = Before()
    Suggestions(library).accept([key], {key: tags}, before=before)
    return _undoing("accept", before)


def dismiss(library: Library, key: str) -> Change:
    before = Before()
    Suggestions(library).dismiss([key], before=before)
    return _undoing("dismiss", before)


def _undoing(label: str, before: Before) -> Change:
    """The change an accept or a dismiss made, from what it replaced (one suggestion, and its paper)."""
    suggestions = [Suggestion.from_dict(r) for r in before.suggestions.values()]
    return Change(label, papers=list(before.papers.items()), suggestions=suggestions, focus=suggestions[0].key)


def added(papers_before: dict[str, Paper | None]) -> Change:
    """The undo of an add: papers that were new go, merged ones go back to how they were."""
    return Change("add", papers=list(papers_before.items()), focus=next(iter(papers_before), None))


def undo(library: Library, change: Change) -> None:
    """Put back everything ``change`` replaced, in one transaction."""
    Suggestions(library).restore(change.papers, change.suggestions)
