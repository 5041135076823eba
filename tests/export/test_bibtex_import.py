"""`readlist import bibtex`: offline, merged, fast, and all-or-nothing."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from readlist.core.library import Library
from readlist.export.bibtex import export_bibtex
from tests.arxiv_server import ArxivServer
from tests.export.conftest import FIXTURES, sample_papers


def test_fixture_file_becomes_arxiv_and_hand_made_papers(cli, lib: Library, arxiv: ArxivServer) -> None:
    r = cli("import", "bibtex", str(FIXTURES / "mixed.bib"), "--tag", "Imported")
    assert r.code == 0, r.err
    assert "Read 9 entries" in r.err
    assert "Added 6 papers (4 from arXiv, 2 others)" in r.err
    assert "Merged 2 duplicate entries" in r.err
    assert "1 arXiv paper(s) had no title: run `readlist refresh`" in r.err
    assert "Skipped 1 entry with no title and no arXiv id: untitled" in r.err
    assert arxiv.requests == []  # offline: arXiv is never asked
    papers = {p.id: p for p in lib.papers()}
    assert sorted(papers) == sorted([
        "2101.03961", "2101.03697", "hep-th/9711200", "2012.15723", "doi:10.1145/3442188.3445922",
        "manual:was-ist-leben-die-lebende-zelle-mit-den-augen-des-physikers",
    ])  # fmt: skip
    switch = papers["2101.03961"]
    assert switch.title == sample_papers()[0].title
    assert switch.authors == ["William Fedus", "Barret Zoph", "Noam Shazeer"]
    assert (switch.year, switch.primary_category, switch.pending, switch.source) == (2021, "cs.LG", False, "bibtex")
    assert switch.journal_ref == "Journal of Machine Learning Research 23, 1--39 (2022)"  # from the merged duplicate
    assert switch.url == "https://arxiv.org/abs/2101.03961" and switch.tags == ["imported"]
    assert papers["2101.03697"].title == "RepVGG: Making VGG-style ConvNets Great Again"
    assert papers["2101.03697"].journal_ref is None  # "arXiv preprint" is not a venue
    maldacena = papers["hep-th/9711200"]
    assert maldacena.authors == ["Juan Martín Maldacena"] and maldacena.version == "v3"
    assert maldacena.title == "The Large $N$ Limit of Superconformal Field Theories and Supergravity"
    pending = papers["2012.15723"]
    assert pending.pending and pending.title == "" and pending.year == 2020
    parrots = papers["doi:10.1145/3442188.3445922"]
    assert parrots.title.endswith("Be Too Big? 🦜") and parrots.doi == "10.1145/3442188.3445922"
    assert parrots.authors[-1] == "Shmargaret Shmitchell" and parrots.year == 2021
    book = papers["manual:was-ist-leben-die-lebende-zelle-mit-den-augen-des-physikers"]
    assert book.authors == ["Erwin Schrödinger"]
    assert book.title == "Was ist Leben? Die lebende Zelle mit den Augen des Physikers betrachtet"
    assert all(p.status == "to-read" for p in papers.values())


def test_importing_twice_merges_with_the_library_and_keeps_the_users_fields(cli, lib: Library) -> None:
    assert cli("add", "--title", "The Large N Limit", "--doi", "10.1000/x").code == 0
    lib.save(sample_papers()[0])  # Switch Transformers, read, with notes and tags, no journal
    before = lib.get("2101.03961")
    assert cli("import", "bibtex", str(FIXTURES / "mixed.bib")).code == 0
    after = lib.get("2101.03961")
    assert (after.notes, after.tags, after.status) == (before.notes, before.tags, before.status)
    assert after.title == before.title
    assert after.journal_ref == "Journal of Machine Learning Research 23, 1--39 (2022)"  # filled in
    count = len(lib.papers())
    r = cli("import", "bibtex", str(FIXTURES / "mixed.bib"))
    assert r.code == 0 and "Added 0 papers" in r.err and "6 already saved (0 with details filled in" in r.err
    assert len(lib.papers()) == count


def test_corrupt_file_changes_nothing(cli, lib: Library, home: Path, tmp_path: Path) -> None:
    assert cli("add", "--title", "Something saved").code == 0
    before = (home / "library.json").read_bytes()
    bad = tmp_path / "bad.bib"
    good = (FIXTURES / "mixed.bib").read_text(encoding="utf-8")
    bad.write_text(good.replace("  year = {2021}\n}", "  year = {2021\n}", 1), encoding="utf-8")
    r = cli("import", "bibtex", str(bad))
    assert r.code == 2
    assert r.err.count("\n") == 1
    assert r.err.startswith(f"readlist: cannot read {bad}: the entry at line 24 (@article{{ding2021repvgg,) is broken")
    assert "nothing was imported" in r.err
    assert (home / "library.json").read_bytes() == before
    cases = ((b"", "holds no BibTeX entries"), (b"\x00\x01PDF", "is binary"), (b"just prose", "holds no"))
    for content, words in cases:
        bad.write_bytes(content)
        r = cli("import", "bibtex", str(bad))
        assert r.code == 2 and words in r.err
    assert cli("import", "bibtex", str(tmp_path / "missing.bib")).code == 2
    assert (home / "library.json").read_bytes() == before


def test_latin1_file_is_read(cli, lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "old.bib"
    path.write_bytes("@book{k, title = {Caf\xe9 theory}, author = {M\xfcller, Hans}, year = 1990}".encode("latin-1"))
    assert cli("import", "bibtex", str(path)).code == 0
    (paper,) = lib.papers()
    assert (paper.title, paper.authors) == ("Café theory", ["Hans Müller"])


def test_our_own_export_imports_back_to_the_same_metadata(cli, lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "mine.bib"
    path.write_text(export_bibtex(sample_papers()), encoding="utf-8")
    assert cli("import", "bibtex", str(path)).code == 0
    papers = {p.id: p for p in lib.papers()}
    for original in sample_papers():
        copy = papers[original.id]
        assert (copy.title, copy.authors, copy.year) == (original.title, original.authors, original.year)
        assert copy.doi == original.doi


def generated_bib(n: int) -> str:
    out = []
    for i in range(n):
        if i % 2 == 0:
            out.append(
                f'@misc{{k{i},\n  title = {{Sch{{\\"o}}dinger {{BERT}} number {i}: $\\alpha$ \\& more}},\n'
                f'  author = {{M{{\\"u}}ller, Hans and Smith, John}},\n  year = {{2021}},\n'
                f"  eprint = {{2101.{i:05d}}},\n  archivePrefix = {{arXiv}},\n  primaryClass = {{cs.LG}},\n}}\n"
            )
        else:
            out.append(
                f"@article{{k{i},\n  title = {{A journal paper about things {i}}},\n  author = {{Alpha, Ann}},\n"
                f"  journal = {{Journal of Things}},\n  year = 2019,\n  doi = {{10.1000/thing.{i}}},\n}}\n"
            )
    out.append(out[0].replace("@misc{k0,", "@misc{dup,"))  # one duplicate
    return "\n".join(out)


def test_ten_thousand_entries_import_in_seconds(cli, lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "big.bib"
    path.write_text(generated_bib(10_000), encoding="utf-8")
    started = time.perf_counter()
    r = cli("import", "bibtex", str(path))
    elapsed = time.perf_counter() - started
    assert r.code == 0, r.err
    assert "Added 10000 papers (5000 from arXiv, 5000 others)" in r.err and "Merged 1 duplicate entry" in r.err
    assert elapsed < 12, f"10,000 entries took {elapsed:.1f} s"
    papers = lib.papers()
    assert len(papers) == 10_000
    p = lib.get("2101.00042")
    assert p.title == "Schödinger BERT number 42: $\\alpha$ & more" and p.authors == ["Hans Müller", "John Smith"]
    assert lib.get("doi:10.1000/thing.43").journal_ref == "Journal of Things (2019)"
    shutil.rmtree(tmp_path / "home", ignore_errors=True)
