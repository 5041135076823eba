"""Editor round trips never lose text: Latin-1 saves, deleted files, failing editors, odd commands.

Each editor here is a small shell script of the test's own. Temporary files
go to the test's own TMPDIR, so a kept file is found there, and nothing is
left anywhere else.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import run_process

LONG_DOI = "doi:10.1234/" + "x" * 300  # a 312-byte id: too long for a file name


def editor(tmp_path: Path, name: str, body: str) -> Path:
    script = tmp_path / "bin" / name
    script.parent.mkdir(exist_ok=True)
    script.write_text("#!/bin/sh\n" + body, encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.fixture
def tmpdir_env(tmp_path: Path) -> dict[str, str]:
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    return {"TMPDIR": str(tmp)}


@pytest.fixture
def paper(cli) -> str:
    assert cli("add", "--title", "Round Trips", "--note", "first line").code == 0
    return str(cli("list", "--json").json[0]["id"])


def notes(cli, paper_id: str) -> str:
    return str(cli("show", paper_id, "--json").json["notes"])


def kept(env: dict[str, str]) -> list[Path]:
    return sorted(Path(env["TMPDIR"]).iterdir())


def test_an_editor_that_saves_latin_1_keeps_the_text_and_warns(cli, tmp_path: Path, paper: str, tmpdir_env) -> None:
    latin = editor(tmp_path, "latin", "printf 'caf\\351 cr\\350me br\\373l\\351e\\n' > \"$1\"\n")
    r = run_process("note", paper, env={**tmpdir_env, "EDITOR": str(latin)})
    assert r.returncode == 0, r.stderr
    assert "internal error" not in r.stderr and "Traceback" not in r.stderr
    assert notes(cli, paper) == "caf\ufffd cr\ufffdme br\ufffdl\ufffde"
    [file] = kept(tmpdir_env)
    assert file.read_bytes() == b"caf\xe9 cr\xe8me br\xfbl\xe9e\n"  # the exact bytes, for the user to recover
    assert "not UTF-8" in r.stderr and str(file) in r.stderr


def test_an_editor_that_deletes_its_file_is_named_and_the_note_kept(
    cli, tmp_path: Path, paper: str, tmpdir_env
) -> None:
    gone = editor(tmp_path, "gone", 'rm -f "$1"\n')
    r = run_process("note", paper, env={**tmpdir_env, "EDITOR": str(gone)})
    assert r.returncode == 1
    assert "internal error" not in r.stderr and "left no file at " + tmpdir_env["TMPDIR"] in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert notes(cli, paper) == "first line"


def test_an_editor_that_fails_keeps_its_file_and_names_it(cli, tmp_path: Path, paper: str, tmpdir_env) -> None:
    failing = editor(tmp_path, "failing", 'echo "typed before the crash" >> "$1"\nexit 3\n')
    r = run_process("note", paper, env={**tmpdir_env, "EDITOR": str(failing)})
    assert r.returncode == 1
    [file] = kept(tmpdir_env)
    assert file.read_text(encoding="utf-8") == "first line\ntyped before the crash\n"
    assert "exited with status 3" in r.stderr and str(file) in r.stderr
    assert notes(cli, paper) == "first line"


def test_a_temp_file_never_holds_the_id(cli, home: Path, tmp_path: Path, tmpdir_env) -> None:
    assert cli("add", "--title", "Long Id").code == 0
    data = json.loads((home / "library.json").read_text(encoding="utf-8"))
    [(_, record)] = data["papers"].items()
    data["papers"] = {LONG_DOI: dict(record, id=LONG_DOI)}
    (home / "library.json").write_text(json.dumps(data), encoding="utf-8")
    names = tmp_path / "names.txt"
    append = editor(tmp_path, "append", f'basename "$1" > "{names}"\necho "noted" >> "$1"\n')
    r = run_process("note", LONG_DOI, env={**tmpdir_env, "EDITOR": str(append)})
    assert r.returncode == 0, r.stderr
    assert notes(cli, LONG_DOI) == "noted"
    assert names.read_text(encoding="utf-8").startswith("readlist-note-") and "x" * 20 not in names.read_text()
    assert kept(tmpdir_env) == []


def test_an_editor_command_that_cannot_be_split_is_one_line(paper: str, tmpdir_env) -> None:
    r = run_process("note", paper, env={**tmpdir_env, "EDITOR": 'vi "'})
    assert r.returncode == 2
    assert r.stderr.strip() == (
        "readlist: cannot read the editor command 'vi \"': No closing quotation "
        "(check its quotes in $VISUAL, $EDITOR or `editor` in config.toml)"
    )
    assert kept(tmpdir_env) == []


def test_the_config_editor_may_be_a_list_and_is_shown_as_a_command(cli, tmp_path: Path, paper: str, tmpdir_env) -> None:
    append = editor(tmp_path, "my editor", 'echo "$1" >> "$2"\n')  # a space in its path: a list needs no quoting
    config = tmp_path / "config.toml"
    config.write_text(f'editor = [{json.dumps(str(append))}, "from the list"]\n', encoding="utf-8")
    r = run_process("note", paper, env=tmpdir_env)
    assert r.returncode == 0, r.stderr
    assert notes(cli, paper) == "first line\nfrom the list"
    config.write_text('editor = ["no-such-editor-here", "-w"]\n', encoding="utf-8")
    r = run_process("note", paper, env=tmpdir_env)
    assert r.returncode == 1
    assert "cannot start the editor 'no-such-editor-here -w'" in r.stderr and "[" not in r.stderr


async def test_the_tuis_e_with_a_latin_1_editor_stays_up_and_keeps_the_text(
    cli, tmp_path: Path, paper: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tempfile

    from readlist.core.config import load_settings
    from readlist.core.library import Library
    from readlist.tui.app import ReadlistApp

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    latin = editor(tmp_path, "latin", "printf 'na\\357ve\\n' > \"$1\"\n")
    monkeypatch.setenv("EDITOR", str(latin))
    library = Library(load_settings())
    app = ReadlistApp(library, opener=lambda url: None)
    async with app.run_test(size=(120, 36), notifications=True) as pilot:
        for _ in range(100):
            if len(app.screen_stack) > 1 and getattr(app.screen, "loaded", False):
                break
            await pilot.pause(0.02)
        await pilot.press("e")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.is_running
        assert any("not UTF-8" in n.message for n in app._notifications)
    assert notes(cli, paper) == "na\ufffdve"
    assert [p.name.startswith("readlist-note-") for p in tmp_path.glob("readlist-note-*")] == [True]
