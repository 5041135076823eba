"""PDF text per page, read in a limited child process: the real papers, and the hostile shapes."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from tests.files.conftest import error_lines, files_of
from tests.files.pdfs import REAL_PDF, bomb_pdf, slow_pdf, text_pdf

needs_real = pytest.mark.skipif(not REAL_PDF.is_dir(), reason="../shared/real/pdf is absent")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower()).strip()


def _settings():
    from readlist.core.config import load_settings

    return load_settings()


@needs_real
def test_each_real_paper_has_its_phrase_on_its_page_and_only_there():
    from readlist.core.attachments.extract import extract_text

    expected = json.loads((REAL_PDF / "expected.json").read_text(encoding="utf-8"))
    for item in expected["text_pdfs"]:
        text = extract_text(REAL_PDF / item["file"], _settings())
        assert text.page_count == item["pages"], item["file"]
        assert text.sha256 == item["sha256"]
        found = [n for n, page in enumerate(text.pages, 1) if _norm(item["phrase"]) in _norm(page)]
        assert found == [item["page"]], item["file"]


@needs_real
@pytest.mark.parametrize(
    ("name", "reason"), [("encrypted-user-password.pdf", "encrypted"), ("broken-fuzzed.pdf", "malformed")]
)
def test_the_real_encrypted_and_broken_files_are_flagged_in_one_line(cli, paper, home, name, reason):
    result = cli("attach", paper, str(REAL_PDF / name))

    assert result.code == 1
    assert len(error_lines(result)) == 1 and "Traceback" not in result.err
    assert reason in result.err or {"encrypted": "password", "malformed": "malformed"}[reason] in result.err
    entry = files_of(cli, paper)[0]
    assert (entry["problem"], entry["pages"]) == (reason, None)
    assert (home / entry["path"]).read_bytes() == (REAL_PDF / name).read_bytes()  # the user's file is kept


def test_text_is_cached_per_file_hash_and_never_read_twice(cli, paper, tmp_path, monkeypatch):
    from readlist.core.attachments.extract import extract_text

    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(text_pdf(["alpha beta", "gamma delta"]))
    first = extract_text(pdf, _settings())
    renamed = tmp_path / "same bytes, other name.pdf"
    renamed.write_bytes(pdf.read_bytes())

    def no_child(*args, **kwargs):
        raise AssertionError("the PDF was read a second time")

    monkeypatch.setattr(subprocess, "run", no_child)
    again = extract_text(renamed, _settings())
    assert again.pages == first.pages == ["alpha beta", "gamma delta"]


def test_a_pdf_of_thousands_of_pages_is_read_up_to_the_page_limit_and_says_so(cli, paper, tmp_path, monkeypatch):
    monkeypatch.setenv("READLIST_PDF_MAX_PAGES", "300")
    big = tmp_path / "big.pdf"
    big.write_bytes(text_pdf([f"page number {n}" for n in range(1, 5001)]))

    result = cli("attach", paper, str(big))

    assert result.code == 0, result.err
    assert "5000 pages" in result.err and "first 300" in result.err
    assert files_of(cli, paper)[0]["pages"] == 5000
    from readlist.core.attachments.extract import extract_text

    text = extract_text(big, _settings())
    assert len(text.pages) == 300 and text.truncated and text.pages[299] == "page number 300"


def test_a_stream_that_inflates_to_hundreds_of_mb_stops_at_the_memory_limit(cli, paper, tmp_path, monkeypatch):
    monkeypatch.setenv("READLIST_PDF_MEMORY_MB", "160")
    bomb = tmp_path / "bomb.pdf"
    bomb.write_bytes(bomb_pdf(320))

    result = cli("attach", paper, str(bomb))

    assert result.code == 1
    assert "pdf_memory_mb" in result.err and len(error_lines(result)) == 1
    assert files_of(cli, paper)[0]["problem"] == "memory"


def test_a_pdf_that_takes_too_long_stops_at_the_time_limit(cli, paper, tmp_path, monkeypatch):
    monkeypatch.setenv("READLIST_PDF_SECONDS", "0.01")
    slow = tmp_path / "slow.pdf"
    slow.write_bytes(slow_pdf())

    result = cli("attach", paper, str(slow))

    assert result.code == 1 and "pdf_seconds" in result.err
    assert files_of(cli, paper)[0]["problem"] == "time"


def test_a_file_that_only_looks_like_a_pdf_is_flagged(cli, paper, tmp_path):
    fake = tmp_path / "fake.pdf"
    fake.write_bytes(b"%PDF-1.4\n<html>not really</html>\n")
    result = cli("attach", paper, str(fake))
    assert result.code == 1 and "malformed" in result.err


def test_a_fifo_planted_in_the_text_cache_is_never_waited_on(cli, paper, tmp_path):
    import hashlib
    import os

    from readlist.core.attachments.extract import cache_path, extract_text

    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(text_pdf(["planted cache"]))
    planted = cache_path(_settings(), hashlib.sha256(pdf.read_bytes()).hexdigest())
    planted.parent.mkdir(parents=True)
    os.mkfifo(planted)

    assert extract_text(pdf, _settings()).pages == ["planted cache"]  # read again, and the FIFO replaced
    assert planted.is_file()
