"""Three-way merge of a paper's own fields, with one conflict policy for every place that needs it.

Two edits of the same paper can meet: the TUI's notes editor and a
``readlist note --append`` in another terminal, or a Markdown file edited in a
vault and the library changed since the export. Each merge knows three
values: ``base`` (what both sides started from), ``mine`` (the edit being
saved) and ``theirs`` (what the library holds now). The policy:

* A side that left the field as it was takes the other side's value; two
  sides that made the same change agree.
* **Tags** merge as sets: the additions and the removals of both sides apply.
  They never conflict.
* **Notes**: a passage one side only appended to ``base`` is kept after the
  other side's text (both sides appending keeps both passages). When both
  sides rewrote the notes it is a conflict, and nothing is lost: the saved
  text comes first, then :data:`CONFLICT_MARKER`, then the library's text.
* **Status** and other single values: in a conflict the edit being saved wins
  (it is the newer decision), and the library's value is named in the report.

Every conflict is reported to the user; none is resolved silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

T = TypeVar("T")

CONFLICT_MARKER = "<!-- readlist: the notes below were changed elsewhere at the same time; both are kept -->"


@dataclass(frozen=True)
class Merged(Generic[T]):
    value: T
    conflict: bool = False
    """Both sides changed the value differently (see the module doc for what was kept)."""


def merge_value(base: T, mine: T, theirs: T) -> Merged[T]:
    """A single value (a status): one side's change, or a conflict the saved edit wins."""
    if mine == theirs or theirs == base:
        return Merged(mine)
    if mine == base:
        return Merged(theirs)
    return Merged(mine, conflict=True)


def merge_tags(base: Sequence[str], mine: Sequence[str], theirs: Sequence[str]) -> Merged[list[str]]:
    """Both sides' additions and removals, in the library's order then the new ones."""
    removed = (set(base) - set(mine)) | (set(base) - set(theirs))
    merged = [t for t in theirs if t not in removed]
    merged += [t for t in mine if t not in removed and t not in merged]
    return Merged(merged)


def merge_notes(base: str, mine: str, theirs: str) -> Merged[str]:
    """Notes: appends on both sides are kept; any other double change keeps both texts."""
    if _same(mine, theirs) or _same(theirs, base):
        return Merged(mine)
    if _same(mine, base):
        return Merged(theirs)
    core = base.rstrip()
    mine_appended, theirs_appended = mine.startswith(core), theirs.startswith(core)
    if mine_appended and theirs_appended:
        added = [text[len(core) :].strip("\n") for text in (mine, theirs)]
        return Merged(_joined(core, *added))
    if theirs_appended:  # the other side only added a passage: it follows the edit
        return Merged(_joined(mine.rstrip(), theirs[len(core) :].strip("\n")))
    if mine_appended:
        return Merged(_joined(theirs.rstrip(), mine[len(core) :].strip("\n")))
    return Merged(f"{mine.rstrip()}\n\n{CONFLICT_MARKER}\n\n{theirs.strip()}", conflict=True)


def _joined(*parts: str) -> str:
    return "\n\n".join(p for p in parts if p)


def _same(a: str, b: str) -> bool:
    """Notes equal but for trailing whitespace (editors add and drop final newlines)."""
    return a.rstrip() == b.rstrip()
