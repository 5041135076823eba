"""The user's own files are theirs (issue 18 item 6): a file named on the command line has no size cap.

What bounds a hostile local file is what each entry may hold: a field of at
most ``MAX_FIELD_CHARS`` characters, a note or a tag field of at most
``MAX_NOTE_CHARS``, at most ``MAX_TAGS`` tags a paper. An entry past a limit
is skipped and named (exit 1), the rest imported. The 20 MB cap stays for
what comes over the network. The time and memory of an 87 MB library are the
benchmark's (`python -m tests.benchmark.hostile`), not asserted here.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from readlist.formats.importing import MAX_FIELD_CHARS, MAX_NOTE_CHARS

NOTE = "A line of a long reading note, kept whole.\n"


def test_a_bib_file_larger_than_the_document_cap_is_imported_whole(cli, tmp_path: Path) -> None:
    """25 MB, past the 20 MB a downloaded document may be, at the default settings: every entry is kept."""
    note = NOTE * (6_000_000 // len(NOTE))  # 6 MB, under a note's cap
    bib = tmp_path / "mine.bib"
    with open(bib, "w", encoding="utf-8") as f:
        for i in range(4):
            f.write(f"@misc{{mine{i}, title = {{My paper {i}}}, annote = {{{note}}}}}\n\n")
        f.writelines(f"@misc{{small{i}, title = {{Small paper {i}}}}}\n" for i in range(1_000))
    assert bib.stat().st_size > 20_000_000
    r = cli("import", "bibtex", str(bib))
    assert r.code == 0, r.err
    rows = {row["key"]: row for row in cli("list", "--json").json}
    assert len(rows) == 1_004
    assert rows["mine3"]["notes"] == note.strip("\n")


def test_a_csl_file_larger_than_the_document_cap_is_imported(cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("READLIST_MAX_DOCUMENT_MB", "1")  # what a download may be; the user's own file is not bound
    items = [{"id": f"item{i}", "title": f"Paper {i}", "abstract": "words " * 400} for i in range(1_000)]
    src = tmp_path / "mine.json"
    src.write_text(json.dumps(items), encoding="utf-8")
    assert src.stat().st_size > 2_000_000
    r = cli("import", "csl", str(src))
    assert r.code == 0, r.err
    assert len(cli("list", "--json").json) == 1_000


def test_a_hostile_local_bib_is_bounded_entry_by_entry(cli, tmp_path: Path) -> None:
    """An abstract past a field's cap and a note past a note's cap are skipped and named; a long note under
    its cap and the entries around them are imported."""
    bib = tmp_path / "hostile.bib"
    long_note = NOTE * (2_000_000 // len(NOTE))
    bib.write_text(
        "@misc{before, title = {Before}}\n"
        f"@misc{{huge-abstract, title = {{Huge}}, abstract = {{{'x' * (MAX_FIELD_CHARS + 1)}}}}}\n"
        f"@misc{{huge-note, title = {{Huge note}}, annote = {{{'n' * (MAX_NOTE_CHARS + 1)}}}}}\n"
        f"@misc{{long-note, title = {{Long note}}, annote = {{{long_note}}}}}\n"
        f"@misc{{huge-title, title = {{{'t' * (MAX_FIELD_CHARS + 1)}}}}}\n"
        "@misc{after, title = {After}}\n",
        encoding="utf-8",
    )
    r = cli("import", "bibtex", str(bib))
    assert r.code == 1
    said = r.out + r.err
    assert f"line 2 (huge-abstract): its field abstract holds {MAX_FIELD_CHARS + 1:,} characters" in said
    assert f"line 3 (huge-note): its field annote holds {MAX_NOTE_CHARS + 1:,} characters" in said
    title_line = 5 + long_note.count("\n")  # the long note's lines come before it
    assert f"line {title_line} (huge-title): its field title holds {MAX_FIELD_CHARS + 1:,} characters" in said
    rows = {row["key"]: row for row in cli("list", "--json").json}
    assert sorted(rows) == ["after", "before", "long-note"]
    assert len(rows["long-note"]["notes"]) == len(long_note.strip("\n"))


def test_a_hostile_csl_item_is_skipped_and_named(cli, tmp_path: Path) -> None:
    items = [
        {"id": "fine", "title": "Fine"},
        {"id": "huge", "title": "Huge", "abstract": "x" * (MAX_FIELD_CHARS + 1)},
        {"id": "also-fine", "title": "Also fine"},
    ]
    src = tmp_path / "hostile.json"
    src.write_text(json.dumps(items), encoding="utf-8")
    r = cli("import", "csl", str(src))
    assert r.code == 1
    assert f"item 2 (huge): its field abstract holds {MAX_FIELD_CHARS + 1:,} characters" in r.out + r.err
    assert sorted(row["key"] for row in cli("list", "--json").json) == ["also-fine", "fine"]


@pytest.mark.parametrize("keywords", [30_000])
def test_a_long_keywords_field_is_capped_by_tags_not_by_its_size(cli, tmp_path: Path, keywords: int) -> None:
    """A tag field takes a note's cap: its words are bounded by the tags a paper holds."""
    words = ",".join(f"keyword-number-{i:07d}-" + "k" * 20 for i in range(keywords))
    assert MAX_FIELD_CHARS < len(words) <= MAX_NOTE_CHARS
    bib = tmp_path / "kw.bib"
    bib.write_text("@misc{kw, title = {Keywords}, keywords = {" + words + "}}\n", encoding="utf-8")
    r = cli("import", "bibtex", str(bib))
    assert r.code == 0, r.err
    [row] = cli("list", "--json").json
    assert len(row["tags"]) == 1_000
