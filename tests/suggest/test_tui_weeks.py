"""The Suggestions view with weekly picks: a paper picked in two weeks is one line that shows both places."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.arxiv_server import ArxivServer
from tests.suggest.conftest import FIXTURES, suggestion_lines


async def test_a_paper_picked_in_two_weeks_is_listed_once_with_its_weeks(
    cli: Any, arxiv: ArxivServer, no_builtin: Path
) -> None:
    arxiv.synthesize = True
    assert cli("pull", "--from", str(FIXTURES / "weekly-sample.md"), "--month", "2024-06").code == 0
    prompts = await suggestion_lines()
    lines = [p for p in prompts if "2406.00002" in p or "June 3–9, 2024" in p or "June 10–16" in p]
    twice = [p for p in prompts if "June 3–9, 2024 #2 · June 10–16, 2024 #2" in p]
    assert len(twice) == 1, prompts  # one line, both weeks with the curator's numbers
    assert any("June 3–9, 2024 #1" in p for p in lines)
    assert len(prompts) == 1 + 4  # the month's header and four suggestions (five picks)
