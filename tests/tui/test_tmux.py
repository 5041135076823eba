"""The installed `readlist` in a real terminal (tmux): it paints, filters as you type, and quits."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import time
import uuid
from pathlib import Path

import pytest

from readlist.core.library import Library
from tests.conftest import readlist_exe

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")


def tmux(*args: str) -> str:
    return subprocess.run(["tmux", *args], capture_output=True, text=True, timeout=10).stdout


def wait_for(session: str, pattern: str, timeout: float = 15) -> str:
    end = time.monotonic() + timeout
    text = ""
    while time.monotonic() < end:
        text = tmux("capture-pane", "-p", "-t", session)
        if re.search(pattern, text):
            return text
        time.sleep(0.2)
    raise AssertionError(f"the screen never showed {pattern!r}; last screen:\n{text}")


def test_real_terminal_filter_and_quit(seeded: Library, tmp_path: Path) -> None:
    session = f"readlist-test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k.startswith(("READLIST_", "PATH", "HOME", "LANG", "LC_"))}
    env["TERM"] = "xterm-256color"
    command = "env " + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " " + shlex.join(readlist_exe())
    tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)
    tmux("resize-window", "-t", session, "-x", "100", "-y", "30")  # a running tmux server may ignore -x/-y
    try:
        text = wait_for(session, r"Switch Transformers")
        assert "To read 2" in text and "Attention Is All You Need" in text
        tmux("send-keys", "-t", session, "/")
        wait_for(session, r"filter: title")  # the filter field is on screen
        time.sleep(0.5)
        tmux("send-keys", "-t", session, "-l", "attention")
        text = wait_for(session, r"Ashish Vaswani, Noam Shazeer")  # the detail pane follows the filter
        rows = [line for line in text.splitlines() if line and line[0] in "○◐●✕"]  # table rows start with a status mark
        assert len(rows) == 1 and "Attention Is All You Need" in rows[0], text
        (tmp_path / "screen-100x30.txt").write_text(text, encoding="utf-8")
        tmux("send-keys", "-t", session, "Escape")
        time.sleep(0.3)
        tmux("send-keys", "-t", session, "3")  # a table key again: mark read
        wait_for(session, r"Read 2")
        assert seeded.get("1706.03762").status == "read"  # type: ignore[union-attr]
        tmux("send-keys", "-t", session, "q")
        end = time.monotonic() + 10
        while time.monotonic() < end and session in tmux("list-sessions"):
            time.sleep(0.2)
        assert session not in tmux("list-sessions"), "q did not quit"
    finally:
        tmux("kill-session", "-t", session)
