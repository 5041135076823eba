"""Which papers an export holds, and in what order."""

from __future__ import annotations

import re
from collections.abc import Iterable

from readlist.core.errors import BadInput
from readlist.core.models import Paper, Status, normalize_tag


def parse_since(text: str) -> str:
    """A ``--since`` date as the ISO prefix it stands for: YYYY, YYYY-MM or YYYY-MM-DD."""
    value = text.strip()
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if not m or (m[2] and not 1 <= int(m[2]) <= 12) or (m[3] and not 1 <= int(m[3]) <= 31):
        raise BadInput(f"--since {text!r} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY")
    return value


def select_papers(
    papers: Iterable[Paper],
    *,
    status: Status | str | None = None,
    tag: str | None = None,
    since: str | None = None,
) -> list[Paper]:
    """Papers matching every given filter, in a stable order (newest added first, then id).

    ``since`` keeps papers added on or after that date (a YYYY, YYYY-MM or
    YYYY-MM-DD prefix). The order never depends on the order of the store.
    """
    wanted_status = Status.parse(status) if isinstance(status, str) else status
    wanted_tag = normalize_tag(tag) if tag else None
    floor = parse_since(since) if since else None
    chosen = [
        p
        for p in papers
        if (wanted_status is None or p.status == wanted_status.value)
        and (wanted_tag is None or wanted_tag in p.tags)
        and (floor is None or (p.added or "")[: len(floor)] >= floor)
    ]
    return stable_order(chosen)


def stable_order(papers: Iterable[Paper]) -> list[Paper]:
    """Newest added first; ids (unique) break ties, so the order is total."""
    by_id = sorted(papers, key=lambda p: p.id)
    return sorted(by_id, key=lambda p: p.added or "", reverse=True)
