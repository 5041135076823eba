"""`list -q`, `export -q`, `tags` and `tag --rename` as a user runs them, and the tables at 80 columns."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from rich.console import Console

from tests.arxiv_server import ArxivServer


@pytest.fixture
def shelf(cli, arxiv: ArxivServer):  # type: ignore[no-untyped-def]
    """Four arXiv papers and one by hand, with statuses, tags and a note."""
    assert cli("add", "2101.03961", "2103.00020", "1706.03762", "hep-th/9711200").code == 0
    cli("add", "--title", "On the Dangers of Stochastic Parrots", "--authors", "Emily M. Bender, Timnit Gebru",
        "--year", "2021", "--doi", "10.1145/3442188.3445922", "--tag", "ethics")  # fmt: skip
    cli("status", "2101.03961", "reading")
    cli("status", "1706.03762", "read")
    cli("tag", "2101.03961", "moe", "ML")
    cli("tag", "1706.03762", "ml", "classic")
    cli("note", "hep-th/9711200", "--append", "AdS/CFT, the classic")
    return cli


def listed(cli, *args: str) -> list[str]:  # type: ignore[no-untyped-def]
    r = cli("list", "--json", *args)
    assert r.code == 0, r.err
    return sorted(p["id"] for p in r.json)


def test_list_query_is_the_query_language(shelf) -> None:  # type: ignore[no-untyped-def]
    assert listed(shelf, "-q", "2103.00020") == ["2103.00020"]  # an id
    assert listed(shelf, "-q", "mixture experts") == ["2101.03961"]  # the abstract
    assert listed(shelf, "-q", "swtich") == ["2101.03961"]  # a typo
    assert listed(shelf, "-q", "#ml -status:reading") == ["1706.03762"]
    assert listed(shelf, "-q", "author:gebru year:2021") == ["doi:10.1145/3442188.3445922"]
    assert listed(shelf, "-q", "year:..2000") == ["hep-th/9711200"]
    assert listed(shelf, "-q", "classic -ads") == ["1706.03762"]
    assert listed(shelf, "--search", "source:manual") == ["doi:10.1145/3442188.3445922"]


def test_list_options_are_query_terms(shelf) -> None:  # type: ignore[no-untyped-def]
    assert listed(shelf, "--tag", "ML") == ["1706.03762", "2101.03961"]
    assert listed(shelf, "--tag", "ml", "--status", "read") == ["1706.03762"]
    assert listed(shelf, "--tag", "ml", "-q", "-swtich") == ["1706.03762"]


def test_a_bad_query_is_bad_input(shelf) -> None:  # type: ignore[no-untyped-def]
    r = shelf("list", "-q", "status:someday")
    assert r.code == 2 and "unknown status 'someday'" in r.err and "Traceback" not in r.err
    r = shelf("list", "-q", "year:twenty")
    assert r.code == 2 and "year:2020..2022" in r.err


def test_a_mistyped_field_is_named_and_ids_are_still_found(shelf) -> None:  # type: ignore[no-untyped-def]
    r = shelf("list", "-q", "staus:reading")
    assert (r.code, r.out) == (2, "")
    assert "unknown field 'staus' (did you mean status?)" in r.err
    r = shelf("list", "-q", "#ml -autor:vaswani")
    assert r.code == 2 and "(did you mean author?)" in r.err
    # Id schemes and other prefixes are searched as text, as typed.
    assert listed(shelf, "-q", "doi:10.1145/3442188.3445922") == ["doi:10.1145/3442188.3445922"]
    assert listed(shelf, "-q", "arXiv:2103.00020") == ["2103.00020"]
    assert listed(shelf, "-q", "AdS/CFT,") == ["hep-th/9711200"]


def test_export_query_selects_what_list_selects(shelf, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    r = shelf("export", "bibtex", "-q", "swtich")
    assert r.code == 0, r.err
    assert r.out.count("@") == 1 and "2101.03961" in r.out
    r = shelf("export", "markdown", "--query", "#ml -attention")
    assert "Switch Transformers" in r.out and "Attention Is All You Need" not in r.out
    r = shelf("export", "bibtex", "--query", "nothing-matches-this")
    assert r.out == "" and "--query" in r.err


def test_tags_lists_every_tag_with_its_count(shelf) -> None:  # type: ignore[no-untyped-def]
    r = shelf("tags")
    assert r.code == 0, r.err
    assert r.out.splitlines() == ["ml\t2", "classic\t1", "ethics\t1", "moe\t1"]  # piped: tab-separated
    assert shelf("tags", "--json").json[0] == {"tag": "ml", "count": 2}


def test_tag_rename_renames_everywhere(shelf) -> None:  # type: ignore[no-untyped-def]
    r = shelf("tag", "--rename", "ML", "machine-learning")
    assert r.code == 0, r.err
    assert "on 2 papers" in r.err
    papers = {p["id"]: p for p in shelf("list", "--json").json}
    assert papers["2101.03961"]["tags"] == ["moe", "machine-learning"]  # in its place
    assert papers["1706.03762"]["tags"] == ["machine-learning", "classic"]


def test_tag_rename_onto_an_existing_tag_merges(shelf) -> None:  # type: ignore[no-untyped-def]
    assert shelf("tag", "--rename", "moe", "ml").code == 0
    papers = {p["id"]: p for p in shelf("list", "--json").json}
    assert papers["2101.03961"]["tags"] == ["ml"]
    assert shelf("tags").out.splitlines()[0] == "ml\t2"


def test_tag_rename_of_an_unknown_tag_changes_nothing(shelf, home: Path) -> None:  # type: ignore[no-untyped-def]
    before = (home / "library.json").read_bytes()
    r = shelf("tag", "--rename", "nope", "other")
    assert r.code == 1 and "no paper is tagged 'nope'" in r.err
    r = shelf("tag", "2101.03961", "--rename", "moe", "x")
    assert r.code == 2 and "--rename OLD NEW" in r.err
    assert (home / "library.json").read_bytes() == before


# -- tables at 80 columns ----------------------------------------------------------------------


def render(table, width: int) -> list[str]:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    Console(file=out, width=width, no_color=True).print(table)
    return out.getvalue().splitlines()


def test_list_at_80_columns_gives_the_title_room_and_keeps_ids_whole(shelf) -> None:  # type: ignore[no-untyped-def]
    from readlist.cli.output import TITLE_ROOM, papers_table

    records = shelf("list", "--json").json
    arxiv_only = [r for r in records if not r["id"].startswith("doi:")]
    lines = render(papers_table(arxiv_only, 80), 80)
    assert "Switch Transformers: Scaling to" in "\n".join(lines)
    header = lines[0]
    assert header.index("year") - header.index("title") >= TITLE_ROOM
    lines = render(papers_table(records, 80), 80)  # a doi: id: two lines a paper, the title on one
    text = "\n".join(lines)
    assert "On the Dangers of Stochastic Parrots" in text
    assert "doi:10.1145/3442188.3445922" in text, "the id is never broken"
    assert "Switch Transformers: Scaling to Trillion Parameter Models" in text
    wide = "\n".join(render(papers_table(records, 150), 150))
    assert "first author" in wide and "added" in wide and "doi:10.1145/3442188.3445922" in wide


def test_suggestions_at_80_columns_never_break_a_key() -> None:
    from readlist.cli.suggest import _suggestions_table
    from readlist.core.suggestions import Suggestion

    keys = ["2103.00020", "doi:10.1145/3442188.3445922", "manual:on-the-dangers-of-stochastic-parrots-can-language"]
    rows = []
    for key in keys:
        s = Suggestion(key=key, title="A Title " * 6, authors=["Alec Radford", "B. Author"], blurb="Why: " + "x " * 80)
        s.picks = [{"source": "zeta-alpha", "month": "2021-01", "rank": 1, "blurb": ""}]
        rows.append(s)
    for width in (80, 100, 150):
        text = "\n".join(render(_suggestions_table(rows, set(), width, lambda s: (None, ""), False), width))
        for key in keys:
            assert key in text, (width, text)
