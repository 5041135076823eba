"""`readlist import bibtex`: offline, whole, personal data in, identity by arXiv id, DOI or key, all-or-nothing."""

from __future__ import annotations

import shutil
from pathlib import Path

from readlist.core.library import Library
from readlist.formats.bibtex_export import export_bibtex
from tests.arxiv_server import ArxivServer
from tests.formats.conftest import FIXTURES, sample_papers


def test_fixture_file_becomes_arxiv_and_hand_made_papers(cli, lib: Library, arxiv: ArxivServer) -> None:
    r = cli("import", "bibtex", str(FIXTURES / "mixed.bib"), "--tag", "Imported")
    assert r.code == 0, r.err
    assert "Read 9 entries" in r.err
    assert "Added 8 papers (4 from arXiv, 4 others)" in r.err
    assert "Merged 1 entry into the paper they name: bender2021again -> bender2021 (same DOI)" in r.err
    assert "1 arXiv paper(s) had no title: run `readlist refresh`" in r.err
    assert arxiv.requests == []  # offline: arXiv is never asked
    papers = {p.id: p for p in lib.papers()}
    assert sorted(papers) == sorted([
        "2101.03961", "2101.03697", "hep-th/9711200", "2012.15723", "doi:10.1145/3442188.3445922",
        "manual:switch-transformers-scaling-to-trillion-parameter-models-wit-fedus-2022",
        "manual:was-ist-leben-die-lebende-zelle-mit-den-augen-des-physikers-schrodinger-1944",
        "manual:untitled",
    ])  # fmt: skip
    switch = papers["2101.03961"]
    assert switch.title == sample_papers()[0].title and switch.key == "fedus2021switch"
    assert switch.authors == ["William Fedus", "Barret Zoph", "Noam Shazeer"]
    assert (switch.year, switch.primary_category, switch.pending, switch.source) == (2021, "cs.LG", False, "bibtex")
    assert switch.url == "https://arxiv.org/abs/2101.03961" and switch.tags == ["imported"]
    # The published version has neither arXiv id nor DOI: another paper, with its venue in separate fields.
    published = papers["manual:switch-transformers-scaling-to-trillion-parameter-models-wit-fedus-2022"]
    assert published.venue == {"journal": "Journal of Machine Learning Research", "volume": "23", "pages": "1--39"}
    assert published.journal_ref == "Journal of Machine Learning Research 23, 1--39"
    assert papers["2101.03697"].title == "RepVGG: Making VGG-style ConvNets Great Again"
    assert papers["2101.03697"].journal_ref is None  # "arXiv preprint" is not a venue
    maldacena = papers["hep-th/9711200"]
    assert maldacena.authors == ["Juan Martín Maldacena"] and maldacena.version == "v3"
    assert maldacena.title == "The Large $N$ Limit of Superconformal Field Theories and Supergravity"
    assert maldacena.venue == {"booktitle": "AIP Conference Proceedings"}
    pending = papers["2012.15723"]
    assert pending.pending and pending.title == "" and pending.year == 2020 and pending.key == "nokey_pending"
    parrots = papers["doi:10.1145/3442188.3445922"]
    assert parrots.title.endswith("Be Too Big? 🦜") and parrots.doi == "10.1145/3442188.3445922"
    assert parrots.authors[-1] == "Shmargaret Shmitchell" and parrots.year == 2021
    assert [e["key"] for e in parrots.other_entries] == ["bender2021again"]
    book = papers["manual:was-ist-leben-die-lebende-zelle-mit-den-augen-des-physikers-schrodinger-1944"]
    assert book.authors == ["Erwin Schrödinger"] and book.key == "schrodinger"
    assert book.title == "Was ist Leben? Die lebende Zelle mit den Augen des Physikers betrachtet"
    layout = ("seen", "layout", "file", "lead", "tail")  # the file's own text: see test_bibtex_real
    assert {k: v for k, v in book.origin.items() if k not in layout} == {
        "format": "bibtex",
        "type": "book",
        "fields": {
            "title": "Was ist {L}eben? Die lebende {Z}elle mit den {A}ugen des {P}hysikers betrachtet",
            "author": 'Schr{\\"o}dinger, Erwin',
            "year": "1944",
            "publisher": "Cambridge",
        },
    }
    untitled = papers["manual:untitled"]
    assert untitled.title == "[misc untitled]" and untitled.authors == ["Known Nobody"]
    assert all(p.status == "to-read" for p in papers.values())


def test_keywords_annote_and_readstatus_become_tags_notes_and_status(cli, lib: Library) -> None:
    r = cli("import", "bibtex", str(FIXTURES / "personal.bib"))
    assert r.code == 0, r.err
    papers = {p.key: p for p in lib.papers()}
    top = papers["VanNoorden2014"]
    assert top.tags == ["citation-analysis", "science"]
    assert top.notes == "First line.\n  Second line, indented."
    assert top.status == "reading"  # JabRef's "skimmed"
    # Names by BibTeX's rules: a capitalised particle stays in the surname, a braced name is one name.
    assert top.authors == ["Richard Van Noorden", "Brendan Maher", "Regina Nuzzo", "Micro Focus"]
    assert top.venue["editor"] == "John von Neumann, Charles de la Vallée Poussin"
    assert top.venue["month"] == "oct" and top.venue["booktitle"] == "Proceedings of the Hundred"
    assert top.url == "https://example.org/top100"
    assert papers["fedus2022switch"].tags == ["reading-group", "moe"]  # JabRef's groups
    assert papers["fedus2022switch"].status == "to-read"
    show = cli("show", top.id).out
    assert "key        VanNoorden2014" in show
    assert {r["key"] for r in cli("list", "--json").json} == {
        "VanNoorden2014",
        "fedus2022switch",
        "chapter1",
        "bigbook",
    }


def test_importing_twice_merges_with_the_library_and_keeps_the_users_fields(cli, lib: Library) -> None:
    assert cli("add", "--title", "The Large N Limit", "--doi", "10.1000/x").code == 0
    lib._save(sample_papers()[0])  # Switch Transformers, read, with notes and tags, no key yet
    before = lib.get("2101.03961")
    assert cli("import", "bibtex", str(FIXTURES / "mixed.bib")).code == 0
    after = lib.get("2101.03961")
    assert (after.notes, after.tags, after.status) == (before.notes, before.tags, before.status)
    assert after.title == before.title
    assert after.key == "fedus2021switch" and after.origin["type"] == "misc"  # the file's entry, taken in
    count = len(lib.papers())
    r = cli("import", "bibtex", str(FIXTURES / "mixed.bib"))
    assert r.code == 0 and "Added 0 papers" in r.err and "8 already saved (0 with details filled in" in r.err
    assert len(lib.papers()) == count


def test_same_title_different_papers_stay_apart_and_likely_duplicates_are_reported(
    cli, lib: Library, tmp_path: Path
) -> None:
    path = tmp_path / "intro.bib"
    path.write_text(
        "@article{smith2001intro, title = {Introduction}, author = {Smith, John}, journal = {A}, year = 2001}\n"
        "@article{doe2019intro, title = {Introduction}, author = {Doe, Jane}, journal = {B}, year = 2019}\n"
        "@book{kullback1959, title = {Information Theory and Statistics}, author = {Kullback, Solomon}, year = 1959}\n"
        "@book{kullback1997, title = {Information Theory and Statistics}, author = {Kullback, Solomon}, year = 1997}\n"
        "@book{vol1, title = {Collected Works}, author = {Euler, Leonhard}, volume = 1, year = 1911}\n"
        "@book{vol2, title = {Collected Works}, author = {Euler, Leonhard}, volume = 2, year = 1911}\n",
        encoding="utf-8",
    )
    r = cli("import", "bibtex", str(path))
    assert r.code == 0, r.err
    assert "Added 6 papers" in r.err
    assert "1 likely duplicate (same title, first author and year), kept apart: vol1 and vol2" in r.err
    ids = {p.key: p.id for p in lib.papers()}
    assert ids["smith2001intro"] == "manual:introduction-smith-2001"
    assert ids["doe2019intro"] == "manual:introduction-doe-2019"
    assert ids["kullback1959"] != ids["kullback1997"]
    assert ids["vol2"] == ids["vol1"] + "-b"
    out = cli("export", "bibtex").out
    assert all(f"{{{key}," in out for key in ids)


def test_a_key_that_names_another_paper_is_changed_and_reported(cli, lib: Library, tmp_path: Path) -> None:
    first = tmp_path / "a.bib"
    first.write_text("@article{smith2001, title = {Alpha}, author = {Smith, John}, year = 2001}", encoding="utf-8")
    second = tmp_path / "b.bib"
    second.write_text("@article{smith2001, title = {Beta}, author = {Smith, Jo}, year = 2001}", encoding="utf-8")
    assert cli("import", "bibtex", str(first)).code == 0
    r = cli("import", "bibtex", str(second))
    assert r.code == 0 and "Keys already used by another paper, changed: smith2001 -> smith2001b" in r.err
    assert sorted(p.key for p in lib.papers()) == ["smith2001", "smith2001b"]
    # The same key with the same paper is the same paper.
    assert "Added 0 papers" in cli("import", "bibtex", str(first)).err


def test_one_broken_entry_is_skipped_and_named(cli, lib: Library, home: Path, tmp_path: Path) -> None:
    bad = tmp_path / "bad.bib"
    good = (FIXTURES / "mixed.bib").read_text(encoding="utf-8")
    bad.write_text(good.replace("  year = {2021}\n}", "  year = {2021\n}", 1), encoding="utf-8")
    r = cli("import", "bibtex", str(bad))
    assert r.code == 1
    assert "Skipped the broken entry at line 24 (ding2021repvgg): " in r.err
    keys = {p.key for p in lib.papers()}
    assert "ding2021repvgg" not in keys
    assert len(keys) == 7  # every other entry of the file


def test_a_line_starting_an_entry_ends_an_unclosed_one(cli, lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "unclosed.bib"
    path.write_text(
        "@article{first, title = {First Paper}, year = {2001}}\n\n"
        "@article{open, title = {An \\{ unbalanced brace}, year = {2002}\n"
        "  @misc{after, title = {Read After It}, year = {2003}}\n"
        "@book(paren, title = {Parenthesised}, year = {2004})\n",
        encoding="utf-8",
    )
    r = cli("import", "bibtex", str(path))
    assert r.code == 1
    assert "Skipped the broken entry at line 3 (open): a '{' is never closed before the next entry (line 4)" in r.err
    assert sorted(p.title for p in lib.papers()) == ["First Paper", "Parenthesised", "Read After It"]


def test_corrupt_file_changes_nothing(cli, lib: Library, home: Path, tmp_path: Path) -> None:
    assert cli("add", "--title", "Something saved").code == 0
    before = (home / "library.json").read_bytes()
    bad = tmp_path / "bad.bib"
    bad.write_text("@article{ding2021repvgg, title = {RepVGG},\n  year = {2021\n}\n", encoding="utf-8")
    r = cli("import", "bibtex", str(bad))
    assert r.code == 2
    assert r.err.count("\n") == 1
    assert r.err.startswith(f"readlist: cannot read {bad}: the entry at line 1 (ding2021repvgg) is broken")
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
        assert (copy.doi, copy.tags, copy.notes, copy.status) == (
            original.doi, original.tags, original.notes, original.status
        )  # fmt: skip


def generated_bib(n: int) -> str:
    """``n`` entries, half arXiv and half journal papers, each with keywords, annote and readstatus."""
    statuses = ("read", "skimmed", "", "dropped")
    out = []
    for i in range(n):
        personal = (
            f"  keywords = {{topic-{i % 7}, batch {i % 3}}},\n"
            f"  annote = {{Note {i}:\n  line two with 50\\% \\& more}},\n"
            + (f"  readstatus = {{{statuses[i % 4]}}},\n" if statuses[i % 4] else "")
        )
        if i % 2 == 0:
            out.append(
                f'@misc{{k{i},\n  title = {{Sch{{\\"o}}dinger {{BERT}} number {i}: $\\alpha$ \\& more}},\n'
                f'  author = {{M{{\\"u}}ller, Hans and Smith, John}},\n  year = {{2021}},\n'
                f"  eprint = {{2101.{i:05d}}},\n  archivePrefix = {{arXiv}},\n  primaryClass = {{cs.LG}},\n"
                f"{personal}}}\n"
            )
        else:
            out.append(
                f"@article{{k{i},\n  title = {{A journal paper about things {i}}},\n  author = {{Alpha, Ann}},\n"
                f"  journal = {{Journal of Things}},\n  year = 2019,\n  doi = {{10.1000/thing.{i}}},\n{personal}}}\n"
            )
    # A same-title pair of different papers (other authors, other years).
    out.append("@article{same1, title = {Introduction}, author = {Smith, John}, journal = {A}, year = 2001}\n")
    out.append("@article{same2, title = {Introduction}, author = {Doe, Jane}, journal = {B}, year = 2019}\n")
    return "\n".join(out)


def test_ten_thousand_entries_come_back_with_every_tag_note_and_status(cli, lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "big.bib"
    path.write_text(generated_bib(10_000), encoding="utf-8")
    r = cli("import", "bibtex", str(path))
    assert r.code == 0, r.err
    assert "Added 10002 papers (5000 from arXiv, 5002 others)" in r.err
    papers = {p.key: p for p in lib.papers()}
    assert len(papers) == 10_002
    want_status = {"read": "read", "skimmed": "reading", "": "to-read", "dropped": "dropped"}
    statuses = ("read", "skimmed", "", "dropped")
    for i in range(10_000):
        p = papers[f"k{i}"]
        assert p.tags == [f"topic-{i % 7}", f"batch-{i % 3}"], p.tags
        assert p.notes == f"Note {i}:\n  line two with 50% & more"
        assert p.status == want_status[statuses[i % 4]]
    p = lib.get("2101.00042")
    assert p.title == "Schödinger BERT number 42: $\\alpha$ & more" and p.authors == ["Hans Müller", "John Smith"]
    assert lib.get("doi:10.1000/thing.43").journal_ref == "Journal of Things"
    assert papers["same1"].id != papers["same2"].id
    # And back out: the same entries, byte for byte after a second round.
    out = cli("export", "bibtex").out
    assert out.count("readstatus = {skimmed}") == 2500 and out.count("keywords = {topic-") == 10_000
    shutil.rmtree(tmp_path / "home", ignore_errors=True)


def test_mendeley_tags_become_tags_and_stay_mendeleys(cli, lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "mendeley.bib"
    path.write_text(
        "@article{Lee2019,\nauthor = {Lee, Ann},\nkeywords = {organic semiconductors},\n"
        "mendeley-tags = {PDI,to cite},\ntitle = {{Perylene Diimides}},\nyear = {2019}\n}\n",
        encoding="utf-8",
    )
    assert cli("import", "bibtex", str(path)).code == 0
    (paper,) = lib.papers()
    assert paper.tags == ["organic-semiconductors", "pdi", "to-cite"]
    assert cli("tag", paper.id, "new-one").code == 0
    assert cli("tag", paper.id, "--remove", "to-cite").code == 0
    out = cli("export", "bibtex").out
    assert "mendeley-tags = {PDI}," in out
    assert "keywords = {organic semiconductors, new-one}," in out


def test_latex_lists_and_quotations_in_annote_become_markdown_notes(cli, lib: Library, tmp_path: Path) -> None:
    annote = (
        "Read for the group:\n\\begin{itemize}\n  \\item the \\emph{gating} loss\n  \\item capacity\n"
        "\\end{itemize}\nSteps: \\begin{enumerate}\\item one\\item two\\end{enumerate}\n"
        "\\begin{quotation}Sparsity is not free.\\end{quotation}\nEnd."
    )
    path = tmp_path / "notes.bib"
    path.write_text(
        f"@article{{k, title = {{Lists}}, year = {{2020}},\n  annote = {{{annote}}}\n}}\n", encoding="utf-8"
    )
    assert cli("import", "bibtex", str(path)).code == 0
    (paper,) = lib.papers()
    assert paper.notes == (
        "Read for the group:\n- the gating loss\n- capacity\n\nSteps:\n1. one\n2. two\n\n"
        "> Sparsity is not free.\n\nEnd."
    )
    # Unedited, the note goes back as the file wrote it; edited, as its Markdown, escaped.
    assert f"annote = {{{annote}}}" in cli("export", "bibtex").out
    assert cli("tag", paper.id, "moe").code == 0
    assert f"annote = {{{annote}}}" in cli("export", "bibtex").out
    assert cli("note", paper.id, "--append", "More.").code == 0
    out = cli("export", "bibtex").out
    assert "\\begin{itemize}" not in out and "- the gating loss\n- capacity" in out and "More." in out


def test_two_entries_with_one_key_and_one_doi_are_both_kept(cli, lib: Library, tmp_path: Path) -> None:
    first = (
        "@article{Mabbott2017,\n  title = {Carbon Capture},\n  doi = {10.1000/cc.2017},\n  journal = {Energy},\n"
        "  year = {2017},\n  abstract = {Short.},\n}\n"
    )
    second = (
        "@article{Mabbott2017,\n  title = {Carbon Capture},\n  doi = {10.1000/cc.2017},\n  journal = {Energy Policy},\n"
        "  year = {2017},\n  abstract = {A longer abstract.},\n  publisher = {Elsevier},\n}\n"
    )
    path = tmp_path / "twice.bib"
    path.write_text(first + "\n" + second, encoding="utf-8")
    r = cli("import", "bibtex", str(path))
    assert r.code == 0, r.err
    assert "Added 1 paper" in r.err
    assert (
        "Mabbott2017 -> Mabbott2017 (same DOI; it differs from the entry saved as Mabbott2017, "
        "so both are kept, this one as Mabbott2017b)" in r.err
    )
    out = cli("export", "bibtex").out
    assert first in out
    assert second.replace("{Mabbott2017,", "{Mabbott2017b,") in out
    # Again: nothing new.
    assert "Added 0 papers" in cli("import", "bibtex", str(path)).err
    assert cli("export", "bibtex").out == out
