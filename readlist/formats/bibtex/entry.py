"""A BibTeX entry as readlist sees it: names, venue, identifiers and the reader's own fields.

The same functions serve the import (what a new record holds) and the export
(whether the reader changed a field since: a field is written back exactly
as the file had it unless readlist's value differs from what the file's
value reads as).

* **Names** follow BibTeX's rules (bibtexparser 2's splitting): "First von
  Last", "von Last, First", "von Last, Jr, First"; a braced name is one
  corporate name; a capitalised particle stays part of the surname where the
  file put it (``Van Noorden, Richard``).
* **Personal data**: tags <-> ``keywords`` (commas or semicolons; JabRef's
  ``groups`` read too), notes <-> the notes field (``annote`` unless
  configured), status <-> ``readstatus`` (:data:`READSTATUS_IN`, :data:`READSTATUS_OUT`).
* **crossref**: a parent fills what its child lacks, by BibTeX's rule (same
  field name) and biblatex's (a book's title is its chapter's booktitle).
"""

from __future__ import annotations

import functools
import re
from _blake2 import blake2b  # hashlib's own blake2b, without loading OpenSSL
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from readlist.core.errors import BadInput
from readlist.core.links import link_or_none
from readlist.core.models import MAX_TAGS, Status, normalize_tag
from readlist.core.refs import ArxivRef, arxiv_ref_in, find_arxiv_ref
from readlist.formats.bibtex.latex import decode, decode_text, encode, encode_text
from readlist.formats.bibtex.parse import MONTHS, BibEntry

# JabRef writes readstatus = read | skimmed (and nothing for "no status"); readlist's own values are read too.
READSTATUS_IN = {
    "read": Status.READ,
    "skimmed": Status.READING,
    "reading": Status.READING,
    "to-read": Status.TO_READ,
    "toread": Status.TO_READ,
    "to read": Status.TO_READ,
    "unread": Status.TO_READ,
    "dropped": Status.DROPPED,
}
READSTATUS_OUT = {Status.READ: "read", Status.READING: "skimmed", Status.DROPPED: "dropped"}  # to-read: no field

# venue name -> the entry's fields it comes from (BibTeX's name first, then biblatex's).
VENUE_SOURCES: dict[str, tuple[str, ...]] = {
    "journal": ("journal", "journaltitle"),
    "booktitle": ("booktitle",),
    "volume": ("volume",),
    "number": ("number", "issue"),
    "pages": ("pages",),
    "month": ("month",),
    "publisher": ("publisher",),
    "editor": ("editor",),
    "series": ("series",),
    "address": ("address", "location"),
    "edition": ("edition",),
    "institution": ("institution",),
    "school": ("school",),
    "organization": ("organization",),
    "howpublished": ("howpublished",),
    "isbn": ("isbn",),
    "issn": ("issn",),
    "note": ("note",),
}
_VENUE_FIELDS = frozenset(source for sources in VENUE_SOURCES.values() for source in sources)
# Fields a crossref child never takes from its parent.
NOT_INHERITED = frozenset(
    "ids crossref xref entryset entrysubtype execute label options presort related relatedoptions relatedstring "
    "relatedtype shorthand shorthandintro sortkey sortname sorttitle sortyear keywords groups annote readstatus "
    "abstract file doi eprint eprinttype eprintclass archiveprefix primaryclass url urldate".split()
)
_BOOKS = frozenset("book collection proceedings reference mvbook mvcollection mvproceedings mvreference".split())
_IN_BOOKS = frozenset(
    "inbook incollection inproceedings inreference bookinbook suppbook suppcollection suppperiodical".split()
)
_AS_BOOK = {"title": "booktitle", "subtitle": "booksubtitle", "titleaddon": "booktitleaddon"}

_NOT_A_VENUE = re.compile(r"^\s*(arxiv\b.*|corr|preprint|e-?prints?)\s*$", re.IGNORECASE)
_YEAR = re.compile(r"(?<!\d)(1[5-9]\d\d|2\d\d\d)(?!\d)")
_DATE_MONTH = re.compile(r"^\s*\d{4}-(\d{2})")
_TAG_SPLIT = re.compile(r"[,;]")
_URL = re.compile(r"https?://[^\s{}]+")


# -- names -------------------------------------------------------------------


@dataclass(frozen=True)
class Name:
    """One name split by BibTeX's rules, each part decoded to plain text."""

    first: str
    von: str
    last: str
    jr: str
    raw: str
    corporate: bool = False
    display: str = ""
    """"First von Last Jr", the way readlist shows a name."""

    @property
    def family(self) -> str:
        """The surname without its particle (for keys): "Berg" of "Anna van der Berg"."""
        return self.last


def _is_others(raw: str) -> bool:
    return raw.strip().lower() in ("others", "et al.", "et al")


@functools.lru_cache(maxsize=8192)
def _split_one(raw: str) -> Name:
    if not any(c in raw for c in "{\\,~-") and raw.isascii():
        words = raw.split()
        if len(words) > 1 and all(w[0].isupper() for w in words):
            # "First Middle Last", no particle: BibTeX's rule makes the last word the surname (the usual case, fast)
            first = " ".join(words[:-1])
            return Name(first, "", words[-1], "", raw, False, " ".join(words))
    from bibtexparser.middlewares.names import parse_single_name_into_parts

    try:
        parts = parse_single_name_into_parts(raw, strict=False)
    except Exception:  # a name bibtexparser cannot split is one name, as written
        text = decode(raw)
        return Name("", "", text, "", raw, corporate=True, display=text)
    corporate = not parts.first and not parts.von and not parts.jr and len(parts.last) == 1
    corporate = corporate and parts.last[0].startswith("{") and parts.last[0].endswith("}")
    first, von, last, jr = (decode(" ".join(p)) for p in (parts.first, parts.von, parts.last, parts.jr))
    display = " ".join(p for p in (first, von, last, jr) if p)
    return Name(first, von, last, jr, raw, corporate, display)


# " and " between names, outside braces (spaces are single once the field is one line: no backtracking).
_AND = re.compile(" and ", re.IGNORECASE)
_AND_OR_BRACE = re.compile("[{}]| and ", re.IGNORECASE)


def raw_names(raw: str) -> list[str]:
    """The names of an author/editor field as written, split at "and" outside braces ("others" dropped).

    BibTeX's own rule; bibtexparser 2's splitter drops the first characters of
    a name that starts with a backslash after "and", so the split is done here.
    """
    text = " ".join(raw.split())
    if "{" not in text:
        names = _AND.split(text)
    else:
        names = []
        depth = 0
        start = 0
        for m in _AND_OR_BRACE.finditer(text):
            token = m[0]
            if token == "{":
                depth += 1
            elif token == "}":
                depth = max(0, depth - 1)
            elif depth == 0:
                names.append(text[start : m.start()])
                start = m.end()
        names.append(text[start:])
    return [n for n in (name.strip() for name in names) if n and not _is_others(n)]


def split_names(raw: str) -> list[Name]:
    """The names of an author/editor field, split and decoded."""
    split = _split_one
    return [name for name in map(split, raw_names(raw)) if name.display]


def display_names(raw: str) -> list[str]:
    return [n.display for n in split_names(raw)]


def render_names(authors: list[str], written: str = "") -> str:
    """A BibTeX author field for readlist's names, reusing each name as ``written`` had it where it is unchanged."""
    kept = {n.display: n.raw for n in split_names(written)} if written else {}
    return " and ".join(kept.get(name) or render_name(name) for name in authors if name.split())  # blanks: no name


def render_name(name: str) -> str:
    """A name typed as one string, as BibTeX reads it: "Last, First"; one word or a corporate name braced whole."""
    from readlist.core.citekey import NAME_SUFFIXES

    name = " ".join(name.split())
    words = name.split()
    if "," in name or len(words) == 1 or " and " in f" {name.lower()} ":
        return "{" + encode(name) + "}"
    jr = ""
    if len(words) > 2 and words[-1].lower() in NAME_SUFFIXES:
        jr, words = words[-1], words[:-1]
    last, first = words[-1], " ".join(words[:-1])
    while first and first.split()[-1][:1].islower():  # "van der Waals": lower-case particles join the surname
        *rest, particle = first.split()
        last, first = f"{particle} {last}", " ".join(rest)
    if not first:
        return "{" + encode(name) + "}"
    return f"{encode(last)}, {encode(jr) + ', ' if jr else ''}{encode(first)}"


# -- personal data --------------------------------------------------------------


# Fields besides ``keywords`` whose words are tags: JabRef's groups, Mendeley's own tags.
TAG_FIELDS = ("groups", "mendeley-tags")


def split_tags(text: str, latex: bool = True) -> list[str]:
    """Tags from a keywords or groups field (commas or semicolons), normalised, in order, once each.

    ``latex=False`` for plain text (CSL's ``keyword``).
    """
    return split_tags_counted(text, latex)[0]


def split_tags_counted(text: str, latex: bool = True) -> tuple[list[str], int]:
    """:func:`split_tags`, at most :data:`MAX_TAGS` of them, and how many more keywords were left out.

    Linear in the field: a set holds the tags seen, and the keywords past the cap are counted, not read.
    """
    tags: list[str] = []
    if not text:
        return tags, 0
    parts = _TAG_SPLIT.split(decode(text) if latex else text)
    seen: set[str] = set()
    for n, part in enumerate(parts):
        if len(tags) >= MAX_TAGS:
            return tags, sum(1 for rest in parts[n:] if rest.strip())
        tag = _tag(part)
        if tag and tag not in seen:
            seen.add(tag)
            tags.append(tag)
    return tags, 0


@functools.lru_cache(maxsize=4096)
def _tag(text: str) -> str:
    """A keyword as a tag ("" for none); libraries repeat their keywords, so this is cached."""
    try:
        return normalize_tag(text)
    except BadInput:
        return ""


def read_status(text: str | None) -> Status | None:
    if not text:
        return None
    return READSTATUS_IN.get(" ".join(decode(text).lower().split()))


# -- the whole entry ---------------------------------------------------------------


@dataclass
class EntryView:
    """What readlist takes from one entry."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    family: str = ""
    """The first author's (else editor's) surname without particle, for keys and duplicate checks."""
    year: int | None = None
    venue: dict[str, str] = field(default_factory=dict)
    doi: str | None = None
    arxiv: ArxivRef | None = None
    url: str | None = None
    abstract: str = ""
    primary_category: str | None = None
    tags: list[str] = field(default_factory=list)
    tags_left_out: int = 0
    """Keywords past readlist's cap of tags per paper, left out (and said)."""
    notes: str = ""
    status: Status | None = None

    @property
    def journal_ref(self) -> str | None:
        """The venue on one line, for display: "Nature 514(7524), 550--553"."""
        venue = self.venue
        if not venue:
            return None
        container = venue.get("journal") or venue.get("booktitle") or ""
        if container and _NOT_A_VENUE.match(container):
            container = ""
        text = container
        if venue.get("volume"):
            text += f" {venue['volume']}" if text else f"vol. {venue['volume']}"
        if venue.get("number"):
            text += f"({venue['number']})"
        if venue.get("pages"):
            text += f", {venue['pages']}" if text else venue["pages"]
        if not text:
            text = ", ".join(venue[k] for k in ("publisher", "institution", "school", "howpublished") if venue.get(k))
        return text.strip() or None


def paper_values(v: EntryView, title: str, pending: bool) -> dict[str, Any]:
    """The fields of a paper record an entry gives (BibTeX or CSL alike): those it has, and its links,
    arXiv's for an arXiv paper (``pending`` until arXiv is asked), else its own URL or its DOI's."""
    values: dict[str, Any] = {"title": title}
    if v.authors:
        values["authors"] = v.authors
    if v.year is not None:
        values["year"] = v.year
    if v.venue:
        values["venue"] = v.venue
    if v.doi:
        values["doi"] = v.doi
    journal_ref = v.journal_ref
    if journal_ref:
        values["journal_ref"] = journal_ref
    if v.abstract:
        values["abstract"] = v.abstract
    if v.arxiv is not None:
        if v.primary_category:
            values["primary_category"] = v.primary_category
            values["categories"] = [v.primary_category]
        if v.arxiv.version:
            values["version"] = v.arxiv.version
        values["url"] = f"https://arxiv.org/abs/{v.arxiv.id}"
        values["pdf_url"] = f"https://arxiv.org/pdf/{v.arxiv.query_id}"
        values["pending"] = pending
    else:
        if v.url:
            values["url"] = v.url
        elif v.doi:
            values["url"] = f"https://doi.org/{v.doi}"
        if v.year is not None:
            values["published"] = f"{v.year}-01-01"
    return values


def fallback_title(entry: BibEntry) -> str:
    """What an entry without a title is called: ``[set set]``."""
    return f"[{entry.type} {entry.key}]"


def inherited(entry: BibEntry, parent: BibEntry | None) -> dict[str, str]:
    """Fields (as written) the entry takes from its crossref parent, by BibTeX's and biblatex's rules."""
    if parent is None:
        return {}
    out: dict[str, str] = {}
    as_book = parent.type in _BOOKS and entry.type in _IN_BOOKS
    for name, value in parent.fields.items():
        lowered = name.lower()
        if lowered in NOT_INHERITED or name in parent.bare:
            continue
        target = _AS_BOOK.get(lowered, lowered) if as_book else lowered
        if as_book and lowered in ("booktitle", "booksubtitle", "booktitleaddon"):
            continue  # a book's own booktitle is not its chapter's
        if entry.name(target) is None and target not in out:
            out[target] = value
    return out


def texts_of(entry: BibEntry) -> dict[str, str]:
    """Lower-case field name -> text, as :meth:`BibEntry.get` gives it (a name as written first, else the first
    of its cases; a bare macro is absent), made once so that reading an entry's fields is one lookup each."""
    fields = entry.fields
    bare = entry.bare
    named = {name.lower(): name for name in fields}
    if len(named) != len(fields):  # names that differ only in case (a hand-edited library): get's rule
        named = {}
        for name in reversed(list(fields)):
            named[name.lower()] = name
        for lowered in named:
            if lowered in fields:
                named[lowered] = lowered
    if not bare:
        return {lowered: fields[name] for lowered, name in named.items()}
    return {lowered: fields[name] for lowered, name in named.items() if name not in bare}


def view(
    entry: BibEntry, notes_field: str = "annote", parent: BibEntry | None = None, personal_only: bool = False
) -> EntryView:
    """Readlist's fields for an entry (with what its crossref parent fills in).

    ``personal_only``: only what an export compares (title, authors, tags, notes, status).
    """
    v = EntryView()
    own = texts_of(entry)
    get = own.get
    title = get("title")
    v.title = decode(title) if title is not None else fallback_title(entry)
    if parent is None and not entry.bare and _VIEW_FIELDS.isdisjoint(own) and notes_field.lower() not in own:
        return v  # nothing but a title (and fields readlist does not read): every other value is its default
    tag_texts = [text for text in (get("keywords"), *map(get, TAG_FIELDS)) if text]
    if tag_texts:
        v.tags, v.tags_left_out = split_tags_counted(",".join(tag_texts))
    notes = get(notes_field.lower())
    v.notes = decode_text(notes).strip("\n") if notes else ""
    v.status = read_status(get("readstatus"))
    if personal_only:
        v.authors = display_names(get("author") or "")
        return v
    extra = inherited(entry, parent)
    if extra:

        def text(name: str) -> str:
            return own.get(name) or extra.get(name, "")
    else:

        def text(name: str) -> str:
            return own.get(name) or ""

    author = get("author")
    names = split_names(author) if author else []  # its own authors only: they are what an export compares
    v.authors = [n.display for n in names]
    editor = text("editor")
    editors = split_names(editor) if editor else []
    lead = names[0] if names else editors[0] if editors else None
    v.family = lead.family if lead is not None else ""
    year = text("year") or text("date")
    m = _YEAR.search(year) if year else None
    v.year = int(m[1]) if m else None
    v.arxiv = arxiv_ref(own)
    if v.year is None and v.arxiv is not None and re.match(r"\d{4}\.", v.arxiv.id):
        v.year = 2000 + int(v.arxiv.id[:2])
    if extra or not _VENUE_FIELDS.isdisjoint(own):
        for venue_name, sources in VENUE_SOURCES.items():
            if venue_name == "month":
                value = _month(entry, extra)
            elif venue_name == "editor":
                value = ", ".join(n.display for n in editors)
            else:
                value = ""
                for source in sources:
                    raw = own.get(source) or (extra.get(source) if extra else None)
                    if raw:
                        value = decode(raw)
                        break
            if value:
                v.venue[venue_name] = value
    elif entry.bare or "date" in own:
        # None of the venue fields (and no parent to fill them): only a bare month, or a date's, may be its venue.
        month = _month(entry, extra)
        if month:
            v.venue["month"] = month
    doi = get("doi")
    v.doi = _doi(doi) if doi else None
    url = (get("url") or "").strip()
    if not url:
        howpublished = get("howpublished")
        found = _URL.search(howpublished) if howpublished else None
        url = found[0] if found else ""
    v.url = link_or_none(url) if url else None
    abstract = get("abstract")
    v.abstract = decode(abstract) if abstract else ""
    primary = get("primaryclass") or get("eprintclass")
    v.primary_category = " ".join(primary.split()) if primary else None
    return v


def _month(entry: BibEntry, extra: dict[str, str]) -> str:
    name = entry.name("month")
    if name is not None:
        value = entry.fields[name]
        if name in entry.bare:
            word = value.split("#", 1)[0].strip().lower()
            return word if word in MONTHS else decode(value)
        return decode(value)
    if "month" in extra:
        return decode(extra["month"])
    date = entry.get("date") or extra.get("date") or ""
    m = _DATE_MONTH.match(date)
    if m and 1 <= int(m[1]) <= 12:
        return MONTHS[int(m[1]) - 1]
    return ""


def month_number(month: str) -> int | None:
    """1-12 for "sep", "September", "9"; None otherwise."""
    word = month.strip().lower()[:3]
    if word in MONTHS:
        return MONTHS.index(word) + 1
    if month.strip().isdigit() and 1 <= int(month) <= 12:
        return int(month)
    return None


def _doi(text: str) -> str | None:
    text = decode(text).strip()
    if not text:
        return None
    try:
        doi = _normalize_doi()(text)
    except BadInput:
        return None
    return None if doi.startswith("10.48550/") else doi


@functools.cache
def _normalize_doi() -> Callable[[str], str]:
    """:func:`readlist.core.library.normalize_doi`, imported on first use, once (not once per entry)."""
    from readlist.core.library import normalize_doi

    return normalize_doi


# The fields that may name an entry's arXiv paper besides ``eprint`` (in the order they are looked at).
_ARXIV_PLACES = ("url", "doi", "journal", "journaltitle", "note", "howpublished", "arxivid", "volume", "number")
_ARXIV_FIELDS = frozenset(("eprint", *_ARXIV_PLACES))
# Every field :func:`view` reads besides the title and the notes field.
_VIEW_FIELDS = frozenset((
    "keywords", *TAG_FIELDS, "readstatus", "author", "editor", "year", "date", "doi", "url", "howpublished",
    "abstract", "primaryclass", "eprintclass", "archiveprefix", "eprinttype", *_ARXIV_FIELDS, *_VENUE_FIELDS,
))  # fmt: skip


def arxiv_ref(entry: BibEntry | dict[str, str]) -> ArxivRef | None:
    """The arXiv paper an entry names: ``eprint`` with ``archivePrefix``/``eprinttype`` arXiv (or none),
    an arxiv.org URL, an arXiv DOI, ``journal = {arXiv preprint arXiv:...}``."""
    if isinstance(entry, dict) and _ARXIV_FIELDS.isdisjoint(entry):
        return None  # none of the fields that could name it (most entries of a big file)

    def get(name: str) -> str:
        if isinstance(entry, dict):
            return entry.get(name) or ""
        return entry.get(name) or ""

    eprint = get("eprint").strip()
    prefix = (get("archiveprefix") or get("eprinttype")).strip().lower()
    if eprint and prefix in ("", "arxiv"):
        ref = find_arxiv_ref(eprint)
        if ref is not None:
            return ref
    for name in _ARXIV_PLACES:
        value = get(name)
        if not value:
            continue
        if name == "arxivid":
            ref = find_arxiv_ref(value)
            if ref is not None:
                return ref
        ref = arxiv_ref_in(value)
        if ref is not None:
            return ref
    return None


def fingerprint(
    notes_field: str, title: str, authors: list[str], tags: list[str], notes: str, status: Status | None
) -> str:
    """A short digest of what readlist reads from an entry (title, authors, tags, notes, status).

    Stored with the entry (``origin["seen"]``): when the paper's own values
    still give the same digest, nothing was changed in readlist and the entry
    is written back as stored without being read again (a 10,000-entry export
    skips most of its work).
    """
    # A Status is its value as text (a StrEnum): joined as it is, without the enum's property lookups.
    parts = [notes_field, title, "\x1f".join(authors), "\x1f".join(tags), notes, status or Status.TO_READ]
    return blake2b("\x1e".join(parts).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


def entry_origin(entry: BibEntry) -> dict[str, Any]:
    """The stored form of an entry as written (see :attr:`readlist.core.models.Paper.origin`)."""
    origin: dict[str, Any] = {"format": "bibtex", "type": entry.type, "fields": dict(entry.fields)}
    if entry.bare:
        origin["bare"] = list(entry.bare)
    return origin


def origin_entry(origin: dict[str, Any], key: str, paper: Any = None) -> BibEntry:
    """The entry back from its stored form (tolerant of a hand-edited library).

    Fields stored once, in the paper (see :func:`mirror`), are filled in from ``paper``.
    """
    fields = origin.get("fields")
    fields = {str(k): "" if v is None else str(v) for k, v in fields.items()} if isinstance(fields, dict) else {}
    bare = [str(b) for b in origin.get("bare") or () if str(b) in fields]
    mirrored = origin.get("mirror")
    if isinstance(mirrored, dict) and paper is not None:
        for name, attr in mirrored.items():
            if name not in fields or attr not in MIRRORED:
                continue
            value = getattr(paper, attr, "") or ""
            if not value:
                del fields[name]
            elif _RAW_SPECIALS.search(value) is None:
                fields[name] = value  # plain text: the same as the file had it while unchanged
            else:
                fields[name] = encode_text(value) if attr == "notes" else encode(value, protect_caps=attr == "title")
    return BibEntry(type=str(origin.get("type") or "misc"), key=key, fields=fields, bare=bare)


# Paper attributes an entry's field may be stored in, instead of twice; and what keeps text from being
# its own BibTeX (a character LaTeX reads as markup).
MIRRORED = frozenset(("title", "abstract", "notes"))
_RAW_SPECIALS = re.compile(r"[\\{}$%&#_~^]")


def mirror(origin: dict[str, Any], names: dict[str, tuple[str, str]]) -> None:
    """Store fields once: each ``name`` whose text is exactly readlist's value of ``attr`` and plain
    (no LaTeX markup) is emptied here and read from the paper when the entry is written
    (``names``: field -> (paper attribute, the paper's value))."""
    fields = origin.get("fields")
    if not isinstance(fields, dict):
        return
    kept: dict[str, str] = {}
    for name, (attr, value) in names.items():
        raw = fields.get(name)
        if raw and raw == value and _RAW_SPECIALS.search(raw) is None:
            fields[name] = ""
            kept[name] = attr
    if kept:
        origin["mirror"] = kept
