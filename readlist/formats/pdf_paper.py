"""`readlist add paper.pdf`: which paper a PDF on disk is, from its own text, then the file attached.

The PDF's text is read by the attachments' one extractor
(:func:`readlist.core.attachments.extract.extract_text`: pdfium in a child
process with limits, cached per file hash). The paper is named by:

1. arXiv's stamp in the margin of page 1 (``arXiv:2203.00130v1 [cs.HC] 28 Feb 2022``),
   else another arXiv id page 1 announces;
2. a DOI page 1 or 2 prints about the paper (``DOI 10.7717/peerj-cs.118``,
   ``doi:10.1155/2010/157939``, a doi.org link);
3. a DOI in the PDF's own metadata (Subject, Keywords, Title).

The record is fetched as for `readlist add ID` or `add DOI` (pending when the
service cannot be reached), and the file is attached to it (copied into
``files/``). With neither, a pending paper titled from the PDF's metadata (else
its file name) is saved with the file, for `readlist edit` to complete.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from readlist.core.attachments.extract import PdfText, extract_text
from readlist.core.clean import clean_line
from readlist.core.doi import doi_in_text, find_doi
from readlist.core.library import AddReport, AttachReport, Library
from readlist.core.models import Paper, Status
from readlist.core.refs import ArxivRef, arxiv_ref_in, match_id
from readlist.formats.doi import DoiReport, add_dois

# arXiv's stamp: "arXiv:2203.00130v1 [cs.HC] 28 Feb 2022" (old style: "arXiv:hep-th/9711200v3 [hep-th] ...").
_STAMP = re.compile(r"arXiv:\s?([a-z][a-z-]*(?:\.[A-Z]{2})?/\d{7}|\d{4}\.\d{4,5})(v[1-9]\d*)?\s{1,4}\[[\w.-]{1,20}\]")


@dataclass
class PdfAdd:
    """What `add paper.pdf` found and did."""

    path: Path
    found: str = ""
    """How the paper was named ("the arXiv stamp on page 1", "the DOI on page 1", ...), or "" for neither."""
    paper: Paper | None = None
    arxiv: AddReport | None = None
    dois: DoiReport | None = None
    attached: AttachReport | None = None
    already: bool = False
    """The paper had this very file (same content) attached already."""
    lines: list[str] = field(default_factory=list)


def identify(text: PdfText) -> tuple[ArxivRef | None, str | None, str]:
    """(arXiv reference, DOI, where it was found) for a PDF's text; (None, None, "") for neither."""
    first = text.pages[0] if text.pages else ""
    m = _STAMP.search(first)
    stamped = match_id(m[1] + (m[2] or "")) if m else None
    if stamped is not None:
        return stamped, None, "the arXiv stamp on page 1"
    for number, page in enumerate(text.pages[:2], start=1):
        doi = doi_in_text(page)
        if doi is not None:
            return None, doi, f"the DOI on page {number}"
    announced = arxiv_ref_in(first)
    if announced is not None:
        return announced, None, "the arXiv id on page 1"
    for key in ("Subject", "Keywords", "Title"):
        value = text.metadata.get(key, "")
        doi = doi_in_text(value) or find_doi(value)
        if doi is not None:
            return None, doi, f"the DOI in its metadata ({key})"
    return None, None, ""


def add_pdf(
    library: Library,
    path: Path,
    *,
    tags: Iterable[str] = (),
    status: Status | None = None,
    note: str | None = None,
) -> PdfAdd:
    """Name the paper a PDF is, save it, and attach the file (see the module doc).

    Raises what reading the PDF raises (an encrypted or malformed file, a FIFO, a file over
    ``max_pdf_mb``) before anything is saved. An arXiv id arXiv does not know, or a DOI the
    resolver does not, saves nothing.
    """
    tags = list(tags)
    text = extract_text(path, library.settings, shown=str(path))
    ref, doi, where = identify(text)
    result = PdfAdd(path=path, found=where)
    paper_id: str | None = None
    if ref is not None:
        report = library.add_arxiv([ref], tags=tags, status=status, note=note)
        result.arxiv = report
        saved = [*report.added, *report.merged, *report.pending, *(p for p, _ in report.joined)]
        paper_id = saved[0].id if saved else None
    elif doi is not None:
        dois = add_dois(library, [doi], tags=tags, status=status, note=note)
        result.dois = dois
        saved = [*dois.added, *dois.updated, *(p for p, _ in dois.merged), *dois.pending]
        paper_id = saved[0].id if saved else None
    else:
        title, authors = _described(text, path)
        paper, _ = library.add_manual(
            title=title, authors=authors, tags=tags, status=status, note=note, source="pdf", pending=True
        )
        paper_id = paper.id
    if paper_id is None:
        return result  # unknown to arXiv or to the resolver: nothing saved
    paper = library.find(paper_id)
    if any(f.get("sha256") == text.sha256 for f in paper.files):
        result.already = True
        result.paper = paper
        return result
    result.attached = library.attach(paper_id, [path])
    result.paper = result.attached.paper
    return result


def _described(text: PdfText, path: Path) -> tuple[str, list[str]]:
    """A title and authors from the PDF's metadata, else its file name."""
    title = " ".join(clean_line(text.metadata.get("Title", "")).split())[:300]
    if not title:
        title = " ".join(re.sub(r"[_]+", " ", clean_line(path.stem)).split())[:300] or "untitled"
    raw = clean_line(text.metadata.get("Author", ""))
    authors = [a.strip() for a in re.split(r";|,|\band\b", raw) if a.strip()][:100]
    return title, authors
