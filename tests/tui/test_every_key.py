"""Every key `?` lists, pressed in every view (the empty library too): none is lost, none breaks the next.

After each key the screen is brought back to the library view (esc closes what the key
opened), and the keys must still reach the screen: nothing typed lands in a hidden
field, the focus is on something shown, and `q` quits at the end.
"""

from __future__ import annotations

from typing import Any

import pytest

from readlist.core.library import Library
from readlist.tui.actions import ACTIONS, PARTS
from readlist.tui.model import ALL, SUGGESTIONS, VIEWS
from readlist.tui.screens.library import LibraryScreen
from tests.tui.conftest import keys, seed_suggestions, settle

KEYS = [k.strip() for a in ACTIONS if a.owner in ("list", *PARTS, "textual") and a.keys for k in a.keys.split(",")]
LAST = ("q",)


def on_screen(widget: Any) -> bool:
    node = widget
    while node is not None and not isinstance(node, LibraryScreen):
        if not node.display:
            return False
        node = node.parent
    return True


async def back_to_the_library(pilot: Any) -> None:
    app = pilot.app
    for _ in range(4):
        if isinstance(app.screen, LibraryScreen):
            return
        await keys(pilot, "escape")
    raise AssertionError(f"esc did not close {app.screen}")


@pytest.mark.parametrize("view", [*VIEWS, SUGGESTIONS, "empty"])
async def test_every_key_in_every_view(library: Library, seeded_records: Any, make_app, view: str) -> None:
    if view != "empty":
        seeded_records(library)
        seed_suggestions(library)
    app = make_app(library)
    to_press = [k for k in KEYS if k not in LAST]
    assert {"j", "k", "g", "G", "space", "enter", "slash", "escape", "tab", "question_mark", "v", "T"} <= set(to_press)
    # 80x24 and no notifications: each key redraws less (a notification is a widget to lay out).
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        for key in to_press:
            if view != "empty" and screen.view != view:
                screen.select_view(view)
            await keys(pilot, key)
            await back_to_the_library(pilot)
            if key in ("space", "slash"):
                await keys(pilot, "escape")  # unmark, or leave the filter
            assert app.is_running, key
            assert app.focused is None or on_screen(app.focused), f"after {key} the keys go to a hidden {app.focused}"
            field = screen.query_one("#filter")
            assert field.value in ("", "/"), f"after {key} keys were typed into the filter: {field.value!r}"
            field.value = ""
        await settle(pilot)
        if view == ALL:
            assert screen.query_one("#papers").rows, "the view still shows papers"
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running, "q quits"


@pytest.fixture
def seeded_records() -> Any:
    from tests.tui.conftest import SEED

    def seed(library: Library) -> None:
        with library._transaction() as tx:
            tx.put_papers({r["id"]: r for r in SEED})

    return seed
