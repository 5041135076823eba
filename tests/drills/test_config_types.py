"""Config types are checked: `home = true` must not start a library in ./True of whatever folder one is in.

A wrong type is exit 2, one line naming the key and the type expected, before
anything is written anywhere.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_process


@pytest.mark.parametrize(
    ("key", "value", "shown"),
    [
        ("home", "true", "a boolean True"),
        ("home", "5", "a number 5"),
        ("home", '["a", "b"]', "a list ['a', 'b']"),
        ("cache_dir", "false", "a boolean False"),
        ("home", '{ path = "x" }', "a table {'path': 'x'}"),
    ],
)
def test_a_path_of_the_wrong_type_is_one_line_and_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key: str, value: str, shown: str
) -> None:
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    monkeypatch.delenv("READLIST_HOME")
    monkeypatch.delenv("READLIST_CACHE")
    config = tmp_path / "config.toml"
    config.write_text(f"{key} = {value}\n", encoding="utf-8")
    r = run_process("add", "--title", "Where Did It Go")
    assert r.returncode == 2
    assert r.stderr.strip() == (
        f'readlist: {key} in {config} must be a folder path as text (a TOML string such as "~/papers"), '
        f"not {shown}; nothing was changed"
    )
    assert list(work.iterdir()) == []


@pytest.mark.parametrize("value", ["5", "true", '["code", 5]', '{ cmd = "vi" }'])
def test_an_editor_of_the_wrong_type_is_one_line(cli, tmp_path: Path, value: str) -> None:
    assert cli("add", "--title", "Typed Editor").code == 0
    (tmp_path / "config.toml").write_text(f"editor = {value}\n", encoding="utf-8")
    r = run_process("note", "manual:typed-editor")
    assert r.returncode == 2
    [line] = r.stderr.strip().splitlines()
    assert line.startswith("readlist: editor in ") and 'must be a command as text ("code -w")' in line
