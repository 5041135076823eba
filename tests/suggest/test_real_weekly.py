"""The real "ML Papers of the Week" file, every month of it, against an independent reading of it.

The reading below is a few lines of its own (headings, table rows, ``[Paper](...)``
links), not the parser under test. For every month from 2023-01 to 2025-07 it
says which rows (week and number) belong there, which of them link arXiv, and
the parser's picks for that month must match: arXiv recall >= 99%, nothing
from another month or year, >= 95% of the picks not on arXiv kept, and no
folded rows. Skipped only where ../shared/real is absent.
"""

from __future__ import annotations

import calendar
import re
from collections import defaultdict
from datetime import date, timedelta
from functools import cache
from pathlib import Path
from typing import NamedTuple

import pytest

from readlist.core.month import Month
from readlist.sources.detect import parse_document

REAL = Path(__file__).resolve().parents[2] / ".." / "shared" / "real"
DOC = REAL / "ml-papers-of-the-week-README.md"
pytestmark = pytest.mark.skipif(not REAL.is_dir(), reason="../shared/real is absent")

MONTH_NUMBER = {name.lower()[:3]: n for n, name in enumerate(calendar.month_name) if name}
HEADING = re.compile(
    r"^## Top ML Papers of the Week \(([A-Za-z]+)\s*(\d+)\s*-\s*(?:([A-Za-z]+)\s*)?(\d+)\)(?:\s*-\s*(\d{4}))?"
)
LINK = re.compile(r"\[([^\]]*)\]\((https?://[^)\s]+)\)")
ARXIV = re.compile(r"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5})")


class Row(NamedTuple):
    week: str  # the week's first day, ISO
    number: int
    arxiv_id: str | None
    urls: frozenset[str]


@cache
def truth() -> dict[str, list[Row]]:
    """Rows by month: the weeks run newest first, so a heading without a year takes the next newer one's."""
    by_month: dict[str, list[Row]] = defaultdict(list)
    newer: date | None = None
    start = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        m = HEADING.match(line)
        if m:
            first_month = MONTH_NUMBER[m[1].lower()[:3]]
            last_month = MONTH_NUMBER[m[3].lower()[:3]] if m[3] else first_month
            if m[5]:  # "- 2025" is the year the week ends in
                year = int(m[5]) - (1 if last_month < first_month else 0)
            else:
                assert newer is not None
                year = newer.year - (1 if first_month > newer.month else 0)
            start = newer = date(year, first_month, int(m[2]))
            continue
        row = re.match(r"^\|\s*(\d+)\)", line)
        if row and start is not None:
            links = LINK.findall(line.rsplit("|", 2)[1])  # the links cell
            paper = next((u for t, u in links if t.lower().startswith("paper")), None)
            paper = paper or next((u for _, u in links if ARXIV.search(u)), None)
            arxiv = ARXIV.search(paper or "")
            days = [start + timedelta(days=d) for d in range(7)]
            month = max({f"{d:%Y-%m}" for d in days}, key=lambda k: sum(f"{d:%Y-%m}" == k for d in days))
            urls = frozenset(u for _, u in LINK.findall(line))
            by_month[month].append(Row(start.isoformat(), int(row[1]), arxiv[1] if arxiv else None, urls))
    return by_month


MONTHS = [m.key for m in Month(2023, 1).through(Month(2025, 7))]


def test_the_independent_reading_sees_the_whole_file() -> None:
    rows = [r for month in truth().values() for r in month]
    assert len(rows) == 1300
    assert len({r.week for r in rows}) == 130
    assert 180 <= sum(1 for r in rows if r.arxiv_id is None) <= 220
    assert min(truth()) == "2023-01" and max(truth()) == "2025-06"


@cache
def parsed(month: str) -> list:  # type: ignore[type-arg]
    return [p for s in parse_document(DOC.read_text(encoding="utf-8"), name=DOC.name, month=month) for p in s.picks]


@pytest.mark.parametrize("month", MONTHS)
def test_every_month_of_the_real_file(month: str) -> None:
    rows = truth().get(month, [])
    picks = parsed(month)
    by_place = {(r.week, r.number): r for r in rows}
    places = [(p.week, p.number) for p in picks]

    # Precision: every pick is a row of this month (its week and number), each row once.
    assert all(place in by_place for place in places), [pl for pl in places if pl not in by_place]
    assert len(places) == len(set(places))
    arxiv_truth = {(r.week, r.number): r.arxiv_id for r in rows if r.arxiv_id}
    assert all(p.arxiv_id == arxiv_truth.get((p.week, p.number)) for p in picks if p.arxiv_id)

    # Recall of the arXiv picks.
    found = {(p.week, p.number) for p in picks if p.arxiv_id}
    if arxiv_truth:
        assert len(found & set(arxiv_truth)) / len(arxiv_truth) >= 0.99

    # The picks not on arXiv are kept.
    others = {(r.week, r.number) for r in rows if r.arxiv_id is None}
    kept = {(p.week, p.number) for p in picks if p.arxiv_id is None and p.url}
    if others:
        assert len(kept & others) / len(others) >= 0.95

    # No folded rows: one pick per row, carrying only its own row's links.
    assert len(picks) == len(rows)
    for pick in picks:
        own = by_place[(pick.week, pick.number)].urls
        assert {lk["url"] for lk in pick.links} <= own
        assert pick.title and not re.search(r"\b(This paper|introduces|proposes|Researchers from)\b", pick.title)


def test_totals_per_year() -> None:
    """The numbers the README quotes: per year, arXiv recall and picks kept (all 100% today)."""
    for year in ("2023", "2024", "2025"):
        rows = [r for m in MONTHS if m.startswith(year) for r in truth().get(m, [])]
        picks = [p for m in MONTHS if m.startswith(year) for p in parsed(m)]
        want = {(r.week, r.number) for r in rows if r.arxiv_id}
        got = {(p.week, p.number) for p in picks if p.arxiv_id}
        assert got == want, year
        assert len(picks) == len(rows), year
