"""A list of your own is called the same in the CLI and the TUI."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.arxiv_server import ArxivServer
from tests.suggest.conftest import FIXTURES, suggestion_lines


async def test_the_cli_and_the_tui_name_a_list_of_your_own_alike(
    cli: Any, arxiv: ArxivServer, no_builtin: Path
) -> None:
    arxiv.synthesize = True
    pulled = cli("pull", "--from", str(FIXTURES / "ids.txt"), "--source", "my-ml-list", "--month", "2021-01")
    assert pulled.code == 0, pulled.err
    assert "My ML List · January 2021: 4 picks" in pulled.out + pulled.err
    prompts = await suggestion_lines()
    assert prompts[0].startswith("January 2021 · My ML List: "), prompts
