"""What a parser reads from a selection: its picks, its month, and month arithmetic."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from readlist.core.errors import BadInput

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
MONTH_YEAR = re.compile(rf"\b({_MONTH_NAMES})\.?,?\s+((?:19|20)\d\d)\b", re.IGNORECASE)


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
    month: str | None  # YYYY-MM
    picks: list[RawPick] = field(default_factory=list)
    title: str = ""
    url: str | None = None  # the page the selection was read from
    format: str = ""
    warnings: list[str] = field(default_factory=list)  # what the parser could not read, to tell the user


def parse_month(text: str) -> str:
    """``2021-01``, ``2021/1``, ``January 2021`` or ``Jan 2021`` as ``YYYY-MM``; BadInput otherwise."""
    value = text.strip()
    m = re.fullmatch(r"((?:19|20)\d\d)[-/.](\d{1,2})", value)
    if m and 1 <= int(m[2]) <= 12:
        return f"{m[1]}-{int(m[2]):02d}"
    m = MONTH_YEAR.fullmatch(value)
    if m:
        return f"{m[2]}-{MONTHS[m[1].lower()]:02d}"
    raise BadInput(f"{text!r} is not a month: use YYYY-MM, e.g. 2021-01")


def month_in(text: str) -> str | None:
    """The first "January 2021" named in a text, as YYYY-MM."""
    m = MONTH_YEAR.search(text)
    return f"{m[2]}-{MONTHS[m[1].lower()]:02d}" if m else None


def month_of(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def month_range(month: str) -> tuple[date, date]:
    """The first and last day of a YYYY-MM month."""
    year, mon = int(month[:4]), int(month[5:7])
    return date(year, mon, 1), date(year, mon, calendar.monthrange(year, mon)[1])


def next_month(month: str) -> str:
    year, mon = int(month[:4]), int(month[5:7])
    return f"{year + mon // 12}-{mon % 12 + 1:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every month from first to last, inclusive."""
    out = []
    current = first
    while current <= last:
        out.append(current)
        current = next_month(current)
    return out


def month_label(month: str) -> str:
    """``2021-01`` as ``January 2021``."""
    try:
        return f"{calendar.month_name[int(month[5:7])]} {month[:4]}"
    except (ValueError, IndexError):
        return month
