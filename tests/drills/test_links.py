"""Links handed to a browser: only absolute http(s) URLs, where they enter and where they leave.

A synced or hand-edited library.json can hold `url = "--renderer-cmd-prefix=touch X"`:
passed as argv[1] to $BROWSER, Chromium or lynx would read an option and run a
command. `file:` and `javascript:` links are refused too. The browser here is a
script of the test's own that only writes down its arguments.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from readlist.core.links import browsable
from tests.conftest import run_process

PLANTED = ["--renderer-cmd-prefix=touch pwned", "-cmd_script=F", "file:///etc/passwd", "javascript:alert(1)"]


@pytest.fixture
def browser(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """$BROWSER and the platform openers on PATH: one script that logs its arguments, one per line."""
    log = tmp_path / "browser.log"
    script = tmp_path / "bin" / "browser.sh"
    script.parent.mkdir()
    script.write_text(f'#!/bin/sh\nfor a in "$@"; do echo "$a" >> "{log}"; done\n', encoding="utf-8")
    script.chmod(0o755)
    for opener in ("xdg-open", "www-browser", "sensible-browser", "x-www-browser"):
        (script.parent / opener).symlink_to(script)
    env = {"BROWSER": str(script), "PATH": f"{script.parent}:{os.environ['PATH']}", "DISPLAY": ":0"}
    return env, log


def plant(home: Path, paper_id: str, url: str) -> None:
    """The way a sync or a hand edit would carry it: straight into library.json."""
    path = home / "library.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["papers"][paper_id].update(url=url, pdf_url=url)
    path.write_text(json.dumps(data), encoding="utf-8")


@pytest.fixture
def manual(cli) -> str:
    assert cli("add", "--title", "Planted Link", "--authors", "Eve Mallory", "--year", "2020").code == 0
    return str(cli("list", "--json").json[0]["id"])


def test_a_plain_https_link_reaches_the_browser(home: Path, manual: str, browser) -> None:
    env, log = browser
    plant(home, manual, "https://example.org/planted-ok")
    r = run_process("open", manual, env=env)
    assert r.returncode == 0, r.stderr
    assert log.read_text(encoding="utf-8").splitlines() == ["https://example.org/planted-ok"]


@pytest.mark.parametrize("url", PLANTED)
@pytest.mark.parametrize("pdf", [False, True])
def test_a_planted_link_never_reaches_the_browser(
    cli, home: Path, tmp_path: Path, manual: str, browser, url: str, pdf: bool
) -> None:
    env, log = browser
    plant(home, manual, url)
    r = run_process("open", manual, *(["--pdf"] if pdf else []), env=env)
    assert not log.exists(), f"{url!r} reached the browser"
    assert r.returncode in (1, 2)
    assert "Traceback" not in r.stderr and "internal error" not in r.stderr and "Opened" not in r.stdout
    assert manual in r.stderr  # the line names the paper
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


@pytest.mark.parametrize("url", PLANTED)
def test_a_planted_link_is_ignored_with_a_warning_and_the_record_stays_writable(
    cli, home: Path, manual: str, url: str
) -> None:
    plant(home, manual, url)
    shown = cli("show", manual, "--json")
    assert shown.code == 0
    assert shown.json["url"] is None and shown.json["pdf_url"] is None
    warnings = [line for line in shown.err.splitlines() if "warning" in line]
    assert len(warnings) == 2 and all(manual in line and "not an http(s) URL" in line for line in warnings)
    assert cli("tag", manual, "kept").code == 0  # usable and writable: not a malformed record
    stored = json.loads((home / "library.json").read_text(encoding="utf-8"))["papers"][manual]
    assert stored["tags"] == ["kept"] and stored.get("url") is None and stored.get("pdf_url") is None  # null: left out


def test_links_are_checked_where_they_enter(cli, tmp_path: Path) -> None:
    bib = tmp_path / "planted.bib"
    bib.write_text(
        "@misc{planted1, title = {Option Link}, author = {Mallory, Eve}, year = {2020},\n"
        "  url = {--renderer-cmd-prefix=touch pwned}}\n"
        "@misc{planted2, title = {Script Link}, author = {Mallory, Eve}, year = {2021}, url = {javascript:alert(1)}}\n",
        encoding="utf-8",
    )
    csl = tmp_path / "planted.json"
    csl.write_text(
        json.dumps([{"id": "planted3", "type": "article", "title": "File Link", "URL": "file:///etc/passwd"}]),
        encoding="utf-8",
    )
    assert cli("import", "bibtex", str(bib)).code == 0
    assert cli("import", "csl", str(csl)).code == 0
    rows = cli("list", "--json").json
    assert {r["title"] for r in rows} == {"Option Link", "Script Link", "File Link"}
    assert all(r["url"] is None or browsable(r["url"]) for r in rows)
    assert all(not (r["url"] or "").startswith(("-", "file:", "javascript:")) for r in rows)
    bad = cli("add", "--title", "Typed", "--url", "-cmd_script=F")
    assert bad.code == 2 and "http(s)" in bad.err


async def test_the_tuis_o_and_p_never_open_a_planted_link(home: Path, manual: str) -> None:
    from readlist.core.config import load_settings
    from readlist.core.library import Library
    from readlist.tui.app import ReadlistApp

    plant(home, manual, "--renderer-cmd-prefix=touch pwned")
    opened: list[str] = []
    app = ReadlistApp(Library(load_settings()), opener=opened.append)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        for _ in range(100):
            if len(app.screen_stack) > 1 and getattr(app.screen, "loaded", False):
                break
            await pilot.pause(0.02)
        await pilot.press("o", "p")
        await pilot.pause()
        assert opened == []
        assert app.is_running
