"""arXiv PDFs, fetched through readlist's one HTTP client at arXiv's pace.

The address is ``arxiv_pdf`` (``READLIST_ARXIV_PDF``, default ``https://arxiv.org/pdf/{id}``) with
``{id}`` the bare id, which arXiv answers with the latest version; a paper whose saved version is not
the latest arXiv has (`readlist refresh` says so) fetches its own version (``{id}`` + ``v2``). An answer
is kept only if it is a PDF (``%PDF-`` in its first kilobyte, not an HTML page) within ``max_pdf_mb``;
:class:`PdfFetcher` waits ``arxiv_delay`` seconds between two requests.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from readlist.core.attachments.folder import is_pdf
from readlist.core.config import Settings
from readlist.core.errors import NetworkError
from readlist.core.models import Paper

if TYPE_CHECKING:
    import requests

SERVICE = "arXiv (PDF)"


def pdf_url(settings: Settings, paper: Paper) -> str | None:
    """Where the paper's PDF is on arXiv, or None for a paper that is not an arXiv paper."""
    if not paper.is_arxiv:
        return None
    ident = paper.id
    if paper.version and paper.latest_version and paper.version != paper.latest_version:
        ident += paper.version  # saved at an older version than arXiv's latest: that version
    return settings.arxiv_pdf.replace("{id}", ident)


def _check(body: bytes) -> str | None:
    if is_pdf(body[:1024]):
        return None
    start = body[:200].lstrip().lower()
    what = "an HTML page" if start.startswith((b"<!doctype html", b"<html")) or b"<html" in start else "not a PDF"
    return f"{what}, where a PDF was expected"


class PdfFetcher:
    """Fetches PDFs one after the other, ``arxiv_delay`` seconds apart (the first one at once)."""

    def __init__(
        self,
        settings: Settings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings
        self._sleep = sleep
        self._clock = clock
        self._last: float | None = None
        self._session: requests.Session | None = None

    def fetch(self, paper: Paper) -> bytes:
        """The PDF's bytes, or a one-line NetworkError naming arXiv and what went wrong."""
        from readlist.core.http import HttpFailure, TooLarge, session

        url = pdf_url(self.settings, paper)
        if url is None:
            raise NetworkError(f"{paper.id} is not an arXiv paper: attach its PDF with `readlist attach`")
        if self._session is None:
            self._session = session(
                self.settings, min_pause=self.settings.arxiv_delay, check=_check, max_bytes=self.settings.max_pdf_bytes
            )
        if self._last is not None:
            wait = self._last + self.settings.arxiv_delay - self._clock()
            if wait > 0:
                self._sleep(wait)
        try:
            return bytes(self._session.get(url).content)
        except TooLarge:
            raise NetworkError(
                f"{SERVICE} sent more than {self.settings.max_pdf_mb:g} MB for {paper.id}, readlist's limit "
                "(raise max_pdf_mb, READLIST_MAX_PDF_MB)"
            ) from None
        except HttpFailure as exc:
            raise NetworkError(f"{paper.id}: {exc.describe(SERVICE)}") from None
        finally:
            self._last = self._clock()
