"""Malformed documents, libraries and titles from the command line: one line, the right exit code, nothing lost.

Each test makes its payload itself. Every case here once reached a
traceback ("internal error"), an unbounded parse, a silently new library, or
a BibTeX file that runs TeX primitives when it is `\\input`.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import run_process


def _one_line(text: str) -> None:
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines, "no message at all"
    assert "Traceback" not in text and "internal error" not in text, text[:500]


def _state(home: Path) -> str:
    path = home / "library.json"
    return path.read_text(encoding="utf-8") if path.exists() else "absent"


# -- documents ------------------------------------------------------------------


def test_an_ordered_list_with_a_bad_start_is_read(cli: Any, tmp_path: Path) -> None:
    page = tmp_path / "picks.html"
    page.write_text(
        '<html><body><h1>Picks of January 2021</h1><ol start="x"><li><a href="https://arxiv.org/abs/2101.03961">'
        "Switch Transformers</a></li></ol></body></html>",
        encoding="utf-8",
    )
    r = cli("pull", "--from", str(page), "--month", "2021-01")
    assert "internal error" not in r.err
    assert r.code in (0, 1), r.err  # arXiv is unreachable in tests: the pick waits, said in one line


def test_json_nested_200000_deep_is_one_line(cli: Any, tmp_path: Path, home: Path) -> None:
    doc = tmp_path / "daily.json"
    doc.write_text("[" * 200_000, encoding="utf-8")
    r = cli("pull", "--from", str(doc), "--month", "2024-06")
    assert r.code == 2, r.err
    _one_line(r.err)
    assert _state(home) == "absent"


@pytest.mark.parametrize("upvotes", ['"many"', "[1]", "null", "1e400", '{"a": 1}'])
def test_hugging_face_upvotes_that_are_not_numbers_never_crash(cli: Any, tmp_path: Path, upvotes: str) -> None:
    paper = (
        '{"id": "2101.03961", "title": "Switch Transformers", "upvotes": ' + upvotes + ', "authors": [{"name": "W F"}]}'
    )
    entry = '{"paper": ' + paper + ', "publishedAt": "2024-06-03T00:00:00.000Z", "title": "Switch Transformers"}'
    doc = tmp_path / "daily.json"
    doc.write_text(f"[{entry}]", encoding="utf-8")
    r = cli("pull", "--from", str(doc), "--month", "2024-06")
    assert "internal error" not in r.err and "Traceback" not in r.err
    assert r.code in (0, 1, 2), r.err


def test_bibtex_nested_500_deep_is_one_line_and_imports_nothing(cli: Any, tmp_path: Path, home: Path) -> None:
    bib = tmp_path / "deep.bib"
    bib.write_text("@misc{deep, title = {" + "\\textbf{" * 500 + "x" + "}" * 500 + "}}\n", encoding="utf-8")
    r = cli("import", "bibtex", str(bib))
    assert r.code == 2, r.err
    _one_line(r.err)
    assert _state(home) == "absent"


# -- a hand-edited library.json -------------------------------------------------------------------

GOOD = {"id": "2101.03961", "title": "Switch Transformers", "status": "to-read", "tags": ["moe"]}
MALFORMED: dict[str, Any] = {
    "title-is-a-number": {"id": "title-is-a-number", "title": 5},
    "a-list": [1, 2, 3],
    "no-id": {"title": "A record without its id"},
}


@pytest.fixture
def hand_edited(home: Path) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "library.json"
    path.write_text(json.dumps({"papers": {"2101.03961": GOOD, **MALFORMED}}), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "command",
    [["list"], ["list", "--json"], ["show", "2101.03961"], ["export", "bibtex"], ["export", "markdown"], ["tags"]],
)
def test_reading_commands_skip_and_name_malformed_records(cli: Any, hand_edited: Path, command: list[str]) -> None:
    before = hand_edited.read_text(encoding="utf-8")
    r = cli(*command)
    assert r.code == 0, r.err
    for key in MALFORMED:
        assert f"'{key}'" in r.err  # named, one line each
    assert "Switch Transformers" in r.out or command[0] == "tags"
    assert "internal error" not in r.err
    assert hand_edited.read_text(encoding="utf-8") == before


@pytest.mark.parametrize(
    "command", [["status", "2101.03961", "read"], ["tag", "2101.03961", "x"], ["add", "--title", "New Paper"]]
)
def test_writing_commands_refuse_and_say_how_to_fix(cli: Any, hand_edited: Path, command: list[str]) -> None:
    before = hand_edited.read_text(encoding="utf-8")
    r = cli(*command)
    assert r.code == 1, r.err
    assert "Fix or delete that record" in r.err and "nothing was changed" in r.err
    assert hand_edited.read_text(encoding="utf-8") == before


def test_a_schema_that_is_text_is_one_line(cli: Any, home: Path) -> None:
    home.mkdir(parents=True)
    (home / "library.json").write_text('{"meta": {"schema": "one"}, "papers": {}}', encoding="utf-8")
    r = cli("list")
    assert r.code == 1
    _one_line(r.err)
    assert "meta.schema" in r.err


# -- library.json as a link ------------------------------------------------------------


def test_a_symlinked_library_is_written_through_and_stays_a_link(home: Path, tmp_path: Path) -> None:
    synced = tmp_path / "Dropbox"
    synced.mkdir()
    home.mkdir()
    (home / "library.json").symlink_to(synced / "library.json")
    (synced / "library.json").write_text(json.dumps({"papers": {"2101.03961": GOOD}}), encoding="utf-8")
    r = run_process("add", "--title", "A Paper Kept In Sync")
    assert r.returncode == 0, r.stderr
    assert (home / "library.json").is_symlink()
    papers = json.loads((synced / "library.json").read_text(encoding="utf-8"))["papers"]
    assert "2101.03961" in papers and any(p["title"] == "A Paper Kept In Sync" for p in papers.values())


def test_a_dangling_library_link_names_the_missing_target(home: Path, tmp_path: Path) -> None:
    home.mkdir()
    (home / "library.json").symlink_to(tmp_path / "unmounted" / "library.json")
    for command in (["list"], ["add", "--title", "Lost Paper"]):
        r = run_process(*command)
        assert r.returncode == 1, r.stderr
        assert f"{tmp_path / 'unmounted' / 'library.json'}, which does not exist" in r.stderr
        assert len(r.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "unmounted").exists()  # no new, empty library was started


# -- TeX primitives in a title -------------------------------------------------------------

PRIMITIVES = [
    "input{/etc/hostname}", "include{/etc/passwd}", "write18{rm -rf ~}", "immediate\\write18{id}",
    "openout1=evil.tex", "openin1=/etc/passwd", "read1 to \\x", "catcode`\\@=11", "def\\x{y}",
    "csname input\\endcsname", "usepackage{shellesc}",
]  # fmt: skip


@pytest.mark.parametrize("primitive", PRIMITIVES)
def test_tex_primitives_never_reach_a_bibtex_export(cli: Any, primitive: str) -> None:
    title = f"Leaky $\\{primitive}$ Paper"
    assert cli("add", "--title", title, "--year", "2021").code == 0
    r = cli("export", "bibtex")
    assert r.code == 0, r.err
    name = re.match(r"[a-z]+", primitive)
    assert name is not None
    # The primitive may appear only escaped (\textbackslash{}input), never as a control sequence.
    assert re.search(r"(?<!\\textbackslash\{\})\\" + name[0] + r"(?![a-z])", r.out) is None, r.out
