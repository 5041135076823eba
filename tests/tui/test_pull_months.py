"""Pulling a file that holds several months from the TUI: one month asked for, and the months it holds said."""

from __future__ import annotations

from pathlib import Path

from readlist.core.config import load_settings
from readlist.core.library import Library
from readlist.core.suggestions import Suggestions
from tests.tui.conftest import SIZE, listing_text, run_action, said, settle

LOG = Path(__file__).parent.parent / "fixtures" / "sources" / "daily-log-monthly.md"


def months_of(library: Library) -> dict[str, set[str]]:
    picked: dict[str, set[str]] = {}
    for suggestion in Suggestions(library).select(include_all=True):
        for pick in suggestion.picks:
            picked.setdefault(pick["month"], set()).add(suggestion.key)
    return picked


async def pull_file(app, pilot, month: str) -> None:  # type: ignore[no-untyped-def]
    await run_action(app, "pull_document")
    await pilot.pause()
    app.screen.query_one("#path-input").value = str(LOG)
    app.screen.query_one("#month-input").value = month
    await pilot.press("enter")
    await settle(pilot)


async def test_one_month_of_a_file_of_several(arxiv, home: Path, make_app) -> None:
    arxiv.synthesize = True
    library = Library(load_settings())
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pull_file(app, pilot, "2024-01")
        assert "Pulled January 2024: 3 new suggestions, 3 new picks" in said(app)
        assert app.screen.view == "suggestions" and "January 2024" in listing_text(app)
    assert months_of(library) == {"2024-01": {"2401.00033", "2401.00044", "2402.00011"}}


async def test_the_latest_month_by_default_and_the_others_named(arxiv, home: Path, make_app) -> None:
    arxiv.synthesize = True
    library = Library(load_settings())
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pull_file(app, pilot, "")
        assert "Pulled February 2024: 2 new suggestions" in said(app)
        assert "The file also holds 2 other months: 2023-12, 2024-01. Pull a file again with one in Month, or all." in (
            said(app)
        )
        await pull_file(app, pilot, "all")
    assert set(months_of(library)) == {"2023-12", "2024-01", "2024-02"}


async def test_a_month_the_file_does_not_hold_says_which_it_does(arxiv, home: Path, make_app) -> None:
    library = Library(load_settings())
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await run_action(app, "pull_document")
        await pilot.pause()
        app.screen.query_one("#path-input").value = str(LOG)
        app.screen.query_one("#month-input").value = "last june"
        await pilot.press("enter")
        await pilot.pause()
        assert "'last june' is not a month" in str(app.screen.query_one(".dialog-error").render())
        app.screen.query_one("#month-input").value = "2023-06"
        await pilot.press("enter")
        await settle(pilot)
        assert "no selection for June 2023 in it (it holds 2023-12, 2024-01, 2024-02)" in said(app)
    assert months_of(library) == {}
