"""`readlist edit ID`: the fields in $EDITOR, checked on save, never half-applied, and written over the
entry as imported on BibTeX and CSL export."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from tests.doi_server import DoiServer

# An editor that applies the next step of a script to the file it is given, and keeps what it was shown.
EDITOR = """
import json, sys
from pathlib import Path
state = Path(sys.argv[1])
steps = json.loads(state.read_text())
target = Path(sys.argv[2])
shown = target.read_text(encoding="utf-8")
log = state.with_suffix(".shown")
log.write_text(log.read_text() + json.dumps(shown) + "\\n" if log.exists() else json.dumps(shown) + "\\n")
step = steps.pop(0) if steps else []
state.write_text(json.dumps(steps))
if step == "EMPTY":
    target.write_text("")
elif isinstance(step, str):
    target.write_text(step, encoding="utf-8")
else:
    text = shown
    for old, new in step:
        assert old in text, (old, text)
        text = text.replace(old, new, 1)
    target.write_text(text, encoding="utf-8")
"""


@pytest.fixture
def editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Set the steps the editor takes, one per opening; returns the texts it was shown."""
    script = tmp_path / "editor.py"
    script.write_text(EDITOR, encoding="utf-8")
    state = tmp_path / "steps.json"
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script} {state}")

    def steps(*todo: object) -> list[str]:
        state.write_text(json.dumps(list(todo)))
        shown = state.with_suffix(".shown")
        shown.unlink(missing_ok=True)
        return []

    def shown() -> list[str]:
        path = state.with_suffix(".shown")
        return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []

    steps.shown = shown  # type: ignore[attr-defined]
    return steps


def record(cli, paper_id: str) -> dict:
    r = cli("show", paper_id, "--json")
    assert r.code == 0, r.err
    return r.json


def add_parrots(cli) -> str:
    r = cli("add", "--title", "On the Dangers of Stochastic Parots", "--authors", "Emily M. Bender",
            "--year", "2020", "--doi", "10.1145/3442188.3445922")  # fmt: skip
    assert r.code == 0, r.err
    return "doi:10.1145/3442188.3445922"


def test_edit_changes_the_fields_and_records_them_as_edits(cli, editor) -> None:
    pid = add_parrots(cli)
    editor([
        ["Stochastic Parots", "Stochastic Parrots"],
        ["- Emily M. Bender\n", "- Emily M. Bender\n- Timnit Gebru\n"],
        ["year: 2020", "year: 2021"],
        ["venue: {}", "venue:\n  booktitle: FAccT '21\n  pages: 610-623"],
        ["type: document", "type: inproceedings"],
        ["abstract: ''", "abstract: |\n  Large language models.\n  Second line."],
    ])  # fmt: skip
    r = cli("edit", pid)
    assert r.code == 0, r.err
    assert "Saved doi:10.1145/3442188.3445922: title, authors, year, venue, type, abstract" in r.err
    shown = editor.shown()[0]
    assert "title: On the Dangers of Stochastic Parots" in shown and "key: bender2020dangers" in shown
    p = record(cli, pid)
    assert p["title"] == "On the Dangers of Stochastic Parrots"
    assert p["authors"] == ["Emily M. Bender", "Timnit Gebru"]
    assert (p["year"], p["type"]) == (2021, "paper-conference")
    assert p["venue"] == {"booktitle": "FAccT '21", "pages": "610-623"}
    assert p["abstract"] == "Large language models.\nSecond line."
    assert p["edited"] == ["title", "authors", "year", "venue", "type", "abstract"]
    assert p["key"] == "bender2020dangers"  # untouched fields stay


def test_a_bad_edit_reopens_with_the_error_on_top_and_is_never_half_applied(cli, editor, home: Path) -> None:
    pid = add_parrots(cli)
    before = (home / "library.json").read_bytes()
    editor(
        [["Stochastic Parots", "Stochastic Parrots"], ["year: 2020", "year: twenty"]],
        [["year: twenty", "year: 2021"]],
    )
    r = cli("edit", pid)
    assert r.code == 0, r.err
    second = editor.shown()[1]
    assert second.startswith("# ERROR: year must be a year such as 2021, not 'twenty'\n")
    assert "title: On the Dangers of Stochastic Parrots" in second  # what was typed is kept
    p = record(cli, pid)
    assert (p["title"], p["year"]) == ("On the Dangers of Stochastic Parrots", 2021)
    assert before != (home / "library.json").read_bytes()


@pytest.mark.parametrize(
    ("change", "error"),
    [
        (["title: On the Dangers of Stochastic Parots", "title: ''"], "title cannot be empty"),
        (["doi: 10.1145/3442188.3445922", "doi: 11.2/x"], "is not a DOI"),
        (["url: https://doi.org/10.1145/3442188.3445922", "url: javascript:alert(1)"], "not an http(s) address"),
        (["type: document", "type: novel"], "is not a CSL type"),
        (["key: bender2020dangers", "key: bad key"], "key 'bad key' has a space"),
        (["year: 2020", "year: 20200"], "year 20200 is not a year"),
        (["year: 2020", "colour: red\nyear: 2020"], "unknown field 'colour'"),
        (["title: On", "title: [On"], "not valid YAML"),
        (["venue: {}", "venue: [1, 2]"], "venue must be names and values"),
    ],
)
def test_a_bad_edit_given_up_changes_nothing(cli, editor, home: Path, change: list[str], error: str) -> None:
    pid = add_parrots(cli)
    before = (home / "library.json").read_bytes()
    editor([change], [])  # a bad edit, then closed again unchanged
    r = cli("edit", pid)
    assert r.code == 2, r.err
    assert error in r.err and "unchanged" in r.err and r.err.count("\n") == 1
    assert editor.shown()[1].startswith("# ERROR: ")
    assert (home / "library.json").read_bytes() == before


def test_an_alias_bomb_is_refused(cli, editor, home: Path) -> None:
    pid = add_parrots(cli)
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\ntitle: *b\n"
    editor(bomb, [])
    r = cli("edit", pid)
    assert r.code == 2 and "aliases" in r.err


def test_a_key_another_paper_has_is_refused(cli, editor, home: Path) -> None:
    pid = add_parrots(cli)
    assert cli("add", "--title", "Attention Is All You Need", "--authors", "Ashish Vaswani", "--year", "2017").code == 0
    editor([["key: bender2020dangers", "key: Vaswani2017Attention"]])
    r = cli("edit", pid)
    assert r.code == 2 and "is already manual:" in r.err
    assert record(cli, pid)["key"] == "bender2020dangers"


def test_an_empty_form_or_no_change_changes_nothing(cli, editor, home: Path) -> None:
    pid = add_parrots(cli)
    before = (home / "library.json").read_bytes()
    editor("EMPTY")
    r = cli("edit", pid)
    assert r.code == 0 and "unchanged" in r.err
    editor([])
    r = cli("edit", pid)
    assert r.code == 0 and "unchanged" in r.err
    assert (home / "library.json").read_bytes() == before


BIB = """@inproceedings{parrots,
  title = {On the Dangers of Stochastic Parots},
  author = {Bender, Emily M. and Gebru, Timnit},
  booktitle = {Proceedings of FAccT},
  year = {2020},
  month = mar,
  note = {kept as written},
}
"""


def test_edits_go_over_the_imported_entry_on_bibtex_export_and_back(cli, editor, tmp_path: Path) -> None:
    bib = tmp_path / "mine.bib"
    bib.write_text(BIB, encoding="utf-8")
    assert cli("import", "bibtex", str(bib)).code == 0
    first = cli("export", "bibtex")
    assert first.code == 0 and first.out.strip() == BIB.strip()  # untouched: as written
    editor([
        ["Stochastic Parots", "Stochastic Parrots"], ["year: 2020", "year: 2021"],
        ["booktitle: Proceedings of FAccT", "booktitle: Proceedings of FAccT 2021\n  pages: 610-623"],
        ["type: paper-conference", "type: article"], ["doi: ''", "doi: 10.1145/3442188.3445922"],
        ["key: parrots", "key: bender2021parrots"],
    ])  # fmt: skip
    r = cli("edit", "parrots")
    assert r.code == 0, r.err
    out = cli("export", "bibtex")
    assert out.code == 0
    text = out.out
    assert text.startswith("@article{bender2021parrots,\n")
    assert "title = {On the Dangers of Stochastic Parrots}" in text
    assert "year = {2021}" in text and "booktitle = {Proceedings of FAccT 2021}" in text
    assert "pages = {610--623}" in text or "pages = {610-623}" in text
    assert "doi = {10.1145/3442188.3445922}" in text
    assert "note = {kept as written}" in text and "month = mar" in text  # the rest as written
    # Round trip: the export read into a fresh library gives the edited paper.
    again = tmp_path / "again.bib"
    again.write_text(text, encoding="utf-8")
    other = tmp_path / "other-home"
    import os

    os.environ["READLIST_HOME"] = str(other)
    try:
        assert cli("import", "bibtex", str(again)).code == 0
        p = cli("list", "--json").json[0]
    finally:
        os.environ["READLIST_HOME"] = str(tmp_path / "home")
    assert p["key"] == "bender2021parrots" and p["year"] == 2021 and p["doi"] == "10.1145/3442188.3445922"
    assert p["title"] == "On the Dangers of Stochastic Parrots" and p["venue"]["booktitle"].endswith("2021")


def test_edits_go_over_a_doi_record_on_csl_export(cli, editor, monkeypatch: pytest.MonkeyPatch) -> None:
    item = {
        "type": "article-journal", "DOI": "10.1038/193293a0", "title": "Formation of the Scab",
        "author": [{"family": "WINTER", "given": "GEORGE D."}], "issued": {"date-parts": [[1962, 1]]},
        "container-title": "Nature", "volume": "193", "page": "293-294", "publisher": "Springer Nature",
    }  # fmt: skip
    server = DoiServer({"10.1038/193293a0": item}).start()
    monkeypatch.setenv("READLIST_DOI_API", server.url)
    try:
        assert cli("add", "10.1038/193293a0").code == 0
    finally:
        server.stop()
    editor([["- GEORGE D. WINTER", "- George D. Winter"], ["volume: '193'", "volume: '194'"]])
    assert cli("edit", "doi:10.1038/193293a0").code == 0
    out = json.loads(cli("export", "csl").out)[0]
    assert out["author"] == [{"family": "Winter", "given": "George D."}]
    assert out["volume"] == "194" and out["page"] == "293-294" and out["container-title"] == "Nature"
    assert out["issued"] == {"date-parts": [[1962, 1]]}  # not edited: as the record said
    bib = cli("export", "bibtex").out
    assert "volume = {194}" in bib and "author = {Winter, George D.}" in bib


def test_a_changed_key_finds_the_paper_by_its_new_key(cli, editor) -> None:
    pid = add_parrots(cli)
    editor([["key: bender2020dangers", "key: parrots2021"]])
    assert cli("edit", pid).code == 0
    assert record(cli, "parrots2021")["id"] == pid
