"""`readlist pdf`: arXiv PDFs from a loopback server, checked, paced, never left half-written."""

from __future__ import annotations

import itertools
import json
import os

import pytest

from tests.arxiv_server import ArxivServer
from tests.files.conftest import error_lines, files_of
from tests.files.pdf_server import Answer, PdfServer
from tests.files.pdfs import REAL_PDF, text_pdf

needs_real = pytest.mark.skipif(not REAL_PDF.is_dir(), reason="../shared/real/pdf is absent")


@pytest.fixture
def pdfs(monkeypatch):
    server = PdfServer().start()
    monkeypatch.setenv("READLIST_ARXIV_PDF", server.template)
    yield server
    server.stop()


@pytest.fixture
def saved(cli, arxiv: ArxivServer) -> list[str]:
    ids = ["2101.03961", "2101.03697", "2012.15723"]
    assert cli("add", *ids).code == 0
    return ids


def _visible_files(home) -> list[str]:
    folder = home / "files"
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


@needs_real
def test_pdf_downloads_the_real_papers_and_reads_their_pages(cli, saved, pdfs, home):
    expected = {item["file"]: item for item in json.loads((REAL_PDF / "expected.json").read_text())["text_pdfs"]}
    served = ["arxiv-2203.00130v1.pdf", "arxiv-0908.0054v1.pdf", "doi-peerj-cs-118.pdf"]
    for paper_id, name in zip(saved, served, strict=True):
        pdfs.routes[f"/pdf/{paper_id}"] = Answer((REAL_PDF / name).read_bytes())

    result = cli("pdf", *saved)

    assert result.code == 0, result.err
    for paper_id, name in zip(saved, served, strict=True):
        (entry,) = files_of(cli, paper_id)
        want = expected[name]
        assert (entry["kind"], entry["pages"], entry["sha256"]) == ("pdf", want["pages"], want["sha256"])
        assert (home / entry["path"]).read_bytes() == (REAL_PDF / name).read_bytes()
    assert sorted(p for _, p in pdfs.log) == sorted(f"/pdf/{i}" for i in saved)


def test_papers_with_a_pdf_are_skipped_unless_forced(cli, saved, pdfs):
    pdfs.routes["/pdf/2101.03961"] = Answer(text_pdf(["one"]))
    assert cli("pdf", "2101.03961").code == 0
    assert cli("pdf", "2101.03961").code == 0
    assert len(pdfs.log) == 1 and len(files_of(cli, "2101.03961")) == 1
    assert cli("pdf", "2101.03961", "--force").code == 0
    assert len(pdfs.log) == 2 and len(files_of(cli, "2101.03961")) == 2


def test_an_html_page_answered_as_the_pdf_is_refused_and_nothing_kept(cli, saved, pdfs, home):
    page = b"<!DOCTYPE html><html><body>Please verify you are human</body></html>"
    pdfs.routes["/pdf/2101.03961"] = Answer(page, "application/pdf")

    result = cli("pdf", "2101.03961")

    assert result.code == 1
    (line,) = error_lines(result)
    assert "2101.03961" in line and "HTML" in line
    assert files_of(cli, "2101.03961") == []
    assert _visible_files(home) == []


def test_a_cut_connection_leaves_no_file_that_looks_complete(cli, saved, pdfs, home):
    body = text_pdf([f"page {n}" for n in range(400)])
    pdfs.routes["/pdf/2101.03961"] = Answer(body, cut_after=len(body) // 2)

    result = cli("pdf", "2101.03961")

    assert result.code == 1 and len(error_lines(result)) == 1
    assert files_of(cli, "2101.03961") == []
    assert _visible_files(home) == []


def test_ctrl_c_while_the_pdf_is_written_leaves_no_file(cli, saved, pdfs, home, monkeypatch):
    pdfs.routes["/pdf/2101.03961"] = Answer(text_pdf(["whole"]))
    real_fsync = os.fsync

    def interrupted(fd: int) -> None:
        if os.path.basename(os.readlink(f"/proc/self/fd/{fd}")).endswith(".part"):
            raise KeyboardInterrupt
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", interrupted)
    result = cli("pdf", "2101.03961")

    assert result.code == 130
    assert _visible_files(home) == [] and not any((home / "files").glob(".*.part"))
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert files_of(cli, "2101.03961") == []


def test_pdf_keeps_arxivs_pace_between_requests(cli, saved, pdfs, monkeypatch):
    for paper_id in saved:
        pdfs.routes[f"/pdf/{paper_id}"] = Answer(text_pdf([paper_id]))
    monkeypatch.setenv("READLIST_ARXIV_DELAY", "0.6")

    result = cli("pdf", "--all")

    assert result.code == 0, result.err
    times = [t for t, _ in pdfs.log]
    assert len(times) == 3
    assert all(later - earlier >= 0.59 for earlier, later in itertools.pairwise(times))


def test_a_paper_saved_at_an_older_version_fetches_that_version(cli, saved, pdfs, home):
    data = json.loads((home / "library.json").read_text(encoding="utf-8"))
    record = data["papers"]["2101.03961"]
    record["version"], record["latest_version"] = "v1", "v3"
    (home / "library.json").write_text(json.dumps(data), encoding="utf-8")
    pdfs.routes["/pdf/2101.03961v1"] = Answer(text_pdf(["version one"]))

    assert cli("pdf", "2101.03961").code == 0
    assert [p for _, p in pdfs.log] == ["/pdf/2101.03961v1"]


def test_a_paper_not_on_arxiv_is_named_and_others_still_fetched(cli, saved, pdfs):
    cli("add", "--title", "Stochastic Parrots", "--authors", "Emily Bender", "--year", "2021")
    pdfs.routes["/pdf/2101.03961"] = Answer(text_pdf(["fine"]))

    result = cli("pdf", "bender2021stochastic", "2101.03961")

    assert result.code == 1 and "attach" in result.err
    assert len(files_of(cli, "2101.03961")) == 1


def test_pdf_by_query_and_bad_selection(cli, saved, pdfs):
    pdfs.routes["/pdf/2101.03961"] = Answer(text_pdf(["switch"]))
    assert cli("pdf", "-q", "id:2101.03961").code == 0
    assert [p for _, p in pdfs.log] == ["/pdf/2101.03961"]
    assert cli("pdf").code == 2
    assert cli("pdf", "2101.03961", "--all").code == 2
    assert cli("pdf", "2101.99999").code == 1


@pytest.mark.parametrize(("setting", "fetched"), [("on-add", True), ("on-accept", False), ("never", False)])
def test_download_pdfs_fetches_on_add_when_set(cli, arxiv, pdfs, monkeypatch, setting, fetched):
    pdfs.routes["/pdf/2101.03961"] = Answer(text_pdf(["added"]))
    monkeypatch.setenv("READLIST_DOWNLOAD_PDFS", setting)

    result = cli("add", "2101.03961")

    assert result.code == 0, result.err
    assert bool(files_of(cli, "2101.03961")) == fetched


def test_a_bad_download_pdfs_setting_is_bad_input(cli, monkeypatch):
    monkeypatch.setenv("READLIST_DOWNLOAD_PDFS", "sometimes")
    result = cli("list", "--json")
    assert result.code == 2 and "download_pdfs" in result.err and "on-accept" in result.err
