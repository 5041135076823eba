"""`import bibtex`: a .bib file into the library, offline, in one transaction.

* Entries that name an arXiv paper (``eprint`` with ``archivePrefix = arXiv``,
  an arxiv.org URL, ``journal = {arXiv preprint arXiv:...}``, an arXiv DOI)
  become arXiv papers with the file's metadata (pending only when the entry
  has no title; `readlist refresh` completes or updates them later).
* Other entries become hand-made records (``doi:...`` or ``manual:<title slug>``).
* Duplicates merge: entries for the same paper within the file (same arXiv
  id, DOI, or title and year; a published version merges into its arXiv
  preprint), and papers already saved (missing details are filled in, your
  notes, tags and status are kept).
* A file bibtexparser cannot read changes nothing (BadInput naming the line).

Parsing uses bibtexparser 2's default middlewares only; LaTeX is decoded by
:mod:`readlist.export.latex` (bibtexparser's LatexDecodingMiddleware took
~20 s for 10,000 entries, the whole import here takes ~2 s).
"""

from __future__ import annotations

import contextlib
import logging
import re
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readlist.core.errors import BadInput
from readlist.core.library import Library, manual_id, normalize_doi
from readlist.core.models import Paper, Status, normalize_tag, now_iso, slugify
from readlist.core.refs import ArxivRef, find_arxiv_ref, match_id
from readlist.export.latex import decode

_ARXIV_URL = re.compile(r"arxiv\.org/(?:abs|pdf)/([A-Za-z.\-]*/?\d{4,7}(?:\.\d{4,5})?(?:v\d+)?)", re.IGNORECASE)
_ARXIV_TEXT = re.compile(r"\barxiv\s*[:.]?\s*(?:abs/)?([A-Za-z.\-]*/?\d{4,7}(?:\.\d{4,5})?(?:v\d+)?)", re.IGNORECASE)
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.([A-Za-z.\-]*/?\d{4,7}(?:\.\d{4,5})?)", re.IGNORECASE)
_NOT_A_VENUE = re.compile(r"^\s*(arxiv\b.*|corr|preprint|e-?prints?)\s*$", re.IGNORECASE)
# Fields filled in from a later duplicate when the first one lacks them.
_FILLABLE = ("title", "authors", "year", "doi", "journal_ref", "abstract", "primary_category", "categories", "version")


@dataclass
class BibImportReport:
    file: Path
    entries: int = 0
    added: list[Paper] = field(default_factory=list)
    updated: list[Paper] = field(default_factory=list)
    unchanged: list[Paper] = field(default_factory=list)
    merged_in_file: int = 0
    skipped: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def pending(self) -> list[Paper]:
        return [p for p in self.added + self.updated if p.pending]

    def summary_lines(self) -> list[str]:
        arxiv = sum(1 for p in self.added if p.is_arxiv)
        lines = [
            f"Read {self.entries} entr{'ies' if self.entries != 1 else 'y'} from {self.file} in {self.seconds:.1f} s",
            f"Added {len(self.added)} paper{'s' if len(self.added) != 1 else ''} "
            f"({arxiv} from arXiv, {len(self.added) - arxiv} others)",
        ]
        if self.merged_in_file:
            lines.append(f"Merged {self.merged_in_file} duplicate entr{'ies' if self.merged_in_file != 1 else 'y'}")
        saved = len(self.updated) + len(self.unchanged)
        if saved:
            lines.append(
                f"{saved} already saved ({len(self.updated)} with details filled in; notes, tags and status kept)"
            )
        if self.pending:
            lines.append(f"{len(self.pending)} arXiv paper(s) had no title: run `readlist refresh` to fetch them")
        if self.skipped:
            shown = ", ".join(self.skipped[:10]) + (" ..." if len(self.skipped) > 10 else "")
            lines.append(f"Skipped {len(self.skipped)} entr{'ies' if len(self.skipped) != 1 else 'y'} "
                         f"with no title and no arXiv id: {shown}")  # fmt: skip
        return lines


def import_bibtex(
    library: Library,
    path: Path,
    *,
    tags: Iterable[str] = (),
    status: Status | None = None,
) -> BibImportReport:
    started = time.perf_counter()
    tags = [normalize_tag(t) for t in tags]
    report = BibImportReport(file=path)
    entries = parse_file(path)
    report.entries = len(entries)
    candidates = [candidate(key, fields) for key, fields in entries]
    when = now_iso()
    with library.transaction() as tx:
        records = tx.papers
        merged = merge_candidates(candidates, records, report)
        writes: dict[str, dict[str, Any]] = {}
        for paper_id, values in merged.items():
            record = records.get(paper_id)
            if record is None:
                paper = library.new_paper(paper_id, tags=tags, status=status, source="bibtex", **values)
                report.added.append(paper)
            else:
                paper = Paper.from_dict(record)
                if _fill(paper, values) or _merge_user(paper, tags, status):
                    paper.modified = when
                    report.updated.append(paper)
                else:
                    report.unchanged.append(paper)
                    continue
            writes[paper_id] = paper.to_dict()
        if writes:
            tx.put_papers(writes)
    report.seconds = time.perf_counter() - started
    return report


# -- reading the file --------------------------------------------------------


def parse_file(path: Path) -> list[tuple[str, dict[str, str]]]:
    """(key, fields with lower-case names) of every entry; BadInput if the file is not BibTeX."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"{path} does not exist") from None
    except IsADirectoryError:
        raise BadInput(f"{path} is a directory: give a .bib file") from None
    except OSError as exc:
        raise BadInput(f"cannot read {path}: {exc.strerror or exc}") from None
    if b"\x00" in raw[:4096]:
        raise BadInput(f"{path} is not a BibTeX file (it is binary); nothing was imported")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")  # older .bib files are often Latin-1 / Windows-1252
    import bibtexparser
    from bibtexparser.model import Entry

    try:
        with _quiet("bibtexparser"):
            parsed = bibtexparser.parse_string(text)
    except Exception as exc:  # the parser gave up on something it did not expect
        raise BadInput(f"cannot read {path}: {exc or type(exc).__name__}; nothing was imported") from None
    blocks = list(parsed.entries)
    for failed in parsed.failed_blocks:
        substitute = getattr(failed, "ignore_error_block", None)
        if isinstance(substitute, Entry):  # a duplicate key or field: still an entry
            blocks.append(substitute)
            continue
        error = getattr(failed, "error", None)
        reason = getattr(error, "abort_reason", None) or "not valid BibTeX"
        line = (failed.start_line or 0) + 1
        first = " ".join((failed.raw or "").split("\n", 1)[0].split())[:60]
        raise BadInput(
            f"cannot read {path}: the entry at line {line} ({first}) is broken: {' '.join(reason.split())}; "
            "nothing was imported"
        )
    if not blocks:
        raise BadInput(f"{path} holds no BibTeX entries (@article{{...}}, @misc{{...}}); nothing was imported")
    blocks.sort(key=lambda e: e.start_line or 0)
    return [(e.key, {f.key.lower(): _text(f.value) for f in e.fields}) for e in blocks]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else str(value)


@contextlib.contextmanager
def _quiet(name: str) -> Iterator[None]:
    """bibtexparser logs every broken block; readlist reports them itself."""
    logger = logging.getLogger(name)
    level = logger.level
    logger.setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        logger.setLevel(level)


# -- one entry ---------------------------------------------------------------


@dataclass
class Candidate:
    key: str
    ref: ArxivRef | None
    values: dict[str, Any]


def candidate(key: str, fields: dict[str, str]) -> Candidate:
    ref = arxiv_ref(fields)
    title = decode(fields.get("title", ""))
    values: dict[str, Any] = {"title": title}
    authors = split_authors(fields.get("author", ""))
    if authors:
        values["authors"] = authors
    year = _year(fields.get("year") or fields.get("date") or "")
    if year is None and ref is not None and re.match(r"\d{4}\.", ref.id):
        year = 2000 + int(ref.id[:2])
    if year is not None:
        values["year"] = year
    doi = _doi(fields.get("doi", ""))
    if doi and not doi.startswith("10.48550/"):
        values["doi"] = doi
    venue = decode(fields.get("journal") or fields.get("booktitle") or "")
    if venue and not _NOT_A_VENUE.match(venue) and not _ARXIV_TEXT.search(venue):
        extra = ", ".join(decode(fields[k]) for k in ("volume", "pages") if fields.get(k))
        values["journal_ref"] = venue + (f" {extra}" if extra else "") + (f" ({year})" if year else "")
    abstract = decode(fields.get("abstract", ""))
    if abstract:
        values["abstract"] = abstract
    if ref is not None:
        primary = (fields.get("primaryclass") or "").strip()
        if primary:
            values["primary_category"] = primary
            values["categories"] = [primary]
        if ref.version:
            values["version"] = ref.version
        values["url"] = f"https://arxiv.org/abs/{ref.id}"
        values["pdf_url"] = f"https://arxiv.org/pdf/{ref.query_id}"
        values["pending"] = not title
    else:
        url = (fields.get("url") or "").strip()
        if re.match(r"https?://\S+$", url):
            values["url"] = url
        elif doi:
            values["url"] = f"https://doi.org/{doi}"
        if year is not None:
            values["published"] = f"{year}-01-01"
    return Candidate(key, ref, values)


def arxiv_ref(fields: dict[str, str]) -> ArxivRef | None:
    """The arXiv paper an entry names, if any (see the module doc)."""
    eprint = fields.get("eprint", "").strip()
    prefix = (fields.get("archiveprefix") or fields.get("eprinttype") or "").strip().lower()
    if eprint and prefix in ("", "arxiv"):
        ref = find_arxiv_ref(eprint)
        if ref is not None:
            return ref
    for name in ("url", "doi", "journal", "note", "howpublished", "arxivid", "volume", "eprint", "pdf"):
        value = fields.get(name)
        if not value:
            continue
        if name == "arxivid":
            ref = find_arxiv_ref(value)
            if ref is not None:
                return ref
        for pattern in (_ARXIV_URL, _ARXIV_DOI, _ARXIV_TEXT):
            for m in pattern.finditer(value):
                ref = match_id(m[1].rstrip("."))
                if ref is not None:
                    return ref
    return None


def split_authors(raw: str) -> list[str]:
    """BibTeX names ("Last, First and {Corporate Name} and First Last") as "First Last"."""
    names = []
    for part in _split_top(raw, re.compile(r"\s+and\s+", re.IGNORECASE)):
        pieces = [decode(p) for p in _split_top(part, re.compile(r"\s*,\s*"))]
        pieces = [p for p in pieces if p]
        if not pieces or (len(pieces) == 1 and pieces[0].lower() in ("others", "et al.", "et al")):
            continue
        if len(pieces) == 1:
            name = pieces[0]
        elif len(pieces) == 2:
            name = f"{pieces[1]} {pieces[0]}"
        else:
            name = f"{' '.join(pieces[2:])} {pieces[0]} {pieces[1]}"
        names.append(" ".join(name.split()))
    return names


def _split_top(text: str, separator: re.Pattern[str]) -> list[str]:
    """Split at ``separator`` outside braces."""
    text = text.strip()
    if "{" not in text:
        return separator.split(text) if text else []
    parts, depth, start = [], 0, 0
    for m in re.finditer(r"\\.|[{}]|" + separator.pattern, text, separator.flags):
        token = m[0]
        if token.startswith("\\"):
            continue
        if token == "{":
            depth += 1
        elif token == "}":
            depth = max(0, depth - 1)
        elif depth == 0:
            parts.append(text[start : m.start()])
            start = m.end()
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _year(text: str) -> int | None:
    m = re.search(r"\b(1[5-9]\d\d|2\d\d\d)\b", text)
    return int(m[1]) if m else None


def _doi(text: str) -> str | None:
    text = decode(text).strip()
    if not text:
        return None
    try:
        return normalize_doi(text)
    except BadInput:
        return None


# -- merging -----------------------------------------------------------------


def merge_candidates(
    candidates: list[Candidate], records: dict[str, dict[str, Any]], report: BibImportReport
) -> dict[str, dict[str, Any]]:
    """Paper id -> merged field values, for every paper the file names (in file order)."""
    merged: dict[str, dict[str, Any]] = {}
    by_doi: dict[str, str] = {}
    by_title: dict[str, list[tuple[str, int | None]]] = {}

    def remember(paper_id: str, values: dict[str, Any]) -> None:
        if values.get("doi"):
            by_doi.setdefault(values["doi"], paper_id)
        if values.get("title"):
            by_title.setdefault(slugify(values["title"], 200), []).append((paper_id, values.get("year")))

    def add(paper_id: str, values: dict[str, Any]) -> None:
        if paper_id in merged:
            report.merged_in_file += 1
            _fill_values(merged[paper_id], values)
        else:
            merged[paper_id] = values
        remember(paper_id, merged[paper_id])

    # arXiv entries first, so a published version later merges into its preprint whatever the file order.
    for c in candidates:
        if c.ref is not None:
            add(c.ref.id, c.values)
    saved_doi: dict[str, str] = {}
    saved_title: dict[str, list[tuple[str, int | None]]] = {}
    for paper_id, record in records.items():
        if record.get("doi"):
            saved_doi.setdefault(str(record["doi"]).lower(), paper_id)
        if record.get("title"):
            saved_title.setdefault(slugify(record["title"], 200), []).append((paper_id, record.get("year")))
    for c in candidates:
        if c.ref is not None:
            continue
        values = c.values
        if not values.get("title") and not values.get("doi"):
            report.skipped.append(c.key)
            continue
        paper_id = _match(values, by_doi, by_title) or _match(values, saved_doi, saved_title)
        if paper_id is None:
            paper_id = manual_id(values["title"] or values["doi"], values.get("doi"))
        add(paper_id, values)
    return merged


TitleIndex = dict[str, list[tuple[str, int | None]]]


def _match(values: dict[str, Any], by_doi: dict[str, str], by_title: TitleIndex) -> str | None:
    doi = values.get("doi")
    if doi and doi in by_doi:
        return by_doi[doi]
    if values.get("title"):
        year = values.get("year")
        for paper_id, other_year in by_title.get(slugify(values["title"], 200), []):
            if year is None or other_year is None or abs(year - other_year) <= 1:
                return paper_id
    return None


def _fill_values(target: dict[str, Any], values: dict[str, Any]) -> None:
    for key, value in values.items():
        if value and not target.get(key):
            target[key] = value
    if target.get("title"):
        target["pending"] = False


def _fill(paper: Paper, values: dict[str, Any]) -> bool:
    """Fill a saved paper's empty details from the file; the user's own fields are never touched."""
    changed = False
    for key in _FILLABLE:
        value = values.get(key)
        if value and not getattr(paper, key):
            setattr(paper, key, value)
            changed = True
    for key in ("url", "pdf_url"):
        if values.get(key) and not getattr(paper, key):
            setattr(paper, key, values[key])
            changed = True
    if paper.pending and paper.title:
        paper.pending = False
        changed = True
    return changed


def _merge_user(paper: Paper, tags: list[str], status: Status | None) -> bool:
    before = (list(paper.tags), paper.status)
    paper.add_tags(tags)
    if status is not None:
        paper.set_status(status)
    return (paper.tags, paper.status) != before
