"""Citation keys users can cite, and papers that share a title without being one paper."""

from __future__ import annotations

import os
from pathlib import Path

from readlist.core.library import Library
from tests.arxiv_server import ArxivServer
from tests.formats.conftest import sample_papers


def by_id(cli) -> dict[str, dict]:
    r = cli("list", "--json")
    assert r.code == 0, r.err
    return {p["id"]: p for p in r.json}


def test_a_new_paper_gets_a_key_once_and_keeps_it(cli, arxiv: ArxivServer) -> None:
    assert cli("add", "2101.03961").code == 0
    assert by_id(cli)["2101.03961"]["key"] == "fedus2021switch"
    assert "key        fedus2021switch" in cli("show", "2101.03961").out
    assert cli("refresh").code == 0
    assert by_id(cli)["2101.03961"]["key"] == "fedus2021switch"
    # The next paper whose key would be the same gets b.
    r = cli("add", "--title", "Switch Transformers Revisited", "--authors", "William Fedus", "--year", "2021")
    assert r.code == 0, r.err
    assert by_id(cli)["manual:switch-transformers-revisited-fedus-2021"]["key"] == "fedus2021switchb"
    out = cli("export", "bibtex").out
    assert "@misc{fedus2021switch," in out and "@misc{fedus2021switchb," in out  # a journal ref is a note


def test_a_pending_paper_gets_its_key_with_its_title(cli, arxiv: ArxivServer, monkeypatch) -> None:
    good = os.environ["READLIST_ARXIV_API"]
    from tests.conftest import dead_url

    monkeypatch.setenv("READLIST_ARXIV_API", dead_url())
    assert cli("add", "2101.04535").code == 1
    assert by_id(cli)["2101.04535"]["key"] is None
    monkeypatch.setenv("READLIST_ARXIV_API", good)
    assert cli("refresh").code == 0
    key = by_id(cli)["2101.04535"]["key"]
    assert key == "nasr2021adversary"
    assert cli("refresh").code == 0 and by_id(cli)["2101.04535"]["key"] == key


def test_a_library_saved_before_keys_keeps_the_keys_its_exports_gave(cli, lib: Library, home: Path) -> None:
    old = sample_papers()
    with lib._transaction() as tx:  # records as an older readlist wrote them: no key field at all
        tx.put_papers({p.id: {k: v for k, v in p.to_dict().items() if k not in ("key", "venue", "origin")}
                       for p in old})  # fmt: skip
    before = cli("export", "bibtex").out
    assert "@misc{fedus2021switch," in before and all(p.get("key") is None for p in by_id(cli).values())
    assert cli("add", "--title", "Switch it off", "--authors", "Wu Fedus", "--year", "2021").code == 0
    keys = {pid: p["key"] for pid, p in by_id(cli).items()}
    assert keys["2101.03961"] == "fedus2021switch" and keys["manual:switch-it-off-fedus-2021"] == "fedus2021switchb"
    assert keys["hep-th/9711200"] == "maldacena1997large"
    after = cli("export", "bibtex", "--status", "read").out
    assert "@misc{fedus2021switch," in after


def test_add_title_keeps_different_papers_apart_and_reports_likely_duplicates(cli, tmp_path: Path) -> None:
    r = cli("add", "--title", "Introduction", "--authors", "John Smith", "--year", "2001")
    assert r.code == 0 and "Added manual:introduction-smith-2001" in r.err
    r = cli("add", "--title", "Introduction", "--authors", "Jane Doe", "--year", "2019")
    assert r.code == 0 and "Added manual:introduction-doe-2019" in r.err and "Likely" not in r.err
    r = cli("add", "--title", "Introduction", "--authors", "John Smith", "--year", "2001", "--tag", "again")
    assert r.code == 0
    assert "Added manual:introduction-smith-2001-b" in r.err
    assert (
        "Likely the same paper as manual:introduction-smith-2001 (key smith2001introduction; same title, first "
        "author and year), kept apart as manual:introduction-smith-2001-b (key smith2001introductionb)"
    ) in r.err
    assert len(by_id(cli)) == 3
    # The same DOI is the same paper.
    assert cli("add", "--title", "Intro", "--doi", "10.1000/x", "--tag", "a").code == 0
    r = cli("add", "--title", "Introduction (journal version)", "--doi", "10.1000/X", "--tag", "b")
    assert r.code == 0 and "Already saved, updated doi:10.1000/x" in r.err
    assert by_id(cli)["doi:10.1000/x"]["tags"] == ["a", "b"]
    # Whatever id it is saved under: here an arXiv paper with that DOI.
    bib = tmp_path / "one.bib"
    bib.write_text("@misc{one, title = {T}, eprint = {2101.00001}, archivePrefix = {arXiv}, doi = {10.1000/ABC}}")
    assert cli("import", "bibtex", str(bib)).code == 0
    r = cli("add", "--title", "T again", "--doi", "https://doi.org/10.1000/abc", "--tag", "c")
    assert "Already saved, updated 2101.00001" in r.err and by_id(cli)["2101.00001"]["tags"] == ["c"]
    # Ids saved before stay what they were.
    assert cli("add", "--title", "A Workshop Note").code == 0
    assert "manual:a-workshop-note" in by_id(cli)


def test_keys_are_kept_as_written(cli, tmp_path: Path, monkeypatch) -> None:
    """BibTeX and biber allow every character in a key but whitespace, comma, braces and %."""
    path = tmp_path / "keys.bib"
    path.write_text(
        "@article{O'Hara_1999, title = {Apostrophes in Keys}, author = {O'Hara, Kieran}, year = {1999}}\n"
        "@online{Agilent(2022)ModificationsImproveType, title = {Parentheses}, author = {Agilent}, year = {2022}}\n"
        '@misc{a:b#c~d=e"f, title = {Odd Characters}, year = {2020}}\n',
        encoding="utf-8",
    )
    r = cli("import", "bibtex", str(path))
    assert r.code == 0, r.err
    written = {"O'Hara_1999", "Agilent(2022)ModificationsImproveType", 'a:b#c~d=e"f'}
    assert {p["key"] for p in by_id(cli).values()} == written
    bib = cli("export", "bibtex").out
    assert all(f"{{{key}," in bib for key in written), bib
    csl = cli("export", "csl").json
    assert {item["id"] for item in csl} == written
    # And back: the CSL file gives the same keys.
    again = tmp_path / "again.json"
    again.write_text(cli("export", "csl").out, encoding="utf-8")
    monkeypatch.setenv("READLIST_HOME", str(tmp_path / "second"))
    assert cli("import", "csl", str(again)).code == 0
    assert {p["key"] for p in by_id(cli).values()} == written
