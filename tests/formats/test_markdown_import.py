"""`readlist import markdown`: edits made in exported files come back, and nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest

from readlist.core.library import Library
from readlist.core.merge import CONFLICT_MARKER


@pytest.fixture
def exported(cli, sample, home: Path) -> Path:
    out = home.parent / "notes"
    r = cli("export", "markdown", "--out", str(out))
    assert r.code == 0, r.err
    return out


def file_of(out: Path, prefix: str) -> Path:
    return next(out.glob(f"{prefix} *.md"))


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_unedited_export_imports_as_no_change(cli, exported: Path, home: Path) -> None:
    library_file = home / "library.json"
    before = library_file.read_bytes()
    r = cli("import", "markdown", str(exported))
    assert r.code == 0, r.err
    assert "No changes to import from 4 files" in r.err
    assert library_file.read_bytes() == before


def test_edited_notes_tags_and_status_come_back(cli, exported: Path, lib: Library) -> None:
    switch = file_of(exported, "2101.03961")
    edit(switch, "Capacity factor 1.25 was enough.", "Capacity factor 2.0 in the end.")
    edit(switch, "- moe\n- sparsity\n", "- moe\n- Mixture of Experts\n")
    parrots = file_of(exported, "doi_10.1145_3442188.3445922")
    edit(parrots, "status: to-read", "status: Reading")
    edit(parrots, "title: 'On the Dangers", "title: 'On the Perils")  # not imported: only notes, tags and status are
    before = {p.id: p for p in lib.papers()}
    r = cli("import", "markdown", str(exported))
    assert r.code == 0, r.err
    assert f"Updated 2101.03961 (notes, tags) from {switch.name}" in r.err
    assert f"Updated doi:10.1145/3442188.3445922 (status) from {parrots.name}" in r.err
    after = {p.id: p for p in lib.papers()}
    switch_paper = after["2101.03961"]
    assert switch_paper.notes == before["2101.03961"].notes.replace("1.25 was enough", "2.0 in the end")
    assert switch_paper.tags == ["moe", "mixture-of-experts"]
    assert after["doi:10.1145/3442188.3445922"].status == "reading"
    assert after["doi:10.1145/3442188.3445922"].status_history[-1]["status"] == "reading"
    assert after["doi:10.1145/3442188.3445922"].title == before["doi:10.1145/3442188.3445922"].title
    for unchanged in ("2101.03697", "hep-th/9711200"):
        assert after[unchanged] == before[unchanged]  # byte for byte, including the notes
    # Importing again changes nothing, and a re-export is not refused.
    assert "No changes" in cli("import", "markdown", str(exported)).err
    assert cli("export", "markdown", "--out", str(exported)).code == 0


def test_files_that_cannot_be_matched_are_named_and_the_rest_applied(cli, exported: Path, lib: Library) -> None:
    (exported / "shopping list.md").write_text("eggs\n", encoding="utf-8")
    (exported / "broken.md").write_text("---\ntitle: [unclosed\n---\nnotes\n", encoding="utf-8")
    (exported / "stranger.md").write_text("---\nid: '2301.00001'\n---\n\nwho?\n", encoding="utf-8")
    (exported / "float id.md").write_text("---\nid: 2101.03960\n---\n\nx\n", encoding="utf-8")
    edit(file_of(exported, "hep-th_9711200"), "status: to-read", "status: read")
    r = cli("import", "markdown", str(exported))
    assert r.code == 1
    assert "shopping list.md: it has no YAML front matter" in r.err
    assert "broken.md: its front matter is not valid YAML" in r.err
    assert "stranger.md: id 2301.00001 is not in your library; skipped" in r.err
    assert "float id.md: its id 2101.0396 is not text" in r.err
    assert lib.get("hep-th/9711200").status == "read"  # the good file was applied
    assert {p.id for p in lib.papers()} == {"2101.03961", "2101.03697", "hep-th/9711200", "doi:10.1145/3442188.3445922"}


def test_a_bad_status_or_two_files_for_one_paper_are_reported(cli, exported: Path, lib: Library) -> None:
    edit(file_of(exported, "2101.03697"), "status: reading", "status: skimmed")
    copy = exported / "copy.md"
    copy.write_bytes(file_of(exported, "2101.03961").read_bytes())
    r = cli("import", "markdown", str(exported))
    assert r.code == 1
    assert "unknown status 'skimmed'" in r.err
    assert "several files claim id 2101.03961" in r.err and "copy.md" in r.err
    assert lib.get("2101.03697").status == "reading"


def test_library_changes_made_after_the_export_are_not_undone(cli, exported: Path, lib: Library) -> None:
    assert cli("note", "2101.03697", "--append", "Added in the TUI later.").code == 0
    assert cli("tag", "hep-th/9711200", "holography").code == 0
    edit(file_of(exported, "hep-th_9711200"), "status: to-read", "status: reading")  # file edit, other field
    r = cli("import", "markdown", str(exported))
    assert r.code == 0, r.err
    assert lib.get("2101.03697").notes.endswith("Added in the TUI later.")
    paper = lib.get("hep-th/9711200")
    assert paper.tags == ["holography"] and paper.status == "reading"


def test_an_edit_in_the_file_and_an_append_in_the_library_both_stay(cli, exported: Path, lib: Library) -> None:
    assert cli("note", "2101.03961", "--append", "From the CLI.").code == 0
    edit(file_of(exported, "2101.03961"), "top-1 routing.", "top-2 routing.")
    r = cli("import", "markdown", str(exported))
    assert r.code == 0, r.err
    notes = lib.get("2101.03961").notes
    assert "top-2 routing." in notes and "top-1 routing." not in notes and notes.endswith("From the CLI.")
    assert "both changed" not in r.err


def test_notes_rewritten_on_both_sides_keep_both_texts_and_say_so(cli, exported: Path, lib: Library) -> None:
    before = lib.get("2101.03961").notes
    assert cli("note", "2101.03961", "--append", "x").code == 0
    assert lib.set_notes("2101.03961", "Rewritten in the library.").notes == "Rewritten in the library."
    edit(file_of(exported, "2101.03961"), "top-1 routing.", "top-2 routing.")
    r = cli("import", "markdown", str(exported))
    assert r.code == 0, r.err
    assert "notes and the library's both changed since the export: both are kept" in r.err
    notes = lib.get("2101.03961").notes
    assert notes.startswith(before.replace("top-1 routing.", "top-2 routing.").rstrip())
    assert notes.endswith("Rewritten in the library.") and CONFLICT_MARKER in notes


def test_tags_and_status_changed_on_both_sides(cli, exported: Path, lib: Library) -> None:
    switch = file_of(exported, "2101.03961")
    edit(switch, "- moe\n- sparsity\n", "- moe\n- routing\n")  # the file: -sparsity +routing
    edit(switch, "status: read", "status: dropped")
    assert cli("tag", "2101.03961", "scaling").code == 0  # the library: +scaling
    assert cli("status", "2101.03961", "reading").code == 0
    r = cli("import", "markdown", str(exported))
    assert r.code == 0, r.err
    paper = lib.get("2101.03961")
    assert sorted(paper.tags) == ["moe", "routing", "scaling"]
    assert paper.status == "dropped" and "its status (dropped) and the library's (reading)" in r.err


def test_without_a_manifest_the_files_win(cli, exported: Path, lib: Library) -> None:
    (exported / ".readlist-export.json").unlink()
    edit(file_of(exported, "2101.03697"), "Re-param trick", "Reparameterisation trick")
    r = cli("import", "markdown", str(exported))
    assert r.code == 0, r.err
    assert lib.get("2101.03697").notes.startswith("Reparameterisation trick | pipes")


def test_dry_run_changes_nothing(cli, exported: Path, home: Path) -> None:
    edit(file_of(exported, "2101.03697"), "Re-param trick", "Reparameterisation trick")
    before = (home / "library.json").read_bytes()
    r = cli("import", "markdown", str(exported), "--dry-run")
    assert r.code == 0 and "Would update 2101.03697 (notes)" in r.err
    assert (home / "library.json").read_bytes() == before


def test_windows_line_ends_and_trailing_blank_lines_are_not_edits(cli, exported: Path, home: Path) -> None:
    for path in exported.glob("*.md"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n") + b"\r\n\r\n")
    before = (home / "library.json").read_bytes()
    r = cli("import", "markdown", str(exported))
    assert r.code == 0, r.err
    assert (home / "library.json").read_bytes() == before


def test_not_a_directory(cli, home: Path) -> None:
    r = cli("import", "markdown", str(home.parent / "nowhere"))
    assert r.code == 2 and "is not a directory" in r.err
