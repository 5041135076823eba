"""Reading commands leave library.json exactly as they found it: bytes, mtime and inode."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from readlist.core.config import load_settings
from readlist.core.library import Library

READ_COMMANDS = [
    ("list",),
    ("list", "--json"),
    ("list", "--search", "paper"),
    ("show", "manual:first-paper"),
    ("show", "manual:first-paper", "--json"),
    ("suggestions",),
    ("suggestions", "--json", "--all"),
    ("paths",),
    ("export", "markdown"),
    ("export", "bibtex"),
]


def _state(home: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file in the home (texts included) with its bytes, mtime and inode."""
    out = {}
    for path in sorted(p for p in home.rglob("*") if p.is_file()):
        st = path.stat()
        out[str(path.relative_to(home))] = (path.read_bytes(), st.st_mtime_ns, st.st_ino)
    return out


def _fill(count: int) -> None:
    records: dict[str, dict[str, Any]] = {}
    for i in range(count):
        paper_id = "manual:first-paper" if i == 0 else f"manual:paper-{i}"
        records[paper_id] = {
            "id": paper_id, "title": "First Paper" if i == 0 else f"Paper number {i}", "status": "to-read",
            "tags": ["bulk"], "authors": ["Ada Lovelace"], "year": 2000 + i % 25, "added": "2026-01-01T00:00:00+00:00",
        }  # fmt: skip
    with Library(load_settings())._transaction() as tx:
        tx.put_papers(records)


@pytest.mark.parametrize("size", [1, 10_000])
def test_read_commands_never_write(cli: Any, home: Path, tmp_path: Path, size: int) -> None:
    (tmp_path / "config.toml").write_text("", encoding="utf-8")  # the shipped selection is on
    _fill(size)
    before = _state(home)
    for command in READ_COMMANDS:
        result = cli(*command)
        assert result.code == 0, (command, result.err)
        assert _state(home) == before, f"`readlist {' '.join(command)}` changed the library"


def test_reads_on_a_new_home_create_nothing(cli: Any, home: Path) -> None:
    for command in READ_COMMANDS:
        if command[0] == "show":
            continue
        result = cli(*command)
        assert result.code == 0, (command, result.err)
        assert not home.exists() or not os.listdir(home), f"`readlist {' '.join(command)}` created files"
