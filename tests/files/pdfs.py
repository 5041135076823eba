"""PDFs the tests write themselves: plain text pages, and the hostile shapes (bombs, thousands of pages)."""

from __future__ import annotations

import zlib
from pathlib import Path

REAL_PDF = Path(__file__).resolve().parents[2] / ".." / "shared" / "real" / "pdf"


def _assemble(objects: list[bytes]) -> bytes:
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _escape(text: str) -> bytes:
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("latin-1")


def text_pdf(pages: list[list[str] | str]) -> bytes:
    """A PDF with the given lines of Helvetica text on each page (a page is a string or a list of lines)."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b"", font]
    kids = []
    for page in pages:
        lines = [page] if isinstance(page, str) else page
        ops = b"BT /F1 11 Tf 14 TL 72 740 Td " + b" ".join(b"(%s) '" % _escape(line) for line in lines) + b" ET"
        objects.append(b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream")
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
            b"/Contents %d 0 R >>" % len(objects)
        )
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    return _assemble(objects)


def bomb_pdf(inflated_mb: int = 1024, op: bytes = b"0 0 m\n") -> bytes:
    """A one-page PDF whose content stream is a little deflate that inflates to ``inflated_mb`` MB of ``op``."""
    packer = zlib.compressobj(9)
    block = op * (786_432 // len(op))
    chunks = [packer.compress(block) for _ in range(inflated_mb * 1024 * 1024 // len(block))]
    chunks.append(packer.flush())
    data = b"".join(chunks)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> "
        b"/Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return _assemble(objects)


def slow_pdf(inflated_mb: int = 96) -> bytes:
    """A one-page PDF of millions of text operators: seconds of CPU for any extractor."""
    return bomb_pdf(inflated_mb, b"BT /F1 9 Tf 10 10 Td (word and more) Tj ET 5 5 m\n")
