"""`readlist add paper.pdf`: the real papers of ../shared/real/pdf (an arXiv stamp in the margin, a DOI on
page 1), looked up on loopback stand-ins, the file attached; and PDFs of our own for the other shapes."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.arxiv_server import ArxivServer
from tests.doi_server import DoiServer

REAL_PDF = Path(__file__).resolve().parents[2] / ".." / "shared" / "real" / "pdf"
needs_real = pytest.mark.skipif(not REAL_PDF.is_dir(), reason="../shared/real/pdf is absent")

CATALOG = [
    {"id": "2203.00130", "title": "Paper Plain: Making Medical Research Papers Approachable to Healthcare Consumers "
     "with Natural Language Processing", "authors": ["Tal August", "Lucy Lu Wang"], "summary": "Paper Plain.",
     "published": "2022-02-28T22:00:00Z", "versions": ["2022-02-28T22:00:00Z", "2022-06-01T10:00:00Z"],
     "primary_category": "cs.HC", "categories": ["cs.HC"]},
    {"id": "0908.0054", "title": "Ultra light bosonic dark matter and CMB", "authors": ["Ivan Rodriguez Montoya"],
     "summary": "Dark matter.", "published": "2009-08-01T10:00:00Z", "versions": ["2009-08-01T10:00:00Z"],
     "primary_category": "astro-ph.CO", "categories": ["astro-ph.CO"]},
]  # fmt: skip
PEERJ = "10.7717/peerj-cs.118"
HINDAWI = "10.1155/2010/157939"
RECORDS = {
    PEERJ: {"type": "article-journal", "DOI": PEERJ, "title": "A pipeline to detect positive selection",
            "author": [{"family": "Example", "given": "Ann"}], "issued": {"date-parts": [[2017]]},
            "container-title": "PeerJ Computer Science", "volume": "3", "page": "e118"},
    HINDAWI: {"type": "article-journal", "DOI": HINDAWI, "title": "A Hindawi paper",
              "author": [{"family": "Writer", "given": "Wu"}], "issued": {"date-parts": [[2010]]}},
}  # fmt: skip


@pytest.fixture
def services(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[ArxivServer, DoiServer]]:
    arxiv = ArxivServer(CATALOG).start()
    resolver = DoiServer(RECORDS).start()
    monkeypatch.setenv("READLIST_ARXIV_API", arxiv.url)
    monkeypatch.setenv("READLIST_DOI_API", resolver.url)
    yield arxiv, resolver
    arxiv.stop()
    resolver.stop()


def shown(cli, paper_id: str) -> dict:
    r = cli("show", paper_id, "--json")
    assert r.code == 0, r.err
    return r.json


def tiny_pdf(pages: list[str], info: str = "") -> bytes:
    """A valid PDF with one line of Helvetica text per page, and an optional /Info dictionary."""
    objs: list[bytes | None] = [b"<< /Type /Catalog /Pages 2 0 R >>", None,
                                b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]  # fmt: skip
    kids = []
    for text in pages:
        stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode("latin-1")
        objs.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        objs.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> "
                    b"/Contents %d 0 R >>" % len(objs))  # fmt: skip
        kids.append(len(objs))
    objs[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    if info:
        objs.append(info.encode("latin-1"))
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + (body or b"") + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    info_ref = b" /Info %d 0 R" % len(objs) if info else b""
    out += b"trailer\n<< /Size %d /Root 1 0 R%s >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, info_ref, xref)
    return bytes(out)


@needs_real
@pytest.mark.parametrize(("name", "arxiv_id", "version"), [("arxiv-2203.00130v1.pdf", "2203.00130", "v1"),
                                                           ("arxiv-0908.0054v1.pdf", "0908.0054", "v1")])  # fmt: skip
def test_a_real_arxiv_pdf_is_found_by_its_margin_stamp(cli, services, home: Path, name, arxiv_id, version) -> None:
    arxiv, resolver = services
    r = cli("add", str(REAL_PDF / name), "-t", "pdf")
    assert r.code == 0, r.err
    assert f"Added {arxiv_id} {version}" in r.err and "the arXiv stamp on page 1" in r.err
    p = shown(cli, arxiv_id)
    assert p["version"] == version and p["tags"] == ["pdf"] and not p["pending"]  # the version stamped is kept
    assert len(p["files"]) == 1 and p["files"][0]["kind"] == "pdf"
    expected = json.loads((REAL_PDF / "expected.json").read_text())
    want = next(e for e in expected["text_pdfs"] if e["file"] == name)
    assert p["files"][0]["pages"] == want["pages"] and p["files"][0]["sha256"] == want["sha256"]
    assert (home / p["files"][0]["path"]).read_bytes() == (REAL_PDF / name).read_bytes()
    assert resolver.requests == [] and len(arxiv.requests) == 1


@needs_real
@pytest.mark.parametrize(("name", "doi"), [("doi-peerj-cs-118.pdf", PEERJ), ("doi-hindawi-157939.pdf", HINDAWI)])
def test_a_real_pdf_with_a_doi_on_page_1(cli, services, home: Path, name: str, doi: str) -> None:
    arxiv, resolver = services
    r = cli("add", str(REAL_PDF / name))
    assert r.code == 0, r.err
    assert f"Added doi:{doi}" in r.err and "the DOI on page 1" in r.err
    p = shown(cli, f"doi:{doi}")
    assert p["title"] == RECORDS[doi]["title"] and p["origin"]["item"]["DOI"] == doi
    assert len(p["files"]) == 1 and (home / p["files"][0]["path"]).is_file()
    assert [d for d, _, _ in resolver.requests] == [doi] and arxiv.requests == []


@needs_real
def test_adding_the_same_pdf_again_attaches_it_once(cli, services) -> None:
    path = str(REAL_PDF / "doi-hindawi-157939.pdf")
    assert cli("add", path).code == 0
    r = cli("add", path)
    assert r.code == 0 and "attached to doi:10.1155/2010/157939 already" in r.err
    assert len(shown(cli, f"doi:{HINDAWI}")["files"]) == 1


@needs_real
def test_an_encrypted_pdf_saves_nothing(cli, services) -> None:
    r = cli("add", str(REAL_PDF / "encrypted-user-password.pdf"))
    assert r.code == 1 and "encrypted" in r.err and "nothing saved" in r.err and "Traceback" not in r.err
    assert cli("list", "--json").json == []


def test_a_doi_in_the_metadata_names_the_paper(cli, services, tmp_path: Path) -> None:
    pdf = tmp_path / "download.pdf"
    pdf.write_bytes(tiny_pdf(["A positive selection pipeline", "Methods"], info=f"<< /Subject (doi:{PEERJ}) >>"))
    r = cli("add", str(pdf))
    assert r.code == 0, r.err
    assert "the DOI in its metadata (Subject)" in r.err
    assert shown(cli, f"doi:{PEERJ}")["files"][0]["kind"] == "pdf"


def test_a_pdf_naming_no_paper_is_saved_pending_with_its_title_and_file(cli, services, tmp_path: Path) -> None:
    pdf = tmp_path / "scan_2019.pdf"
    pdf.write_bytes(
        tiny_pdf(["Some notes without identifiers"], info="<< /Title (My Lab Report) /Author (Ada One; Bo Two) >>")
    )
    r = cli("add", str(pdf), "-t", "lab")
    assert r.code == 0, r.err
    assert "No arXiv id or DOI found" in r.err and "'My Lab Report'" in r.err
    (p,) = cli("list", "--json").json
    assert (p["title"], p["authors"], p["pending"], p["tags"]) == (
        "My Lab Report",
        ["Ada One", "Bo Two"],
        True,
        ["lab"],
    )
    assert len(p["files"]) == 1
    untitled = tmp_path / "another_scan.pdf"
    untitled.write_bytes(tiny_pdf(["Nothing here either"]))
    assert cli("add", str(untitled)).code == 0
    titles = {q["title"] for q in cli("list", "--json").json}
    assert "another scan" in titles


def test_an_unknown_arxiv_stamp_saves_nothing(cli, services, tmp_path: Path, home: Path) -> None:
    pdf = tmp_path / "x.pdf"
    pdf.write_bytes(tiny_pdf(["arXiv:2401.00001v2 [cs.LG] 1 Jan 2024"]))
    r = cli("add", str(pdf))
    assert r.code == 1 and "2401.00001v2" in r.err and "not on arXiv" in r.err
    assert cli("list", "--json").json == []
    assert not (home / "files").exists() or not any((home / "files").iterdir())


def test_a_missing_pdf_is_bad_input(cli, tmp_path: Path) -> None:
    r = cli("add", str(tmp_path / "nowhere.pdf"))
    assert r.code == 2 and "no such file" in r.err


def test_a_changed_key_keeps_the_attached_files_where_they_are(
    cli, services, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(tiny_pdf(["No identifiers"], info="<< /Title (Field Report) /Author (Ada Lovelace) >>"))
    assert cli("add", str(pdf)).code == 0
    (before,) = cli("list", "--json").json
    script = tmp_path / "rekey.py"
    script.write_text(
        "import sys, re\nfrom pathlib import Path\np = Path(sys.argv[1])\n"
        "p.write_text(re.sub(r'(?m)^key: .*$', 'key: fieldnotes', p.read_text()))\n"
    )
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    r = cli("edit", before["id"])
    assert r.code == 0 and "key" in r.err
    after = shown(cli, "fieldnotes")
    assert after["files"] == before["files"] and (home / after["files"][0]["path"]).read_bytes() == pdf.read_bytes()
