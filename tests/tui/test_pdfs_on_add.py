"""The ``download_pdfs`` setting in the TUI, as the CLI's add and accept apply it: ``on-add`` fetches the PDFs
of papers added (or accepted), ``on-accept`` of papers accepted, in a job with a progress line. arXiv and its
PDFs are loopback servers."""

from __future__ import annotations

import pytest

from readlist.core.config import load_settings
from readlist.core.library import Library
from readlist.tui.messages import PullProgress
from tests.files.pdf_server import Answer, PdfServer
from tests.files.pdfs import text_pdf
from tests.tui.conftest import SEED, SIZE, burst, open_suggestions, said, seed_suggestions, settle

ID = "2103.00020"


@pytest.fixture
def pdfs(monkeypatch: pytest.MonkeyPatch) -> PdfServer:
    server = PdfServer().start()
    monkeypatch.setenv("READLIST_ARXIV_PDF", server.template)
    server.routes[f"/pdf/{ID}"] = Answer(text_pdf(["Contrastive pre-training of image and text encoders"]))
    return server


def pdf_files(library: Library, paper_id: str) -> list[str]:
    paper = library.get(paper_id)
    return [str(f.get("path")) for f in paper.files if f.get("kind") == "pdf"] if paper is not None else []


async def add_by_key(app, pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("a")
    await pilot.pause()
    await burst(pilot, ID)
    await pilot.press("enter")
    await settle(pilot)
    await settle(pilot)  # the add, then the PDFs' job it starts


async def test_on_add_fetches_the_pdf_of_a_paper_added(arxiv, pdfs: PdfServer, home, monkeypatch, make_app) -> None:
    monkeypatch.setenv("READLIST_DOWNLOAD_PDFS", "on-add")
    library = Library(load_settings())
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await add_by_key(app, pilot)
        progress = [m.what for m in app.heard.of(PullProgress) if m.job == "pdfs"]
        assert set(progress) == {f"PDF 1 of 1: {ID}"}  # the progress line (heard at each part it passes)
        assert "Fetched 1 PDF into files/" in said(app)
    assert len(pdf_files(library, ID)) == 1
    assert [path for _, path in pdfs.log] == [f"/pdf/{ID}"]


@pytest.mark.parametrize("when", ["never", "on-accept"])
async def test_an_add_fetches_nothing_unless_on_add(arxiv, pdfs: PdfServer, home, monkeypatch, make_app, when) -> None:
    monkeypatch.setenv("READLIST_DOWNLOAD_PDFS", when)
    library = Library(load_settings())
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await add_by_key(app, pilot)
    assert library.get(ID) is not None and pdf_files(library, ID) == [] and pdfs.log == []


@pytest.mark.parametrize(("when", "fetched"), [("on-accept", True), ("on-add", True), ("never", False)])
async def test_an_accept_fetches_the_pdf_when_set(pdfs: PdfServer, home, monkeypatch, make_app, when, fetched) -> None:
    monkeypatch.setenv("READLIST_DOWNLOAD_PDFS", when)
    library = Library(load_settings())
    with library._transaction() as tx:
        tx.put_papers({r["id"]: r for r in SEED})
    seed_suggestions(library)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        listing = await open_suggestions(pilot)
        await pilot.press("down")
        assert listing.current.key == ID
        await pilot.press("enter")
        await settle(pilot)
        await settle(pilot)
    assert library.get(ID) is not None
    assert len(pdf_files(library, ID)) == (1 if fetched else 0)
