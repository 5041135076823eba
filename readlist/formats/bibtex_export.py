"""BibTeX export: what the user's file said, with readlist's changes on top, safe to ``\\input``.

* **An imported entry** comes back with its type, key and every field as
  written (``month = sep`` as a month). Where readlist's value differs from
  what the field reads as, readlist's is written: the title, the authors (a
  name you did not change keeps its spelling), ``keywords`` (tags),
  ``annote`` (notes; the field name is configurable) and ``readstatus``.
  Further entries for the same paper (:attr:`~readlist.core.models.Paper.other_entries`)
  are written too, under their own keys.
* **Other papers** get ``title``, ``author``, ``year``, their venue fields,
  and for arXiv papers ``eprint``, ``archivePrefix = {arXiv}``,
  ``primaryClass``, ``doi`` (the journal's, else arXiv's 10.48550/arXiv.ID) and
  ``url``; they are ``@article`` with a journal, else ``@misc``.
* **Keys** are the stored ones (:mod:`readlist.core.citekey`); a paper saved
  before keys were stored gets the key exports always gave it.
* **crossref**: a parent is written after the entries that name it (BibTeX
  needs that); a child whose parent is not in the export gets the fields it
  inherits written into it.
* **Safety**: every field goes through :func:`~readlist.formats.bibtex.latex.safe_raw`
  or is written by :func:`~readlist.formats.bibtex.latex.encode`, so nothing in a
  title or a note can make LaTeX read a file, run a command or redefine one.

Export, import and export again gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from readlist.core.citekey import ascii_word, base_key, citation_keys, surname
from readlist.core.clean import clean_text
from readlist.core.models import Paper, Status
from readlist.formats.bibtex.entry import (
    READSTATUS_OUT,
    fingerprint,
    inherited,
    origin_entry,
    render_names,
    split_tags,
    view,
)
from readlist.formats.bibtex.latex import encode, encode_text, safe_raw, url_text
from readlist.formats.bibtex.parse import MONTHS, BibEntry

# Old names, kept for callers.
__all__ = ["ascii_word", "base_key", "citation_keys", "export_bibtex", "render_entry", "surname"]

# Fields written from a paper that has no entry of its own, in this order.
_VENUE_ORDER = ("journal", "booktitle", "editor", "series", "volume", "number", "pages", "month", "edition",
                "publisher", "institution", "school", "organization", "address", "howpublished", "isbn", "issn",
                "note")  # fmt: skip


class _Out:
    """One entry to write."""

    __slots__ = ("crossref", "fields", "key", "type")

    def __init__(self, type_: str, key: str, fields: list[tuple[str, str]], crossref: str | None) -> None:
        self.type = type_
        self.key = key
        self.fields = fields  # (name, value as it goes after "=")
        self.crossref = crossref

    def text(self) -> str:
        body = "".join(f"  {name} = {value},\n" for name, value in self.fields)
        return f"@{self.type}{{{self.key},\n{body}}}\n"


def export_bibtex(papers: list[Paper], *, library: Iterable[Paper] | None = None, notes_field: str = "annote") -> str:
    """The BibTeX text of these papers (empty string for none).

    ``library`` is every saved paper (default: ``papers``): crossref parents
    are looked up there, and keys of papers saved before keys were stored are
    settled among all of them, so an export of a few papers gives each the
    key a full export gives it.
    """
    everyone = list(library) if library is not None else list(papers)
    known = {p.id for p in everyone}
    everyone += [p for p in papers if p.id not in known]
    keys = citation_keys(everyone)
    outs: list[_Out] = []
    for paper in papers:
        outs += _entries(paper, keys[paper.id], notes_field)
    exported = {o.key.lower() for o in outs}
    orphans = [o for o in outs if o.crossref and o.crossref.lower() not in exported]
    if orphans:  # a child whose parent stays behind carries what it inherits
        wanted = {o.crossref.lower() for o in orphans if o.crossref}
        parents: dict[str, BibEntry] = {}
        for p in everyone:
            for key, origin in _bib_origins(p, keys[p.id]):
                if key.lower() in wanted:
                    parents.setdefault(key.lower(), origin_entry(origin, key, p))
        for out in orphans:
            parent = parents.get((out.crossref or "").lower())
            if parent is not None:
                child = BibEntry(type=out.type, key=out.key, fields=dict(out.fields))
                out.fields += [(name, "{" + safe_raw(value) + "}") for name, value in inherited(child, parent).items()]
    return "\n".join(o.text() for o in _ordered(outs))


def _bib_origins(paper: Paper, key: str) -> list[tuple[str, dict[str, Any]]]:
    found = []
    if isinstance(paper.origin, dict) and paper.origin.get("format") == "bibtex":
        found.append((key, paper.origin))
    for other in paper.other_entries:
        if isinstance(other, dict) and other.get("format") == "bibtex" and other.get("key"):
            found.append((str(other["key"]), other))
    return found


def _ordered(outs: list[_Out]) -> list[_Out]:
    """By key, each crossref parent after every entry that names it (grandparents after parents)."""
    by_key = {o.key.lower(): o for o in outs}
    level = dict.fromkeys(by_key, 0)
    for _ in range(len(outs)):  # longest chain of crossrefs; a cycle stops at len(outs)
        moved = False
        for o in outs:
            parent = (o.crossref or "").lower()
            if parent in level and parent != o.key.lower() and level[parent] <= level[o.key.lower()]:
                level[parent] = level[o.key.lower()] + 1
                moved = True
        if not moved:
            break
    return sorted(outs, key=lambda o: (level[o.key.lower()], o.key.lower(), o.key))


def _entries(paper: Paper, key: str, notes_field: str) -> list[_Out]:
    origin = paper.origin if isinstance(paper.origin, dict) else None
    if origin is not None and origin.get("format") == "bibtex":
        outs = [_from_origin(paper, key, origin, notes_field, primary=True)]
    elif origin is not None and origin.get("format") == "csl":
        from readlist.formats.csl import csl_to_bibtex

        entry_type, fields = csl_to_bibtex(paper, origin)
        outs = [_fresh(paper, key, entry_type, fields, notes_field)]
    else:
        outs = [render_fields(paper, key, notes_field)]
    for other in paper.other_entries:
        if not isinstance(other, dict) or not other.get("key"):
            continue
        if other.get("format") == "bibtex":
            outs.append(_from_origin(paper, str(other["key"]), other, notes_field, primary=False))
        elif other.get("format") == "csl":
            from readlist.formats.csl import csl_to_bibtex

            entry_type, fields = csl_to_bibtex(paper, other, primary=False)
            outs.append(_fresh(paper, str(other["key"]), entry_type, fields, notes_field))
    return outs


def render_entry(key: str, paper: Paper, notes_field: str = "annote") -> str:
    """One paper's entry (its first, if it has several)."""
    return _entries(paper, key, notes_field)[0].text()


# -- an entry the user's file wrote --------------------------------------------


def _from_origin(paper: Paper, key: str, origin: dict[str, Any], notes_field: str, primary: bool) -> _Out:
    entry = origin_entry(origin, key, paper if primary else None)
    fields: dict[str, str] = dict(entry.fields)
    bare = set(entry.bare)
    if primary and origin.get("seen"):
        now = fingerprint(notes_field, paper.title, paper.authors, paper.tags, clean_text(paper.notes).strip("\n"),
                          paper_status(paper))  # fmt: skip
        if now == origin["seen"]:  # nothing changed in readlist since the entry was stored
            return _written(entry, fields, bare)
    seen = view(entry, notes_field, personal_only=True)

    def put(name: str, value: str | None) -> None:
        written = entry.name(name) or name
        bare.discard(written)
        if value is None:
            fields.pop(written, None)
        else:
            fields[written] = value

    if primary:
        if paper.title and paper.title != seen.title:
            put("title", encode(paper.title, protect_caps=True))
        if paper.authors != seen.authors and (paper.authors or entry.get("author") is not None):
            put("author", render_names(paper.authors, entry.get("author") or "") if paper.authors else None)
    if paper.tags != seen.tags:
        _put_tags(entry, paper.tags, put)
    notes = clean_text(paper.notes)
    if notes.strip("\n") != seen.notes:
        put(notes_field, encode_text(notes) if notes.strip() else None)
    status = paper_status(paper)
    if status != (seen.status or Status.TO_READ):
        put("readstatus", READSTATUS_OUT.get(status))
    return _written(entry, fields, bare)


def _written(entry: BibEntry, fields: dict[str, str], bare: set[str]) -> _Out:
    """An entry's fields as they go after "=": braced text, bare macros; every one made safe for TeX."""
    written = [
        (name, safe_raw(value) if name in bare else "{" + safe_raw(value) + "}")
        for name, value in fields.items()
    ]  # fmt: skip
    crossref = entry.get("crossref")
    return _Out(entry.type, entry.key, written, crossref.strip() if crossref else None)


def _put_tags(entry: BibEntry, tags: list[str], put: Any) -> None:
    """keywords (and JabRef's groups) for these tags, keeping each keyword as the file spelled it."""
    written: dict[str, str] = {}
    for name in ("keywords", "groups"):
        raw = entry.get(name) or ""
        for part in raw.replace(";", ",").split(","):
            for tag in split_tags(part):
                written.setdefault(tag, part.strip())
    groups = [written[t] for t in split_tags(entry.get("groups") or "") if t in tags]
    in_groups = {t for t in split_tags(entry.get("groups") or "") if t in tags}
    if entry.get("groups") is not None:
        put("groups", ", ".join(groups) if groups else None)
    keywords = [written.get(t) or encode(t) for t in tags if t not in in_groups]
    put("keywords", ", ".join(keywords) if keywords else None)


# -- an entry readlist writes --------------------------------------------------


def render_fields(paper: Paper, key: str, notes_field: str = "annote") -> _Out:
    """The entry of a paper that has no entry of its own."""
    fields: list[tuple[str, str]] = [("title", encode(paper.title or paper.id, protect_caps=True))]
    if paper.authors:
        fields.append(("author", render_names(paper.authors)))
    if paper.year:
        fields.append(("year", str(paper.year)))
    venue = dict(paper.venue)
    if paper.journal_ref and not venue.get("journal") and not venue.get("booktitle"):
        venue["journal"] = paper.journal_ref
    for name in _VENUE_ORDER:
        value = venue.get(name)
        if value:
            fields.append((name, _venue_value(name, value)))
    if paper.is_arxiv:
        fields += [("eprint", encode(paper.id)), ("archivePrefix", "arXiv")]
        if paper.primary_category:
            fields.append(("primaryClass", encode(paper.primary_category)))
        fields.append(("doi", encode(paper.doi or f"10.48550/arXiv.{paper.id}")))
        fields.append(("url", url_text(f"https://arxiv.org/abs/{paper.id}")))
    else:
        if paper.doi:
            fields.append(("doi", encode(paper.doi)))
        if paper.url:
            fields.append(("url", url_text(paper.url)))
    kind = "article" if venue.get("journal") else "inproceedings" if venue.get("booktitle") else "misc"
    return _fresh(paper, key, kind, fields, notes_field)


def _fresh(paper: Paper, key: str, kind: str, fields: list[tuple[str, str]], notes_field: str) -> _Out:
    """An entry from (name, LaTeX text) pairs, with the reader's tags, notes and status; months as macros."""
    out: list[tuple[str, str]] = []
    for name, value in fields:
        if name == "month" and value.lower() in MONTHS:
            out.append((name, value.lower()))
        else:
            out.append((name, "{" + safe_raw(value) + "}"))
    if paper.tags:
        out.append(("keywords", "{" + ", ".join(encode(t) for t in paper.tags) + "}"))
    notes = clean_text(paper.notes).strip("\n")
    if notes.strip():
        out.append((notes_field, "{" + encode_text(notes) + "}"))
    status = READSTATUS_OUT.get(paper_status(paper))
    if status:
        out.append(("readstatus", "{" + status + "}"))
    return _Out(kind, key, out, None)


def paper_status(paper: Paper) -> Status:
    try:
        return Status(paper.status)
    except ValueError:
        return Status.TO_READ


def _venue_value(name: str, value: str) -> str:
    if name == "month":
        word = value.strip().lower()[:3]
        return word if word in MONTHS else encode(value)
    if name == "editor":
        return render_names([n.strip() for n in value.split(",") if n.strip()])
    return encode(value)
