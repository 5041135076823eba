"""Files that are not what they seem: FIFOs, devices, folders, symlinks, someone else's file.

`--out` writes only regular files: through a symlink to one (the link stays),
never over a FIFO, a device or a folder (exit 2, at once, nothing written).
An existing file readlist did not write needs --force. In import and export
folders a FIFO named `x.md`, a link to /dev/zero or a link out of the folder
is skipped and named, never read, never replaced.
"""

from __future__ import annotations

import json
import os
import stat
import time
from pathlib import Path

import pytest

from tests.conftest import run_process

BOUND = 20.0  # a hang would be the failure; the real figures are well under a second


@pytest.fixture
def two_papers(cli) -> None:
    assert cli("add", "--title", "Attention Is All You Need", "--year", "2017", "--tag", "nlp").code == 0
    assert cli("add", "--title", "Deep Residual Learning", "--note", "skip connections").code == 0


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _is_fifo(path: Path) -> bool:
    return stat.S_ISFIFO(os.lstat(path).st_mode)


@pytest.mark.parametrize("command", [["export", "bibtex"], ["export", "markdown"]])
def test_out_to_a_fifo_is_refused_at_once(home: Path, tmp_path: Path, two_papers, command: list[str]) -> None:
    fifo = _fifo(tmp_path / ("refs.md" if command[1] == "markdown" else "refs.bib"))
    start = time.monotonic()
    r = run_process(*command, "--out", str(fifo), timeout=BOUND)
    assert time.monotonic() - start < BOUND
    assert r.returncode == 2, r.stderr
    assert r.stderr.strip() == (
        f"readlist: {fifo} is a FIFO (named pipe), not a regular file: readlist writes only regular files "
        "(give a file path, or --out - to write to stdout)"
    )
    assert _is_fifo(fifo)


def test_out_to_a_device_is_refused_and_the_device_stays(cli, two_papers, tmp_path: Path) -> None:
    if os.geteuid() == 0:  # a private copy of /dev/null: a regression must not break the machine's
        device = tmp_path / "null"
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    else:
        device = Path("/dev/null")
    link = tmp_path / "refs.bib"
    link.symlink_to(device)
    for out in (device, link):
        r = cli("export", "bibtex", "--out", str(out))
        assert r.code == 2 and "a character device" in r.err and "not a regular file" in r.err, r.err
        assert stat.S_ISCHR(os.stat(device).st_mode)
    r = cli("export", "markdown", "--out", str(device) + ".md")
    assert r.code == 0  # a new file beside it is fine: only the device itself is refused


def test_out_to_a_folder_is_refused(cli, two_papers, tmp_path: Path) -> None:
    folder = tmp_path / "refs.md"
    folder.mkdir()
    r = cli("export", "bibtex", "--out", str(folder))
    assert r.code == 2 and "is a directory" in r.err
    r = cli("export", "markdown", "--out", str(folder))
    assert r.code == 2 and "is a directory" in r.err
    assert list(folder.iterdir()) == []


def test_out_through_a_symlink_writes_the_file_it_leads_to_and_keeps_the_link(cli, two_papers, tmp_path: Path) -> None:
    synced = tmp_path / "synced"
    synced.mkdir()
    target = synced / "refs.bib"
    assert cli("export", "bibtex", "--out", str(target)).code == 0
    target.chmod(0o600)
    link = tmp_path / "refs.bib"
    link.symlink_to(target)
    assert cli("add", "--title", "Vision Transformers").code == 0
    r = cli("export", "bibtex", "--out", str(link))
    assert r.code == 0, r.err
    assert link.is_symlink() and Path(os.readlink(link)) == target
    assert "Vision Transformers" in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # the file keeps its permissions
    assert not [p for p in synced.iterdir() if p.name != "refs.bib"], "no temp file left beside the target"


def test_a_dangling_symlink_is_refused_and_names_its_target(cli, two_papers, tmp_path: Path) -> None:
    link = tmp_path / "refs.bib"
    link.symlink_to(tmp_path / "unmounted" / "refs.bib")
    r = cli("export", "bibtex", "--out", str(link))
    assert r.code == 2 and f"is a symlink to {tmp_path / 'unmounted' / 'refs.bib'}, which does not exist" in r.err
    assert not (tmp_path / "unmounted").exists()


@pytest.mark.parametrize(("command", "name"), [(["export", "bibtex"], "refs.bib"), (["export", "markdown"], "d.md")])
def test_a_file_readlist_did_not_write_needs_force(
    cli, two_papers, tmp_path: Path, command: list[str], name: str
) -> None:
    out = tmp_path / name
    out.write_text("my own hand-written bibliography\n", encoding="utf-8")
    r = cli(*command, "--out", str(out))
    assert r.code == 1, r.err
    assert r.err.strip() == (
        f"readlist: {out} already exists and readlist did not write it (or it changed since); nothing was written: "
        "give --force to replace it, or another --out"
    )
    assert out.read_text(encoding="utf-8") == "my own hand-written bibliography\n"
    assert cli(*command, "--out", str(out), "--force").code == 0
    assert "Deep Residual Learning" in out.read_text(encoding="utf-8")
    # readlist wrote it: the next export replaces it without asking ...
    assert cli("add", "--title", "Vision Transformers").code == 0
    assert cli(*command, "--out", str(out)).code == 0
    assert "Vision Transformers" in out.read_text(encoding="utf-8")
    # ... until someone edits it.
    out.write_text(out.read_text(encoding="utf-8") + "\n% my addition\n", encoding="utf-8")
    assert cli(*command, "--out", str(out)).code == 1
    assert out.read_text(encoding="utf-8").endswith("% my addition\n")
    # An empty file holds nothing to lose.
    empty = tmp_path / ("empty" + out.suffix)
    empty.touch()
    assert cli(*command, "--out", str(empty)).code == 0


@pytest.mark.parametrize("command", [["export", "bibtex"], ["export", "markdown"]])
def test_out_dash_writes_to_stdout(cli, two_papers, tmp_path: Path, command: list[str]) -> None:
    r = cli(*command, "--out", "-")
    assert r.code == 0 and "Deep Residual Learning" in r.out
    assert r.out == cli(*command).out
    assert not (Path.cwd() / "-").exists()


def _folder_with_traps(cli, tmp_path: Path) -> tuple[Path, Path]:
    notes = tmp_path / "notes"
    assert cli("export", "markdown", "--out", str(notes)).code == 0
    outside = tmp_path / "elsewhere.md"
    paper = next(notes.glob("manual_deep-residual-learning *.md"))
    outside.write_text(paper.read_text(encoding="utf-8"), encoding="utf-8")
    _fifo(notes / "x.md")
    (notes / "zero.md").symlink_to("/dev/zero")
    (notes / "out.md").symlink_to(outside)
    (notes / "sub").mkdir()
    _fifo(notes / "sub" / "pipe.md")
    (notes / "to-pipe.md").symlink_to(_fifo(notes / "pipe"))
    return notes, paper


def test_import_skips_and_names_special_files_without_hanging(cli, two_papers, tmp_path: Path) -> None:
    notes, paper = _folder_with_traps(cli, tmp_path)
    paper.write_text(paper.read_text(encoding="utf-8").replace("skip connections", "skip connections, revisited"))
    start = time.monotonic()
    r = run_process("import", "markdown", str(notes), timeout=BOUND)
    assert time.monotonic() - start < BOUND
    assert r.returncode == 1, r.stderr
    err = r.stderr
    assert "readlist: out.md: it is a symlink leading out of the folder (to " in err
    assert "readlist: sub/pipe.md: it is a FIFO (named pipe), not a regular file; skipped" in err
    assert "readlist: x.md: it is a FIFO (named pipe), not a regular file; skipped" in err
    assert "readlist: zero.md: it is a symlink leading out of the folder (to '/dev/zero'); skipped" in err
    assert "readlist: to-pipe.md: it is a symlink to a FIFO (named pipe), not to a regular file; skipped" in err
    assert f"Updated manual:deep-residual-learning (notes) from {paper.name}" in err
    [record] = [p for p in cli("list", "--json").json if p["id"] == "manual:deep-residual-learning"]
    assert record["notes"] == "skip connections, revisited"


def test_a_symlink_inside_the_folder_is_followed(cli, two_papers, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    assert cli("export", "markdown", "--out", str(notes)).code == 0
    paper = next(notes.glob("manual_deep-residual-learning *.md"))
    (notes / "kept").mkdir()
    moved = notes / "kept" / paper.name
    paper.rename(moved)
    paper.symlink_to(moved)
    moved.write_text(moved.read_text(encoding="utf-8").replace("skip connections", "edited through a link"))
    r = cli("import", "markdown", str(notes))
    assert "edited through a link" in next(
        p["notes"] for p in cli("list", "--json").json if p["id"] == "manual:deep-residual-learning"
    ), r.err


def test_export_into_a_folder_with_traps_neither_hangs_nor_replaces_them(cli, two_papers, tmp_path: Path) -> None:
    notes, paper = _folder_with_traps(cli, tmp_path)
    paper.unlink()
    _fifo(paper)  # a FIFO where a paper's file goes
    [attention_id] = [r["id"] for r in cli("list", "--json").json if r["title"].startswith("Attention")]
    assert cli("tag", attention_id, "classic").code == 0
    start = time.monotonic()
    r = run_process("export", "markdown", "--out", str(notes), timeout=BOUND)
    assert time.monotonic() - start < BOUND
    assert r.returncode == 1, r.stderr
    line = r.stderr.strip().splitlines()[-1]
    assert line.startswith(f"readlist: Exported 2 papers to {notes} (2 file(s) written"), line  # a paper, the index
    assert (
        f"skipped what is not a regular file in the folder: {paper.name} (a FIFO (named pipe), not a regular file), "
        in line
    )
    assert "x.md (a FIFO (named pipe), not a regular file)" in line and " and 1 more; " in line
    assert line.endswith("so 1 file(s) were not written: remove or rename those entries and export again")
    for trap in (paper, notes / "x.md"):
        assert _is_fifo(trap), trap
    assert (notes / "zero.md").is_symlink() and os.readlink(notes / "zero.md") == "/dev/zero"
    attention = next(notes.glob("manual_attention-is-all-you-need* *.md")).read_text(encoding="utf-8")
    assert "- classic" in attention


def test_a_manifest_that_is_a_fifo_is_neither_read_nor_replaced(cli, two_papers, tmp_path: Path) -> None:
    notes = tmp_path / "notes"
    assert cli("export", "markdown", "--out", str(notes)).code == 0
    (notes / ".readlist-export.json").unlink()
    _fifo(notes / ".readlist-export.json")
    r = run_process("export", "markdown", "--out", str(notes), timeout=BOUND)
    assert r.returncode == 0, r.stderr
    assert r.stderr.strip().endswith("skipped what is not a regular file in the folder: "
                                     ".readlist-export.json (a FIFO (named pipe), not a regular file)")  # fmt: skip
    assert _is_fifo(notes / ".readlist-export.json")


def test_a_note_file_over_the_size_cap_is_skipped(cli, two_papers, tmp_path: Path, monkeypatch) -> None:
    notes = tmp_path / "notes"
    assert cli("export", "markdown", "--out", str(notes)).code == 0
    paper = next(notes.glob("manual_deep-residual-learning *.md"))
    paper.write_text(paper.read_text(encoding="utf-8") + "x" * 3000, encoding="utf-8")
    monkeypatch.setenv("READLIST_MAX_DOCUMENT_MB", "0.002")
    r = cli("import", "markdown", str(notes))
    assert r.code == 1
    assert f"{paper.name}: it is larger than 0.002 MB, readlist's limit for a document; " in r.err


def test_pull_from_a_fifo_or_a_device_is_refused_at_once(home: Path, tmp_path: Path) -> None:
    fifo = _fifo(tmp_path / "selection.md")
    for path, what in ((fifo, "a FIFO (named pipe)"), (Path("/dev/zero"), "a character device")):
        r = run_process("pull", "--from", str(path), "--month", "2021-01", timeout=BOUND)
        assert r.returncode == 2, r.stderr
        assert r.stderr.strip() == f"readlist: '{path}' is {what}, not a regular file; readlist reads only files"


def test_a_broken_manifest_or_ledger_is_ignored_not_fatal(cli, two_papers, tmp_path: Path, home: Path) -> None:
    notes = tmp_path / "notes"
    assert cli("export", "markdown", "--out", str(notes)).code == 0
    (notes / ".readlist-export.json").write_text("[" * 200_000, encoding="utf-8")
    (home / "exports.json").write_text("[" * 200_000, encoding="utf-8")
    assert cli("export", "markdown", "--out", str(notes)).code == 0
    assert json.loads((notes / ".readlist-export.json").read_text(encoding="utf-8"))["files"]
    out = tmp_path / "refs.bib"
    assert cli("export", "bibtex", "--out", str(out)).code == 0
    assert str(out) in json.loads((home / "exports.json").read_text(encoding="utf-8"))["files"]


@pytest.mark.parametrize("kind", ["bibtex", "csl"])
def test_import_of_a_fifo_or_a_device_is_refused_at_once(home: Path, tmp_path: Path, kind: str) -> None:
    fifo = _fifo(tmp_path / ("refs.bib" if kind == "bibtex" else "refs.json"))
    zero = tmp_path / "zero.bib"
    zero.symlink_to("/dev/zero")  # a link that would never end
    for path, what in ((fifo, "a FIFO (named pipe)"), (zero, "a character device")):
        started = time.monotonic()
        r = run_process("import", kind, str(path), timeout=BOUND)
        assert r.returncode == 2, r.stderr
        assert what in r.stderr and len(r.stderr.splitlines()) == 1
        assert time.monotonic() - started < BOUND
    assert not (home / "library.json").exists()
