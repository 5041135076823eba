"""What the curators say of a suggestion: how many agree, over how many weeks or months, and its upvotes.

Plain Python: the score adds it as a small prior, the why line names it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from readlist.core.rank.texts import Record, picks_of, text_of

_UPVOTES = re.compile(r"(\d[\d,]{0,12})\s{0,3}upvote")


def pick_upvotes(pick: Mapping[str, Any]) -> int | None:
    """A pick's Hugging Face upvotes: its ``upvotes`` key, else read from its blurb ("312 upvotes on ...")."""
    value = pick.get("upvotes")
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    blurb = text_of(pick.get("blurb"))[:300]
    if "upvote" not in blurb.lower():
        return None
    found = _UPVOTES.search(blurb.lower())
    return int(found.group(1).replace(",", "")) if found else None


def month_maxima(records: Iterable[Record]) -> dict[str, int]:
    """The most upvotes of any pick in each month (the scale a pick's upvotes are read on)."""
    maxima: dict[str, int] = {}
    for record in records:
        for pick in picks_of(record):
            votes = pick_upvotes(pick)
            month = text_of(pick.get("month"))
            if votes is not None and votes > maxima.get(month, 0):
                maxima[month] = votes
    return maxima


@dataclass(frozen=True)
class Curators:
    sources: int
    periods: int
    period_word: str
    upvotes: int | None
    upvote_share: float  # 0..1, log-normalised within the month

    @property
    def agreement(self) -> int:
        return max(self.sources - 1, 0) + max(self.periods - 1, 0)

    def why(self) -> list[str]:
        parts = []
        if self.sources > 1:
            parts.append(f"picked by {self.sources} curators")
        if self.periods > 1:
            parts.append(f"picked in {self.periods} {self.period_word}s")
        if self.upvotes:
            parts.append(f"{self.upvotes} upvote{'s' if self.upvotes != 1 else ''}")
        return parts


def curators(record: Record, maxima: Mapping[str, int]) -> Curators:
    """What the picks of one suggestion say (``maxima``: :func:`month_maxima` of every suggestion)."""
    picks = picks_of(record)
    sources = {text_of(p.get("source")) for p in picks}
    weeks = {str(p["week"]) for p in picks if p.get("week")}  # weekly lists: the first day of the week
    months = {text_of(p.get("month")) for p in picks}
    periods, word = (len(weeks), "week") if len(weeks) > 1 else (len(months), "month")
    best: int | None = None
    share = 0.0
    for pick in picks:
        votes = pick_upvotes(pick)
        if votes is None:
            continue
        best = max(best or 0, votes)
        top = maxima.get(text_of(pick.get("month")), 0)
        if top > 0:
            share = max(share, math.log1p(votes) / math.log1p(top))
    return Curators(len(sources), periods, word, best, share)
