"""Hugging Face daily papers: ``/api/daily_papers?date=YYYY-MM-DD`` answers a JSON list, one entry per paper.

The shape, as the Hub's public clients read it (RSSHub's
``lib/routes/huggingface/daily-papers.ts``; the ``pyhfapi`` package's
``APIGetDailyPapersResponseItem``, generated from the Hub's OpenAPI spec)::

    [{"paper": {"id": "2406.12345", "title": "...", "summary": "...",
                "authors": [{"_id": "...", "name": "Ada Lovelace", "hidden": false}],
                "upvotes": 42, "publishedAt": "2024-06-17T17:59:58.000Z", "ai_summary": "...", ...},
      "title": "...", "summary": "...", "publishedAt": "2024-06-18T00:00:00.000Z",
      "numComments": 3, "submittedBy": {...}, "thumbnail": "...", ...}, ...]

``paper.id`` is the arXiv id. A month's selection is its ``top`` most upvoted
papers (30 unless ``top`` in ``[sources.hf-daily]`` says otherwise) over every
day of the month; a paper featured on two days counts once, with its higher
count. An entry whose values are not of these types (``"upvotes": "many"``, a
list for a title) is skipped and counted, never a traceback.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from readlist.core.errors import BadInput
from readlist.core.month import Month
from readlist.sources.model import RawPick, Selection
from readlist.sources.text import arxiv_id_in, bare_arxiv_id

SOURCE = "hf-daily"
DEFAULT_TOP = 30


def _list_of(data: Any) -> Any:
    if isinstance(data, dict):
        return data.get("papers", data.get("dailyPapers"))
    return data


def looks_like_daily(data: Any) -> bool:
    entries = _list_of(data)
    return isinstance(entries, list) and any(isinstance(e, dict) and ("paper" in e or "upvotes" in e) for e in entries)


def entries_of(data: Any) -> list[dict[str, Any]]:
    """The entries of one day's answer (a list, or ``{"papers": [...]}``); BadInput for anything else."""
    entries = _list_of(data)
    if not isinstance(entries, list):
        raise BadInput("this JSON is not a Hugging Face daily papers list (expected a list of papers)")
    return [e for e in entries if isinstance(e, dict)]


@dataclass
class Candidate:
    """One paper of the month: its best day."""

    arxiv_id: str
    title: str
    authors: list[str]
    upvotes: int
    day: str  # YYYY-MM-DD it was featured
    ai_summary: str = ""


@dataclass
class Reading:
    """What a month's entries hold: candidates by arXiv id, and how many entries were skipped."""

    candidates: dict[str, Candidate] = field(default_factory=dict)
    skipped: int = 0


def _text(value: Any) -> str | None:
    return " ".join(value.split()) if isinstance(value, str) else None


def _count(value: Any) -> int | None:
    """A vote count: a whole, finite, non-negative number (JSON numbers may be floats)."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and (not math.isfinite(value) or value != int(value)):
        return None
    return int(value) if value >= 0 else None


def candidate(entry: dict[str, Any]) -> Candidate | None:
    """One entry as a candidate, or None when its values are not what the API sends."""
    paper = entry.get("paper", entry)
    if not isinstance(paper, dict):
        return None
    raw_id = paper.get("id")
    if not isinstance(raw_id, str) or len(raw_id) > 40:
        return None
    arxiv_id = arxiv_id_in("arxiv:" + raw_id) or bare_arxiv_id(raw_id)
    title = _text(paper.get("title")) or _text(entry.get("title"))
    upvotes = _count(paper.get("upvotes", entry.get("upvotes", 0)))
    if not arxiv_id or not title or upvotes is None:
        return None
    authors_value = paper.get("authors")
    authors = []
    if isinstance(authors_value, list):
        for author in authors_value:
            name = _text(author.get("name")) if isinstance(author, dict) else None
            if name and not (isinstance(author, dict) and author.get("hidden") is True):
                authors.append(name)
    day = _text(entry.get("publishedAt")) or _text(paper.get("publishedAt")) or ""
    summary = _text(paper.get("ai_summary")) or ""
    return Candidate(arxiv_id, title, authors, upvotes, day[:10], summary)


def read(entries: Iterable[dict[str, Any]]) -> Reading:
    """Candidates by arXiv id, keeping each paper's most upvoted appearance."""
    reading = Reading()
    for entry in entries:
        found = candidate(entry)
        if found is None:
            reading.skipped += 1
            continue
        best = reading.candidates.get(found.arxiv_id)
        if best is None or found.upvotes > best.upvotes:
            reading.candidates[found.arxiv_id] = found
    return reading


def month_of_entries(entries: Iterable[dict[str, Any]]) -> str | None:
    """The month (its key) most of the entries were published in."""
    months: dict[Month, int] = {}
    for entry in entries:
        paper = entry.get("paper")
        day = _text(entry.get("publishedAt")) or (_text(paper.get("publishedAt")) if isinstance(paper, dict) else None)
        month = Month.from_key(day[:7]) if day else None
        if month:
            months[month] = months.get(month, 0) + 1
    return max(months, key=lambda m: (months[m], m)).key if months else None


def upvotes_line(votes: int, day: str) -> str:
    line = f"{votes} upvote{'s' if votes != 1 else ''} on Hugging Face daily papers"
    return line + (f" ({day})." if day else ".")


def selection(
    entries: list[dict[str, Any]], month: str | None, *, top: int = DEFAULT_TOP, url: str | None = None
) -> Selection:
    """The month's ``top`` most upvoted papers, ranked by upvotes."""
    reading = read(entries)
    best = sorted(reading.candidates.values(), key=lambda c: (-c.upvotes, c.arxiv_id))[:top]
    picks = []
    for rank, item in enumerate(best, 1):
        blurb = upvotes_line(item.upvotes, item.day)
        if item.ai_summary:
            blurb += " " + item.ai_summary
        picks.append(
            RawPick(
                rank=rank,
                title=item.title,
                authors=item.authors,
                blurb=blurb,
                links=[{"label": "hugging face", "url": f"https://huggingface.co/papers/{item.arxiv_id}"}],
                arxiv_id=item.arxiv_id,
                url=f"https://arxiv.org/abs/{item.arxiv_id}",
                upvotes=item.upvotes,
            )
        )
    found = Selection(
        SOURCE, month or month_of_entries(entries), picks, title="Hugging Face daily papers", url=url, format="hf-daily"
    )
    if reading.skipped:
        found.warnings.append(
            f"{reading.skipped} entr{'ies' if reading.skipped != 1 else 'y'} skipped: not in the daily papers' shape"
        )
    return found
