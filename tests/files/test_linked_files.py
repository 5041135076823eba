"""`file` fields of BibTeX (JabRef, Mendeley, Better BibTeX) and CSL become attachments linked in place."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest

from tests.files.conftest import files_of
from tests.files.pdfs import text_pdf

REAL_BIB = Path(__file__).resolve().parents[2] / ".." / "shared" / "real" / "bib"


def _file_fields(text: str) -> list[str]:
    return sorted(m.group(1) for m in re.finditer(r"(?im)^\s*file\s*=\s*(\{.*\}),?\s*$", text))


def test_jabref_mendeley_and_better_bibtex_fields_link_files_in_place(cli, home, tmp_path):
    library = tmp_path / "papers"
    (library / "pdfs").mkdir(parents=True)
    (library / "pdfs" / "switch.pdf").write_bytes(text_pdf(["Switch", "router z-loss here"]))
    (library / "pdfs" / "notes: v2.txt").write_text("notes", encoding="utf-8")
    absolute = tmp_path / "elsewhere.pdf"
    absolute.write_bytes(text_pdf(["absolute"]))
    bib = library / "refs.bib"
    bib.write_text(
        "@article{fedus2021,\n  title = {Switch Transformers},\n  author = {Fedus, William},\n  year = {2021},\n"
        "  file = {Full text:pdfs/switch.pdf:PDF;Notes:pdfs/notes\\: v2.txt:Text;:http\\://arxiv.org/pdf/2101.03961:PDF}\n}\n"
        "@article{mendeley,\n  title = {Mendeley Shape},\n  author = {Doe, Jane},\n  year = {2020},\n"
        "  file = {:pdfs/missing.pdf:pdf}\n}\n"
        f"@article{{zotero,\n  title = {{Zotero Shape}},\n  author = {{Roe, Rick}},\n  year = {{2019}},\n"
        f"  file = {{{absolute}}}\n}}\n",
        encoding="utf-8",
    )

    result = cli("import", "bibtex", str(bib))

    assert result.code == 0, result.err
    assert "missing.pdf" in result.err + result.out
    linked = files_of(cli, "fedus2021")
    assert [(f["path"], f["kind"], f["linked"]) for f in linked] == [
        (os.path.realpath(library / "pdfs" / "switch.pdf"), "pdf", True),
        (os.path.realpath(library / "pdfs" / "notes: v2.txt"), "txt", True),
    ]
    assert files_of(cli, "mendeley") == []
    assert [f["path"] for f in files_of(cli, "zotero")] == [os.path.realpath(absolute)]
    assert not (home / "files").exists()  # linked, never copied
    found = cli("list", "-q", 'text:"router z-loss"', "--json").json
    assert [(r["key"], r["hits"][0]["page"]) for r in found] == [("fedus2021", 2)]

    out = tmp_path / "out.bib"
    assert cli("export", "bibtex", "--out", str(out)).code == 0
    assert _file_fields(out.read_text(encoding="utf-8")) == _file_fields(bib.read_text(encoding="utf-8"))


def test_csl_items_file_field_links_in_place(cli, tmp_path):
    (tmp_path / "a.pdf").write_bytes(text_pdf(["csl attachment"]))
    items = [{"id": "doe2020", "type": "article-journal", "title": "CSL Paper", "author": [{"family": "Doe"}],
              "issued": {"date-parts": [[2020]]}, "file": "a.pdf"}]  # fmt: skip
    (tmp_path / "items.json").write_text(json.dumps(items), encoding="utf-8")
    assert cli("import", "csl", str(tmp_path / "items.json")).code == 0
    assert [f["path"] for f in files_of(cli, "doe2020")] == [os.path.realpath(tmp_path / "a.pdf")]


@pytest.mark.skipif(not REAL_BIB.is_dir(), reason="../shared/real/bib is absent")
def test_the_real_jabref_library_keeps_its_file_fields_through_a_round_trip(cli, tmp_path):
    source = REAL_BIB / "jabref-testjabref.bib"

    result = cli("import", "bibtex", str(source))

    assert result.code == 0, result.err
    assert "not there, not linked" in result.err + result.out  # its JabRef\\*.pdf files are not on this machine
    out = tmp_path / "out.bib"
    assert cli("export", "bibtex", "--out", str(out)).code == 0
    written = _file_fields(out.read_text(encoding="utf-8"))
    assert len(written) == 33
    assert written == _file_fields(source.read_text(encoding="utf-8"))
    assert all(not row["files"] for row in cli("list", "--json").json)
