"""The library's tags: counted, and renamed or merged everywhere at once.

Used by `readlist tags`, `readlist tag --rename OLD NEW` and the TUI's tags view.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from readlist.core.errors import BadInput, NotFound
from readlist.core.models import normalize_tag, now_iso

if TYPE_CHECKING:
    from readlist.core.library import Library


def tag_counts(records: Iterable[Mapping[str, Any]]) -> list[tuple[str, int]]:
    """(tag, number of papers) for every tag, most used first, then by name."""
    counts: dict[str, int] = {}
    for record in records:
        for tag in record.get("tags") or ():
            counts[tag] = counts.get(tag, 0) + 1
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))


def renamed(tags: Iterable[str], old: str, new: str) -> list[str]:
    """``tags`` with ``old`` replaced by ``new`` in its place, once (merging when both were there)."""
    out: list[str] = []
    for tag in tags:
        tag = new if tag == old else tag
        if tag not in out:
            out.append(tag)
    return out


def rename_tag(library: Library, old: str, new: str) -> dict[str, dict[str, Any]]:
    """Rename tag ``old`` to ``new`` on every paper, in one transaction.

    When some papers already carry ``new``, the two tags merge. Returns the
    records as they were before, by id (what an undo puts back). NotFound when
    no paper carries ``old``; BadInput for an empty tag.
    """
    old_tag, new_tag = normalize_tag(old), normalize_tag(new)
    if old_tag == new_tag:
        raise BadInput(f"the tag is already called {new_tag!r}")
    with library._transaction() as tx:
        before = {pid: r for pid, r in tx.papers.items() if old_tag in (r.get("tags") or ())}
        if not before:
            raise NotFound(f"no paper is tagged {old_tag!r} (see `readlist tags`)")
        when = now_iso()
        tx.put_papers(
            {pid: {**r, "tags": renamed(r.get("tags") or (), old_tag, new_tag), "modified": when}
             for pid, r in before.items()}
        )  # fmt: skip
    return before
