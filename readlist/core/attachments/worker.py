"""The child process that reads a PDF's text: ``python -m readlist.core.attachments.worker FILE PAGES MB SECONDS``.

It limits its own address space to ``MB`` and its CPU time to ``SECONDS`` before it imports pdfium, reads
at most ``PAGES`` pages, and writes one JSON object to stdout: ``{"count": N, "pages": [...], "failed": K}``
or ``{"error": "encrypted" | "malformed", "detail": "..."}``. Whatever happens inside pdfium (a stream that
inflates to gigabytes, a page that loops) ends here, as a limit the parent reports, never in the caller's
process. The parent (:mod:`readlist.core.attachments.extract`) cleans the text it gets.
"""

from __future__ import annotations

import json
import os
import stat
import sys
from typing import Any

PAGE_CHARS = 200_000
"""The most text kept from one page (a page of real prose holds a few thousand characters)."""
TOTAL_CHARS = 50_000_000
"""The most text kept from one file; pages past it are counted as not read."""


def _limit(memory_mb: float, seconds: float) -> None:
    import resource

    memory = int(memory_mb * 1024 * 1024)
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = max(1, int(seconds + 0.999))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _read(path: str, max_pages: int) -> dict[str, Any]:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
            return {"error": "malformed", "detail": "not a regular file"}
        data = handle.read()
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        words = str(exc)
        if "password" in words.lower():
            return {"error": "encrypted", "detail": words}
        return {"error": "malformed", "detail": words}
    count = len(document)
    metadata = _metadata(document)
    pages: list[str] = []
    failed = 0
    total = 0
    for index in range(min(count, max_pages)):
        if total > TOTAL_CHARS:
            break
        try:
            page = document[index]
            textpage = page.get_textpage()
            text = textpage.get_text_bounded()[:PAGE_CHARS]
            textpage.close()
            page.close()
        except pdfium.PdfiumError:
            text = ""
            failed += 1
        total += len(text)
        pages.append(text.replace("\r\n", "\n").replace("\r", "\n"))
    if count and failed == len(pages):
        return {"error": "malformed", "detail": "no page could be read"}
    return {"count": count, "pages": pages, "failed": failed, "metadata": metadata}


META_KEYS = ("Title", "Author", "Subject", "Keywords")
"""The document information a PDF gives about itself that `readlist add paper.pdf` reads (a title, a DOI)."""


def _metadata(document: Any) -> dict[str, str]:
    try:
        info = document.get_metadata_dict(skip_empty=True)
    except Exception:  # pdfium's errors vary; the metadata is a best effort
        return {}
    return {k: v[:2000] for k, v in info.items() if k in META_KEYS and isinstance(v, str)}


def main(argv: list[str]) -> int:
    path, max_pages, memory_mb, seconds = argv[0], int(argv[1]), float(argv[2]), float(argv[3])
    _limit(memory_mb, seconds)
    try:
        result = _read(path, max_pages)
    except MemoryError:
        result = {"error": "memory", "detail": f"more than {memory_mb:g} MB"}
    except OSError as exc:
        result = {"error": "unreadable", "detail": exc.strerror or str(exc)}
    sys.stdout.buffer.write(json.dumps(result, ensure_ascii=False).encode("utf-8", "replace"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
