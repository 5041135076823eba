"""The light record as library.json stores it since schema 3: only what differs from its default.

Every command parses ``library.json`` whole and every write rewrites it, so
each byte of a light record is paid on every command. A stored record keeps
``id``, ``added`` and what differs from the default; a key left out reads as
its default (:data:`DEFAULTS`: null, ``[]``, ``{}``, false, ``"to-read"``,
``"arxiv"``, ``""`` for ``text``), and a few fields are derived:

* ``url`` and ``pdf_url`` of an arXiv paper, left out when they are the
  canonical ``https://arxiv.org/abs/<id>`` and ``https://arxiv.org/pdf/<id><version>``
  (a stored ``null`` is kept: that paper has no link);
* ``categories``, left out when it is just ``[primary_category]``;
* ``status_history``: its first change, to-read on the date the paper was
  added, is implied; the later ones are kept as ``"history": [[status, date], ...]``.
  A history of another shape is stored as it is, under ``status_history``.

Written out in full (as schema 2 did, or by hand with explicit nulls), a
record reads the same: every field given is taken as it is.

:class:`LightRecords` reads stored records and expands each one only when it
is asked for, so a write that changes one paper expands one record and
rewrites the others as they were parsed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, MutableMapping
from typing import Any

Record = dict[str, Any]

ABS = "https://arxiv.org/abs/"
PDF = "https://arxiv.org/pdf/"

DEFAULTS: dict[str, Any] = {
    "title": "", "version": None, "authors": [], "year": None, "published": None, "updated": None,
    "categories": [], "primary_category": None, "url": None, "pdf_url": None, "doi": None, "journal_ref": None,
    "comment": None, "status": "to-read", "status_history": [], "tags": [], "modified": None, "pending": False,
    "source": "arxiv", "latest_version": None, "key": None, "venue": {}, "type": None, "edited": [],
    "files": [], "seq": None, "text": "",
}  # fmt: skip
"""What a key left out of a stored light record reads as (``url``, ``pdf_url``, ``categories`` and
``status_history`` are derived where they can be: see the module doc)."""

# The order of a full light record (as Paper.to_dict writes it, without the heavy fields): ``list --json``
# prints records in this order. Mutable defaults are filled per record (see expand).
_TEMPLATE: dict[str, Any] = {"id": None, **DEFAULTS, "added": None}
_TEMPLATE = {k: _TEMPLATE[k] for k in (
    "id", "title", "version", "authors", "year", "published", "updated", "categories", "primary_category", "url",
    "pdf_url", "doi", "journal_ref", "comment", "status", "status_history", "tags", "added", "modified",
    "pending", "source", "latest_version", "key", "venue", "type", "edited", "files", "seq", "text",
)}  # fmt: skip
_MISSING = object()
_DERIVED = frozenset(("url", "pdf_url", "categories", "status_history"))
"""The fields compact derives rather than compares with their default."""
_PLAIN = {name: (type(default), default) for name, default in DEFAULTS.items() if name not in _DERIVED}
"""The other fields with a default: name -> (the default's type, the default)."""


def is_arxiv_id(paper_id: object) -> bool:
    return isinstance(paper_id, str) and ":" not in paper_id


def canonical_links(paper_id: str, version: object) -> tuple[str, str]:
    """The arXiv abstract and PDF links of an arXiv paper at this version."""
    return ABS + paper_id, PDF + paper_id + (version if isinstance(version, str) else "")


def compact(record: Mapping[str, Any]) -> Record:
    """The stored form of a full light record: what differs from the default (see the module doc)."""
    out: Record = {}
    paper_id = record.get("id")
    arxiv = is_arxiv_id(paper_id)
    links: tuple[str, str] | None = None
    plain = _PLAIN
    for name, value in record.items():
        kind = plain.get(name)
        if kind is not None:  # the usual field: left out when it is its default
            if type(value) is not kind[0] or value != kind[1]:
                out[name] = value
            continue
        if name in _DERIVED:
            if name == "categories":
                primary = record.get("primary_category")
                if value != ([primary] if primary else []):
                    out[name] = value
                continue
            if name == "status_history":
                later = _later_changes(value, record.get("added"))
                if later is None:
                    out[name] = value  # another shape: kept as it is
                elif later:
                    out["history"] = later
                continue
            if arxiv:  # url, pdf_url
                if links is None:
                    links = canonical_links(paper_id, record.get("version"))  # type: ignore[arg-type]
                if value == links[name == "pdf_url"]:
                    continue
                out[name] = value  # null too: an arXiv paper without the link
                continue
        default = DEFAULTS.get(name, _MISSING)
        if default is not _MISSING and type(value) is type(default) and value == default:
            continue
        out[name] = value
    # A key the record lacks reads as the Paper's default, never as a derived value.
    if arxiv:
        for name in ("url", "pdf_url"):
            if name not in record:
                out[name] = None
    if "categories" not in record and record.get("primary_category"):
        out["categories"] = []
    if "status_history" not in record:
        out["status_history"] = []
    return out


def _later_changes(history: Any, added: Any) -> list[list[str]] | None:
    """The changes after the implied first one (to-read when added) as [status, date] pairs, or None when the
    history has another shape (kept as it is)."""
    if not isinstance(history, list) or not history or history[0] != {"status": "to-read", "date": added}:
        return None
    later = []
    for change in history[1:]:
        if not isinstance(change, dict) or len(change) != 2:
            return None
        status, date = change.get("status"), change.get("date")
        if not isinstance(status, str) or not isinstance(date, str):
            return None
        later.append([status, date])
    return later


def expand(stored: Mapping[str, Any]) -> Record:
    """The full light record a stored one reads as (a new dict; the stored one is left as it is).

    A record that does not fit (a history that is not pairs of text, say) is expanded as far as it can be,
    and the check of :mod:`readlist.core.records` names what is wrong.
    """
    record = {**_TEMPLATE, "authors": [], "categories": None, "status_history": None, "tags": [], "venue": {},
              "edited": [], "files": [], **stored}  # fmt: skip
    for name in ("authors", "tags", "edited", "files", "venue"):  # an explicit null reads as the default
        if record[name] is None:
            record[name] = {} if name == "venue" else []
    paper_id = record["id"]
    if is_arxiv_id(paper_id):
        abs_url, pdf_url = canonical_links(paper_id, record["version"])
        if "url" not in stored:
            record["url"] = abs_url
        if "pdf_url" not in stored:
            record["pdf_url"] = pdf_url
    if record["categories"] is None:
        primary = record["primary_category"]
        record["categories"] = [primary] if primary else []
    if record["status_history"] is None:
        record["status_history"] = _history(record.pop("history", None), record["added"])
    if record["added"] is None and "added" not in stored:
        del record["added"]  # left for the check to name
    return record


def _history(later: Any, added: Any) -> Any:
    history: list[Any] = [{"status": "to-read", "date": added}]
    if not later:
        return history
    if not isinstance(later, list):
        return later  # not a list of changes: the check names it
    for change in later:
        if not (isinstance(change, list) and len(change) == 2):
            return later
        history.append({"status": change[0], "date": change[1]})
    return history


_KEYS = tuple(_TEMPLATE)
_NULL_READ_OTHERWISE = frozenset(("authors", "tags", "edited", "files", "venue", "categories", "status_history"))
"""The fields whose stored null expand reads as another value."""


def _reads_back(record: Mapping[str, Any], stored: Record) -> bool:
    """Whether ``stored`` (compact(record), without a "history") surely expands to ``record``, keys in order,
    without expanding it: True for a record with every key in the usual order (a paper's to_dict) and no
    null expand reads otherwise. compact leaves out only what expand gives back equal (a default, an implied
    link, category or first change), and every other value is stored as the very same object. False: not known."""
    if tuple(record) != _KEYS:
        return False
    nulls = _NULL_READ_OTHERWISE.intersection(stored)
    return not nulls or None not in [stored[name] for name in nulls]


def _expands_to(stored: Record, record: Mapping[str, Any]) -> bool:
    back = expand(stored)
    return back == record and list(back) == list(record)


class LightRecords(Mapping[str, Record]):
    """Light records over their stored form: each expanded when first asked for (see the module doc).

    ``full`` says whether the stored records are full already (a library of schema 1 or 2, read as it is).
    Do not mutate the records it gives.
    """

    def __init__(self, stored: Mapping[str, Record], *, full: bool = False) -> None:
        self._stored = stored
        self._full = full
        self._expanded: dict[str, Record] = {}

    @property
    def stored(self) -> Mapping[str, Record]:
        """The records as stored. ``id``, ``key``, ``other_keys``, ``tags``, ``doi``, ``seq``, ``text``,
        ``pending`` and ``added`` are read from them as they are (``.get()`` of a missing one is its default,
        or None for a list): lookups over every paper use this, and expand none."""
        return self._stored

    def status_of(self, key: str) -> Any:
        """A paper's status as its light record reads it, without expanding the record."""
        return self._stored[key].get("status", "" if self._full else DEFAULTS["status"])

    def __getitem__(self, key: str) -> Record:
        return self._stored[key] if self._full else self._expanded_kept(key)

    def _expanded_kept(self, key: str) -> Record:
        """The stored record of ``key`` expanded, once: kept for the next reader."""
        record = self._expanded.get(key)
        if record is None:
            record = self._expanded[key] = expand(self._stored[key])
        return record

    def fresh(self, key: str) -> Record:
        """The full light record of ``key`` as a new dict the caller may change (not its values: they are
        shared), expanded without being kept when it was not asked for before."""
        if self._full:
            return dict(self._stored[key])
        record = self._expanded.get(key)
        return dict(record) if record is not None else expand(self._stored[key])

    def peek(self, key: str) -> Record:
        """The full light record of ``key`` to read once (not to change): the one kept when it was asked for
        before, else expanded without being kept (a pass over every paper keeps none of them)."""
        if self._full:
            return self._stored[key]
        record = self._expanded.get(key)
        return record if record is not None else expand(self._stored[key])

    def __iter__(self) -> Iterator[str]:
        return iter(self._stored)

    def __len__(self) -> int:
        return len(self._stored)

    def __contains__(self, key: object) -> bool:
        return key in self._stored

    def get(self, key: str, default: Any = None) -> Any:
        """The record, or ``default`` for a paper not stored (without raising and catching KeyError)."""
        return self[key] if key in self._stored else default

    def values(self) -> Iterator[Record]:  # type: ignore[override]
        return (self[k] for k in self._stored)

    def items(self) -> Iterator[tuple[str, Record]]:  # type: ignore[override]
        return ((k, self[k]) for k in self._stored)


class TxLightRecords(LightRecords, MutableMapping[str, Record]):
    """The light records a transaction sees and changes: a record put is stored compact.

    A record put is read back expanded from its compact form, as any stored record is, when that gives it
    exactly (keys, their order, values); only a record that does not (a partial one, a null list, a history
    of its own shape) is kept full beside its compact form. Keeping every one full held an import of 150,000
    entries twice (690 MB instead of 450).
    """

    def __init__(self, stored: Mapping[str, Record], *, full: bool = False) -> None:
        super().__init__(dict(stored), full=full)
        self._put: dict[str, Record] = {}
        """The records put that their compact form does not give back, kept full."""
        self._compact_put: set[str] = set()
        """The records put that are read from their compact form."""

    @property
    def stored(self) -> dict[str, Record]:
        return self._stored  # type: ignore[return-value]

    def __getitem__(self, key: str) -> Record:
        record = self._put.get(key)
        if record is not None:
            return record
        if self._full and key not in self._compact_put:
            return self._stored[key]
        return self._expanded_kept(key)

    def fresh(self, key: str) -> Record:
        record = self._put.get(key)
        if record is not None:
            return dict(record)
        if self._full and key not in self._compact_put:
            return dict(self._stored[key])
        record = self._expanded.get(key)
        return dict(record) if record is not None else expand(self._stored[key])

    def __setitem__(self, key: str, record: Record) -> None:
        stored = self._stored[key] = compact(record)  # type: ignore[index]
        if self._expanded:
            self._expanded.pop(key, None)
        # A history is rebuilt with its changes' keys in readlist's order, which == does not compare.
        if "history" not in stored and (_reads_back(record, stored) or _expands_to(stored, record)):
            if self._put:
                self._put.pop(key, None)
            self._compact_put.add(key)
        else:
            self._put[key] = record
            self._compact_put.discard(key)

    def __delitem__(self, key: str) -> None:
        del self.stored[key]
        self._put.pop(key, None)
        self._compact_put.discard(key)
        self._expanded.pop(key, None)
