"""Fetching paper metadata from the arXiv query API.

Uses the ``arxiv`` package (4.x) as documented: an ``arxiv.Client`` with
readlist's pause between requests (``delay_seconds``), its endpoint
(``query_url_format``) and no retries of its own (``num_retries=0``), asked
through ``Client.results(Search(...))``. Everything the package lacks comes
from readlist's one HTTP session (:mod:`readlist.core.http`): a deadline on
each whole request, a size cap, one retry policy, and a strict XML check
(arxiv's feed parser recovers silently from a truncated document and would
report "no results"). One client per process keeps arXiv's pause honest.
Import this module only where a command needs the network: it pulls in
arxiv, requests and lxml.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import arxiv  # type: ignore[import-untyped]  # arxiv 4 ships no type information

from readlist.core import http
from readlist.core.clean import clean_line, excerpt
from readlist.core.config import Settings
from readlist.core.errors import NetworkError
from readlist.core.refs import ArxivRef, match_id, split_version

BATCH_SIZE = 100
"""Ids per id_list request: arXiv pages at most this many without fuss."""


def strict_xml(body: bytes) -> str | None:
    """None for a well-formed XML document, else what is wrong (a truncated answer, say)."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError as exc:
        return f"not well-formed XML: {excerpt(str(exc))}"
    return None


@dataclass
class FetchResult:
    """Metadata by arXiv id (without version), and the references arXiv did not know."""

    found: dict[str, dict[str, Any]] = field(default_factory=dict)
    missing: list[ArxivRef] = field(default_factory=list)


def metadata(result: arxiv.Result) -> dict[str, Any] | None:
    """The Paper fields an arXiv result fills in (text cleaned), or None if its id is not an arXiv id."""
    ref = match_id(split_version(result.entry_id).query_id)
    if ref is None:
        return None
    return {
        "id": ref.id,
        "version": ref.version,
        "title": _line(result.title),
        "authors": [name for name in (_line(a.name) for a in result.authors) if name],
        "year": result.published.year,
        "published": result.published.date().isoformat(),
        "updated": result.updated.date().isoformat(),
        "abstract": _line(result.summary),
        "categories": [c for c in (_line(c) for c in result.categories) if c],
        "primary_category": _line(result.primary_category) or None,
        "url": f"https://arxiv.org/abs/{ref.id}",
        "pdf_url": f"https://arxiv.org/pdf/{ref.query_id}",
        "doi": _line(result.doi) or None,
        "journal_ref": _line(result.journal_ref) or None,
        "comment": _line(result.comment) or None,
        "pending": False,
    }


def _line(text: str | None) -> str:
    """One line of arXiv's text: runs of white space as one space, no control or bidi characters."""
    return " ".join(clean_line(text or "").split())


class ArxivClient:
    """The process's one way to ask arXiv for papers."""

    def __init__(self, settings: Settings) -> None:
        api = settings.arxiv_api
        self.host = urlparse(api).netloc or api
        self._client = arxiv.Client(page_size=BATCH_SIZE, delay_seconds=settings.arxiv_delay, num_retries=0)
        self._client.query_url_format = api + ("&" if "?" in api else "?") + "{}"
        # arxiv 4.0.2 has no public way to give the client a session; this is the one private attribute readlist sets.
        self._client._session = http.session(settings, min_pause=settings.arxiv_delay, check=strict_xml)
        self._lock = threading.Lock()  # arxiv.Client is not thread-safe (rate limit state)

    def _results(self, search: arxiv.Search) -> list[dict[str, Any]]:
        """Every result of ``search`` as Paper fields; NetworkError naming arXiv if it cannot be had."""
        try:
            with self._lock:
                items = list(self._client.results(search))
        except http.HttpFailure as exc:
            raise NetworkError(exc.describe("arXiv")) from None
        except arxiv.HTTPError as exc:  # the session raises first; kept for safety
            raise NetworkError(f"arXiv ({self.host}) answered HTTP {exc.status}") from None
        except arxiv.UnexpectedEmptyPageError:
            raise NetworkError(f"arXiv ({self.host}) sent an empty page amid the results; try again later") from None
        except (ValueError, TypeError, AttributeError) as exc:  # a well-formed feed with values arxiv cannot read
            raise NetworkError(f"arXiv ({self.host}) sent a malformed answer ({excerpt(str(exc))})") from None
        return [meta for meta in map(metadata, items) if meta is not None]

    def fetch(self, refs: Iterable[ArxivRef]) -> FetchResult:
        """Metadata for each reference, in as few id_list requests as possible."""
        wanted = list(dict.fromkeys(refs))
        result = FetchResult()
        for start in range(0, len(wanted), BATCH_SIZE):
            batch = wanted[start : start + BATCH_SIZE]
            search = arxiv.Search(id_list=[r.query_id for r in batch], max_results=len(batch))
            for meta in self._results(search):
                result.found[meta["id"]] = meta
        result.missing = [r for r in wanted if r.id not in result.found]
        return result

    def search(self, query: str, max_results: int = 10) -> list[dict[str, Any]]:
        """Papers matching an arXiv search query (``ti:"..." AND au:...``)."""
        return self._results(arxiv.Search(query=query, max_results=max_results))


_clients: dict[tuple[str, float, float, float], ArxivClient] = {}
_clients_lock = threading.Lock()


def get_client(settings: Settings) -> ArxivClient:
    """The process-wide client for these settings."""
    key = (settings.arxiv_api, settings.arxiv_delay, settings.http_timeout, settings.max_document_mb)
    with _clients_lock:
        if key not in _clients:
            _clients[key] = ArxivClient(settings)
        return _clients[key]
