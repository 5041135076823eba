"""Full-text search: text:"…" finds the page of a PDF, with a snippet, through the one search index."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.arxiv_server import ArxivServer
from tests.files.conftest import files_of
from tests.files.pdf_server import Answer, PdfServer
from tests.files.pdfs import REAL_PDF, text_pdf

needs_real = pytest.mark.skipif(not REAL_PDF.is_dir(), reason="../shared/real/pdf is absent")
ROUTER = ["Switch Transformers", "Scaling to trillion parameter models", "The router z-loss keeps training stable."]


def _hits(cli, query: str, *more: str) -> dict[str, list[dict]]:
    result = cli("list", "-q", query, "--json", *more)
    assert result.code == 0, result.err
    return {row["id"]: row.get("hits") for row in result.json}


@needs_real
def test_each_real_papers_phrase_is_found_on_its_page_with_a_snippet(cli, arxiv: ArxivServer, monkeypatch):
    expected = json.loads((REAL_PDF / "expected.json").read_text(encoding="utf-8"))["text_pdfs"]
    ids = ["2101.03961", "2101.03697", "2012.15723", "2101.08751"]
    server = PdfServer().start()
    monkeypatch.setenv("READLIST_ARXIV_PDF", server.template)
    try:
        for paper_id, item in zip(ids, expected, strict=True):
            server.routes[f"/pdf/{paper_id}"] = Answer((REAL_PDF / item["file"]).read_bytes())
        assert cli("add", *ids).code == 0
        assert cli("pdf", *ids).code == 0
    finally:
        server.stop()

    for paper_id, item in zip(ids, expected, strict=True):
        found = _hits(cli, f'text:"{item["phrase"]}"')
        assert list(found) == [paper_id], item["file"]
        (hit,) = found[paper_id]
        assert hit["page"] == item["page"]
        assert item["phrase"] in " ".join(hit["snippet"].lower().split())
        assert hit["path"] == files_of(cli, paper_id)[0]["path"]


def test_text_words_phrases_negation_and_other_terms(cli, paper, tmp_path):
    other = tmp_path / "other.pdf"
    other.write_bytes(text_pdf(["Attention is all you need", "multi-head attention"]))
    cli("add", "--title", "Attention", "--authors", "Ashish Vaswani", "--year", "2017")
    mine = tmp_path / "mine.pdf"
    mine.write_bytes(text_pdf(ROUTER))
    assert cli("attach", paper, str(mine)).code == 0
    assert cli("attach", "vaswani2017attention", str(other)).code == 0

    assert list(_hits(cli, 'text:"router z-loss"')) == ["manual:switch-transformers-fedus-2021"]
    assert list(_hits(cli, "text:ROUTER")) == ["manual:switch-transformers-fedus-2021"]
    assert list(_hits(cli, "text:attention year:2017")) == ["manual:attention-vaswani-2017"]
    assert _hits(cli, "text:attention year:2021") == {}
    assert list(_hits(cli, "-text:attention")) == ["manual:switch-transformers-fedus-2021"]
    assert _hits(cli, 'text:"z-loss router"') == {}
    hit = _hits(cli, 'text:"router z-loss"')["manual:switch-transformers-fedus-2021"]
    assert hit == [
        {"page": 3, "snippet": "The router z-loss keeps training stable.", "path": "files/fedus2021switch.pdf"}
    ]


def test_plain_words_search_the_pdfs_only_with_full_text(cli, paper, tmp_path):
    mine = tmp_path / "mine.pdf"
    mine.write_bytes(text_pdf(ROUTER))
    cli("attach", paper, str(mine))
    assert _hits(cli, "trillion") == {}
    found = _hits(cli, "trillion", "--full-text")
    assert found == {"manual:switch-transformers-fedus-2021": [
        {"page": 2, "snippet": "Scaling to trillion parameter models", "path": "files/fedus2021switch.pdf"}
    ]}  # fmt: skip
    assert list(_hits(cli, "switch", "--full-text")) == ["manual:switch-transformers-fedus-2021"]


def test_show_q_prints_the_pages_and_snippets(cli, paper, tmp_path):
    mine = tmp_path / "mine.pdf"
    mine.write_bytes(text_pdf(ROUTER))
    cli("attach", paper, str(mine))

    result = cli("show", paper, "-q", 'text:"z-loss"')

    assert result.code == 0
    assert "p. 3  files/fedus2021switch.pdf  The router z-loss keeps training stable." in result.out
    assert cli("show", paper, "-q", 'text:"z-loss"', "--json").json["hits"][0]["page"] == 3
    assert "Not found in its files." in cli("show", paper, "-q", "text:nowhere").out


def test_detach_takes_the_pages_out_of_the_search(cli, paper, tmp_path):
    mine = tmp_path / "mine.pdf"
    mine.write_bytes(text_pdf(ROUTER))
    cli("attach", paper, str(mine))
    assert _hits(cli, "text:trillion")
    assert cli("detach", paper).code == 0
    assert _hits(cli, "text:trillion") == {}


def test_the_index_is_derived_and_a_rebuild_never_reads_a_pdf_twice(cli, paper, tmp_path, monkeypatch):
    mine = tmp_path / "mine.pdf"
    mine.write_bytes(text_pdf(ROUTER))
    cli("attach", paper, str(mine))
    cache = tmp_path / "cache"
    for index in cache.glob("search-*.sqlite3*"):
        index.unlink()

    def no_child(*args, **kwargs):
        raise AssertionError("a PDF was read again")

    monkeypatch.setattr(subprocess, "run", no_child)
    assert list(_hits(cli, "text:trillion")) == ["manual:switch-transformers-fedus-2021"]


def test_no_index_defers_reading_to_the_first_search(cli, paper, tmp_path):
    mine = tmp_path / "mine.pdf"
    mine.write_bytes(text_pdf(ROUTER))
    assert cli("attach", paper, str(mine), "--no-index").code == 0
    assert files_of(cli, paper)[0]["pages"] is None
    assert not list((tmp_path / "cache").glob("text/*.json"))
    assert list(_hits(cli, "text:trillion")) == ["manual:switch-transformers-fedus-2021"]


def test_export_selects_by_text_in_pdfs(cli, paper, tmp_path):
    mine = tmp_path / "mine.pdf"
    mine.write_bytes(text_pdf(ROUTER))
    cli("attach", paper, str(mine))
    cli("add", "--title", "Other Paper", "--authors", "Ann Lee", "--year", "2020")
    out = tmp_path / "out.bib"

    result = cli("export", "bibtex", "-q", 'text:"router z-loss"', "--out", str(out))

    assert result.code == 0, result.err
    written = out.read_text(encoding="utf-8")
    assert "@" in written and "fedus2021switch" in written and "lee2020other" not in written
