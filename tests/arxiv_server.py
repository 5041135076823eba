"""A loopback stand-in for the arXiv query API, for tests.

It answers ``/api/query`` with real Atom 1.0 documents built from
``fixtures/arxiv_catalog.json`` so that a real ``arxiv.Client`` pointed at it
behaves as against arXiv: ``id_list`` (with or without versions, old-style
ids), ``search_query`` with ti:/au:/abs:/all: terms, quoted phrases and
AND/OR/ANDNOT, and ``start``/``max_results`` paging. A malformed id answers
400 like arXiv does. Tests set fault modes on the running server.
"""

from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlparse
from xml.sax.saxutils import escape, quoteattr

from tests.loopback import Loopback, send

CATALOG = Path(__file__).parent / "fixtures" / "arxiv_catalog.json"
ID = re.compile(r"^(\d{4}\.\d{4,5}|[a-z\-]+(\.[A-Z]{2})?/\d{7})(v\d+)?$")


def _words(text: str) -> list[str]:
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).split()


def _entry(paper: dict[str, Any], version: str | None) -> str:
    versions = paper.get("versions") or [paper["published"]]
    number = int(version[1:]) if version else len(versions)
    vid = f"{paper['id']}v{number}"
    updated = versions[min(number, len(versions)) - 1]
    authors = "".join(f"<author><name>{escape(a)}</name></author>" for a in paper["authors"])
    cats = "".join(
        f"<category term={quoteattr(c)} scheme='http://arxiv.org/schemas/atom'/>" for c in paper["categories"]
    )
    extra = ""
    if paper.get("doi"):
        extra += f"<arxiv:doi>{escape(paper['doi'])}</arxiv:doi>"
    if paper.get("journal_ref"):
        extra += f"<arxiv:journal_ref>{escape(paper['journal_ref'])}</arxiv:journal_ref>"
    return (
        f"<entry><id>http://arxiv.org/abs/{vid}</id><updated>{updated}</updated>"
        f"<published>{paper['published']}</published><title>{escape(paper['title'])}</title>"
        f"<summary>{escape(paper['summary'])}</summary>{authors}"
        f"<link href='http://arxiv.org/abs/{vid}' rel='alternate' type='text/html'/>"
        f"<link title='pdf' href='http://arxiv.org/pdf/{vid}' rel='related' type='application/pdf'/>"
        f"<arxiv:primary_category term={quoteattr(paper['primary_category'])}/>{cats}{extra}</entry>"
    )


def _feed(entries: list[str], total: int, start: int, per_page: int) -> bytes:
    return (
        "<?xml version='1.0' encoding='UTF-8'?>"
        "<feed xmlns='http://www.w3.org/2005/Atom' xmlns:opensearch='http://a9.com/-/spec/opensearch/1.1/' "
        "xmlns:arxiv='http://arxiv.org/schemas/atom'><title>arXiv Query</title>"
        f"<opensearch:totalResults>{total}</opensearch:totalResults>"
        f"<opensearch:startIndex>{start}</opensearch:startIndex>"
        f"<opensearch:itemsPerPage>{per_page}</opensearch:itemsPerPage>" + "".join(entries) + "</feed>"
    ).encode()


def _match(paper: dict[str, Any], query: str) -> bool:
    fields = {"ti": paper["title"], "au": " ".join(paper["authors"]), "abs": paper["summary"]}
    fields["all"] = " ".join(fields.values())
    result: bool | None = None
    op = "AND"
    for conj, field, value in re.findall(r'(ANDNOT|AND|OR)|(\w+):("[^"]*"|\([^)]*\)|\S+)', query):
        if conj:
            op = conj
            continue
        hay = f" {' '.join(_words(fields.get(field, fields['all'])))} "
        words = _words(value)
        if value.startswith("("):
            hit = bool(words) and all(f" {w} " in hay for w in words)
        else:
            hit = bool(words) and f" {' '.join(words)} " in hay
        if result is None:
            result = hit
        elif op == "AND":
            result = result and hit
        elif op == "OR":
            result = result or hit
        else:
            result = result and not hit
        op = "AND"
    return bool(result)


class ArxivServer(Loopback):
    """Serve the catalog on 127.0.0.1; ``url`` is the API endpoint to configure."""

    def __init__(self, catalog: list[dict[str, Any]] | None = None) -> None:
        super().__init__()
        papers = catalog if catalog is not None else json.loads(CATALOG.read_text(encoding="utf-8"))
        self.papers = {p["id"]: p for p in papers}
        self.requests: list[str] = []
        self.request_times: list[float] = []
        self.fail_next = 0
        self.fail_status = 503
        self.hang = False
        self.malformed = False
        self.synthesize = False
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"{self.origin}/api/query"

    def paper(self, arxiv_id: str) -> dict[str, Any] | None:
        if arxiv_id in self.papers:
            return self.papers[arxiv_id]
        if self.synthesize and re.fullmatch(r"\d{4}\.\d{5}", arxiv_id) and not arxiv_id[5:].startswith("99"):
            return {
                "id": arxiv_id, "title": f"Synthetic Paper {arxiv_id}", "authors": ["Ada Lovelace"],
                "summary": "Generated for a test.", "published": f"20{arxiv_id[:2]}-{arxiv_id[2:4]}-15T12:00:00Z",
                "primary_category": "cs.LG", "categories": ["cs.LG"],
            }  # fmt: skip
        return None

    def answer(self, path: str) -> tuple[int, bytes]:
        url = urlparse(path)
        if url.path != "/api/query":
            return 404, b"not found"
        qs = parse_qs(url.query)
        ids = [i for i in ",".join(qs.get("id_list", [])).split(",") if i]
        query = qs.get("search_query", [""])[0]
        start = int(qs.get("start", ["0"])[0])
        per_page = int(qs.get("max_results", ["10"])[0])
        if any(not ID.match(i) for i in ids):
            return 400, _feed([], 0, 0, 0)
        found: list[tuple[dict[str, Any], str | None]] = []
        for i in ids:
            m = re.fullmatch(r"(.+?)(v\d+)?", i)
            assert m
            paper = self.paper(m.group(1))
            if paper:
                found.append((paper, m.group(2)))
        if query:
            pool = found if ids else [(p, None) for p in self.papers.values()]
            found = [(p, v) for p, v in pool if _match(p, query)]
        page = found[start : start + per_page]
        return 200, _feed([_entry(p, v) for p, v in page], len(found), start, per_page)

    def get(self, request: BaseHTTPRequestHandler) -> None:
        with self.lock:
            self.requests.append(request.path)
            self.request_times.append(time.monotonic())
            failing = self.fail_next > 0
            if failing:
                self.fail_next -= 1
        if self.hang:
            time.sleep(30)
            return
        if failing:
            status, body = self.fail_status, b"Rate exceeded."
        elif self.malformed:
            status, body = 200, b"<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'><entry><id>"
        else:
            status, body = self.answer(request.path)
        send(request, status, "application/atom+xml; charset=utf-8", body)
