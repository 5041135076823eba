"""Fetching paper metadata from the arXiv query API.

Wraps the ``arxiv`` package (4.x) with what it lacks: a timeout on every
request (arxiv 4.0.2 sets none, so a stalled server would hang forever), a
retry policy bounded in time, detection of truncated answers, and errors that
say which service failed. One client per process keeps arXiv's pause between
requests honest. Import this module only where a command needs the network:
it pulls in arxiv, requests and lxml.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

import arxiv
import requests
from lxml import etree

from readlist.core.config import Settings
from readlist.core.errors import NetworkError
from readlist.core.refs import ArxivRef, split_version

BATCH_SIZE = 100
"""Ids per id_list request: arXiv pages at most this many without fuss."""
MAX_ATTEMPTS = 4
"""One request and up to three retries of a 5xx answer or a dropped connection."""
TIME_BUDGET = 25.0
"""No retry starts once this many seconds have passed: a command fails in ~30 s."""
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


class _MalformedAnswer(requests.RequestException):
    """A 200 answer whose body is not a well-formed XML document."""


class _TimeoutSession(requests.Session):
    """A session that gives every request a timeout and checks Atom answers."""

    def __init__(self, timeout: float) -> None:
        super().__init__()
        self.timeout = timeout

    def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:  # type: ignore[override]
        kwargs.setdefault("timeout", self.timeout)
        response = super().request(method, url, *args, **kwargs)
        if response.status_code == 200:
            # arxiv's own parser recovers silently from a truncated document and
            # would report "no results"; a strict parse tells the two apart.
            try:
                etree.fromstring(response.content, parser=etree.XMLParser(resolve_entities=False, no_network=True))
            except etree.XMLSyntaxError as exc:
                raise _MalformedAnswer(str(exc)) from None
        return response


class _Client(arxiv.Client):
    """arxiv.Client with readlist's retry policy in place of its own."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(page_size=BATCH_SIZE, delay_seconds=settings.arxiv_delay, num_retries=0)
        api = settings.arxiv_api
        self.query_url_format = api + ("&" if "?" in api else "?") + "{}"
        self.timeout = settings.http_timeout
        self.host = urlparse(api).netloc or api
        self._session = _TimeoutSession(settings.http_timeout)

    def _parse_feed(self, url: str, first_page: bool = True, _try_index: int = 0) -> Any:
        start = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            try:
                return super()._parse_feed(url, first_page=first_page, _try_index=0)
            except requests.Timeout:
                raise NetworkError(
                    f"arXiv ({self.host}) did not answer within {self.timeout:g} s; try again later"
                ) from None
            except _MalformedAnswer:
                raise NetworkError(f"arXiv ({self.host}) sent a malformed answer; try again later") from None
            except arxiv.HTTPError as exc:
                if exc.status not in RETRY_STATUSES or not self._may_retry(attempt, start):
                    raise NetworkError(f"arXiv ({self.host}) answered HTTP {exc.status}{_after(attempt)}") from None
            except requests.ConnectionError:
                if not self._may_retry(attempt, start):
                    raise NetworkError(
                        f"cannot reach arXiv at {self.host}{_after(attempt)}; check your connection"
                    ) from None
            except arxiv.UnexpectedEmptyPageError:
                if not self._may_retry(attempt, start):
                    raise NetworkError(f"arXiv ({self.host}) kept sending empty pages{_after(attempt)}") from None
            except requests.RequestException as exc:
                raise NetworkError(f"arXiv ({self.host}) request failed: {exc}") from None
            # Back off a little more each time, on top of arXiv's own pause.
            time.sleep(min(0.25 * attempt * max(1.0, self.delay_seconds), 5.0))

    def _may_retry(self, attempt: int, start: float) -> bool:
        elapsed = time.monotonic() - start
        return attempt < MAX_ATTEMPTS and elapsed + self.delay_seconds + self.timeout < TIME_BUDGET


def _after(attempt: int) -> str:
    return f" (after {attempt} tries)" if attempt > 1 else ""


@dataclass
class FetchResult:
    """Metadata by arXiv id (without version), and the references arXiv did not know."""

    found: dict[str, dict[str, Any]] = field(default_factory=dict)
    missing: list[ArxivRef] = field(default_factory=list)


def metadata(result: arxiv.Result) -> dict[str, Any]:
    """The Paper fields an arXiv result fills in."""
    ref = split_version(result.entry_id)
    return {
        "id": ref.id,
        "version": ref.version,
        "title": " ".join(result.title.split()),
        "authors": [a.name for a in result.authors],
        "year": result.published.year,
        "published": result.published.date().isoformat(),
        "updated": result.updated.date().isoformat(),
        "abstract": " ".join(result.summary.split()),
        "categories": list(result.categories),
        "primary_category": result.primary_category or None,
        "url": f"https://arxiv.org/abs/{ref.id}",
        "pdf_url": f"https://arxiv.org/pdf/{ref.query_id}",
        "doi": result.doi or None,
        "journal_ref": result.journal_ref or None,
        "comment": result.comment or None,
        "pending": False,
    }


class ArxivClient:
    """The process's one way to ask arXiv for papers."""

    def __init__(self, settings: Settings) -> None:
        self._client = _Client(settings)
        self._lock = threading.Lock()  # arxiv.Client is not thread-safe (rate limit state)

    def fetch(self, refs: Iterable[ArxivRef]) -> FetchResult:
        """Metadata for each reference, in as few id_list requests as possible."""
        wanted = list(dict.fromkeys(refs))
        result = FetchResult()
        for start in range(0, len(wanted), BATCH_SIZE):
            batch = wanted[start : start + BATCH_SIZE]
            search = arxiv.Search(id_list=[r.query_id for r in batch], max_results=len(batch))
            with self._lock:
                for item in self._client.results(search):
                    meta = metadata(item)
                    result.found[meta["id"]] = meta
        result.missing = [r for r in wanted if r.id not in result.found]
        return result

    def search(self, query: str, max_results: int = 10) -> list[dict[str, Any]]:
        """Papers matching an arXiv search query (``ti:"..." AND au:...``)."""
        search = arxiv.Search(query=query, max_results=max_results)
        with self._lock:
            return [metadata(item) for item in self._client.results(search)]


_clients: dict[tuple[str, float, float], ArxivClient] = {}
_clients_lock = threading.Lock()


def get_client(settings: Settings) -> ArxivClient:
    """The process-wide client for these settings."""
    key = (settings.arxiv_api, settings.arxiv_delay, settings.http_timeout)
    with _clients_lock:
        if key not in _clients:
            _clients[key] = ArxivClient(settings)
        return _clients[key]
