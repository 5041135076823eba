"""What a parser reads from a selection: its picks and its month (a key of :class:`readlist.core.month.Month`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class RawPick:
    """One pick as the selection states it, before it is looked up on arXiv."""

    rank: int
    title: str = ""
    authors: list[str] = field(default_factory=list)
    blurb: str = ""
    links: list[dict[str, str]] = field(default_factory=list)  # {"label": ..., "url": ...}
    arxiv_id: str | None = None  # from an arXiv link or id in the selection
    doi: str | None = None
    url: str | None = None  # the pick's own link (its title link), if any
    metadata: dict[str, Any] | None = None  # arXiv metadata, once resolved
    week: str | None = None  # the first day (ISO) of the curator's week, for weekly lists
    week_label: str = ""  # "June 3–9, 2024"
    number: int | None = None  # the curator's own number for the pick ("4)" in its week)
    search: bool = True  # look the pick up on arXiv by title when it links no arXiv page
    upvotes: int | None = None  # Hugging Face daily papers: the paper's upvotes


@dataclass
class Selection:
    """One source's picks for one month."""

    source: str
    month: str | None  # its key, YYYY-MM (Month.key)
    picks: list[RawPick] = field(default_factory=list)
    title: str = ""
    url: str | None = None  # the page the selection was read from
    format: str = ""
    warnings: list[str] = field(default_factory=list)  # what the parser could not read, to tell the user


def in_month(selections: list[Selection], month: str) -> list[Selection]:
    """The selections of one month (its key, ``2021-01``) that hold picks."""
    return [s for s in selections if s.month == month and s.picks]


def months_held(selections: list[Selection]) -> list[str]:
    """The months (keys, oldest first) a document's selections hold picks for."""
    return sorted({s.month for s in selections if s.month and s.picks})
