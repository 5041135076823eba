"""A PDF's text, page by page: read in a child process with limits, kept per file hash in the cache.

:func:`extract_text` is the one entry point. The PDF is read by pdfium (pypdfium2: Apache-2.0/BSD,
maintained, and the fastest of the three extractors tried on the real papers) in
``python -m readlist.core.attachments.worker``, which caps its own memory (``pdf_memory_mb``) and CPU
time, and which the caller waits for at most ``pdf_seconds``. At most ``pdf_max_pages`` pages are read;
:attr:`PdfText.truncated` says when a file had more. The text is cleaned (:mod:`readlist.core.clean`)
and written to ``<cache>/text/<sha256>.json``, so the same file is never read twice, whatever its
name, and deleting the cache loses nothing.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readlist.core.clean import clean_line, clean_text, excerpt
from readlist.core.config import Settings
from readlist.core.errors import ReadlistError
from readlist.core.files import NotRegularFile, kind, read_regular, replace_atomically

CACHE_VERSION = 1
CACHE_LIMIT = 400_000_000
"""The largest text cache file read (50 MB of text a file at most, escaped as JSON)."""
_WORDS = {
    "encrypted": "is encrypted (it needs a password), so its text cannot be read or searched",
    "malformed": "is not a PDF readlist can read (malformed or damaged)",
    "memory": "needs more memory to read than pdf_memory_mb allows",
    "time": "took longer to read than pdf_seconds allows",
    "unreadable": "could not be read",
}


class UnreadablePdf(ReadlistError):
    """A PDF whose text cannot be read: encrypted, malformed, or over a limit (exit 1).

    ``reason`` is one word (encrypted, malformed, memory, time, unreadable), kept with the attachment.
    """

    def __init__(self, shown: str, reason: str) -> None:
        self.reason = reason
        super().__init__(f"{shown} {_WORDS.get(reason, _WORDS['unreadable'])}")


@dataclass
class PdfText:
    """The text of one PDF: one string per page read (pages counted from 1 are ``pages[0]``...)."""

    sha256: str
    page_count: int
    pages: list[str] = field(default_factory=list)
    failed: int = 0
    """Pages pdfium could not read (their text is empty)."""
    metadata: dict[str, str] = field(default_factory=dict)
    """The document information it gives (Title, Author, Subject, Keywords), cleaned to one line each."""

    @property
    def truncated(self) -> bool:
        """More pages than were read (``pdf_max_pages``)."""
        return len(self.pages) < self.page_count


def file_hash(path: Path, limit: int) -> tuple[str, int]:
    """The sha256 and size of a regular file of at most ``limit`` bytes (never blocks on a FIFO)."""
    shown = excerpt(str(path), 200)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise NotRegularFile(f"cannot read {shown}: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(handle.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegularFile(f"{shown} is {kind(mode)}, not a regular file; readlist reads only files")
        digest = hashlib.sha256()
        size = 0
        while chunk := handle.read(1 << 20):
            size += len(chunk)
            if size > limit:
                raise NotRegularFile(
                    f"{shown} is larger than {limit / 1_000_000:g} MB, readlist's limit for a file "
                    "(raise max_pdf_mb, READLIST_MAX_PDF_MB)"
                )
            digest.update(chunk)
    return digest.hexdigest(), size


def cache_path(settings: Settings, sha256: str) -> Path:
    return settings.cache_dir / "text" / f"{sha256}.json"


def cached_text(settings: Settings, sha256: str) -> PdfText | None:
    """The cached text of the file with this hash, if it was read with at least today's page limit.

    A cached failure (an encrypted or malformed file) raises :class:`UnreadablePdf` again, without a child.
    """
    import orjson

    try:  # a regular file only: a FIFO, a link or a folder planted in the cache is never read (nor waited on)
        data = orjson.loads(read_regular(cache_path(settings, sha256), CACHE_LIMIT, follow=False))
    except (OSError, ReadlistError, orjson.JSONDecodeError):
        return None
    if not isinstance(data, dict) or data.get("version") != CACHE_VERSION:
        return None
    if isinstance(data.get("error"), str):
        raise UnreadablePdf(f"the file {sha256[:12]}…", data["error"])
    pages, count, max_pages = data.get("pages"), data.get("count"), data.get("max_pages")
    if not (isinstance(pages, list) and all(isinstance(p, str) for p in pages) and isinstance(count, int)):
        return None
    if len(pages) < count and (not isinstance(max_pages, int) or max_pages < settings.pdf_max_pages):
        return None  # read with a lower page limit than today's
    return PdfText(
        sha256, count, [p[: 1 << 20] for p in pages][: settings.pdf_max_pages], int(data.get("failed") or 0),
        _metadata(data.get("metadata")),
    )  # fmt: skip


def extract_text(path: Path, settings: Settings, *, sha256: str | None = None, shown: str | None = None) -> PdfText:
    """The text of the PDF at ``path``, per page: from the cache, else read in a limited child process.

    Raises :class:`UnreadablePdf` (encrypted, malformed, over the time or memory limit) and
    :class:`~readlist.core.files.NotRegularFile` (a FIFO, a device, a folder, a file over ``max_pdf_mb``).
    """
    name = excerpt(shown if shown is not None else str(path), 200)
    if sha256 is None:
        sha256, _size = file_hash(path, settings.max_pdf_bytes)
    try:
        cached = cached_text(settings, sha256)
    except UnreadablePdf as exc:
        raise UnreadablePdf(name, exc.reason) from None
    if cached is not None:
        return cached
    result = _run_worker(path, settings, name)
    error = result.get("error")
    if isinstance(error, str):
        if error in ("encrypted", "malformed"):  # the same bytes always fail the same way
            _store(settings, sha256, {"version": CACHE_VERSION, "error": error})
        raise UnreadablePdf(name, error)
    pages = [clean_text(p) if isinstance(p, str) else "" for p in result.get("pages") or []]
    count = result.get("count")
    text = PdfText(
        sha256, count if isinstance(count, int) else len(pages), pages, int(result.get("failed") or 0),
        _metadata(result.get("metadata")),
    )  # fmt: skip
    _store(
        settings,
        sha256,
        {
            "version": CACHE_VERSION, "count": text.page_count, "pages": text.pages,
            "failed": text.failed, "max_pages": settings.pdf_max_pages, "metadata": text.metadata,
        },
    )  # fmt: skip
    return text


def _metadata(value: Any) -> dict[str, str]:
    """Document information as one clean line per key (anything else left out)."""
    if not isinstance(value, dict):
        return {}
    return {
        str(k): " ".join(clean_line(v).split())[:2000] for k, v in value.items() if isinstance(v, str) and v.strip()
    }


def _run_worker(path: Path, settings: Settings, name: str) -> dict[str, Any]:
    import orjson

    command = [
        sys.executable, "-m", "readlist.core.attachments.worker", os.fspath(path),
        str(settings.pdf_max_pages), f"{settings.pdf_memory_mb:g}", f"{settings.pdf_seconds:g}",
    ]  # fmt: skip
    try:
        done = subprocess.run(
            command, capture_output=True, timeout=settings.pdf_seconds + 2, stdin=subprocess.DEVNULL, check=False
        )
    except subprocess.TimeoutExpired:
        raise UnreadablePdf(name, "time") from None
    except OSError as exc:
        raise ReadlistError(f"could not start the PDF reader for {name}: {exc.strerror or exc}") from None
    if done.returncode != 0:
        # Killed by the CPU limit (SIGXCPU/SIGKILL), or pdfium failed to allocate under the memory limit.
        tail = clean_line(done.stderr.decode("utf-8", "replace"))[-300:]
        if done.returncode in (-24, -9) or "CPU time" in tail:
            raise UnreadablePdf(name, "time")
        if "MemoryError" in tail or "memory" in tail.lower() or done.returncode in (-6, -11, -7):
            raise UnreadablePdf(name, "memory")
        raise UnreadablePdf(name, "malformed")
    try:
        result = orjson.loads(done.stdout)
    except orjson.JSONDecodeError:
        raise UnreadablePdf(name, "malformed") from None
    return result if isinstance(result, dict) else {"error": "malformed"}


def _store(settings: Settings, sha256: str, data: dict[str, Any]) -> None:
    """Keep the text in the cache (a cache that cannot be written only costs a second reading later)."""
    import orjson

    with contextlib.suppress(OSError):
        replace_atomically(cache_path(settings, sha256), orjson.dumps(data), durable=False)
