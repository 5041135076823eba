"""Hugging Face daily papers: ``/api/daily_papers?date=YYYY-MM-DD`` answers a JSON list.

Each entry holds ``paper`` (``id`` = the arXiv id, ``title``, ``authors``
[{"name"}], ``upvotes``, ``summary``) and the day it was featured. A month's
selection is its most upvoted papers over all its days.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from readlist.core.errors import BadInput
from readlist.sources.model import RawPick, Selection
from readlist.sources.text import arxiv_id_in, bare_arxiv_id

SOURCE = "hf-daily"
DEFAULT_TOP = 10


def looks_like_daily(data: Any) -> bool:
    entries = data.get("papers", data.get("dailyPapers")) if isinstance(data, dict) else data
    return isinstance(entries, list) and any(isinstance(e, dict) and ("paper" in e or "upvotes" in e) for e in entries)


def entries_of(data: Any) -> list[dict[str, Any]]:
    entries = data.get("papers", data.get("dailyPapers")) if isinstance(data, dict) else data
    if not isinstance(entries, list):
        raise BadInput("this JSON is not a Hugging Face daily papers list")
    return [e for e in entries if isinstance(e, dict)]


def _paper(entry: dict[str, Any]) -> dict[str, Any]:
    paper = entry.get("paper")
    return paper if isinstance(paper, dict) else entry


def candidates(entries: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Entries by arXiv id, keeping the most upvoted appearance."""
    best: dict[str, dict[str, Any]] = {}
    for entry in entries:
        paper = _paper(entry)
        raw_id = str(paper.get("id") or "")
        arxiv_id = arxiv_id_in("arxiv:" + raw_id) or bare_arxiv_id(raw_id)
        if not arxiv_id:
            continue
        upvotes = int(paper.get("upvotes") or entry.get("upvotes") or 0)
        if arxiv_id not in best or upvotes > best[arxiv_id]["upvotes"]:
            day = str(entry.get("publishedAt") or paper.get("publishedAt") or "")[:10]
            best[arxiv_id] = {"id": arxiv_id, "paper": paper, "upvotes": upvotes, "day": day}
    return best


def month_of_entries(entries: Iterable[dict[str, Any]]) -> str | None:
    months: dict[str, int] = {}
    for entry in entries:
        day = str(entry.get("publishedAt") or _paper(entry).get("publishedAt") or "")
        if len(day) >= 7 and day[4] == "-":
            months[day[:7]] = months.get(day[:7], 0) + 1
    return max(months, key=lambda m: months[m]) if months else None


def selection(
    entries: list[dict[str, Any]], month: str | None, *, top: int = DEFAULT_TOP, url: str | None = None
) -> Selection:
    best = sorted(candidates(entries).values(), key=lambda c: (-c["upvotes"], c["id"]))[:top]
    picks = []
    for rank, item in enumerate(best, 1):
        paper = item["paper"]
        authors = [a.get("name", "") for a in paper.get("authors") or [] if isinstance(a, dict) and a.get("name")]
        votes = item["upvotes"]
        blurb = f"{votes} upvote{'s' if votes != 1 else ''} on Hugging Face daily papers"
        blurb += f" ({item['day']})." if item["day"] else "."
        summary = paper.get("ai_summary")
        if isinstance(summary, str) and summary.strip():
            blurb += " " + " ".join(summary.split())
        picks.append(
            RawPick(
                rank=rank,
                title=" ".join(str(paper.get("title") or "").split()),
                authors=authors,
                blurb=blurb,
                links=[{"label": "hugging face", "url": f"https://huggingface.co/papers/{item['id']}"}],
                arxiv_id=item["id"],
                url=f"https://arxiv.org/abs/{item['id']}",
            )
        )
    return Selection(
        SOURCE, month or month_of_entries(entries), picks, title="Hugging Face daily papers", url=url, format="hf-daily"
    )
