"""`readlist list` on a terminal: a long list goes through $PAGER in blocks; `--limit N` shows the first N."""

from __future__ import annotations

import os
import pty
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from readlist.core.config import load_settings
from readlist.core.library import Library
from tests.conftest import readlist_exe

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="a pseudo-terminal is POSIX")


def _fill(count: int) -> None:
    records: dict[str, dict[str, Any]] = {}
    for i in range(count):
        pid = f"manual:paper-{i:04d}"
        records[pid] = {
            "id": pid, "title": f"Paper number {i:04d}", "status": "to-read", "tags": ["bulk"],
            "authors": ["Ada Lovelace"], "year": 2020, "added": f"2026-01-01T00:{i // 60 % 60:02d}:{i % 60:02d}+00:00",
        }  # fmt: skip
    with Library(load_settings())._transaction() as tx:
        tx.put_papers(records)


def _on_a_terminal(*args: str, pager: str) -> tuple[int, str]:
    """Run readlist with its stdout on a pseudo-terminal (24 rows, 120 columns); returns (exit, terminal text)."""
    controller, terminal = pty.openpty()
    import fcntl
    import struct
    import termios

    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 120, 0, 0))
    env = {**os.environ, "PAGER": pager, "COLUMNS": "120", "LINES": "24", "TERM": "xterm"}
    proc = subprocess.Popen([*readlist_exe(), *args], stdout=terminal, stderr=subprocess.PIPE, env=env)
    os.close(terminal)
    chunks = []
    while True:
        try:
            data = os.read(controller, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    os.close(controller)
    code = proc.wait(timeout=60)
    return code, b"".join(chunks).decode("utf-8", "replace")


def test_a_long_list_goes_through_the_pager_in_one_table(home: Path, tmp_path: Path) -> None:
    _fill(450)
    paged = tmp_path / "paged.txt"
    code, shown = _on_a_terminal("list", pager=f"sh -c 'cat > {paged}'")
    assert code == 0
    assert "Paper number" not in shown  # the pager had it, not the terminal
    text = re.sub(r"\x1b\[[0-9;]*m", "", paged.read_text(encoding="utf-8"))  # styles, as less -R shows them
    rows = [line for line in text.splitlines() if "manual:paper-" in line]
    assert len(rows) == 450
    assert text.count("title") == 1  # one header, though drawn in blocks
    assert len({line.index("Paper number") for line in rows}) == 1  # every block has the same columns
    assert "450 papers" in text


def test_without_a_pager_the_rows_stream_to_the_terminal(home: Path) -> None:
    _fill(150)
    code, shown = _on_a_terminal("list", pager="")
    assert code == 0
    assert sum(1 for line in shown.splitlines() if "manual:paper-" in line) == 150


def test_limit_shows_the_first_papers_in_the_order_shown(cli: Any, home: Path) -> None:
    _fill(30)
    result = cli("list", "--limit", "3")
    assert result.code == 0
    assert [line.split("\t")[0] for line in result.out.splitlines()] == [
        "manual:paper-0029", "manual:paper-0028", "manual:paper-0027",
    ]  # fmt: skip
    assert cli("list", "--limit", "0").code == 2
    short = [line for line in _on_a_terminal("list", "-n", "5", pager="")[1].splitlines() if "manual:" in line]
    assert len(short) == 5
