"""Papers by DOI: the resolver's CSL JSON, mapped as `import csl` maps an item, saved by the library.

:func:`lookup` asks the resolver (:func:`readlist.core.doi.fetch_csl`) and maps
the answer with :mod:`readlist.formats.csl`'s one mapping: title and abstract
without their markup, authors as names, year from ``issued``, the container,
volume, issue, pages (or article number) and publisher as the venue, the CSL
type. The answer is kept whole as the paper's entry (its origin), so exports
give back what the agency said, ORCIDs and all.

:func:`add_dois` is `readlist add DOI...`; :func:`refresh_dois` completes
pending papers and, asked to, imported ones that have a DOI but lack fields.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from readlist.core.clean import clean_value
from readlist.core.doi import Unknown, fetch_csl, find_doi
from readlist.core.errors import NetworkError, ReadlistError
from readlist.core.library import Before, Found, Library
from readlist.core.models import Paper, Status
from readlist.core.refs import ArxivRef, arxiv_ref_in
from readlist.formats.bibtex.entry import paper_values
from readlist.formats.csl import item_view

_MULTILINE = frozenset(("abstract", "note"))


def found_from_item(item: dict[str, Any], doi: str) -> Found:
    """A CSL item as the paper's fields, its origin and the arXiv preprint it names."""
    item = clean_value(item, _MULTILINE)
    v = item_view(item)
    preprint = v.arxiv or _preprint(item)
    v.arxiv = None  # the paper is the DOI's: its links are the publisher's
    v.doi = doi
    if v.url and find_doi(v.url) == doi:  # the resolver's own link (http://dx.doi.org/...): the canonical one
        v.url = None
    values = paper_values(v, v.title, pending=False)
    csl_type = item.get("type")
    if isinstance(csl_type, str) and csl_type.strip():
        values["type"] = csl_type.strip()
    if v.year is not None:
        values["published"] = _published(item) or values.get("published")
    values["pending"] = not v.title
    return Found(values=values, origin={"format": "csl", "item": item}, preprint=preprint)


def _published(item: dict[str, Any]) -> str | None:
    """``issued`` as an ISO date (year, month and day as far as given)."""
    issued = item.get("issued")
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    if not (isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]):
        return None
    try:
        numbers = [int(str(p)) for p in parts[0][:3]]
    except ValueError:
        return None
    numbers += [1] * (3 - len(numbers))
    year, month, day = numbers
    if not (1000 <= year <= 2999 and 1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _preprint(item: dict[str, Any]) -> ArxivRef | None:
    """The arXiv preprint a record names in its relations (Crossref's ``has-preprint``), best effort."""
    relation = item.get("relation")
    if not isinstance(relation, dict):
        return None
    for name in ("has-preprint", "is-preprint-of", "has-version"):
        links = relation.get(name)
        if isinstance(links, dict):
            links = [links]
        for link in links if isinstance(links, list) else ():
            target = link.get("id") if isinstance(link, dict) else link
            if isinstance(target, str):
                ref = arxiv_ref_in(target)
                if ref is not None:
                    return ref
    return None


def lookup(library: Library, doi: str) -> Found:
    """The DOI's record, mapped (see the module doc). Raises as :func:`readlist.core.doi.fetch_csl` does."""
    item = fetch_csl(library.settings, doi)
    try:
        return found_from_item(item, doi)
    except ValueError:  # nested deeper than any record: junk
        host = library.settings.doi_api
        raise ReadlistError(f"{doi}: the DOI resolver ({host}) sent a malformed record; nothing saved") from None


def _has_record(paper: Paper, doi: str) -> bool:
    """Whether a saved paper holds the DOI's record already (saved by DOI, or merged with it)."""
    if paper.id == "doi:" + doi:
        return True
    for origin in (paper.origin, *paper.other_entries):
        item = origin.get("item") if isinstance(origin, dict) and origin.get("format") == "csl" else None
        if isinstance(item, dict) and str(item.get("DOI") or "").lower() == doi:
            return True
    return False


@dataclass
class DoiReport:
    """What adding or refreshing DOIs did."""

    added: list[Paper] = field(default_factory=list)
    updated: list[Paper] = field(default_factory=list)
    merged: list[tuple[Paper, str]] = field(default_factory=list)
    """(the saved paper a DOI joined, why: "same DOI", "the preprint of ...")."""
    pending: list[Paper] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    """One line per DOI that could not be had and was not saved (unknown, junk answers)."""
    error: NetworkError | None = None
    """The resolver could not be reached: the DOIs after it were kept pending without asking again."""


def add_dois(
    library: Library,
    dois: Iterable[str],
    *,
    tags: Iterable[str] = (),
    status: Status | None = None,
    note: str | None = None,
    before: Before | None = None,
) -> DoiReport:
    """Save papers by DOI. A saved, complete paper is updated without asking; an unreachable
    resolver keeps the paper pending with its DOI; an unknown DOI or a junk answer saves nothing.
    ``before`` keeps each paper as it was (the TUI's undo)."""
    tags = list(tags)
    report = DoiReport()
    for doi in dict.fromkeys(dois):
        saved_id = library.paper_by_doi(doi)
        saved = library.get(saved_id) if saved_id is not None else None
        found: Found | None = None
        if (saved is None or saved.pending or not _has_record(saved, doi)) and report.error is None:
            try:
                found = lookup(library, doi)
            except Unknown as exc:
                report.failed.append(str(exc))
                continue
            except NetworkError as exc:
                report.error = exc
            except ReadlistError as exc:
                report.failed.append(str(exc))
                continue
        paper, outcome, why = library.add_doi(doi, found, tags=tags, status=status, note=note, before=before)
        if outcome == "merged":
            report.merged.append((paper, why))
        elif paper.pending:
            report.pending.append(paper)
        elif outcome == "added":
            report.added.append(paper)
        else:
            report.updated.append(paper)
    return report


def refresh_dois(library: Library, ids: Iterable[str] = (), *, incomplete: bool = False) -> DoiReport:
    """Complete pending DOI papers (of ``ids``, else all); with ``incomplete``, also papers not on arXiv
    that have a DOI but lack a title, authors, year or venue. Stops asking at the first network error."""
    wanted = set(ids)
    report = DoiReport()
    # Light records only (title, authors, year, venue, DOI, pending): no paper's text is read to choose.
    for paper_id, record in list(library.snapshot().light.items()):
        doi = record.get("doi")
        if (wanted and paper_id not in wanted) or ":" not in paper_id or not isinstance(doi, str) or not doi:
            continue
        lacking = not (record.get("title") and record.get("authors") and record.get("year") and record.get("venue"))
        if not (record.get("pending") or (incomplete and lacking)):
            continue
        try:
            found = lookup(library, doi.lower())
        except NetworkError as exc:
            report.error = exc
            still = [pid for pid, r in library.snapshot().light.items() if r.get("pending") and r.get("doi")]
            report.pending += [p for pid in still if ":" in pid and (p := library.get(pid)) is not None]
            break
        except ReadlistError as exc:
            report.failed.append(str(exc))
            continue
        done = library.complete_doi(paper_id, found)
        if done is not None:
            report.added.append(done)
    return report
