"""`readlist import csl` and `readlist export csl`: Zotero's and pandoc's CSL JSON, kept whole, both ways."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readlist.core.citekey import citation_keys
from readlist.core.clean import clean_text
from readlist.core.library import Library
from readlist.core.models import Paper
from readlist.formats import csl
from readlist.formats.bibtex.latex import clean
from readlist.formats.csl import export_csl, item_view
from readlist.formats.files import in_pieces
from readlist.formats.select import select_papers
from tests.formats.conftest import FIXTURES, exported_both_ways
from tests.formats.test_bibtex_export import NAME, NOTES, TAG, TEXT, tags_of

ZOTERO = FIXTURES / "zotero.json"


def items(text: str) -> dict[str, dict]:
    """Exported items by citation key."""
    return {i.get("citation-key") or i["id"]: i for i in json.loads(text)}


def test_a_zotero_export_becomes_papers_with_keys_tags_notes_and_status(cli, lib: Library) -> None:
    r = cli("import", "csl", str(ZOTERO))
    assert r.code == 0, r.err
    assert "Read 4 entries" in r.err and "Added 4 papers (1 from arXiv, 3 others)" in r.err
    papers = {p.id: p for p in lib.papers()}
    assert sorted(papers) == [
        "2101.03961", "doi:10.1038/514550a", "manual:attention-is-all-you-need-vaswani-2017",
        "manual:information-theory-and-statistics-kullback-1959",
    ]  # fmt: skip
    switch = papers["2101.03961"]
    assert switch.key == "fedusSwitchTransformersScaling2022"  # Zotero's citation-key
    assert switch.tags == ["computer-science---machine-learning", "moe"]
    assert switch.notes == "Read with the reading group.\nSecond line."
    assert switch.status == "read" and switch.source == "csl"
    nature = papers["doi:10.1038/514550a"]
    assert nature.key == "vannoorden2014top"  # Zotero's id is a URI: a key is made, once
    assert nature.authors == ["Richard Van Noorden", "Brendan Maher"]
    assert nature.venue == {
        "journal": "Nature", "volume": "514", "number": "7524", "pages": "550-553", "issn": "1476-4687",
        "month": "oct",
    }  # fmt: skip
    assert nature.year == 2014 and nature.abstract.startswith("A made-up abstract")
    attention = papers["manual:attention-is-all-you-need-vaswani-2017"]
    assert attention.key == "vaswani2017"  # pandoc's id is the key
    assert attention.authors == ["Ashish Vaswani", "Anna van der Berg", "Google Brain Team"]
    assert attention.venue["booktitle"] == "Advances in Neural Information Processing Systems"
    assert attention.venue["series"] == "NIPS'17" and attention.venue["editor"] == "I. Guyon"


def test_the_command_writes_in_pieces_what_the_whole_export_holds(
    cli, lib: Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The command reads the papers a text shard at a time and writes each item's JSON as it is made: the
    same bytes as json.dumps of every item held at once, on stdout and in a file, whole library or filtered."""
    assert cli("import", "csl", str(ZOTERO)).code == 0
    assert cli("import", "bibtex", str(FIXTURES / "personal.bib")).code == 0
    assert cli("add", "--title", "Written By Hand", "--year", "2020", "--tag", "alone").code == 0
    pieces: list[str] = []
    monkeypatch.setattr(csl, "in_pieces", lambda parts: (pieces.append(p) or p for p in in_pieces(parts, size=300)))
    for tag in (None, "alone", "no-such-tag"):
        everyone = lib.papers()
        keys = citation_keys(everyone)
        found = [pair for p in select_papers(everyone, lib, tag=tag) for pair in csl.paper_items(p, keys[p.id])]
        found.sort(key=lambda pair: (pair[0].lower(), pair[0]))
        expected = json.dumps([item for _, item in found], ensure_ascii=False, indent=2) + "\n"  # held at once
        args = ["--tag", tag] if tag else []
        assert exported_both_ways(cli, "csl", args, tmp_path / f"{tag}.json") == (expected, expected)
    assert len(pieces) > 10


def test_export_gives_each_item_back_whole_with_a_key_where_one_was_made(cli) -> None:
    assert cli("import", "csl", str(ZOTERO)).code == 0
    r = cli("export", "csl")
    assert r.code == 0, r.err
    original = json.loads(ZOTERO.read_text(encoding="utf-8"))
    exported = json.loads(r.out)
    assert len(exported) == 4
    by_id = {i["id"]: i for i in exported}
    for item in original:
        back = by_id[item["id"]]
        extra = {k: v for k, v in back.items() if k not in item}
        assert {k: back[k] for k in item} == item  # every field as it came, unknown ones too
        assert set(extra) <= {"citation-key"}
    assert by_id[original[0]["id"]]["citation-key"] == "vannoorden2014top"
    assert "citation-key" not in by_id["vaswani2017"]


def test_export_import_export_is_byte_identical(cli, monkeypatch, tmp_path: Path) -> None:
    assert cli("import", "csl", str(ZOTERO)).code == 0
    assert cli("import", "bibtex", str(FIXTURES / "personal.bib")).code == 0
    assert cli("add", "--title", "A Paper By Hand", "--authors", "Ada Lovelace", "--year", "1843").code == 0
    first = cli("export", "csl").out
    path = tmp_path / "first.json"
    path.write_text(first, encoding="utf-8")
    monkeypatch.setenv("READLIST_HOME", str(tmp_path / "elsewhere"))
    r = cli("import", "csl", str(path))
    assert r.code == 0, r.err
    assert cli("export", "csl").out == first
    # BibTeX-born entries went over as CSL with their names, venue and personal data.
    exported = items(first)
    top = exported["VanNoorden2014"]
    assert top["type"] == "paper-conference" and top["container-title"] == "Proceedings of the Hundred"
    assert top["author"][0] == {"family": "Van Noorden", "given": "Richard"}
    assert top["author"][3] == {"literal": "Micro Focus"}
    assert top["editor"][0] == {"family": "Neumann", "given": "John", "non-dropping-particle": "von"}
    assert top["issued"] == {"date-parts": [[2014, 10]]} and top["page"] == "550--553"
    assert top["keyword"] == "citation-analysis, science" and top["custom"] == {"readstatus": "skimmed"}
    assert top["note"] == "First line.\n  Second line, indented."


def test_readlists_changes_go_on_top_of_the_item(cli, lib: Library) -> None:
    assert cli("import", "csl", str(ZOTERO)).code == 0
    assert cli("status", "2101.03961", "dropped").code == 0
    assert cli("tag", "2101.03961", "moe", "--remove").code == 0
    assert cli("note", "2101.03961", "--append", "Third.").code == 0
    assert cli("status", "doi:10.1038/514550a", "reading").code == 0
    out = items(cli("export", "csl").out)
    switch = out["fedusSwitchTransformersScaling2022"]
    assert switch["keyword"] == "computer-science---machine-learning"
    assert switch["note"] == "Read with the reading group.\nSecond line.\n\nThird."
    assert switch["custom"] == {"readstatus": "dropped"}
    assert out["vannoorden2014top"]["custom"] == {"readstatus": "skimmed"}
    assert cli("status", "2101.03961", "to-read").code == 0
    assert "custom" not in items(cli("export", "csl").out)["fedusSwitchTransformersScaling2022"]


def test_csl_and_bibtex_agree_on_the_same_paper(cli, lib: Library) -> None:
    assert cli("import", "bibtex", str(FIXTURES / "mixed.bib")).code == 0
    r = cli("import", "csl", str(ZOTERO))
    assert r.code == 0, r.err
    # Switch Transformers is the same arXiv paper in both files: one paper, both keys kept.
    assert "fedusSwitchTransformersScaling2022 -> fedus2021switch (same arXiv id)" in r.err
    switch = lib.get("2101.03961")
    assert switch.key == "fedus2021switch" and switch.status == "to-read"  # the saved status is kept
    assert switch.notes == "Read with the reading group.\nSecond line."  # an empty note is filled
    bib = cli("export", "bibtex").out
    assert "@misc{fedus2021switch," in bib and "@misc{fedusSwitchTransformersScaling2022," in bib


def test_malformed_csl_is_one_line_and_changes_nothing(cli, home: Path, tmp_path: Path) -> None:
    assert cli("add", "--title", "Something saved").code == 0
    before = (home / "library.json").read_bytes()
    bad = tmp_path / "bad.json"
    cases = [
        (b"not json at all", "is not JSON"),
        (b"[" * 200_000 + b"]" * 200_000, "is not JSON"),
        (b'"a string"', "is not CSL JSON"),
        (b"[1, 2, 3]", "holds no CSL items"),
        (b"[]", "holds no CSL items"),
        (b'[{"title": "x", "deep": ' + b"[" * 40 + b"]" * 40 + b"}]", "nested more than 32"),
    ]
    for content, words in cases:
        bad.write_bytes(content)
        r = cli("import", "csl", str(bad))
        assert r.code == 2, (content[:40], r.err)
        assert words in r.err and r.err.count("\n") == 1 and "Traceback" not in r.err
    assert (home / "library.json").read_bytes() == before
    # Odd values are read as well as they can be, not refused.
    bad.write_text(
        json.dumps([1, {"title": 5, "author": "Eve", "issued": {"date-parts": "x"}, "keyword": 3}, {"id": 2}]),
        encoding="utf-8",
    )
    r = cli("import", "csl", str(bad))
    assert r.code == 0, r.err
    assert "Skipped 1 item(s) that are not JSON objects" in r.err
    titles = sorted(p["title"] for p in cli("list", "--json").json)
    assert titles == ["5", "Something saved", "[item 3]"]


@given(title=TEXT, authors=st.lists(NAME, max_size=4), notes=NOTES, tags=st.lists(TAG, max_size=3))
@settings(max_examples=200, deadline=None)
def test_any_paper_reads_back_from_its_item(title: str, authors: list[str], notes: str, tags: list[str]) -> None:
    authors = [" ".join(a.split()) for a in authors if a.split()]
    paper = Paper(id="2101.03961", title=clean(title) or "x", authors=authors, notes=clean_text(notes))
    paper.tags = tags_of(tags)
    (item,) = json.loads(export_csl([paper]))
    seen = item_view(item)
    assert (seen.title, seen.authors, seen.notes, seen.tags) == (paper.title, authors, paper.notes, paper.tags)


def test_items_sharing_a_doi_are_both_kept_whole_and_announced(cli, lib: Library, tmp_path: Path) -> None:
    """Zotero's shape: a conference paper and its journal version with one DOI (a fixture of our own)."""
    shared = {"DOI": "10.1000/shared.2019", "author": [{"family": "Rao", "given": "Priya"}],
              "issued": {"date-parts": [[2019]]}}  # fmt: skip
    items = [
        {"id": "http://zotero.org/users/1/items/AAAA1111", "type": "paper-conference", "title": "Sparse Routing",
         "container-title": "Proceedings of SPARSE 2019", "page": "10-20", "publisher": "ACM", **shared},
        {"id": "http://zotero.org/users/1/items/BBBB2222", "type": "article-journal", "title": "Sparse Routing",
         "container-title": "Journal of Routing", "volume": "7", "issue": "2", "abstract": "Longer.", **shared},
    ]  # fmt: skip
    path = tmp_path / "zotero.json"
    path.write_text(json.dumps(items), encoding="utf-8")
    r = cli("import", "csl", str(path))
    assert r.code == 0, r.err
    assert "Added 1 paper" in r.err and "Merged 1 entry into the paper they name" in r.err and "same DOI" in r.err
    out = cli("export", "csl").json
    assert len(out) == 2
    for original in items:
        (back,) = [i for i in out if i["type"] == original["type"]]
        assert {k: back[k] for k in original if k != "id"} == {k: v for k, v in original.items() if k != "id"}
    # Importing the file again changes nothing and adds no third item.
    assert "Added 0 papers" in cli("import", "csl", str(path)).err
    assert len(cli("export", "csl").json) == 2
