"""A list of your own is called the same in the CLI and the TUI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from readlist.core.config import load_settings
from readlist.core.library import Library
from readlist.tui.widgets.suggestion_list import SuggestionList
from tests.arxiv_server import ArxivServer
from tests.suggest.conftest import FIXTURES


async def test_the_cli_and_the_tui_name_a_list_of_your_own_alike(
    cli: Any, arxiv: ArxivServer, no_builtin: Path
) -> None:
    from readlist.tui.app import ReadlistApp

    arxiv.synthesize = True
    pulled = cli("pull", "--from", str(FIXTURES / "ids.txt"), "--source", "my-ml-list", "--month", "2021-01")
    assert pulled.code == 0, pulled.err
    assert "My ML List · January 2021: 4 picks" in pulled.out + pulled.err
    app = ReadlistApp(Library(load_settings()), opener=lambda url: None)
    async with app.run_test(size=(160, 40)) as pilot:
        for _ in range(100):
            await pilot.pause(0.05)
            if len(app.screen_stack) > 1 and getattr(app.screen_stack[1], "loaded", False):
                break
        app.screen.select_view("suggestions")
        await pilot.pause(0.2)
        listing = app.screen.query_one(SuggestionList)
        prompts = [str(listing.get_option_at_index(i).prompt) for i in range(listing.option_count)]
    assert prompts[0].startswith("January 2021 · My ML List: "), prompts
