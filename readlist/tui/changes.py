"""Writes the TUI makes, and their undo: each change keeps what it replaced.

Plain Python (no Textual): the screen runs these functions in a worker thread.
Every write goes through :class:`~readlist.core.library.Library` (one store
transaction each), so nothing another process wrote meanwhile is lost.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from readlist.core.library import Library
from readlist.core.models import Paper, Status, normalize_tag
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


def _copy(paper: Paper) -> Paper:
    return Paper.from_dict(paper.to_dict())


def edit_paper(library: Library, paper_id: str, label: str, edit: Callable[[Paper], None]) -> Change:
    """Apply ``edit`` under the store's lock, remembering the paper as stored just before."""
    before: list[Paper] = []

    def wrapped(paper: Paper) -> None:
        before.append(_copy(paper))
        edit(paper)

    library.change(paper_id, wrapped)
    return Change(label, papers=[(paper_id, before[0])], focus=paper_id)


def set_status(library: Library, paper_id: str, status: Status) -> Change:
    return edit_paper(library, paper_id, f"status {status.value}", lambda p: p.set_status(status))


def set_tags(library: Library, paper_id: str, opened_with: list[str], tags: list[str]) -> Change:
    """Apply the tags the user added and removed since the dialog opened with ``opened_with``.

    A tag another process added or removed meanwhile stays added or removed.
    """
    clean = list(dict.fromkeys(normalize_tag(t) for t in tags))
    removed = set(opened_with) - set(clean)
    added = [t for t in clean if t not in opened_with]

    def edit(paper: Paper) -> None:
        kept = [t for t in paper.tags if t not in removed]
        paper.tags = kept + [t for t in added if t not in kept]

    return edit_paper(library, paper_id, "tags", edit)


def merge_notes(base: str, mine: str, theirs: str) -> str:
    """The notes to save when the editor opened ``base``, the user wrote ``mine``
    and the store now holds ``theirs``: nothing anyone wrote is dropped."""
    if theirs in (base, mine):
        return mine
    if mine == base:
        return theirs
    if theirs.startswith(base):  # appended elsewhere (`readlist note --append`)
        added = theirs[len(base) :].strip("\n")
        return mine.rstrip("\n") + "\n\n" + added + "\n" if added else mine
    return mine.rstrip("\n") + "\n\n<!-- changed elsewhere while you edited: -->\n\n" + theirs


def set_notes(library: Library, paper_id: str, base: str, notes: str) -> Change:
    """Save the editor's ``notes``, merging what another process wrote since it loaded ``base``."""

    def edit(paper: Paper) -> None:
        paper.notes = merge_notes(base, notes, paper.notes)

    return edit_paper(library, paper_id, "notes", edit)


def delete(library: Library, paper_id: str) -> Change:
    removed = library.remove([paper_id])
    return Change("delete", papers=[(paper_id, removed[0])], focus=paper_id)


def accept(library: Library, key: str) -> Change:
    table = Suggestions(library)
    with library.transaction():
        before = table.find(key)
        paper_before = library.get(before.key)
        table.accept([key])
    return Change("accept", papers=[(before.key, paper_before)], suggestions=[before], focus=before.key)


def dismiss(library: Library, key: str) -> Change:
    table = Suggestions(library)
    with library.transaction():
        before = table.find(key)
        table.dismiss([key])
    return Change("dismiss", suggestions=[before], focus=before.key)


def added(papers_before: dict[str, Paper | None]) -> Change:
    """The undo of an add: papers that were new go, merged ones go back to how they were."""
    return Change("add", papers=list(papers_before.items()), focus=next(iter(papers_before), None))


def undo(library: Library, change: Change) -> None:
    """Put back everything ``change`` replaced, in one transaction."""
    table = Suggestions(library)
    with library.transaction() as tx:
        for paper_id, before in change.papers:
            if before is None:
                tx.remove_papers([paper_id])
            else:
                library.restore(before)
        for suggestion in change.suggestions:
            table.restore(suggestion)
