"""CSL JSON, the format of Zotero, pandoc and citeproc: `import csl FILE` and `export csl`.

The same rule as BibTeX: an imported item is kept whole (every field, unknown
ones included) and exported as it came, with readlist's changes on top:
``title``, ``author``, ``keyword`` (tags, "a, b"), ``note`` (notes) and
``custom.readstatus`` (status, JabRef's words: ``read``, ``skimmed`` for
reading, ``dropped``; no value for to-read). Export, import and export again
gives the same bytes.

* **Keys**: ``citation-key`` (Zotero 7, Better BibTeX), else ``id`` unless it
  is a URI (Zotero's plain export), else one is generated; an item exported
  from readlist has ``id`` = its key, and an item whose ``id`` is not its key
  gets ``citation-key`` so pandoc and readlist agree.
* **Edits** made with `readlist edit` (year, venue, type, DOI, URL,
  abstract) are written over the item's variables, like title and authors.
* **Papers from elsewhere** (arXiv, BibTeX, by hand) become items mapped
  from their fields (:data:`CSL_TYPES`, :func:`csl_item`), and CSL items
  become BibTeX entries the same way (:func:`csl_to_bibtex`).
"""

from __future__ import annotations

import copy
import json
import re
import sys
import time
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from readlist.core.citekey import citation_keys
from readlist.core.clean import clean_line, clean_text, clean_value
from readlist.core.errors import BadInput
from readlist.core.files import read_regular
from readlist.core.library import Library, normalize_doi
from readlist.core.links import link_or_none
from readlist.core.models import Paper, Status
from readlist.formats.bibtex.entry import (
    READSTATUS_OUT,
    EntryView,
    arxiv_ref,
    month_number,
    origin_entry,
    paper_values,
    read_status,
    render_name,
    split_names,
    split_tags_counted,
)
from readlist.formats.bibtex.latex import encode, url_text
from readlist.formats.bibtex.parse import MONTHS
from readlist.formats.files import in_pieces
from readlist.formats.importing import Candidate, ImportReport, TooLarge, bulk_work, check_sizes, link_files, place

# BibTeX / biblatex entry type -> CSL type, and back.
CSL_TYPES = {
    "article": "article-journal", "inproceedings": "paper-conference", "conference": "paper-conference",
    "proceedings": "book", "book": "book", "mvbook": "book", "bookinbook": "chapter", "inbook": "chapter",
    "incollection": "chapter", "collection": "book", "mvcollection": "book", "booklet": "pamphlet",
    "manual": "report", "techreport": "report", "report": "report", "phdthesis": "thesis",
    "mastersthesis": "thesis", "thesis": "thesis", "unpublished": "manuscript", "online": "webpage",
    "misc": "document", "patent": "patent", "periodical": "periodical", "dataset": "dataset",
    "software": "software", "inreference": "entry-encyclopedia", "reference": "book",
}  # fmt: skip
BIBTEX_TYPES = {
    "article-journal": "article", "article-magazine": "article", "article-newspaper": "article",
    "paper-conference": "inproceedings", "book": "book", "chapter": "incollection", "report": "techreport",
    "thesis": "phdthesis", "manuscript": "unpublished", "pamphlet": "booklet", "periodical": "periodical",
    "entry-encyclopedia": "incollection", "entry-dictionary": "incollection", "article": "misc",
}  # fmt: skip
# readlist venue name -> CSL variable (container-title is journal or booktitle by type).
_VENUE_TO_CSL = (
    ("series", "collection-title"), ("volume", "volume"), ("number", "issue"), ("pages", "page"),
    ("edition", "edition"), ("publisher", "publisher"), ("address", "publisher-place"), ("isbn", "ISBN"),
    ("issn", "ISSN"),
)  # fmt: skip
_CONTAINER_IS_JOURNAL = frozenset(("article-journal", "article-magazine", "article-newspaper", "periodical"))
_MULTILINE = frozenset(("abstract", "note"))
# What a BibTeX key cannot hold (whitespace, comma, braces, %), and a backslash, which would run TeX in a .bbl.
_BAD_IN_KEY = re.compile(r"[\s,{}%\\]")
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|2\d\d\d)(?!\d)")


# -- reading items ---------------------------------------------------------------


def _text(value: Any) -> str:
    """A CSL text or number variable as one clean line ("" for anything else)."""
    if isinstance(value, bool):
        return ""
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        return " ".join(clean_line(value).split())
    if isinstance(value, list) and value and all(isinstance(v, str | int) for v in value):
        return ", ".join(_text(v) for v in value)  # ISSN and ISBN come as lists sometimes
    return ""


# CSL's rich text in titles (https://citeproc-js.readthedocs.io/en/latest/csl-json/markup.html) and the
# HTML some agencies send: tags with a name and at most a few hundred characters of attributes (linear).
_RICH_TAG = re.compile(
    r"</?(?:jats:|mml:)?(?:i|b|em|strong|sup|sub|sc|u|span|italic|bold|underline|monospace|small-caps)"
    r"(?:\s[^<>]{0,300})?/?>",
    re.IGNORECASE,
)
# Any tag in an abstract: JATS (<jats:p>), HTML (<br>, <p>, <b>), MathML.
_ANY_TAG = re.compile(r"</?[A-Za-z][\w:.-]{0,40}(?:\s[^<>]{0,500})?/?>")
_ABSTRACT_HEADING = re.compile(r"\s*<(jats:)?title>\s*abstract\s*</(jats:)?title>", re.IGNORECASE)


def plain(text: str, *, abstract: bool = False) -> str:
    """One line of text without its markup: CSL's rich text in a title, JATS or HTML in an abstract.

    Entities are decoded (``&amp;`` is ``&``); the stored item keeps the markup as it came.
    """
    if "<" not in text and "&" not in text:
        return text
    import html

    if abstract:
        text = _ABSTRACT_HEADING.sub(" ", text, count=1)
        text = _ANY_TAG.sub(" ", _RICH_TAG.sub("", text))
    else:
        text = _RICH_TAG.sub("", text)
    return " ".join(clean_line(html.unescape(text)).split())


def name_display(name: Any) -> str:
    """A CSL name object as readlist shows it: "given particles family suffix", or the literal."""
    if isinstance(name, str):
        return _text(name)
    if not isinstance(name, dict):
        return ""
    if _text(name.get("literal")):
        return _text(name.get("literal"))
    parts = (name.get(k) for k in ("given", "dropping-particle", "non-dropping-particle", "family", "suffix"))
    return " ".join(t for t in (_text(p) for p in parts) if t)


def names_display(names: Any) -> list[str]:
    if not isinstance(names, list):
        return []
    return [d for d in (name_display(n) for n in names) if d]


def _family(names: Any) -> str:
    if isinstance(names, list) and names and isinstance(names[0], dict):
        first = names[0]
        return _text(first.get("family")) or _text(first.get("literal"))
    return ""


def _date_parts(value: Any) -> tuple[int | None, int | None]:
    """(year, month) of a CSL date: date-parts, else raw or literal text."""
    if not isinstance(value, dict):
        return None, None
    parts = value.get("date-parts")
    if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
        first = parts[0]
        try:
            year = int(str(first[0]).strip())
        except ValueError:
            year = None
        month = None
        if len(first) > 1:
            try:
                month = int(str(first[1]).strip())
            except ValueError:
                month = None
        return (year if year and 1000 <= year <= 2999 else None), (month if month and 1 <= month <= 12 else None)
    for key in ("raw", "literal"):
        m = _YEAR.search(_text(value.get(key)))
        if m:
            return int(m[1]), None
    return None, None


def _keywords(value: Any) -> tuple[list[str], int]:
    if isinstance(value, list):
        value = ", ".join(v for v in value if isinstance(v, str))
    return split_tags_counted(value, latex=False) if isinstance(value, str) else ([], 0)


def _status(item: dict[str, Any]) -> Status | None:
    custom = item.get("custom")
    if isinstance(custom, dict) and isinstance(custom.get("readstatus"), str):
        return read_status(custom["readstatus"])
    return None


def item_view(item: dict[str, Any]) -> EntryView:
    """Readlist's fields for a CSL item."""
    v = EntryView()
    v.title = plain(_text(item.get("title")))
    v.authors = names_display(item.get("author"))
    v.family = _family(item.get("author")) or _family(item.get("editor"))
    year, month = _date_parts(item.get("issued"))
    v.year = year
    csl_type = _text(item.get("type"))
    container = _text(item.get("container-title"))
    if container:
        v.venue["journal" if csl_type in _CONTAINER_IS_JOURNAL else "booktitle"] = container
    editors = names_display(item.get("editor"))
    if editors:
        v.venue["editor"] = ", ".join(editors)
    for venue_name, variable in _VENUE_TO_CSL:
        value = _text(item.get(variable))
        if value:
            v.venue[venue_name] = value
    article_number = _text(item.get("article-number"))
    if article_number and "pages" not in v.venue:  # an article number stands where the pages would
        v.venue["pages"] = article_number
    number = _text(item.get("number"))
    if number and "number" not in v.venue and not number.lower().startswith("arxiv"):
        v.venue["number"] = number
    if month:
        v.venue["month"] = MONTHS[month - 1]
    doi_text = _text(item.get("DOI"))
    try:
        doi = normalize_doi(doi_text) if doi_text else None
    except BadInput:
        doi = None
    v.doi = None if doi and doi.startswith("10.48550/") else doi
    url = _text(item.get("URL"))
    v.url = link_or_none(url)
    v.arxiv = arxiv_ref({"doi": doi_text, "url": url, "number": number, "eprint": _text(item.get("eprint"))})
    v.abstract = (
        plain(" ".join(clean_line(item["abstract"]).split()), abstract=True)
        if isinstance(item.get("abstract"), str)
        else ""
    )
    v.tags, v.tags_left_out = _keywords(item.get("keyword"))
    v.notes = clean_text(item["note"]) if isinstance(item.get("note"), str) else ""
    v.status = _status(item)
    return v


def origin_item(origin: dict[str, Any], paper: Paper | None) -> dict[str, Any]:
    """A copy of a stored item, its fields stored once filled in from the paper."""
    stored = origin.get("item")
    item: dict[str, Any] = copy.deepcopy(stored) if isinstance(stored, dict) else {}
    mirrored = origin.get("mirror")
    if isinstance(mirrored, dict) and paper is not None:
        for name, attr in mirrored.items():
            if name in item and attr in ("title", "abstract", "notes"):
                value = getattr(paper, attr, "") or ""
                if value:
                    item[name] = value
                else:
                    del item[name]
    return item


def item_key(item: dict[str, Any]) -> str | None:
    """The citation key an item carries: ``citation-key``, else an ``id`` that is not a URI."""
    for value in (item.get("citation-key"), item.get("id")):
        if isinstance(value, str) and value.strip() and "://" not in value:
            return _BAD_IN_KEY.sub("-", clean_line(value).strip())
    return None


# -- import -----------------------------------------------------------------------


def import_csl(library: Library, path: Path, *, tags: Iterable[str] = (), status: Status | None = None) -> ImportReport:
    with bulk_work():
        return _import_csl(library, path, tags, status)


def _import_csl(library: Library, path: Path, tags: Iterable[str], status: Status | None) -> ImportReport:
    started = time.perf_counter()
    report = ImportReport(file=path, kind="CSL JSON")
    items, skipped = read_items(path, limit=None)  # the user's own file: each item is bounded instead
    report.entries = len(items)
    if skipped:
        report.notes.append(f"Skipped {skipped} item(s) that are not JSON objects")
    kept = []
    for position, item in items:
        try:
            check_sizes(item, ("note", "keyword"))
        except TooLarge as exc:
            report.skipped.append(f"item {position + 1} ({item_key(item) or 'no key'}): {exc}")
        else:
            kept.append((position, item))
    items = kept
    candidates = [candidate(item, i) for i, item in items]
    fields = [item.get("file") if isinstance(item.get("file"), str) else None for _, item in items]
    link_files(candidates, fields, path.resolve().parent, library.settings.max_pdf_bytes, report)
    report.seconds = time.perf_counter() - started
    place(library, candidates, report, tags=tags, status=status, source="csl")
    return report


def read_items(path: Path, *, limit: int | None = 20_000_000) -> tuple[list[tuple[int, dict[str, Any]]], int]:
    """(position, item) of a CSL JSON file's items (an array, ``{"items": [...]}``, or one item), and how many
    were not objects. ``limit``: the most bytes read (None: any size)."""
    cap = sys.maxsize if limit is None else limit
    raw = read_regular(path, cap, hint="give a CSL JSON file")  # a FIFO or a device is named, never opened
    import orjson  # nesting is capped at 1,024 levels: deep input is an error, never a RecursionError

    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        reason = " ".join(str(exc).split())[:120]
        raise BadInput(f"cannot read {path}: it is not JSON ({reason}); nothing was imported") from None
    if isinstance(data, dict):
        data = data["items"] if isinstance(data.get("items"), list) else [data]
    if not isinstance(data, list):
        raise BadInput(f"{path} is not CSL JSON (an array of items); nothing was imported")
    items: list[tuple[int, dict[str, Any]]] = []
    skipped = 0
    for position, item in enumerate(data):
        if not isinstance(item, dict):
            skipped += 1
            continue
        try:
            items.append((position, clean_value(item, _MULTILINE)))
        except ValueError as exc:
            raise BadInput(f"cannot read {path}: an item is {exc}; nothing was imported") from None
    if not items:
        raise BadInput(f"{path} holds no CSL items; nothing was imported")
    return items, skipped


def candidate(item: dict[str, Any], index: int = 0) -> Candidate:
    v = item_view(item)
    key = item_key(item)
    title = v.title if v.title or v.arxiv is None else ""
    if not title and v.arxiv is None:
        title = f"[{_text(item.get('type')) or 'item'} {key or index + 1}]"
    values = paper_values(v, title, pending=not v.title)
    plain = (("title", "title", values["title"]), ("abstract", "abstract", v.abstract), ("note", "notes", v.notes))
    shared = {name: (attr, value) for name, attr, value in plain if value and item.get(name) == value}
    origin = {"format": "csl", "item": item}
    return Candidate.from_view(
        v, values, label=key or f"item {index + 1}", key=key, origin=origin, titled=bool(v.title), mirror=shared
    )


# -- export ------------------------------------------------------------------------


def export_csl(papers: list[Paper], *, library: Iterable[Paper] | None = None) -> str:
    """The CSL JSON of these papers: an array of items sorted by key ("[]" for none)."""
    everyone = list(library) if library is not None else list(papers)
    known = {p.id for p in everyone}
    keys = citation_keys(everyone + [p for p in papers if p.id not in known])
    return "".join(csl_pieces([p.id for p in papers], [papers], keys))


def csl_pieces(order: Sequence[str], parts: Iterable[Iterable[Paper]], keys: Mapping[str, str]) -> Iterator[str]:
    """:func:`export_csl` of the papers ``order`` names (their ids, in the export's order), given in ``parts``
    (in any order, each part let go once its items are made), in pieces that join into its text: each item
    is held as its JSON text, not as the paper it comes from. ``keys`` is every saved paper's key."""
    position = {paper_id: i for i, paper_id in enumerate(order)}
    items: list[tuple[str, int, int, str]] = []
    for part in parts:
        for paper in part:
            at = position.get(paper.id)
            if at is None:
                continue
            for j, (key, item) in enumerate(paper_items(paper, keys[paper.id])):
                # As json.dumps indents it in the array: a JSON text holds no raw newline but between tokens.
                text = "  " + json.dumps(item, ensure_ascii=False, indent=2).replace("\n", "\n  ")
                items.append((key, at, j, text))
    if not items:
        yield "[]\n"
        return
    items.sort(key=lambda found: (found[0].lower(), found[0], found[1], found[2]))
    yield from in_pieces(_array_parts([text for *_, text in items]))


def _array_parts(texts: list[str]) -> Iterator[str]:
    """``json.dumps`` of the array these items' texts give, with indent 2 and a final newline, a part at a
    time."""
    yield "[\n"
    for i, text in enumerate(texts):
        if i:
            yield ",\n"
        yield text
    yield "\n]\n"


def paper_items(paper: Paper, key: str) -> list[tuple[str, dict[str, Any]]]:
    """(key, item) for a paper and each of its other entries."""
    out = [(key, csl_item(paper, key, paper.origin if isinstance(paper.origin, dict) else None))]
    for other in paper.other_entries:
        if isinstance(other, dict) and other.get("key"):
            other_key = str(other["key"])
            out.append((other_key, csl_item(paper, other_key, other, primary=False)))
    return out


def csl_item(paper: Paper, key: str, origin: dict[str, Any] | None, primary: bool = True) -> dict[str, Any]:
    """One paper as a CSL item: its own item with readlist's changes, else mapped from its fields."""
    if origin is not None and origin.get("format") == "csl" and isinstance(origin.get("item"), dict):
        item = origin_item(origin, paper if primary else None)
        seen = item_view(item)
        if primary and paper.title and paper.title != seen.title:
            item["title"] = paper.title
        if primary and paper.authors != seen.authors:
            written = item.get("author")
            old = {name_display(n): n for n in written} if isinstance(written, list) else {}
            item["author"] = [old.get(a) or csl_name(a) for a in paper.authors]
        if primary and paper.edited:
            _put_edits(item, paper, seen)
        if item_key(item) != key:
            item["citation-key"] = key
    else:
        item = _mapped(paper, key, origin, primary)
        seen = item_view(item)
    _personal(item, paper, seen)
    return item


def edited_view(v: EntryView, paper: Paper) -> EntryView:
    """An entry's view with the reader's edits (`readlist edit`) over it: year, venue, DOI, URL, abstract."""
    edited = set(paper.edited)
    if "year" in edited:
        v.year = paper.year
    if "venue" in edited:
        v.venue = dict(paper.venue)
    if "doi" in edited:
        v.doi = paper.doi
    if "url" in edited:
        v.url = paper.url
    if "abstract" in edited:
        v.abstract = paper.abstract
    return v


def _put_edits(item: dict[str, Any], paper: Paper, seen: EntryView) -> None:
    """The reader's edits over a CSL item as it came (only the variables an edit changed)."""
    edited = set(paper.edited)
    if "type" in edited and paper.type:
        item["type"] = paper.type
    if "year" in edited and paper.year != seen.year:
        if paper.year:
            item["issued"] = {"date-parts": [[paper.year]]}
        else:
            item.pop("issued", None)
    if "venue" in edited and paper.venue != seen.venue:
        container = paper.venue.get("journal") or paper.venue.get("booktitle")
        if container != (seen.venue.get("journal") or seen.venue.get("booktitle")):
            _set(item, "container-title", container)
        for venue_name, variable in _VENUE_TO_CSL:
            if paper.venue.get(venue_name) != seen.venue.get(venue_name):
                _set(item, variable, paper.venue.get(venue_name))
    for name, variable in (("doi", "DOI"), ("url", "URL"), ("abstract", "abstract")):
        value = getattr(paper, name)
        if name in edited and value != getattr(seen, name):
            _set(item, variable, value)


def _set(item: dict[str, Any], variable: str, value: str | None) -> None:
    if value:
        item[variable] = value
    else:
        item.pop(variable, None)


def _personal(item: dict[str, Any], paper: Paper, seen: EntryView) -> None:
    if paper.tags != seen.tags:
        if paper.tags:
            item["keyword"] = ", ".join(paper.tags)
        else:
            item.pop("keyword", None)
    notes = clean_text(paper.notes)
    if notes != seen.notes:
        if notes:
            item["note"] = notes
        else:
            item.pop("note", None)
    status = _paper_status(paper)
    if status != (seen.status or Status.TO_READ):
        stored = item.get("custom")
        custom: dict[str, Any] = dict(stored) if isinstance(stored, dict) else {}
        if status in READSTATUS_OUT:
            custom["readstatus"] = READSTATUS_OUT[status]
        else:
            custom.pop("readstatus", None)
        if custom:
            item["custom"] = custom
        else:
            item.pop("custom", None)


def _paper_status(paper: Paper) -> Status:
    try:
        return Status(paper.status)
    except ValueError:
        return Status.TO_READ


def csl_name(display: str) -> dict[str, str]:
    """A name typed as one string as a CSL name: family and given (a best guess), or a literal."""
    from readlist.core.citekey import NAME_SUFFIXES

    words = display.split()
    if len(words) < 2 or "," in display:
        return {"literal": display}
    suffix = ""
    if len(words) > 2 and words[-1].lower() in NAME_SUFFIXES:
        suffix, words = words[-1], words[:-1]
    family, given = words[-1], words[:-1]
    particle: list[str] = []
    while given and given[-1][:1].islower():
        particle.insert(0, given.pop())
    name = {"family": family}
    if given:
        name["given"] = " ".join(given)
    if particle:
        name["non-dropping-particle"] = " ".join(particle)
    if suffix:
        name["suffix"] = suffix
    if not given and not particle and not suffix:
        return {"literal": display}
    return name


def _bib_names(raw: str, shown: list[str]) -> list[dict[str, str]] | None:
    """CSL names from a BibTeX name field, if they still read as ``shown``."""
    names = split_names(raw)
    if [n.display for n in names] != shown:
        return None
    out = []
    for n in names:
        if n.corporate or not (n.first or n.von or n.jr):
            out.append({"literal": n.display})
            continue
        name = {"family": n.last}
        if n.first:
            name["given"] = n.first
        if n.von:
            name["non-dropping-particle"] = n.von
        if n.jr:
            name["suffix"] = n.jr
        out.append(name)
    return out


def _mapped(paper: Paper, key: str, origin: dict[str, Any] | None, primary: bool) -> dict[str, Any]:
    """A CSL item for a paper that has none: from its BibTeX entry, or from its fields."""
    bib = origin is not None and origin.get("format") == "bibtex"
    entry = origin_entry(origin, key, paper if primary else None) if origin is not None and bib else None
    journal_ref = None
    if entry is not None:
        from readlist.formats.bibtex.entry import view

        seen = edited_view(view(entry), paper) if primary else view(entry)
        title, authors, year, venue = seen.title, seen.authors, seen.year, seen.venue
        abstract, doi, url = seen.abstract, seen.doi, seen.url
        csl_type = CSL_TYPES.get(entry.type, "document")
        if primary:
            title = paper.title or title
            authors = paper.authors
    else:
        title, authors, year, venue = paper.title or paper.id, paper.authors, paper.year, dict(paper.venue)
        abstract, doi, url = paper.abstract, paper.doi, paper.url
        if paper.journal_ref and not venue.get("journal") and not venue.get("booktitle"):
            if paper.is_arxiv:  # a raw string, not a container: kept as custom.journal-ref
                journal_ref = paper.journal_ref
            else:
                venue["journal"] = paper.journal_ref
        csl_type = (
            "article-journal"
            if venue.get("journal")
            else "paper-conference"
            if venue.get("booktitle")
            else ("article" if paper.is_arxiv else "document")
        )
    if primary and "type" in paper.edited and paper.type:
        csl_type = paper.type
    item: dict[str, Any] = {"id": key, "type": csl_type, "title": title}
    names = _bib_names(entry.get("author") or "", authors) if entry is not None else None
    if authors:
        item["author"] = names if names is not None else [csl_name(a) for a in authors]
    if venue.get("editor"):
        raw_editor = entry.get("editor") if entry is not None else None
        editors = [e.strip() for e in venue["editor"].split(",") if e.strip()]
        item["editor"] = (_bib_names(raw_editor, editors) if raw_editor else None) or [csl_name(e) for e in editors]
    container = venue.get("journal") or venue.get("booktitle")
    if container:
        item["container-title"] = container
    for venue_name, variable in _VENUE_TO_CSL:
        if venue.get(venue_name):
            item[variable] = venue[venue_name]
    if year:
        date = [year]
        month = month_number(venue.get("month", ""))
        if month:
            date.append(month)
        item["issued"] = {"date-parts": [date]}
    if paper.is_arxiv and primary:
        item["number"] = f"arXiv:{paper.id}"
        item.setdefault("publisher", "arXiv")
        doi = doi or f"10.48550/arXiv.{paper.id}"
        url = url or f"https://arxiv.org/abs/{paper.id}"
    if doi:
        item["DOI"] = doi
    if url:
        item["URL"] = url
    if abstract:
        item["abstract"] = abstract
    if entry is None and journal_ref:
        item["custom"] = {"journal-ref": journal_ref}
    return item


def csl_to_bibtex(paper: Paper, origin: dict[str, Any], primary: bool = True) -> tuple[str, list[tuple[str, str]]]:
    """A BibTeX type and (field, LaTeX text) pairs for a paper whose entry is a CSL item."""
    item = origin_item(origin, paper if primary else None)
    v = edited_view(item_view(item), paper) if primary else item_view(item)
    kind = paper.type if primary and "type" in paper.edited and paper.type else _text(item.get("type"))
    entry_type = BIBTEX_TYPES.get(kind, "misc")
    title = paper.title if primary and paper.title else v.title
    fields: list[tuple[str, str]] = [("title", encode(title, protect_caps=True))]
    authors = paper.authors if primary else v.authors
    if authors:
        written = item.get("author")
        by_display = {name_display(n): n for n in written} if isinstance(written, list) else {}
        fields.append(("author", " and ".join(_bib_name(by_display.get(a), a) for a in authors)))
    editors = item.get("editor") if isinstance(item.get("editor"), list) else []
    if editors:
        fields.append(("editor", " and ".join(_bib_name(n, name_display(n)) for n in editors if name_display(n))))
    if v.year:
        fields.append(("year", str(v.year)))
    container = v.venue.get("journal") or v.venue.get("booktitle")
    if container:
        fields.append(("journal" if "journal" in v.venue else "booktitle", encode(container)))
    for venue_name, _ in _VENUE_TO_CSL:
        if v.venue.get(venue_name):
            fields.append((venue_name, encode(v.venue[venue_name])))
    if v.venue.get("month"):
        fields.append(("month", v.venue["month"]))
    if v.arxiv is not None:
        fields += [("eprint", encode(v.arxiv.id + (v.arxiv.version or ""))), ("archivePrefix", "arXiv")]
    if v.doi:
        fields.append(("doi", encode(v.doi)))
    if v.url:
        fields.append(("url", url_text(v.url)))
    if v.abstract:
        fields.append(("abstract", encode(v.abstract)))
    return entry_type, fields


def _bib_name(name: Any, display: str) -> str:
    """A CSL name as BibTeX reads it: "von Last, Jr, First", or a braced literal."""
    if not isinstance(name, dict) or _text(name.get("literal")) or not _text(name.get("family")):
        return render_name(display) if " " in display and not isinstance(name, dict) else "{" + encode(display) + "}"
    family = _text(name.get("family"))
    particle = " ".join(
        t for t in (_text(name.get("dropping-particle")), _text(name.get("non-dropping-particle"))) if t
    )
    last = encode(f"{particle} {family}".strip())
    if " " in family and not particle:
        last = "{" + encode(family) + "}"  # "Van Noorden": one surname, as the item says
    given = _text(name.get("given"))
    suffix = _text(name.get("suffix"))
    return ", ".join(p for p in (last, encode(suffix) if suffix else "", encode(given) if given else "") if p)
