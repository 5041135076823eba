"""The records readlist keeps: a saved paper and its reading status.

A :class:`Paper` serialises to exactly the JSON object that ``list --json``
prints and that library.json holds, so the CLI, the TUI and the exporters all
see one shape.
"""

from __future__ import annotations

import re
import time
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from readlist.core.errors import BadInput


class Status(StrEnum):
    TO_READ = "to-read"
    READING = "reading"
    READ = "read"
    DROPPED = "dropped"

    @classmethod
    def parse(cls, text: str) -> Status:
        """A status from user input; forgiving of case, spaces and underscores."""
        key = re.sub(r"[\s_]+", "-", text.strip().lower())
        aliases = {"toread": "to-read", "todo": "to-read", "unread": "to-read", "done": "read"}
        key = aliases.get(key, key)
        try:
            return cls(key)
        except ValueError:
            choices = ", ".join(s.value for s in cls)
            raise BadInput(f"unknown status {text!r}: use one of {choices}") from None

    @property
    def mark(self) -> str:
        """A one-character mark for tables."""
        return {"to-read": "○", "reading": "◐", "read": "●", "dropped": "✕"}[self.value]


def now_iso() -> str:
    """The current UTC time as ISO 8601 with seconds, e.g. 2026-11-26T12:40:22+00:00.

    Made once per second (an import of 150,000 entries asks for it once per paper; datetime's takes ~3 us)."""
    second = int(time.time())
    last = _NOW[0]
    if last[0] != second:
        last = _NOW[0] = (second, datetime.fromtimestamp(second, UTC).isoformat(timespec="seconds"))
    return last[1]


_NOW: list[tuple[int, str]] = [(-1, "")]
"""The last second :func:`now_iso` gave, and its text."""


MAX_TAGS = 1000
"""The most tags one paper holds: more is refused where a user types them, and left out (and said) in imports."""
MAX_TAG_LENGTH = 200
"""Longer tags are cut: a tag is a word or a few, not a paragraph."""


def normalize_tag(tag: str) -> str:
    """Tags are compared and stored trimmed, lower-case, with inner spaces as dashes.

    They are NFKC (which also folds fullwidth forms: ``ｍｏｅ`` is ``moe``; NFC and NFD ``café`` are one tag),
    without zero-width or other format characters (``m\u200boe`` is ``moe``) or control characters.
    """
    text = unicodedata.normalize("NFKC", tag)
    if not text.isascii():
        text = "".join(ch for ch in text if unicodedata.category(ch) not in ("Cf", "Cc") or ch in "\t\n")
    text = unicodedata.normalize("NFKC", text.lower())
    cleaned = re.sub(r"\s+", "-", text.strip().lstrip("#")).strip("-")
    if not cleaned:
        raise BadInput(f"empty tag {tag[:80]!r}")
    return cleaned[:MAX_TAG_LENGTH]


def normalize_tags(tags: Iterable[str]) -> list[str]:
    """Tags a user typed: each normalised, once each, in order; BadInput above :data:`MAX_TAGS`."""
    clean = list(dict.fromkeys(normalize_tag(t) for t in tags))
    if len(clean) > MAX_TAGS:
        raise BadInput(f"{len(clean):,} tags: a paper holds at most {MAX_TAGS:,}; nothing was changed")
    return clean


def first_author(authors: list[str]) -> str:
    """ "Fedus et al." style: the first author, and "et al." when there are more."""
    if not authors:
        return ""
    return authors[0] + (" et al." if len(authors) > 1 else "")


_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slugify(text: str, limit: int = 60) -> str:
    """ASCII, lower-case words joined by dashes: safe in file names and ids."""
    # NFKD leaves ASCII text as it is: most titles skip the normalization.
    ascii_text = text if text.isascii() else unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "untitled"


@dataclass
class Paper:
    """One saved paper. ``id`` is the arXiv id without version, or ``doi:...`` /
    ``manual:...`` for a paper that is not on arXiv.

    The bibliographic fields (``key`` to ``other_entries``) are what imports
    and exports need to give back what a user wrote: see :mod:`readlist.formats.bibtex_export`.
    """

    id: str
    title: str = ""
    version: str | None = None
    authors: list[str] = field(default_factory=list)
    year: int | None = None
    published: str | None = None
    updated: str | None = None
    abstract: str = ""
    categories: list[str] = field(default_factory=list)
    primary_category: str | None = None
    url: str | None = None
    pdf_url: str | None = None
    doi: str | None = None
    journal_ref: str | None = None
    comment: str | None = None
    status: str = Status.TO_READ.value
    status_history: list[dict[str, str]] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    notes: str = ""
    blurb: str = ""
    added: str = field(default_factory=now_iso)
    modified: str | None = None
    pending: bool = False
    source: str = "arxiv"
    latest_version: str | None = None
    key: str | None = None
    """The citation key: as imported, or generated once when the paper was first saved with a title."""
    venue: dict[str, str] = field(default_factory=dict)
    """Where it appeared, as plain text under BibTeX's names (journal, booktitle, volume, number, pages,
    month, publisher, editor, series, address, ...); a crossref parent fills what the entry lacks."""
    origin: dict[str, Any] | None = None
    """The entry as the user's file wrote it, for exports that give it back: ``{"format": "bibtex",
    "type": ..., "fields": {name: text}, "bare": [names of macro values]}`` or ``{"format": "csl", "item": {...}}``."""
    other_entries: list[dict[str, Any]] = field(default_factory=list)
    """Further entries for the same paper (same arXiv id or DOI, another key), each an origin with its ``key``."""
    type: str | None = None
    """The kind of work as a CSL type (``article-journal``, ``paper-conference``, ``chapter``, ...), when a
    DOI's record or the reader said it; otherwise the entry's own type (or the venue) tells."""
    edited: list[str] = field(default_factory=list)
    """The fields the reader changed with `readlist edit` (title, authors, year, venue, type, key, doi, url,
    abstract): readlist's own edits, which BibTeX and CSL exports write over the entry as it came."""
    files: list[dict[str, Any]] = field(default_factory=list)
    """Attached files, each ``{"path", "kind", "size", "pages", "sha256", "added"}`` (see
    :mod:`readlist.core.attachments`): ``path`` is relative to the folder of the resolved library.json
    (``files/<key>.pdf``), or, for a file linked in place by an import, the file where it was found."""
    seq: int | None = None
    """The insertion sequence: given by the store when the paper is first saved, and kept (the tie-break of
    the default order, so that papers added together keep their order whatever is edited)."""

    @property
    def is_arxiv(self) -> bool:
        return ":" not in self.id

    @property
    def first_author(self) -> str:
        return first_author(self.authors)

    @property
    def read_date(self) -> str | None:
        """When the paper was last marked read, if ever."""
        dates = [c["date"] for c in self.status_history if c.get("status") == Status.READ]
        return dates[-1] if dates else None

    def set_status(self, status: Status, when: str | None = None) -> None:
        value = status.value
        if self.status == value and self.status_history:
            return
        self.status = value
        self.status_history.append({"status": value, "date": when or now_iso()})

    def add_tags(self, tags: Iterable[str]) -> int:
        """Add the tags it lacks, in order, up to :data:`MAX_TAGS`; returns how many were left out."""
        have = set(self.tags)
        left_out = 0
        for tag in tags:
            if tag in have:
                continue
            if len(self.tags) >= MAX_TAGS:
                left_out += 1
                continue
            have.add(tag)
            self.tags.append(tag)
        return left_out

    def append_note(self, text: str) -> None:
        if not self.notes:
            self.notes = text
        else:
            self.notes = self.notes.rstrip("\n") + "\n\n" + text

    def to_dict(self) -> dict[str, Any]:
        # A shallow copy with fresh lists: asdict()'s deep recursion is several
        # times slower, and every value here is JSON already.
        data = {name: getattr(self, name) for name in _FIELD_NAMES}
        data["authors"] = list(self.authors)
        data["categories"] = list(self.categories)
        data["tags"] = list(self.tags)
        data["status_history"] = [dict(c) for c in self.status_history]
        data["venue"] = dict(self.venue)
        data["edited"] = list(self.edited)
        data["files"] = [dict(f) for f in self.files]
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Paper:
        """Build from a stored record, ignoring keys this version does not know.

        Records written before a field existed simply lack it and get its default. Its lists and objects
        are copied, so changing the paper never changes the record (a parse the store keeps for the next
        transaction).
        """
        if _PAPER_FIELDS.issuperset(data):  # the usual case: skip the filtering copy (10,000 papers: ~0.1 s)
            paper = cls(**data)
        else:
            paper = cls(**{k: v for k, v in data.items() if k in _PAPER_FIELDS})
        paper.authors = list(paper.authors or ())
        paper.categories = list(paper.categories or ())
        paper.tags = list(paper.tags or ())
        paper.status_history = [dict(c) for c in paper.status_history or ()]
        paper.venue = dict(paper.venue or {})
        paper.other_entries = list(paper.other_entries or ())
        paper.edited = list(paper.edited or ())
        paper.files = [dict(f) for f in paper.files or ()]
        return paper


_FIELD_NAMES = tuple(f.name for f in fields(Paper))
_PAPER_FIELDS = frozenset(_FIELD_NAMES)
