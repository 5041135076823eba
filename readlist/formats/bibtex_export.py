"""BibTeX export: what the user's file said, with readlist's changes on top, safe to ``\\input``.

* **An imported entry** comes back with its type, key and every field as
  written (``month = sep`` as a month). Where readlist's value differs from
  what the field reads as, readlist's is written: the title, the authors (a
  name you did not change keeps its spelling), ``keywords`` (tags),
  ``annote`` (notes; the field name is configurable) and ``readstatus``.
  The fields you changed with `readlist edit` (year, venue, type, DOI,
  URL, abstract) are written over the entry's too.
  Further entries for the same paper (:attr:`~readlist.core.models.Paper.other_entries`)
  are written too, under their own keys.
* **Other papers** get ``title``, ``author``, ``year``, their venue fields
  (an arXiv paper's journal reference is a ``note``, not a ``journal``, unless
  the record has a real venue), and for arXiv papers ``eprint``, ``archivePrefix = {arXiv}``,
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

import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from readlist.core.citekey import ascii_word, base_key, citation_keys, surname
from readlist.core.clean import clean_text
from readlist.core.models import Paper, Status
from readlist.formats.bibtex.entry import (
    READSTATUS_OUT,
    TAG_FIELDS,
    VENUE_SOURCES,
    fingerprint,
    inherited,
    origin_entry,
    render_names,
    split_tags,
    view,
)
from readlist.formats.bibtex.latex import encode, encode_text, safe_raw, url_text
from readlist.formats.bibtex.layout import render
from readlist.formats.bibtex.parse import MONTHS, BibEntry
from readlist.formats.files import in_pieces

# Old names, kept for callers.
__all__ = ["ascii_word", "base_key", "citation_keys", "export_bibtex", "render_entry", "surname"]

# Fields written from a paper that has no entry of its own, in this order.
_VENUE_ORDER = ("journal", "booktitle", "editor", "series", "volume", "number", "pages", "month", "edition",
                "publisher", "institution", "school", "organization", "address", "howpublished", "isbn", "issn",
                "note")  # fmt: skip


class _Out:
    """One entry to write."""

    __slots__ = ("crossref", "fields", "key", "made", "origin", "raw", "type")

    def __init__(self, type_: str, key: str, fields: list[tuple[str, str]], crossref: str | None) -> None:
        self.type = type_
        self.key = key
        self.fields = fields  # (name, value as it goes after "=")
        self.crossref = crossref
        self.origin: dict[str, Any] | None = None  # the entry of a user's file it comes from
        self.raw: str | None = None  # that entry's text as the file wrote it, while nothing changed
        self.made: str | None = None  # text(), once the fields are let go (see held)

    def text(self) -> str:
        if self.made is not None:
            return self.made
        body = "".join(f"  {name} = {value},\n" for name, value in self.fields)
        return f"@{self.type}{{{self.key},\n{body}}}\n"

    def held(self, keep_raw: bool) -> _Out:
        """The entry as an export holds it until it writes it: its text made and its fields let go (unless it
        names a crossref parent, which may add to them). While the export may give one file back whole
        (``keep_raw``), its text as the file wrote it and where it stood there; after, of its origin only the
        file it names if the export leaves that file's own blocks out (:func:`_left_out`)."""
        if self.origin is not None:
            info = self.origin.get("file")
            if keep_raw:
                self.origin = {name: self.origin[name] for name in ("file", "lead", "tail") if name in self.origin}
            else:
                self.origin = {"file": info} if isinstance(info, dict) and info.get("blocks") is True else None
        if not keep_raw:
            self.raw = None
        if not self.crossref:
            self.made = self.text()
            self.fields = []
        return self


def export_bibtex(
    papers: list[Paper],
    *,
    library: Iterable[Paper] | None = None,
    notes_field: str = "annote",
    notes: list[str] | None = None,
) -> str:
    """The BibTeX text of these papers (empty string for none).

    ``library`` is every saved paper (default: ``papers``): crossref parents
    are looked up there, and keys of papers saved before keys were stored are
    settled among all of them, so an export of a few papers gives each the
    key a full export gives it.

    When the entries are exactly those one .bib file gave, the file comes back
    in its own order with its own blocks (``@comment``, ``@preamble``, ``%``
    lines) and each unedited entry as written (:mod:`readlist.formats.bibtex.layout`):
    byte for byte if nothing changed. Otherwise entries are sorted by key and
    file-level blocks left out, which ``notes`` (if given) is told.
    """
    everyone = list(library) if library is not None else list(papers)
    known = {p.id for p in everyone}
    everyone += [p for p in papers if p.id not in known]
    return "".join(
        bibtex_pieces(
            [p.id for p in papers], [papers], citation_keys(everyone), lambda: [everyone],
            notes_field=notes_field, notes=notes,
        )
    )  # fmt: skip


def bibtex_pieces(
    order: Sequence[str],
    parts: Iterable[Iterable[Paper]],
    keys: Mapping[str, str],
    library: Callable[[], Iterable[Iterable[Paper]]],
    *,
    notes_field: str = "annote",
    notes: list[str] | None = None,
) -> Iterator[str]:
    """:func:`export_bibtex` of the papers ``order`` names (their ids, in the export's order), given in
    ``parts`` (in any order, each part let go once its entries are made), in pieces of about a megabyte that
    join into its text: what is held is the entries' text, not the papers nor the whole text (at 50,000
    papers, their abstracts, notes and stored entries were most of 1.1 GB). ``notes`` is told before the
    first piece is given.

    ``keys`` is every saved paper's key (:func:`~readlist.core.citekey.citation_keys`). ``library`` gives
    every saved paper, in parts: it is read only when a child's crossref parent stays behind.
    """
    position = {paper_id: i for i, paper_id in enumerate(order)}
    made: list[tuple[int, int, _Out]] = []
    file_id: Any = None  # the file every entry so far comes from (False once they do not all come from one)
    for part in parts:
        for paper in part:
            at = position.get(paper.id)
            if at is None:
                continue
            for j, out in enumerate(_entries(paper, keys[paper.id], notes_field)):
                info = (out.origin or {}).get("file")
                if file_id is not False and (not isinstance(info, dict) or file_id not in (None, info.get("id"))):
                    file_id = False  # no file comes back whole: the texts as written are let go
                    for _, _, before in made:
                        before.held(keep_raw=False)
                elif file_id is None and isinstance(info, dict):
                    file_id = info.get("id")
                made.append((at, j, out.held(keep_raw=file_id is not False)))
    made.sort(key=lambda m: (m[0], m[1]))
    outs = [out for _, _, out in made]
    del made
    exported = {o.key.lower() for o in outs}
    orphans = [o for o in outs if o.crossref and o.crossref.lower() not in exported]
    if orphans:  # a child whose parent stays behind carries what it inherits
        wanted = {o.crossref.lower() for o in orphans if o.crossref}
        parents: dict[str, BibEntry] = {}
        for part in library():
            for p in part:
                for key, origin in _bib_origins(p, keys[p.id]):
                    if key.lower() in wanted:
                        parents.setdefault(key.lower(), origin_entry(origin, key, p))
        for out in orphans:
            parent = parents.get((out.crossref or "").lower())
            if parent is not None:
                child = BibEntry(type=out.type, key=out.key, fields=dict(out.fields))
                out.fields += [(name, "{" + safe_raw(value) + "}") for name, value in inherited(child, parent).items()]
                out.raw = None
    whole = _whole_file(outs)
    if whole is not None:
        yield from in_pieces(_file_parts(whole))
        return
    if notes is not None:
        notes += _left_out(outs)
    yield from in_pieces(_joined_parts(_ordered(outs)))


def _joined_parts(outs: list[_Out]) -> Iterator[str]:
    """``"\n".join(o.text() for o in outs)``, a part at a time."""
    for i, out in enumerate(outs):
        if i:
            yield "\n"
        yield out.text()


def _whole_file(outs: list[_Out]) -> list[_Out] | None:
    """The entries in their file's order, when they are exactly the entries one file gave; else None."""
    infos = [o.origin.get("file") if o.origin is not None else None for o in outs]
    first = infos[0] if infos else None
    if not isinstance(first, dict) or not all(isinstance(info, dict) for info in infos):
        return None
    count = first.get("entries")
    if not isinstance(count, int) or len(outs) != count or any(i.get("id") != first.get("id") for i in infos):  # type: ignore[union-attr]
        return None
    by_index = {info.get("index"): out for info, out in zip(infos, outs, strict=True)}  # type: ignore[union-attr]
    if set(by_index) != set(range(count)):
        return None
    return [by_index[i] for i in range(count)]


def _file_parts(outs: list[_Out]) -> Iterator[str]:
    """One file's entries with the text around them (see :func:`export_bibtex`), a part at a time."""
    for out in outs:
        origin = out.origin or {}
        yield _around(origin.get("lead"))
        yield out.raw if out.raw is not None else out.text().rstrip("\n")
    yield _around((outs[-1].origin or {}).get("tail"))


def _around(text: Any) -> str:
    """Text between entries as the file had it; made safe where BibTeX reads it (@preamble, a broken entry)."""
    if not isinstance(text, str):
        return ""
    at = _AT_BLOCK.search(text)
    while at is not None and at[1].lower() == "comment":
        at = _AT_BLOCK.search(text, at.end())
    return text if at is None else safe_raw(text)


_AT_BLOCK = re.compile(r"@[ \t]*([A-Za-z]+)[ \t]*[{(]")


def _left_out(outs: list[_Out]) -> list[str]:
    """A note naming each file whose own blocks (@comment, @preamble, ...) this export leaves out."""
    files: dict[str, tuple[str, int]] = {}
    for out in outs:
        origin = out.origin or {}
        info = origin.get("file")
        if isinstance(info, dict) and info.get("blocks") is True:
            files[str(info.get("id"))] = (str(info.get("name")), int(info.get("entries") or 0))
    return [
        f"Left out the file-level blocks (@comment, @preamble, @string) of {name}: only an export of exactly "
        f"its {n} entries writes them back"
        for name, n in files.values()
    ]


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
    if primary and origin.get("seen") and not paper.edited:
        now = fingerprint(notes_field, paper.title, paper.authors, paper.tags, clean_text(paper.notes).strip("\n"),
                          paper_status(paper))  # fmt: skip
        if now == origin["seen"]:  # nothing changed in readlist since the entry was stored
            return _as_written(_written(entry, fields, bare), origin, entry)
    seen = view(entry, notes_field, personal_only=True)
    changed = []

    def put(name: str, value: str | None) -> None:
        changed.append(name)
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
    if primary and paper.edited:
        _put_edits(paper, entry, notes_field, put)
        if "type" in paper.edited and paper.type and bibtex_type(paper.type) != entry.type.lower():
            changed.append("type")
            entry = BibEntry(type=bibtex_type(paper.type), key=entry.key, fields=entry.fields, bare=entry.bare)
    out = _written(entry, fields, bare)
    out.origin = origin
    return out if changed else _as_written(out, origin, entry)


def _as_written(out: _Out, origin: dict[str, Any], entry: BibEntry) -> _Out:
    """An unchanged entry, with its text as the file wrote it when the file's layout was kept and is safe."""
    out.origin = origin
    info = origin.get("file")
    if isinstance(info, dict) and info.get("key") == out.key and all(safe_raw(v) == v for v in entry.fields.values()):
        out.raw = render(origin.get("layout"), entry.fields)
    return out


def _put_edits(paper: Paper, entry: BibEntry, notes_field: str, put: Any) -> None:
    """The reader's edits (`readlist edit`) over the entry as written: year, venue, DOI, URL, abstract."""
    edited = set(paper.edited)
    if "year" in edited:
        put("year", str(paper.year) if paper.year else None)
        if entry.get("date") is not None:
            put("date", str(paper.year) if paper.year else None)
    if "venue" in edited:
        before = view(entry, notes_field).venue
        for name in dict.fromkeys([*before, *paper.venue]):
            written = next((f for f in VENUE_SOURCES.get(name, (name,)) if entry.get(f) is not None), name)
            value = paper.venue.get(name)
            if value == before.get(name):
                continue
            put(written, _venue_value(name, value) if value else None)
    if "doi" in edited:
        put("doi", encode(paper.doi) if paper.doi else None)
    if "url" in edited:
        put("url", url_text(paper.url) if paper.url else None)
    if "abstract" in edited:
        put("abstract", encode(paper.abstract) if paper.abstract else None)


def _written(entry: BibEntry, fields: dict[str, str], bare: set[str]) -> _Out:
    """An entry's fields as they go after "=": braced text, bare macros; every one made safe for TeX."""
    written = [
        (name, safe_raw(value) if name in bare else "{" + safe_raw(value) + "}")
        for name, value in fields.items()
    ]  # fmt: skip
    crossref = entry.get("crossref")
    return _Out(entry.type, entry.key, written, crossref.strip() if crossref else None)


def _put_tags(entry: BibEntry, tags: list[str], put: Any) -> None:
    """keywords (and JabRef's groups, Mendeley's mendeley-tags) for these tags, each spelled as the file did.

    A tag the file held in groups or mendeley-tags stays there; other tags are keywords.
    """
    written: dict[str, str] = {}
    for name in ("keywords", *TAG_FIELDS):
        raw = entry.get(name) or ""
        for part in raw.replace(";", ",").split(","):
            for tag in split_tags(part):
                written.setdefault(tag, part.strip())
    placed: set[str] = set()
    for name in TAG_FIELDS:
        if entry.get(name) is None:
            continue
        kept = [t for t in split_tags(entry.get(name) or "") if t in tags and t not in placed]
        placed.update(kept)
        separator = "," if name == "mendeley-tags" else ", "  # as Mendeley writes them
        put(name, separator.join(written[t] for t in kept) if kept else None)
    keywords = [written.get(t) or encode(t) for t in tags if t not in placed]
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
        if paper.is_arxiv:  # arXiv's journal reference is a raw string ("Adv.Theor.Math.Phys.2:231-252,1998")
            venue.setdefault("note", paper.journal_ref)
        else:
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
    if "type" in paper.edited and paper.type:
        kind = bibtex_type(paper.type)
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


def bibtex_type(csl_type: str) -> str:
    """A CSL type (a paper's edited type) as a BibTeX entry type; ``misc`` where BibTeX has none."""
    from readlist.formats.csl import BIBTEX_TYPES

    return BIBTEX_TYPES.get(csl_type, "misc")
