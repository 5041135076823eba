"""`readlist export bibtex`: entries a LaTeX user can paste, keys that stay put."""

from __future__ import annotations

from pathlib import Path

import bibtexparser
from hypothesis import given, settings
from hypothesis import strategies as st

from readlist.core.models import Paper
from readlist.export.bibtex import citation_keys, export_bibtex
from readlist.export.bibtex_import import split_authors
from readlist.export.latex import clean, decode
from tests.export.conftest import make_paper, sample_papers


def parse(text: str) -> dict[str, dict[str, str]]:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.raw for b in library.failed_blocks]
    return {e.key: {f.key: f.value for f in e.fields} for e in library.entries}


def test_cli_export_has_arxiv_fields_and_stable_keys(cli, sample, home: Path) -> None:
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
    }
    assert "@misc{fedus2021switch," in r.out
    assert entries["ding2021repvgg"]["title"] == "{RepVGG}: Making {VGG-style} {ConvNets} Great Again"
    assert entries["maldacena1997large"]["eprint"] == "hep-th/9711200"
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
    assert r"title = {100\% of \$5 \& \#1: a\_b \{c\} \textasciitilde{}d\textasciicircum{} \textbackslash{}e}" in text
    assert r"journal = {J. \& Co.}" in text and r"author = {B\_C, A.}" in text


def test_math_in_arxiv_titles_stays_math() -> None:
    paper = Paper(id="2101.00001", title=r"Exact results in $\mathcal{N}=4$ theories with $O(n^2)$ cost")
    entry = parse(export_bibtex([paper]))["anon" + "nd" + "exact"]
    assert entry["title"] == r"Exact results in $\mathcal{N}=4$ theories with $O(n^2)$ cost"


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=80)
NAME = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Zl", "Zp")), min_size=1, max_size=30)


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
        assert split_authors(entry["author"]) == authors
    assert entry["eprint"] == "2101.03961"


def test_sample_library_round_trips_through_bibtex_text() -> None:
    text = export_bibtex(sample_papers())
    titles = sorted(decode(e["title"]) for e in parse(text).values())
    assert titles == sorted(p.title for p in sample_papers())
