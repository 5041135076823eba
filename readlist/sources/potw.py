"""dair-ai's "ML Papers of the Week": weekly tables in one Markdown file per year, grouped into months.

Each week is a heading "Top ML Papers of the Week (January 30 - February 5)"
followed by a table whose rows read "1) **Name** - what it does | [Paper](arxiv
URL), [Tweet](...)". A week belongs to the month holding most of its days.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from readlist.sources import generic
from readlist.sources.blocks import Block
from readlist.sources.model import MONTHS, Selection, month_of

SOURCE = "papers-of-the-week"
_WEEK = re.compile(r"papers of the week\s*\((?P<range>[^)]*)\)", re.IGNORECASE)
_DAY = re.compile(r"(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?(?:,?\s*(?P<year>(?:19|20)\d\d))?")


def looks_like_weeks(blocks: Sequence[Block]) -> bool:
    return any(_WEEK.search(b.text) for b in blocks if b.kind in ("h", "p"))


def week_range(text: str, year: int) -> tuple[date, date] | None:
    """The first and last day of "January 30 - February 5" (or "Jan 1-8", "Dec 25, 2023 - Dec 31, 2023")."""
    parts = re.split(r"\s*(?:-|–|—|to)\s*", text.strip(), maxsplit=1)
    start_m = _DAY.match(parts[0])
    if not start_m or start_m["month"].lower().rstrip(".") not in MONTHS:
        return None
    start_month = MONTHS[start_m["month"].lower()]
    start_year = int(start_m["year"]) if start_m["year"] else year
    start = date(start_year, start_month, int(start_m["day"]))
    end = start + timedelta(days=6)
    if len(parts) > 1:
        end_m = _DAY.match(parts[1])
        if end_m and end_m["month"].lower() in MONTHS:
            end_year = int(end_m["year"]) if end_m["year"] else start_year
            end_month = MONTHS[end_m["month"].lower()]
            if end_month < start_month and not end_m["year"]:
                end_year += 1
            end = date(end_year, end_month, int(end_m["day"]))
        elif re.fullmatch(r"\d{1,2}(,?\s*\d{4})?", parts[1].strip()):
            day = int(re.match(r"\d+", parts[1].strip()).group(0))  # type: ignore[union-attr]
            end = date(start.year, start.month, day) if day >= start.day else start + timedelta(days=6)
    return start, end


def parse(blocks: Sequence[Block], *, year: int, url: str | None = None) -> list[Selection]:
    """One selection per month, its picks ranked in week order."""
    by_month: dict[str, Selection] = {}
    current: str | None = None
    section_year = year
    for block in blocks:
        if block.kind == "h":
            m = re.fullmatch(r"\D*((?:19|20)\d\d)\D*", block.text)
            if m and not _WEEK.search(block.text):
                section_year = int(m.group(1))
        week = _WEEK.search(block.text) if block.kind in ("h", "p") else None
        if week:
            found = week_range(week["range"], section_year)
            if found is None:
                current = None
                continue
            start, end = found
            middle = start + (end - start) / 2
            current = month_of(middle)
            by_month.setdefault(
                current,
                Selection(SOURCE, current, [], title="ML Papers of the Week", url=url, format="papers-of-the-week"),
            )
            continue
        if current is None or block.kind not in ("row", "li", "p"):
            continue
        selection = by_month[current]
        pick = generic.pick_from(block, len(selection.picks) + 1)
        if pick is None or any(p.arxiv_id == pick.arxiv_id for p in selection.picks):
            continue
        pick.rank = len(selection.picks) + 1
        selection.picks.append(pick)
    return [s for _, s in sorted(by_month.items()) if s.picks]
