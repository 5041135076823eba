"""`readlist export bibtex`: entries a LaTeX user can paste, keys that stay put, the user's entries given back."""

from __future__ import annotations

import json
from pathlib import Path

import bibtexparser
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from readlist.core.clean import clean_text
from readlist.core.errors import BadInput
from readlist.core.library import Library
from readlist.core.models import Paper, normalize_tag
from readlist.formats import bibtex_export
from readlist.formats.bibtex.entry import display_names, view
from readlist.formats.bibtex.latex import clean, decode
from readlist.formats.bibtex.parse import parse_bibtex
from readlist.formats.bibtex_export import citation_keys, export_bibtex
from readlist.formats.csl import export_csl
from readlist.formats.files import in_pieces
from readlist.formats.select import select_papers
from tests.formats.conftest import FIXTURES, exported_both_ways, make_paper, sample_papers


def parse(text: str) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.raw for b in library.failed_blocks]
    return {e.key: {f.key: f.value for f in e.fields} for e in library.entries}


def types(text: str) -> dict[str, str]:
    return {e.key: e.entry_type for e in bibtexparser.parse_string(text).entries}


def test_cli_export_has_arxiv_fields_personal_data_and_stable_keys(cli, sample, home: Path) -> None:
    r = cli("export", "bibtex")
    assert r.code == 0, r.err
    entries = parse(r.out)
    assert sorted(entries) == ["bender2021dangers", "ding2021repvgg", "fedus2021switch", "maldacena1997large"]
    assert r.out.startswith(
        "@article{bender2021dangers,\n"
        '  title = {On the Dangers of "Stochastic Parrots": Can Language Models Be Too Big? 🦜},\n'
        "  author = {Bender, Emily M. and Gebru, Timnit},\n"
        "  year = {2021},\n"
        "  journal = {FAccT '21},\n"
        "  doi = {10.1145/3442188.3445922},\n"
        "  url = {https://doi.org/10.1145/3442188.3445922},\n"
        "  keywords = {ethics},\n"
        "  annote = {- starts with a dash\n: and a colon\n'quoted' \"twice\"},\n"
        "}\n"
    )
    switch = entries["fedus2021switch"]
    assert switch == {
        "title": "Switch Transformers: Scaling to Trillion Parameter Models with Simple and Efficient Sparsity",
        "author": "Fedus, William and Zoph, Barret and Shazeer, Noam",
        "year": "2021",
        "eprint": "2101.03961",
        "archivePrefix": "arXiv",
        "primaryClass": "cs.LG",
        "doi": "10.48550/arXiv.2101.03961",
        "url": "https://arxiv.org/abs/2101.03961",
        "keywords": "moe, sparsity",
        "annote": "Capacity factor 1.25 was enough. *Key*: top-1 routing.\n\n\\# A heading in my notes\n- a list",
        "readstatus": "read",
    }
    assert "@misc{fedus2021switch," in r.out
    assert entries["ding2021repvgg"]["title"] == "{RepVGG}: Making {VGG-style} {ConvNets} Great Again"
    assert entries["ding2021repvgg"]["readstatus"] == "skimmed"  # reading, in JabRef's words
    assert entries["maldacena1997large"]["eprint"] == "hep-th/9711200"
    assert "readstatus" not in entries["maldacena1997large"]  # to-read: no status, as JabRef writes it
    out = home.parent / "refs.bib"
    r = cli("export", "bibtex", "--out", str(out), "--status", "read")
    assert r.code == 0 and "Wrote 1 BibTeX entry" in r.err
    assert list(parse(out.read_text(encoding="utf-8"))) == ["fedus2021switch"]


def test_keys_are_deduplicated_in_the_order_papers_were_added() -> None:
    a = make_paper(
        "2101.00001", title="Deep Learning", authors=["Ann Smith"], year=2021, added="2026-01-01T00:00:00+00:00"
    )
    b = make_paper(
        "2101.00002", title="Deep learning again", authors=["Bo Smith"], year=2021, added="2026-01-02T00:00:00+00:00"
    )
    c = make_paper(
        "2101.00003", title="The deep end", authors=["Smith, Cy"], year=2021, added="2026-01-03T00:00:00+00:00"
    )
    assert citation_keys([c, b, a]) == {
        "2101.00001": "smith2021deep",
        "2101.00002": "smith2021deepb",
        "2101.00003": "smith2021deepc",
    }
    assert citation_keys([b, a]) == {"2101.00001": "smith2021deep", "2101.00002": "smith2021deepb"}
    assert export_bibtex([a, b, c]) == export_bibtex([c, a, b])
    # An export of one paper gives it the key the whole library gives it.
    assert "@misc{smith2021deepc," in export_bibtex([c], library=[a, b, c])


def test_stored_keys_win_and_other_papers_step_around_them() -> None:
    a = make_paper("2101.00001", title="Deep Learning", authors=["Ann Smith"], year=2021, key="smith2021deep")
    b = make_paper("2101.00002", title="Deep thoughts", authors=["Bo Smith"], year=2021, added="2020-01-01T00:00:00")
    assert citation_keys([a, b]) == {"2101.00001": "smith2021deep", "2101.00002": "smith2021deepb"}


def test_keys_are_ascii_even_for_unicode_names() -> None:
    papers = [
        make_paper("manual:a", title="Über die Quantenmechanik", authors=["Erwin Schrödinger"], year=1926),
        make_paper("manual:b", title="Łódź notes", authors=["Łukasz Øster-Ærø"], year=None),
        make_paper("manual:c", title="", authors=[]),
        make_paper("manual:d", title="On the of", authors=["Juan de la Cruz Jr."]),
    ]
    keys = citation_keys(papers)
    assert keys == {
        "manual:a": "schrodinger1926uber",
        "manual:b": "osteraerondlodz",
        "manual:c": "anonnd",
        "manual:d": "cruznd",
    }
    assert len(set(keys.values())) == 4


def test_latex_specials_are_escaped() -> None:
    paper = Paper(id="manual:x", title="100% of $5 & #1: a_b {c} ~d^ \\e", authors=["A. B_C"], journal_ref="J. & Co.")
    text = export_bibtex([paper])
    assert (
        r"title = {100\% of \$5 \& \#1: a\_b \textbraceleft{}c\textbraceright{} \textasciitilde{}d\textasciicircum{} "
        r"\textbackslash{}e}" in text
    )
    assert r"journal = {J. \& Co.}" in text and r"author = {B\_C, A.}" in text
    # An unmatched brace never unbalances the file: BibTeX counts braces even after a backslash.
    lonely = Paper(id="manual:y", title="a { b", notes="}}} closing")
    assert parse(export_bibtex([lonely]))["anonndb"]["title"] == r"a \textbraceleft{} b"


def test_math_in_arxiv_titles_stays_math() -> None:
    paper = Paper(id="2101.00001", title=r"Exact results in $\mathcal{N}=4$ theories with $O(n^2)$ cost")
    entry = parse(export_bibtex([paper]))["anon" + "nd" + "exact"]
    assert entry["title"] == r"Exact results in $\mathcal{N}=4$ theories with $O(n^2)$ cost"


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)
NAME = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30)
NOTES = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)


@given(title=TEXT, authors=st.lists(NAME, max_size=4))
@settings(max_examples=200, deadline=None)
def test_any_title_and_authors_parse_back_with_bibtexparser(title: str, authors: list[str]) -> None:
    # "and others" / "et al." in an author list mean more authors, not a person.
    names = [" ".join(a.split()) for a in authors]
    authors = [a for a in names if a and a.lower() not in ("others", "et al", "et al.")]
    paper = Paper(id="2101.03961", title=title or "x", authors=authors, year=2021)
    entries = parse(export_bibtex([paper]))
    (entry,) = entries.values()
    assert decode(entry["title"]) == clean(title or "x")
    if authors:
        assert display_names(entry["author"]) == authors
    assert entry["eprint"] == "2101.03961"


TAG = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=15)


def tags_of(raw: list[str]) -> list[str]:
    """Tags as readlist stores them (commas and semicolons separate keywords, so none here)."""
    tags: list[str] = []
    for text in raw:
        try:
            tag = normalize_tag(text)
        except BadInput:
            continue
        if "," not in tag and ";" not in tag and tag not in tags:
            tags.append(tag)
    return tags


@given(notes=NOTES, tags=st.lists(TAG, max_size=3), status=st.sampled_from(["to-read", "reading", "read", "dropped"]))
@settings(max_examples=200, deadline=None)
def test_any_notes_tags_and_status_come_back_exactly(notes: str, tags: list[str], status: str) -> None:
    notes = clean_text(notes)
    paper = Paper(id="2101.03961", title="x", notes=notes, tags=tags_of(tags), status=status)
    text = export_bibtex([paper])
    assert not bibtexparser.parse_string(text).failed_blocks
    (entry,) = parse_bibtex(text).entries
    seen = view(entry)
    assert seen.notes == (notes.strip("\n") if notes.strip() else "")
    assert seen.tags == paper.tags
    assert (seen.status or "to-read") == status


def test_sample_library_round_trips_through_bibtex_text() -> None:
    text = export_bibtex(sample_papers())
    titles = sorted(decode(e["title"]) for e in parse(text).values())
    assert titles == sorted(p.title for p in sample_papers())


# -- entries the user's file wrote --------------------------------------------------


def test_an_imported_entry_comes_back_as_written_with_readlists_changes_on_top(cli, lib: Library) -> None:
    r = cli("import", "bibtex", str(FIXTURES / "personal.bib"))
    assert r.code == 0, r.err
    source = (FIXTURES / "personal.bib").read_text(encoding="utf-8")
    assert cli("export", "bibtex").out == source  # exactly this file's papers, unedited: the file itself
    assert cli("add", "--title", "Another paper").code == 0
    r = cli("export", "bibtex")
    assert "Left out the file-level blocks (@comment, @preamble, @string) of personal.bib" in r.err
    out = r.out
    # In any other export, unchanged entries come back field for field, in their order, macros resolved,
    # months bare.
    assert (
        "@inproceedings{VanNoorden2014,\n"
        "  author = {Van Noorden, Richard and Maher, Brendan and Nuzzo, Regina and {Micro Focus}},\n"
        "  title = {The Top 100 Papers},\n"
        "  booktitle = {Proceedings of the Hundred},\n"
        "  editor = {von Neumann, John and de la Vall{\\'e}e Poussin, Charles},\n"
        "  volume = {514},\n"
        "  number = {7524},\n"
        "  pages = {550--553},\n"
        "  month = oct,\n"
        "  year = {2014},\n"
        "  publisher = {Nature Publishing},\n"
        "  address = {London},\n"
        "  series = {LNCS},\n"
        "  howpublished = {\\url{https://example.org/top100}},\n"
        "  x-custom = {kept as written},\n"
        "  keywords = {Citation Analysis; science},\n"
        "  annote = {First line.\n"
        "  Second line, indented.},\n"
        "  readstatus = {skimmed},\n"
        "}\n"
    ) in out
    assert "journal = {Journal of Machine Learning Research}" in out  # @string resolved
    assert "month = sep # {~1}," in out  # a month with text after it stays an expression
    assert sorted(types(out)) == sorted([*types(source), "anonndanother"])
    assert sorted(types(source)) == ["VanNoorden2014", "bigbook", "chapter1", "fedus2022switch"]
    # readlist's own changes go on top: status, tags, notes; the rest stays.
    paper = next(p for p in lib.papers() if p.key == "VanNoorden2014")
    assert cli("status", paper.id, "read").code == 0
    assert cli("tag", paper.id, "science", "--remove").code == 0
    assert cli("tag", paper.id, "to-cite").code == 0
    assert cli("note", paper.id, "--append", "Third: 50% of it {is} $x$.").code == 0
    entry = parse(cli("export", "bibtex").out)["VanNoorden2014"]
    assert entry["keywords"] == "Citation Analysis, to-cite"  # a keyword keeps its spelling
    assert entry["readstatus"] == "read"
    assert entry["annote"] == (
        "First line.\n  Second line, indented.\n\nThird: 50\\% of it \\textbraceleft{}is\\textbraceright{} \\$x\\$."
    )
    assert entry["author"] == "Van Noorden, Richard and Maher, Brendan and Nuzzo, Regina and {Micro Focus}"
    assert entry["x-custom"] == "kept as written" and entry["month"] == "oct"


def test_export_import_export_is_byte_identical(cli, sample, home: Path, monkeypatch, tmp_path: Path) -> None:
    assert cli("import", "bibtex", str(FIXTURES / "personal.bib")).code == 0
    first = cli("export", "bibtex").out
    path = tmp_path / "first.bib"
    path.write_text(first, encoding="utf-8")
    monkeypatch.setenv("READLIST_HOME", str(tmp_path / "elsewhere"))
    r = cli("import", "bibtex", str(path))
    assert r.code == 0, r.err
    assert cli("export", "bibtex").out == first
    # The personal data came back with it.
    papers = {p["key"]: p for p in cli("list", "--json").json}
    assert papers["fedus2021switch"]["status"] == "read" and papers["fedus2021switch"]["tags"] == ["moe", "sparsity"]
    assert papers["ding2021repvgg"]["status"] == "reading"
    assert papers["fedus2021switch"]["notes"] == sample[0].notes


def test_crossref_parents_follow_their_children_and_fill_them_when_left_behind(cli, lib: Library) -> None:
    assert cli("import", "bibtex", str(FIXTURES / "personal.bib")).code == 0
    out = cli("export", "bibtex").out
    assert out.index("@incollection{chapter1,") < out.index("@collection{bigbook,")
    child = next(p for p in lib.papers() if p.key == "chapter1")
    # For display the child has its parent's venue.
    assert child.venue["booktitle"] == "The Big Book" and child.venue["publisher"] == "Cambridge University Press"
    assert child.year == 1999
    assert cli("tag", child.id, "alone").code == 0
    only = parse(cli("export", "bibtex", "--tag", "alone").out)
    assert only["chapter1"]["booktitle"] == "The Big Book"  # the parent's title, as biblatex inherits it
    assert only["chapter1"]["publisher"] == "Cambridge University Press"
    assert only["chapter1"]["crossref"] == "bigbook"


def test_the_command_writes_in_pieces_what_the_whole_export_holds(
    cli, lib: Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """The command reads the papers a text shard at a time and writes the text as it is made: the same
    bytes as the export of every paper held at once, on stdout and in a file, whole library or filtered."""
    assert cli("import", "bibtex", str(FIXTURES / "personal.bib")).code == 0
    assert cli("import", "bibtex", str(FIXTURES / "mixed.bib")).code == 0
    assert cli("add", "--title", "Written By Hand", "--year", "2020", "--tag", "alone").code == 0
    child = next(p for p in lib.papers() if p.key == "chapter1")
    assert cli("tag", child.id, "alone").code == 0  # its crossref parent stays behind
    pieces: list[str] = []
    monkeypatch.setattr(
        bibtex_export, "in_pieces", lambda parts: (pieces.append(p) or p for p in in_pieces(parts, size=300))
    )
    for tag in (None, "alone"):
        everyone = lib.papers()
        expected = export_bibtex(select_papers(everyone, lib, tag=tag), library=everyone)
        args = ["--tag", tag] if tag else []
        assert exported_both_ways(cli, "bibtex", args, tmp_path / f"{tag}.bib") == (expected, expected)
    assert len(pieces) > 10
    assert cli("export", "bibtex", "--out", str(tmp_path / "None.bib")).code == 0  # its own file, the ledger knows


def test_other_entries_for_the_same_paper_keep_their_keys(cli, lib: Library) -> None:
    r = cli("import", "bibtex", str(FIXTURES / "mixed.bib"))
    assert r.code == 0
    out = cli("export", "bibtex").out
    assert types(out)["bender2021"] == "article" and types(out)["bender2021again"] == "inproceedings"
    assert len(lib.papers()) == 8


def test_text_the_paper_holds_is_stored_once_and_still_written_safely(cli, lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "plain.bib"
    abstract = "A long plain abstract. " * 40
    path.write_text(
        f"@article{{plain, title = {{A Plain Title}}, author = {{Doe, Jane}}, year = 2020,\n"
        f"  abstract = {{{abstract.strip()}}}, annote = {{Read it twice}}, journal = {{J}}}}\n",
        encoding="utf-8",
    )
    assert cli("import", "bibtex", str(path)).code == 0
    texts = lib.settings.library_path.with_name("library.texts")
    stored = "".join(p.read_text(encoding="utf-8") for p in [lib.settings.library_path, *texts.glob("*.json")])
    assert stored.count("A long plain abstract.") == 40  # once, in the paper, not again in its entry
    assert cli("export", "bibtex").out == path.read_text(encoding="utf-8")  # the file itself, still
    assert cli("add", "--title", "Another paper").code == 0
    first = cli("export", "bibtex").out
    assert f"  abstract = {{{abstract.strip()}}},\n" in first and "  annote = {Read it twice},\n" in first
    (paper,) = [p for p in lib.papers() if p.key == "plain"]
    assert cli("note", paper.id, "--append", "Then 50% {more} #2").code == 0
    entry = parse(cli("export", "bibtex").out)["plain"]
    assert entry["annote"] == "Read it twice\n\nThen 50\\% \\textbraceleft{}more\\textbraceright{} \\#2"


def test_arxivs_journal_reference_is_a_note_unless_there_is_a_real_venue() -> None:
    raw = "Adv.Theor.Math.Phys.2:231-252,1998"
    bare = make_paper("hep-th/9711200", title="The Large N Limit", authors=["Juan Maldacena"], year=1997,
                      journal_ref=raw)  # fmt: skip
    jmlr = {"journal": "Journal of Machine Learning Research"}
    placed = make_paper("2101.03961", title="Switch Transformers", authors=["William Fedus"], year=2021,
                        journal_ref="JMLR 23(120)", venue=jmlr)  # fmt: skip
    entries = parse(export_bibtex([bare, placed]))
    assert entries["maldacena1997large"]["note"] == raw and "journal" not in entries["maldacena1997large"]
    assert entries["fedus2021switch"]["journal"] == "Journal of Machine Learning Research"
    items = {item["id"]: item for item in json.loads(export_csl([bare, placed]))}
    assert "container-title" not in items["maldacena1997large"]
    assert items["maldacena1997large"]["custom"] == {"journal-ref": raw}
    assert items["fedus2021switch"]["container-title"] == "Journal of Machine Learning Research"
