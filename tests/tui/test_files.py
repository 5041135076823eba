"""The TUI and attached files: the table's file mark, o/p open the local file, P fetches PDFs."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from readlist.core.config import load_settings
from readlist.core.library import Library
from readlist.tui.widgets.paper_table import PaperTable
from tests.files.pdf_server import Answer, PdfServer
from tests.files.pdfs import text_pdf
from tests.tui.conftest import SEED, detail_text, row_text, said, settle

SIZE = (120, 36)


def _library() -> Library:
    library = Library(load_settings())
    with library._transaction() as tx:
        tx.put_papers({r["id"]: r for r in SEED})
    return library


def _viewer(tmp_path: Path) -> tuple[Path, Path]:
    log = tmp_path / "viewer.log"
    script = tmp_path / "zathura"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {log}\n', encoding="utf-8")
    script.chmod(0o755)
    return script, log


async def test_a_paper_with_a_file_is_marked_and_o_opens_the_local_file(make_app, opened, tmp_path, monkeypatch):
    script, log = _viewer(tmp_path)
    monkeypatch.setenv("READLIST_PDF_VIEWER", str(script))
    library = _library()
    source = tmp_path / "switch.pdf"
    source.write_bytes(text_pdf(["switch"]))
    report = library.attach("2101.03961", [source])
    local = library.file_path(report.attached[0])
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "▤" in row_text(app, "2101.03961")
        assert "▤" not in row_text(app, "1706.03762")
        await pilot.press("o")
        await settle(pilot)
        deadline = time.monotonic() + 10
        while not log.exists() and time.monotonic() < deadline:
            await pilot.pause(0.05)
    assert opened == []  # not the browser
    assert log.read_text(encoding="utf-8").splitlines() == [os.path.realpath(local)]


@pytest.fixture
def pdf_server(monkeypatch) -> Iterator[PdfServer]:
    """A loopback arXiv PDF server serving a one-page PDF of each seeded paper (its id as its text)."""
    server = PdfServer().start()
    monkeypatch.setenv("READLIST_ARXIV_PDF", server.template)
    for paper_id in ("2101.03961", "1706.03762"):
        server.routes[f"/pdf/{paper_id}"] = Answer(text_pdf([paper_id]))
    yield server
    server.stop()


async def test_capital_p_fetches_the_pdfs_of_the_marked_papers(make_app, pdf_server):
    library = _library()
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PaperTable)
        table.cursor = table.row_of("2101.03961")
        await pilot.press("space")
        table.cursor = table.row_of("1706.03762")
        await pilot.press("space", "P")
        await settle(pilot)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and len(pdf_server.log) < 2:
            await pilot.pause(0.1)
        await settle(pilot)
        assert "▤" in row_text(app, "1706.03762")
    assert sorted(p for _, p in pdf_server.log) == ["/pdf/1706.03762", "/pdf/2101.03961"]
    for paper_id in ("2101.03961", "1706.03762"):
        (entry,) = library.find(paper_id).files
        assert entry["kind"] == "pdf" and entry["pages"] == 1


async def test_the_filter_finds_text_in_pdfs_and_the_detail_pane_shows_the_page(make_app, tmp_path, monkeypatch):
    from tests.tui.conftest import burst

    script, log = _viewer(tmp_path)
    monkeypatch.setenv("READLIST_PDF_VIEWER", str(script))
    library = _library()
    source = tmp_path / "attention.pdf"
    source.write_bytes(text_pdf(["Attention", "Scaled dot-product attention and multi-head attention"]))
    library.attach("1706.03762", [source])
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("slash")
        await burst(pilot, 'text:"multi-head attention"')
        await settle(pilot)
        table = app.screen.query_one(PaperTable)
        assert [table.id_at(i) for i in range(len(table.rows))] == ["1706.03762"]
        head = detail_text(app)
        assert "p. 2: Scaled dot-product attention and multi-head attention" in head
        assert "files/1706-03762.pdf (pdf, 2 pages)" in head
        await pilot.press("escape")  # to the table; the filter stays
        await pilot.press("o")
        await settle(pilot)
        deadline = time.monotonic() + 10
        while not log.exists() and time.monotonic() < deadline:
            await pilot.pause(0.05)
    assert log.read_text(encoding="utf-8").splitlines()[0] == "--page=2"


async def test_u_takes_fetched_pdfs_back_off_the_papers_into_the_trash(make_app, pdf_server):
    library = _library()
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PaperTable)
        table.cursor = table.row_of("2101.03961")
        await pilot.press("P")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not library.find("2101.03961").files:
            await pilot.pause(0.1)
        (entry,) = library.find("2101.03961").files
        fetched = library.file_path(entry)
        assert fetched.is_file()
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert "▤" not in row_text(app, "2101.03961")
    assert library.find("2101.03961").files == []
    assert not fetched.exists()
    trashed = list((fetched.parent / ".trash").iterdir())
    assert [p.read_bytes() for p in trashed] == [text_pdf(["2101.03961"])]


async def test_o_names_a_viewer_that_fails_and_the_tui_stays_up(make_app, opened, tmp_path, monkeypatch):
    viewer = tmp_path / "zathura"
    viewer.write_text("#!/bin/sh\nexit 4\n", encoding="utf-8")
    viewer.chmod(0o755)
    monkeypatch.setenv("READLIST_PDF_VIEWER", str(viewer))
    library = _library()
    source = tmp_path / "switch.pdf"
    source.write_bytes(text_pdf(["switch"]))
    library.attach("2101.03961", [source])
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.query_one(PaperTable).cursor = app.screen.query_one(PaperTable).row_of("2101.03961")
        await pilot.press("o")
        deadline = time.monotonic() + 10
        while "could not open" not in said(app) and time.monotonic() < deadline:
            await pilot.pause(0.05)
        assert "exit status 4" in said(app)
        assert app.is_running
    assert opened == []
