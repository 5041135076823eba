"""What of each record the ranking reads: the texts it vectorises, and its tags and picks.

Plain Python on stored records (mappings), tolerant of any value a record may hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

Record = Mapping[str, Any]


def paper_text(record: Record, ignored_tags: frozenset[str]) -> list[tuple[str, int]]:
    """A library paper's text, as (text, weight) parts: title (twice), tags (twice), abstract, notes."""
    tags = " ".join(t.replace("-", " ") for t in tags_of(record) if t not in ignored_tags)
    return [
        (text_of(record.get("title")), 2),
        (tags, 2),
        (text_of(record.get("abstract")), 1),
        (text_of(record.get("notes")), 1),
    ]


def suggestion_text(record: Record) -> list[tuple[str, int]]:
    """A suggestion's text: title (twice), abstract, and the curator's blurb without its upvotes."""
    metadata = record.get("metadata")
    abstract = text_of(metadata.get("abstract")) if isinstance(metadata, Mapping) else ""
    return [(text_of(record.get("title")), 2), (abstract, 1), (_without_upvotes(text_of(record.get("blurb"))), 1)]


def _without_upvotes(blurb: str) -> str:
    """A Hugging Face blurb without its "312 upvotes on Hugging Face daily papers (day)." sentence."""
    end = blurb.find(". ")
    first = blurb if end < 0 else blurb[:end]
    if "upvote" in first.lower():
        return "" if end < 0 else blurb[end + 2 :]
    return blurb


def text_of(value: object) -> str:
    """A field's text ("" for anything that is not a string)."""
    return value if isinstance(value, str) else ""


def tags_of(record: Record) -> list[str]:
    tags = record.get("tags")
    return [t for t in tags if isinstance(t, str) and t] if isinstance(tags, list) else []


def picks_of(record: Record) -> list[Mapping[str, Any]]:
    picks = record.get("picks")
    return [p for p in picks if isinstance(p, Mapping)] if isinstance(picks, list) else []
