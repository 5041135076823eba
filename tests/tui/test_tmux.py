"""The installed `readlist` in a real terminal (tmux): it paints, takes a burst of keys, triages, and quits.

Each test waits for what the screen shows (polling tmux's capture), never for a fixed time.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from readlist.core.library import Library
from readlist.core.suggestions import Suggestions
from tests.conftest import readlist_exe
from tests.tui.conftest import seed_suggestions

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
        time.sleep(0.1)
    raise AssertionError(f"the screen never showed {pattern!r}; last screen:\n{text}")


def wait_gone(session: str, timeout: float = 10) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end and session in tmux("list-sessions"):
        time.sleep(0.1)
    assert session not in tmux("list-sessions"), "readlist did not quit"


@pytest.fixture
def terminal(home: Path) -> Iterator[str]:
    """A tmux session (100x30) running the installed `readlist` over the test's READLIST_HOME."""
    session = f"readlist-test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k.startswith(("READLIST_", "PATH", "HOME", "LANG", "LC_"))}
    env["TERM"] = "xterm-256color"
    command = "env " + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " " + shlex.join(readlist_exe())
    tmux("new-session", "-d", "-s", session, "-x", "100", "-y", "30", command)
    tmux("resize-window", "-t", session, "-x", "100", "-y", "30")  # a running tmux server may ignore -x/-y
    try:
        yield session
    finally:
        tmux("kill-session", "-t", session)


def keys(session: str, *names: str) -> None:
    tmux("send-keys", "-t", session, *names)


def test_empty_library_help_escape_quit(library: Library, terminal: str) -> None:
    wait_for(terminal, r"Welcome to readlist")
    keys(terminal, "?")
    wait_for(terminal, r"readlist keys")
    keys(terminal, "Escape")
    wait_for(terminal, r"Welcome to readlist")
    text = wait_for(terminal, r"q Quit")
    assert "▊" not in text, "no filter field appeared"
    keys(terminal, "q")
    wait_gone(terminal)


def test_a_burst_of_keys_filters_and_the_table_keys_work_after(seeded: Library, terminal: str) -> None:
    wait_for(terminal, r"(?s)To read 2.*Switch Transformers.*Attention Is All You Need")  # painted whole
    tmux("send-keys", "-t", terminal, "-l", "/attention")  # in one burst, as a paste
    # The counter and the table may reach the terminal in two frames: wait for the table too.
    deadline = time.monotonic() + 15
    while True:
        text = wait_for(terminal, r"1 of 2")
        rows = [line for line in text.splitlines() if line and line[0] in "○◐●✕"]  # table rows start with a status mark
        if len(rows) == 1 or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert len(rows) == 1 and "Attention Is All You Need" in rows[0], text
    keys(terminal, "Escape")
    wait_for(terminal, r"s Status")  # the table has the keys again (its keys are in the footer)
    keys(terminal, "3")  # a table key: mark read
    wait_for(terminal, r"Read 1")  # the tabs count what the filter shows
    # The screen shows the change at once; the write lands from a worker a moment later.
    deadline = time.monotonic() + 10
    while seeded.get("1706.03762").status != "read" and time.monotonic() < deadline:  # type: ignore[union-attr]
        time.sleep(0.05)
    assert seeded.get("1706.03762").status == "read"  # type: ignore[union-attr]
    keys(terminal, "q")
    wait_gone(terminal)


@pytest.fixture
def with_suggestions(seeded: Library) -> Library:
    seed_suggestions(seeded)
    return seeded


def test_j_then_x_in_suggestions_dismisses_the_row_under_the_cursor(with_suggestions: Library, terminal: str) -> None:
    wait_for(terminal, r"Suggestions 2")
    keys(terminal, "]", "]", "]", "]", "]")  # to the Suggestions view
    wait_for(terminal, r"February 2021")
    keys(terminal, "j")
    wait_for(terminal, r"arXiv +2103\.00020")  # the detail follows the cursor: the CLIP pick
    keys(terminal, "x")
    wait_for(terminal, r"Dismissed: Learning Transferable")
    table = Suggestions(with_suggestions)
    assert table.get("2103.00020").state == "dismissed"  # type: ignore[union-attr]
    assert table.get("manual:conference-only-paper").state == "new"  # type: ignore[union-attr]
    keys(terminal, "q")
    wait_gone(terminal)
