"""The user's keys: ``[keys]`` in config.toml rebinds actions by id; a clash or an unknown id stops the start."""

from __future__ import annotations

import os
import shlex
import shutil
import uuid
from pathlib import Path
from typing import Any

import pytest

from readlist.core.config import load_settings
from readlist.core.errors import BadInput
from readlist.core.library import Library
from readlist.tui.actions import help_sections
from readlist.tui.commands import screen_commands
from readlist.tui.widgets.keybar import KeyBar
from readlist.tui.widgets.paper_table import PaperTable
from readlist.tui.widgets.suggestion_list import SuggestionList
from tests.conftest import readlist_exe
from tests.tui.conftest import SIZE, keys, settle
from tests.tui.test_tmux import tmux, wait_for


def with_keys(library: Library, table: str) -> Library:
    """``library`` with ``table`` added to its config.toml as ``[keys]`` (read afresh, as a start does)."""
    config = library.settings.config_file
    assert config is not None
    config.write_text(config.read_text(encoding="utf-8") + "\n[keys]\n" + table, encoding="utf-8")
    return Library(load_settings())


SWAPPED = '"move(1)" = "down,k"\n"move(-1)" = ["up", "j"]\ncycle_status = "z"\n'


async def test_a_keymap_swaps_j_and_k_and_every_list_of_keys_shows_it(seeded: Library, make_app: Any) -> None:
    app = make_app(with_keys(seeded, SWAPPED))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.screen.query_one(PaperTable)
        assert table.cursor == 0
        await keys(pilot, "k")
        assert table.cursor == 1, "k moves down now"
        await keys(pilot, "j")
        assert table.cursor == 0, "j moves up now"
        await keys(pilot, "down")
        assert table.cursor == 1, "the arrows still move"
        await keys(pilot, "s")
        assert table.current is not None and table.current.status == "to-read", "s no longer changes the status"
        await keys(pilot, "z")
        await settle(pilot)
        assert seeded.get("1706.03762").status == "reading"  # type: ignore[union-attr]

        assert " z Status " in app.screen.query_one(KeyBar).line().plain, "the footer shows the user's key"
        assert " s Status " not in app.screen.query_one(KeyBar).line().plain
        commands = {c.title: c.help for c in screen_commands(app.screen)}
        assert commands["Cycle status"].endswith("(z)"), "the palette shows the user's key"
        moving = dict(dict(help_sections(keymap=app.user_keys))["Moving"])
        assert moving["↓ k"] == "Down" and moving["↑ j"] == "Up", "the help shows the user's keys"


async def test_sort_rebound_alone_keeps_s_for_the_suggestions_order(seeded: Library, make_app: Any) -> None:
    app = make_app(with_keys(seeded, 'sort = "o"\nopen_page = "O"\n'))
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await keys(pilot, "o")
        await settle(pilot)
        assert app.screen.model.sort == "title", "o sorts"
        app.screen.select_view("suggestions")
        await settle(pilot)
        await keys(pilot, "S")
        await settle(pilot)
        assert app.screen.query_one(SuggestionList).by_fit is False, "S still switches the suggestions' order"


@pytest.mark.parametrize(
    ("table", "error"),
    [
        ('"move(1)" = "s"\n', "s would be both 'cycle_status' and 'move(1)' in the library screen"),
        ('help = "ctrl+p"\n', "ctrl+p is Textual's key for the command palette, not 'help'"),
        ('"mvoe(1)" = "n"\n', "no action has the id 'mvoe(1)' (did you mean 'move(1)'?)"),
        ('close = "n"\nleave = "n"\n', "n would be both 'close' and 'notes' in the reading view"),
        ('"move(1)" = "a b"\n', "'a b' for 'move(1)' is not a key name"),
    ],
)
def test_a_clash_or_an_unknown_id_is_one_line_at_start(library: Library, table: str, error: str) -> None:
    from readlist.tui.app import ReadlistApp

    with pytest.raises(BadInput) as raised:
        ReadlistApp(with_keys(library, table))
    message = str(raised.value)
    assert error in message and "\n" not in message and message.endswith("nothing changed")


def test_a_key_that_is_no_string_is_bad_input(library: Library) -> None:
    with pytest.raises(BadInput, match=r"\[keys\] 'move\(1\)' in .* must be a key or a list of keys"):
        with_keys(library, '"move(1)" = 3\n')


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (.ci/run installs it)")
def test_the_installed_readlist_refuses_a_clash_in_one_line_with_exit_2(library: Library, home: Path) -> None:
    with_keys(library, '"move(1)" = "s"\n')
    session = f"readlist-test-{uuid.uuid4().hex[:8]}"
    env = {k: v for k, v in os.environ.items() if k.startswith(("READLIST_", "PATH", "HOME", "LANG", "LC_"))}
    env["TERM"] = "xterm-256color"
    run = "env " + " ".join(f"{k}={shlex.quote(v)}" for k, v in env.items()) + " " + shlex.join(readlist_exe())
    tmux(
        "new-session",
        "-d",
        "-s",
        session,
        "-x",
        "150",
        "-y",
        "20",
        f"sh -c {shlex.quote(run + '; echo EXIT=$?; sleep 30')}",
    )
    try:
        wait_for(session, r"EXIT=\d")
        text = tmux("capture-pane", "-p", "-J", "-t", session)  # -J: a wrapped line comes back whole
    finally:
        tmux("kill-session", "-t", session)
    lines = [line for line in text.splitlines() if line.strip()]
    assert lines[-1] == "EXIT=2"
    assert len(lines) == 2 and "s would be both 'cycle_status' and 'move(1)'" in lines[0], text
