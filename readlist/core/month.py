"""A calendar month, the unit curated selections come in: parsing, its label, its days, and the week rule.

Selections, picks and the store keep a month as its key, ``"2021-01"``; every
reading, label and piece of arithmetic on such a key goes through :class:`Month`.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from readlist.core.errors import BadInput

MONTHS = {name.lower(): i for i, name in enumerate(calendar.month_name) if name}
MONTHS.update({name.lower(): i for i, name in enumerate(calendar.month_abbr) if name})
MONTHS["sept"] = 9
"""Month names and abbreviations, lower case, to their numbers ("jan" and "january" -> 1)."""

_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_NAMED = re.compile(rf"\b({_MONTH_NAMES})\.?,?\s+((?:19|20)\d\d)\b", re.IGNORECASE)
_NUMBERED = re.compile(r"((?:19|20)\d\d)[-/.](\d{1,2})")
_KEY = re.compile(r"(\d{4})-(\d\d)")


@dataclass(frozen=True, order=True)
class Month:
    """One month of one year; ordered in time, and written as its key (``str(Month(2021, 1)) == "2021-01"``)."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if not (1 <= self.number <= 12 and 1 <= self.year <= 9999):
            raise ValueError(f"no month {self.number} of year {self.year}")

    # -- reading months ------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> Month:
        """What a person types: ``2021-01``, ``2021/1``, ``January 2021`` or ``Jan 2021``; BadInput otherwise."""
        value = text.strip()
        m = _NUMBERED.fullmatch(value)
        if m and 1 <= int(m[2]) <= 12:
            return cls(int(m[1]), int(m[2]))
        m = _NAMED.fullmatch(value)
        if m:
            return cls(int(m[2]), MONTHS[m[1].lower()])
        raise BadInput(f"{text!r} is not a month: use YYYY-MM, e.g. 2021-01")

    @classmethod
    def from_key(cls, key: str) -> Month | None:
        """A stored key (``2021-01``) as a month; None for anything else."""
        m = _KEY.fullmatch(key)
        if not m or not 1 <= int(m[2]) <= 12 or int(m[1]) < 1:
            return None
        return cls(int(m[1]), int(m[2]))

    @classmethod
    def named_in(cls, text: str) -> Month | None:
        """The first month a text names ("… January 2021 …"), or None."""
        m = _NAMED.search(text)
        return cls(int(m[2]), MONTHS[m[1].lower()]) if m else None

    @classmethod
    def of(cls, day: date) -> Month:
        """The month a day is in."""
        return cls(day.year, day.month)

    @classmethod
    def of_week(cls, start: date, end: date) -> Month:
        """The month holding most of a week's days: 4 or more of its 7 (a shorter week: ties go to the later month)."""
        last = min(end, start + timedelta(days=6))
        counts: dict[Month, int] = {}
        day = start
        while day <= last:
            month = cls.of(day)
            counts[month] = counts.get(month, 0) + 1
            day += timedelta(days=1)
        return max(counts, key=lambda m: (counts[m], m))

    # -- what a month is -------------------------------------------------------

    @property
    def key(self) -> str:
        """``2021-01``: how selections, picks and the store keep it."""
        return f"{self.year:04d}-{self.number:02d}"

    def __str__(self) -> str:
        return self.key

    @property
    def label(self) -> str:
        """``January 2021``: its name for people."""
        return f"{calendar.month_name[self.number]} {self.year}"

    @property
    def first(self) -> date:
        return date(self.year, self.number, 1)

    @property
    def last(self) -> date:
        return date(self.year, self.number, calendar.monthrange(self.year, self.number)[1])

    def days(self, *, until: date | None = None) -> list[date]:
        """Every day of the month, in order, none after ``until``."""
        last = self.last if until is None else min(self.last, until)
        return [self.first + timedelta(days=n) for n in range((last - self.first).days + 1)]

    def shifted(self, months: int) -> Month:
        """The month ``months`` later (earlier when negative)."""
        index = self.year * 12 + self.number - 1 + months
        return Month(index // 12, index % 12 + 1)

    def through(self, last: Month) -> list[Month]:
        """Every month from this one to ``last``, both included ([] when ``last`` is earlier)."""
        return [self.shifted(n) for n in range((last.year - self.year) * 12 + last.number - self.number + 1)]


def month_label(key: str) -> str:
    """A stored month key for people (``2021-01`` -> ``January 2021``); anything else unchanged."""
    month = Month.from_key(key)
    return month.label if month else key
