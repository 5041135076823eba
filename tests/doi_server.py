"""A loopback stand-in for the DOI resolver (doi.org's content negotiation), for tests.

``GET /{doi}`` answers the DOI's CSL JSON. Records are CSL items as doi.org
serves them, or Crossref REST works (a ``/works/{doi}`` answer or a bare work)
converted to CSL JSON the way doi.org converts Crossref's records. The server
keeps every request (path as sent, headers) and has fault modes: a status for
every answer, HTML instead of JSON, a redirect hop before the answer.
"""

from __future__ import annotations

import json
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from tests.loopback import Loopback, send

REAL_DOI = Path(__file__).resolve().parents[1] / ".." / "shared" / "real" / "doi"

# Crossref's work types as CSL types (the ones the recorded answers use, and their neighbours).
CROSSREF_TYPES = {
    "journal-article": "article-journal", "proceedings-article": "paper-conference", "book-chapter": "chapter",
    "book": "book", "monograph": "book", "edited-book": "book", "reference-entry": "entry",
    "dissertation": "thesis", "report": "report", "posted-content": "article", "dataset": "dataset",
    "component": "article", "standard": "standard",
}  # fmt: skip


def crossref_to_csl(work: dict[str, Any]) -> dict[str, Any]:
    """A Crossref work as CSL JSON: lists of one title become text, the first date found is ``issued``."""
    if "message" in work and isinstance(work["message"], dict):
        work = work["message"]
    item: dict[str, Any] = {"type": CROSSREF_TYPES.get(work.get("type", ""), "article")}
    for key in ("title", "container-title", "subtitle", "short-container-title"):
        value = work.get(key)
        if isinstance(value, list) and value:
            item[key] = value[0]
    for key in ("DOI", "URL", "ISSN", "ISBN", "author", "editor", "page", "volume", "issue", "publisher",
                "publisher-location", "abstract", "article-number", "language", "source", "license", "link",
                "relation", "funder", "subject"):  # fmt: skip
        if key in work:
            item[key] = work[key]
    for date in ("issued", "published-print", "published-online", "published", "created"):
        parts = work.get(date, {}).get("date-parts") if isinstance(work.get(date), dict) else None
        if parts and parts[0] and parts[0][0] is not None:
            item["issued"] = {"date-parts": parts}
            break
    event = work.get("event")
    if isinstance(event, dict) and event.get("name"):
        item["event-title"] = event["name"]
    return item


def real_records() -> dict[str, dict[str, Any]]:
    """Every recorded answer of ``../shared/real/doi`` as CSL, by its DOI (lower-cased); {} when absent."""
    records: dict[str, dict[str, Any]] = {}
    if not REAL_DOI.is_dir():
        return records
    for path in sorted(REAL_DOI.glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        csl = data[0] if isinstance(data, list) else data
        item = csl if path.name.startswith("csl-") else crossref_to_csl(data)
        records[str(item["DOI"]).lower()] = item
    return records


class DoiServer(Loopback):
    """Serves CSL items by DOI; ``requests`` holds (decoded path, raw path, headers) of every request."""

    def __init__(self, records: dict[str, dict[str, Any]] | None = None) -> None:
        super().__init__()
        self.records = {k.lower(): v for k, v in (records or {}).items()}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.status: int | None = None
        """Answer every request with this status (and a short body)."""
        self.html = False
        """Answer with an HTML page, as a resolver that ignores the Accept header would."""
        self.redirect = False
        """Send every request through one redirect (as doi.org sends it to the agency)."""

    @property
    def url(self) -> str:
        return self.origin

    def get(self, request: BaseHTTPRequestHandler) -> None:
        raw = request.path
        if raw.startswith("/agency/"):
            raw = raw[len("/agency") :]
        elif self.redirect:
            request.send_response(302)
            request.send_header("Location", "/agency" + raw)
            request.send_header("Content-Length", "0")
            request.end_headers()
            return
        doi = unquote(raw[1:])
        self.requests.append((doi, raw, dict(request.headers)))
        if self.status is not None:
            send(request, self.status, "text/plain", b"unavailable")
        elif self.html:
            send(request, 200, "text/html", b"<!doctype html><html><body>Choose a format</body></html>")
        elif doi.lower() in self.records:
            body = json.dumps(self.records[doi.lower()]).encode()
            send(request, 200, "application/vnd.citationstyles.csl+json", body)
        else:
            send(request, 404, "text/plain", b"DOI Not Found")
