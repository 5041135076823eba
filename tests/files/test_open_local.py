"""`readlist open`: the local file when there is one (one absolute path, one argument), else the page."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from tests.files.pdfs import text_pdf


def _viewer(tmp_path: Path, name: str) -> tuple[Path, Path]:
    log = tmp_path / f"{name}.log"
    script = tmp_path / "bin" / name
    script.parent.mkdir(exist_ok=True)
    script.write_text(f'#!/bin/sh\nfor a in "$@"; do printf "%s\\n" "$a"; done > {log}\n', encoding="utf-8")
    script.chmod(0o755)
    return script, log


def _args(log: Path) -> list[str]:
    deadline = time.monotonic() + 10
    while not log.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.1)
    return log.read_text(encoding="utf-8").splitlines()


def _attached(cli, paper, tmp_path) -> Path:
    source = tmp_path / "p.pdf"
    source.write_bytes(text_pdf(["one", "two", "three"]))
    assert cli("attach", paper, str(source)).code == 0
    return Path(os.path.realpath(os.environ["READLIST_HOME"])) / "files" / "fedus2021switch.pdf"


def test_open_hands_the_local_file_to_the_opener_as_one_absolute_path(cli, paper, tmp_path, monkeypatch):
    local = _attached(cli, paper, tmp_path)
    opener, log = _viewer(tmp_path, "xdg-open")
    monkeypatch.setenv("PATH", f"{opener.parent}{os.pathsep}{os.environ['PATH']}")

    result = cli("open", paper)

    assert result.code == 0, result.err
    assert _args(log) == [str(local)]


@pytest.mark.parametrize(
    ("viewer", "expected"),
    [("zathura", ["--page=3", "{}"]), ("okular", ["-p", "3", "{}"]), ("evince", ["--page-index=3", "{}"]),
     ("mupdf", ["{}", "3"]), ("someviewer", ["{}"])],
)  # fmt: skip
def test_a_configured_viewer_opens_at_the_page_where_it_can(cli, paper, tmp_path, monkeypatch, viewer, expected):
    local = _attached(cli, paper, tmp_path)
    script, log = _viewer(tmp_path, viewer)
    monkeypatch.setenv("READLIST_PDF_VIEWER", str(script))

    assert cli("open", paper, "--page", "3").code == 0

    assert _args(log) == [a.replace("{}", str(local)) for a in expected]


def test_open_web_and_a_paper_without_files_go_to_the_browser(cli, paper, tmp_path, monkeypatch):
    cli("add", "--title", "Web Only", "--authors", "Ann Lee", "--year", "2020", "--url", "https://example.org/web")
    browser, log = _viewer(tmp_path, "browser")
    monkeypatch.setenv("BROWSER", str(browser))
    assert cli("open", "lee2020web").code == 0
    assert _args(log) == ["https://example.org/web"]


def test_a_local_file_gone_missing_is_one_line(cli, paper, tmp_path):
    local = _attached(cli, paper, tmp_path)
    local.unlink()
    result = cli("open", paper, "--pdf")
    assert result.code == 1 and "Traceback" not in result.err


def _failing(tmp_path: Path, name: str, status: int) -> Path:
    script = tmp_path / "bin" / name
    script.parent.mkdir(exist_ok=True)
    script.write_text(f"#!/bin/sh\nexit {status}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


def test_an_opener_that_fails_at_once_is_one_line_naming_the_missing_display(cli, paper, tmp_path, monkeypatch):
    local = _attached(cli, paper, tmp_path)
    opener = _failing(tmp_path, "xdg-open", 3)  # what xdg-open does over SSH: no display, no method
    monkeypatch.setenv("PATH", f"{opener.parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)

    result = cli("open", paper)

    assert result.code == 1
    (line,) = result.err.strip().splitlines()
    assert str(local) in line and "exit status 3" in line and "no display" in line and "pdf_viewer" in line


def test_a_configured_viewer_that_fails_is_named_with_its_status(cli, paper, tmp_path, monkeypatch):
    _attached(cli, paper, tmp_path)
    viewer = _failing(tmp_path, "zathura", 1)
    monkeypatch.setenv("READLIST_PDF_VIEWER", str(viewer))
    monkeypatch.setenv("DISPLAY", ":0")

    result = cli("open", paper, "--pdf")

    assert result.code == 1
    (line,) = result.err.strip().splitlines()
    assert "zathura could not open" in line and "exit status 1" in line and "display" not in line
