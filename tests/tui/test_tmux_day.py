"""Issue 22's "TUI for a day" in a real terminal (tmux, the installed `readlist`): the tag editor's prefill,
a bracketed paste of ids into the add dialog, `tab` back from the detail pane with a filter shown, and the
order of papers added together after one of them is edited."""

from __future__ import annotations

import subprocess
import time
import uuid
from collections.abc import Callable

import pytest

from readlist.core.library import Library
from tests.tui.test_tmux import keys, terminal, tmux, wait_for, wait_gone  # noqa: F401 (the fixture)

pytestmark = pytest.mark.skipif(tmux("-V") == "", reason="tmux is not installed (.ci/run installs it)")


def eventually(check: Callable[[], bool], timeout: float = 10) -> bool:
    """Whether ``check()`` holds within ``timeout`` seconds (a write lands from a worker after the screen)."""
    deadline = time.monotonic() + timeout
    while not check() and time.monotonic() < deadline:
        time.sleep(0.05)
    return check()


def test_t_then_typing_a_tag_adds_it_beside_the_others(seeded: Library, terminal: str) -> None:  # noqa: F811
    wait_for(terminal, r"(?s)To read 2.*Switch Transformers")
    keys(terminal, "t")
    wait_for(terminal, r"accepts a completion")  # the dialog is open (the table shows "moe scaling" too)
    tmux("send-keys", "-t", terminal, "-l", "nlp")
    wait_for(terminal, r"moe scaling nlp")
    keys(terminal, "Enter")
    assert eventually(lambda: seeded.get("2101.03961").tags == ["moe", "scaling", "nlp"])  # type: ignore[union-attr]
    keys(terminal, "q")
    wait_gone(terminal)


def test_tab_back_from_the_detail_pane_with_a_filter_shown_keeps_j_a_table_key(
    seeded: Library,
    terminal: str,  # noqa: F811
) -> None:
    wait_for(terminal, r"(?s)To read 2.*Switch Transformers.*Attention Is All You Need")
    tmux("send-keys", "-t", terminal, "-l", "/shazeer")  # both papers to read
    wait_for(terminal, r"shazeer +▎ 2 of 2")
    keys(terminal, "Escape")
    wait_for(terminal, r"s Status")
    keys(terminal, "Tab", "Tab", "j", "3")  # into the detail pane and back, down one row, mark it read
    assert eventually(lambda: seeded.get("1706.03762").status == "read")  # type: ignore[union-attr]
    text = wait_for(terminal, r"shazeer +▎ 1 of 1")  # the filter as it was; Attention left To read
    assert "shazeerj" not in text and "shazeer3" not in text
    keys(terminal, "q")
    wait_gone(terminal)


def test_a_bracketed_paste_of_three_ids_adds_all_three(arxiv, library: Library, terminal: str) -> None:  # noqa: F811
    wait_for(terminal, r"Welcome to readlist")
    keys(terminal, "a")
    wait_for(terminal, r"Add papers")
    buffer = f"readlist-paste-{uuid.uuid4().hex[:8]}"
    subprocess.run(["tmux", "load-buffer", "-b", buffer, "-"], input="2103.00020\n2101.08751\n2101.04535\n",
                   text=True, timeout=10, check=True)  # fmt: skip
    tmux("paste-buffer", "-p", "-d", "-b", buffer, "-t", terminal)  # -p: bracketed, as a terminal pastes
    wait_for(terminal, r"2103\.00020 2101\.08751 2101\.04535")
    keys(terminal, "Enter")
    ids = {"2103.00020", "2101.08751", "2101.04535"}
    assert eventually(lambda: {p.id for p in library.papers()} == ids), {p.id for p in library.papers()}
    keys(terminal, "q")
    wait_gone(terminal)


BATCH = ["Alpha Paper On Routing", "Beta Paper On Experts", "Gamma Paper On Scaling", "Delta Paper On Sparsity"]


@pytest.fixture
def batch(library: Library) -> Library:
    """Four papers added by one command: one date added, told apart only by the order they were added in."""
    added = "2024-05-01T10:00:00+00:00"
    with library._transaction() as tx:
        tx.put_papers({f"2405.0000{n}": {"id": f"2405.0000{n}", "title": title, "authors": ["Ann Author"],
                                         "year": 2024, "added": added, "status": "to-read"}
                       for n, title in enumerate(BATCH, start=1)})  # fmt: skip
    return library


def shown_titles(text: str) -> list[str]:
    return [title for line in text.splitlines() for title in BATCH if line.startswith("○") and title in line]


def test_an_edit_keeps_papers_added_together_in_their_order_and_the_cursor_on_the_row(
    batch: Library,
    terminal: str,  # noqa: F811
) -> None:
    before = shown_titles(wait_for(terminal, r"(?s)To read 4.*Delta Paper On Sparsity"))
    assert sorted(before) == sorted(BATCH)
    keys(terminal, "j")  # the second row
    keys(terminal, "t")
    wait_for(terminal, r"accepts a completion")
    tmux("send-keys", "-t", terminal, "-l", "moe")
    keys(terminal, "Enter")
    second = before[1]
    assert eventually(lambda: [p.tags for p in batch.papers() if p.title == second] == [["moe"]])
    text = wait_for(terminal, r"(?s)○.*moe")
    assert shown_titles(text) == before, text  # the edited paper stayed where it was
    keys(terminal, "t")  # the cursor is still on it: its tags come prefilled
    wait_for(terminal, rf"(?s){second}.*▊  moe ")
    keys(terminal, "Enter")  # saved unchanged
    assert eventually(lambda: "accepts a completion" not in tmux("capture-pane", "-p", "-t", terminal))
    assert shown_titles(tmux("capture-pane", "-p", "-t", terminal)) == before
    keys(terminal, "q")
    wait_gone(terminal)
