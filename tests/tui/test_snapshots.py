"""What people see: the library view, the detail pane (focused too), the reading view, help, the add
dialog, the empty library, suggestions; at 80x24 and 150x40 where the issue asks.

Update after a deliberate change with ``pytest tests/tui/test_snapshots.py --snapshot-update``
and look at the report before committing the new SVGs.
"""

from __future__ import annotations

from readlist.core.library import Library
from tests.tui.conftest import SIZE, seed_suggestions, settle


def test_library_view(seeded: Library, make_app, snap_compare) -> None:
    assert snap_compare(make_app(seeded), terminal_size=SIZE, run_before=settle)


def test_detail_pane_wide(seeded: Library, make_app, snap_compare) -> None:
    """200x60: the All view, the highlighted paper with notes rendered as Markdown."""

    async def all_view(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        pilot.app.screen.select_view("all")
        await settle(pilot)

    assert snap_compare(make_app(seeded), terminal_size=(200, 60), run_before=all_view)


def test_detail_pane_with_curator_blurb(seeded: Library, make_app, snap_compare) -> None:
    async def second(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)

    assert snap_compare(make_app(seeded), terminal_size=SIZE, run_before=second)


def test_narrow_80x24(seeded: Library, make_app, snap_compare) -> None:
    assert snap_compare(make_app(seeded), terminal_size=(80, 24), run_before=settle)


def test_help_screen(seeded: Library, make_app, snap_compare) -> None:
    async def help_screen(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()

    assert snap_compare(make_app(seeded), terminal_size=(120, 50), run_before=help_screen)


def test_add_dialog(seeded: Library, make_app, snap_compare) -> None:
    async def add(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        await pilot.press("a", *"2101.03961")
        await pilot.pause()

    assert snap_compare(make_app(seeded), terminal_size=SIZE, run_before=add)


def test_empty_library(library: Library, make_app, snap_compare) -> None:
    assert snap_compare(make_app(library), terminal_size=SIZE, run_before=settle)


def test_suggestions_view(seeded: Library, make_app, snap_compare) -> None:
    seed_suggestions(seeded)

    async def suggestions(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(pilot)
        pilot.app.screen.select_view("suggestions")
        await settle(pilot)
        await pilot.press("down")
        await settle(pilot)

    assert snap_compare(make_app(seeded), terminal_size=SIZE, run_before=suggestions)


async def _detail_focused(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("tab", "j", "j")  # the detail pane has the keys: it scrolls


def test_detail_pane_focused_80x24(seeded: Library, make_app, snap_compare) -> None:
    assert snap_compare(make_app(seeded), terminal_size=(80, 24), run_before=_detail_focused)


def test_detail_pane_focused_150x40(seeded: Library, make_app, snap_compare) -> None:
    assert snap_compare(make_app(seeded), terminal_size=(150, 40), run_before=_detail_focused)


async def _reading(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.screen.select_view("all")
    await settle(pilot)
    await pilot.press("v")
    await pilot.pause()


def test_reading_view_80x24(seeded: Library, make_app, snap_compare) -> None:
    assert snap_compare(make_app(seeded), terminal_size=(80, 24), run_before=_reading)


def test_reading_view_150x40(seeded: Library, make_app, snap_compare) -> None:
    assert snap_compare(make_app(seeded), terminal_size=(150, 40), run_before=_reading)


async def _ranked_suggestions(pilot) -> None:  # type: ignore[no-untyped-def]
    from tests.tui.test_ranked_suggestions import open_ranked_suggestions

    await open_ranked_suggestions(pilot)  # the ranking arrived: by fit, with the fit bars
    await pilot.press("down")  # the second best: its why line in the detail pane
    await settle(pilot)


def test_suggestions_by_fit_80x24(library: Library, make_app, snap_compare) -> None:
    from tests.tui.test_ranked_suggestions import build

    build(library)
    assert snap_compare(make_app(library), terminal_size=(80, 24), run_before=_ranked_suggestions)


def test_suggestions_by_fit_150x40(library: Library, make_app, snap_compare) -> None:
    from tests.tui.test_ranked_suggestions import build

    build(library)
    assert snap_compare(make_app(library), terminal_size=(150, 40), run_before=_ranked_suggestions)
