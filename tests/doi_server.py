"""A loopback stand-in for the DOI resolver (doi.org's content negotiation), for tests.

``GET /{doi}`` answers the DOI's CSL JSON. Records are CSL items as doi.org
serves them, or Crossref REST works (a ``/works/{doi}`` answer or a bare work)
converted to CSL JSON the way doi.org converts Crossref's records. The server
keeps every request (path as sent, headers) and has fault modes: a status for
every answer, HTML instead of JSON, a redirect hop before the answer.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

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


class DoiServer:
    """Serves CSL items by DOI; ``requests`` holds (decoded path, raw path, headers) of every request."""

    def __init__(self, records: dict[str, dict[str, Any]] | None = None) -> None:
        self.records = {k.lower(): v for k, v in (records or {}).items()}
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self.status: int | None = None
        """Answer every request with this status (and a short body)."""
        self.html = False
        """Answer with an HTML page, as a resolver that ignores the Accept header would."""
        self.redirect = False
        """Send every request through one redirect (as doi.org sends it to the agency)."""
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}"

    def start(self) -> DoiServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                raw = self.path
                if raw.startswith("/agency/"):
                    raw = raw[len("/agency") :]
                elif server.redirect:
                    self.send_response(302)
                    self.send_header("Location", "/agency" + raw)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                doi = unquote(raw[1:])
                server.requests.append((doi, raw, dict(self.headers)))
                if server.status is not None:
                    self._send(server.status, "text/plain", b"unavailable")
                elif server.html:
                    self._send(200, "text/html", b"<!doctype html><html><body>Choose a format</body></html>")
                elif doi.lower() in server.records:
                    body = json.dumps(server.records[doi.lower()]).encode()
                    self._send(200, "application/vnd.citationstyles.csl+json", body)
                else:
                    self._send(404, "text/plain", b"DOI Not Found")

            def _send(self, status: int, kind: str, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler
