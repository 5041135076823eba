"""`readlist attach`, `detach`, `rm` and `trash`: files copied beside library.json, named by the key."""

from __future__ import annotations

import json
import os

import pytest

from tests.files.conftest import files_of
from tests.files.pdfs import text_pdf


def test_attach_copies_into_files_named_by_key_and_records_kind_size_pages(cli, paper, home, tmp_path):
    source = tmp_path / "Downloads" / "switch (final).pdf"
    source.parent.mkdir()
    source.write_bytes(text_pdf(["Switch Transformers", "page two", "router z-loss"]))
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n", encoding="utf-8")

    result = cli("attach", paper, str(source), str(notes))

    assert result.code == 0, result.err
    files = files_of(cli, paper)
    assert [f["path"] for f in files] == ["files/fedus2021switch.pdf", "files/fedus2021switch.txt"]
    assert (files[0]["kind"], files[0]["pages"], files[0]["size"]) == ("pdf", 3, source.stat().st_size)
    assert (files[1]["kind"], files[1]["pages"]) == ("txt", None)
    assert (home / "files" / "fedus2021switch.pdf").read_bytes() == source.read_bytes()
    assert source.exists()  # copied, not moved
    assert "files/fedus2021switch.pdf  pdf, 3 pages" in cli("show", paper).out


def test_a_second_file_gets_its_own_name_and_move_deletes_the_source(cli, paper, home, tmp_path):
    first, second = tmp_path / "a.pdf", tmp_path / "b.pdf"
    first.write_bytes(text_pdf(["first"]))
    second.write_bytes(text_pdf(["second"]))
    assert cli("attach", paper, str(first)).code == 0
    assert cli("attach", paper, str(second), "--move").code == 0
    assert [f["path"] for f in files_of(cli, paper)] == ["files/fedus2021switch.pdf", "files/fedus2021switch-2.pdf"]
    assert first.exists() and not second.exists()
    assert (home / "files" / "fedus2021switch-2.pdf").read_bytes() == text_pdf(["second"])


def test_a_symlink_is_followed_and_its_target_copied(cli, paper, home, tmp_path):
    target = tmp_path / "real.pdf"
    target.write_bytes(text_pdf(["linked"]))
    link = tmp_path / "link.pdf"
    link.symlink_to(target)
    assert cli("attach", paper, str(link)).code == 0
    copy = home / "files" / "fedus2021switch.pdf"
    assert not copy.is_symlink() and copy.read_bytes() == target.read_bytes()


@pytest.mark.parametrize("shape", ["fifo", "folder", "missing"])
def test_a_fifo_folder_or_missing_file_is_refused_and_nothing_changes(cli, paper, home, tmp_path, shape):
    good = tmp_path / "good.pdf"
    good.write_bytes(text_pdf(["fine"]))
    bad = tmp_path / "bad"
    if shape == "fifo":
        os.mkfifo(bad)
    elif shape == "folder":
        bad.mkdir()
    before = (home / "library.json").read_bytes()

    result = cli("attach", paper, str(good), str(bad))

    assert result.code == 2
    assert len(result.err.strip().splitlines()) == 1 and "Traceback" not in result.err
    assert (home / "library.json").read_bytes() == before
    assert not (home / "files").exists() or not any((home / "files").iterdir())


def test_files_live_beside_the_resolved_library_json(cli, home, tmp_path, monkeypatch):
    synced = tmp_path / "Sync"
    synced.mkdir()
    home.mkdir(parents=True, exist_ok=True)
    (home / "library.json").symlink_to(synced / "library.json")
    (synced / "library.json").write_text('{"papers": {}, "meta": {"schema": {"version": 1}}}', encoding="utf-8")
    assert cli("add", "--title", "Synced Paper", "--authors", "Ada Lovelace", "--year", "1843").code == 0
    source = tmp_path / "p.pdf"
    source.write_bytes(text_pdf(["synced"]))

    assert cli("attach", "lovelace1843synced", str(source)).code == 0

    assert (synced / "files" / "lovelace1843synced.pdf").is_file()
    assert not (home / "files").exists()
    assert files_of(cli, "lovelace1843synced")[0]["path"] == "files/lovelace1843synced.pdf"


def test_detach_moves_the_copy_to_the_trash_and_trash_empty_deletes_it(cli, paper, home, tmp_path):
    source = tmp_path / "p.pdf"
    source.write_bytes(text_pdf(["one"]))
    cli("attach", paper, str(source))

    result = cli("detach", paper)

    assert result.code == 0, result.err
    assert files_of(cli, paper) == []
    assert not (home / "files" / "fedus2021switch.pdf").exists()
    assert (home / "files" / ".trash" / "fedus2021switch.pdf").is_file()
    assert "fedus2021switch.pdf" in cli("trash").out
    assert cli("trash", "--empty").code == 0
    assert list((home / "files" / ".trash").iterdir()) == []


def test_detach_of_a_paper_with_several_files_needs_a_name(cli, paper, tmp_path):
    for name in ("a.pdf", "b.pdf"):
        (tmp_path / name).write_bytes(text_pdf([name]))
        cli("attach", paper, str(tmp_path / name))
    assert cli("detach", paper).code == 2
    assert cli("detach", paper, "fedus2021switch-2.pdf").code == 0
    assert [f["path"] for f in files_of(cli, paper)] == ["files/fedus2021switch.pdf"]
    assert cli("detach", paper, "nothing.pdf").code == 1


def test_rm_moves_files_to_the_trash_and_undo_brings_them_back(cli, paper, home, tmp_path):
    from readlist.core.config import load_settings
    from readlist.core.library import Library

    source = tmp_path / "p.pdf"
    source.write_bytes(text_pdf(["kept"]))
    cli("attach", paper, str(source))
    library = Library(load_settings())

    removed = library.remove([paper])

    assert not (home / "files" / "fedus2021switch.pdf").exists()
    assert (home / "files" / ".trash" / "fedus2021switch.pdf").is_file()
    library.restore(removed[0])  # what the TUI's undo does
    assert files_of(cli, paper)[0]["path"] == "files/fedus2021switch.pdf"
    assert (home / "files" / "fedus2021switch.pdf").read_bytes() == source.read_bytes()
    assert not (home / "files" / ".trash" / "fedus2021switch.pdf").exists()


def test_a_planted_path_never_moves_a_file_outside_files(cli, paper, home, tmp_path):
    outside = tmp_path / "precious.txt"
    outside.write_text("keep me", encoding="utf-8")
    data = json.loads((home / "library.json").read_text(encoding="utf-8"))
    for record in data["papers"].values():
        record["files"] = [{"path": "files/../../precious.txt", "kind": "txt", "size": 7}]
    (home / "library.json").write_text(json.dumps(data), encoding="utf-8")

    assert cli("rm", paper).code == 0

    assert outside.read_text(encoding="utf-8") == "keep me"


def test_files_must_be_a_list_of_objects_in_a_stored_record(cli, paper, home):
    data = json.loads((home / "library.json").read_text(encoding="utf-8"))
    for record in data["papers"].values():
        record["files"] = "files/x.pdf"
    (home / "library.json").write_text(json.dumps(data), encoding="utf-8")
    result = cli("list", "--json")
    assert result.json == [] and "files" in result.err
