"""Child process of the benchmark: the TUI's first table, filter keystrokes, the Suggestions view, and memory
over dialogs.

``python -m tests.benchmark.tui_probe QUERY`` opens the TUI headless
(``App.run_test(size=(120, 36))``) over ``$READLIST_HOME`` and prints one JSON
line: the wall-clock moment the first table row was painted (epoch seconds, so
the parent can count from its own launch of this process, interpreter start-up
and imports included), how long the word index took to build after it (in the
background), the milliseconds from each keystroke typed into the filter to
the repainted table (typed once the index is built, as a person starts typing
a second or two after the table shows), and the process's peak memory.

``python -m tests.benchmark.tui_probe --suggestions [--no-rank]`` opens the TUI
on the Suggestions view (chosen as soon as the screen is up, before the library
is read) and prints the moment the first suggestion row was painted, and the
moment the rows were painted again in fit order (the ranking runs in a worker
after the first paint); ``--no-rank`` leaves the ranking out, as the view was
before issue 14, for the first paint to be compared with.

``python -m tests.benchmark.tui_probe --dialogs N`` opens and closes dialogs
(help, add, tags, the palette) N times and prints the process's memory after
the first round and after the last: a session kept open all day must not grow
with every dialog.
"""

from __future__ import annotations

import time

STARTED = time.time()

import asyncio  # noqa: E402
import gc  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402

DIALOG_KEYS = ("question_mark", "a", "t", "ctrl+p")


def peak_kb() -> int:
    """The process's own peak resident memory: VmHWM (Linux), else ru_maxrss. ru_maxrss is kept across
    execve on Linux, so a child of a large process (the benchmark at 50,000 papers holds some 700 MB) would
    report its parent's memory as its own."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def rss_kb() -> int:
    """The process's resident memory now (Linux), else its peak."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * resource.getpagesize() // 1024
    except (OSError, ValueError, IndexError):
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


async def probe(query: str) -> dict[str, Any]:
    from readlist.core.config import load_settings
    from readlist.core.library import Library
    from readlist.tui.app import ReadlistApp
    from readlist.tui.widgets.paper_table import PaperTable

    state: dict[str, Any] = {"first_paint": None, "generation": 0, "painted": {}}
    set_rows = PaperTable.set_rows
    render_line = PaperTable.render_line

    def timed_set_rows(self: PaperTable, *args: Any, **kwargs: Any) -> None:
        set_rows(self, *args, **kwargs)
        state["generation"] += 1

    def timed_render_line(self: PaperTable, y: int) -> Any:
        strip = render_line(self, y)
        if y > 0 and self.rows:
            now = time.time()
            if state["first_paint"] is None:
                state["first_paint"] = now
                state["first_paint_cpu"] = time.process_time()  # the process's CPU time (its threads' too)
                state["first_paint_rss_kb"] = peak_kb()
            state["painted"].setdefault(state["generation"], now)
        return strip

    PaperTable.set_rows = timed_set_rows  # type: ignore[method-assign]
    PaperTable.render_line = timed_render_line  # type: ignore[method-assign]

    app = ReadlistApp(Library(load_settings()), opener=lambda url: None)
    keystrokes: list[float] = []
    async with app.run_test(size=(120, 36)) as pilot:
        while state["first_paint"] is None:
            await asyncio.sleep(0.002)
            if time.time() - STARTED > 60:
                raise SystemExit("the TUI painted no table within 60 s")
        painted = time.time()
        screen: Any = app.screen
        while not screen.model.index.warmed:  # the word index, built in a thread after the first paint
            await asyncio.sleep(0.01)
            if time.time() - painted > 60:
                raise SystemExit("the word index was not built within 60 s")
        warm = time.time() - painted
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.3)
        await pilot.press("slash")
        await pilot.pause(0.1)
        for char in query:
            generation = state["generation"]
            pressed = time.time()
            await pilot.press("space" if char == " " else char)
            while state["painted"].get(generation + 1) is None or state["generation"] == generation:
                await asyncio.sleep(0.0005)
                if time.time() - pressed > 10:
                    raise SystemExit(f"the table was not repainted within 10 s of typing {char!r}")
            keystrokes.append((state["painted"][generation + 1] - pressed) * 1000)
            await pilot.pause(0.02)
        rows = len(app.screen.query_one(PaperTable).rows)
    return {
        "started": STARTED,
        "first_paint": state["first_paint"],
        "first_paint_cpu": state["first_paint_cpu"],
        "first_paint_rss_kb": state["first_paint_rss_kb"],
        "index_built_s": warm,
        "keystrokes_ms": keystrokes,
        "rows_after_filter": rows,
        "maxrss_kb": peak_kb(),
    }


async def dialogs(rounds: int) -> dict[str, Any]:
    from readlist.core.config import load_settings
    from readlist.core.library import Library
    from readlist.tui.app import ReadlistApp
    from readlist.tui.screens.library import LibraryScreen

    app = ReadlistApp(Library(load_settings()), opener=lambda url: None)
    after: dict[int, int] = {}
    async with app.run_test(size=(120, 36)) as pilot:
        screen: Any = None
        while not (isinstance(screen, LibraryScreen) and screen.loaded):
            await asyncio.sleep(0.01)
            screen = app.screen
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.5)
        for n in range(1, rounds + 1):
            for key in DIALOG_KEYS:
                await pilot.press(key)
                await pilot.pause()
                await pilot.press("escape")
                await pilot.pause()
                assert isinstance(app.screen, LibraryScreen), f"{key} then escape left {app.screen}"
            if n in (1, rounds):
                await pilot.pause(0.2)
                after[n] = rss_kb()
        collector_on = gc.isenabled()
    return {
        "rounds": rounds,
        "dialogs_per_round": len(DIALOG_KEYS),
        "rss_after_first_kb": after[1],
        "rss_after_last_kb": after[rounds],
        "gc_enabled": collector_on,
    }


async def suggestions_view(rank: bool) -> dict[str, Any]:
    from readlist.core.config import load_settings
    from readlist.core.library import Library
    from readlist.tui.app import ReadlistApp
    from readlist.tui.screens.library import LibraryScreen
    from readlist.tui.widgets.ranker import Ranker
    from readlist.tui.widgets.suggestion_list import SuggestionList

    state: dict[str, float | None] = {"first_paint": None, "fit_paint": None}
    render_line = SuggestionList.render_line

    def timed_render_line(self: SuggestionList, y: int) -> Any:
        strip = render_line(self, y)
        if self.by_option:  # suggestion rows (not the hint of an empty view)
            now = time.time()
            if state["first_paint"] is None:
                state["first_paint"] = now
            if self.fit_order and state["fit_paint"] is None:
                state["fit_paint"] = now
        return strip

    SuggestionList.render_line = timed_render_line  # type: ignore[method-assign]
    if not rank:
        Ranker.want = lambda self, stamp, suggestions: False  # type: ignore[method-assign]

    app = ReadlistApp(Library(load_settings()), opener=lambda url: None)
    async with app.run_test(size=(120, 36)) as pilot:
        screen: Any = app.screen
        while not isinstance(screen, LibraryScreen):
            await asyncio.sleep(0.001)
            screen = app.screen
        screen.select_view("suggestions")
        while state["first_paint"] is None or (rank and state["fit_paint"] is None):
            await asyncio.sleep(0.002)
            if time.time() - STARTED > 120:
                raise SystemExit("the Suggestions view was not painted (in fit order) within 120 s")
        await pilot.app.workers.wait_for_complete()
        listing = screen.query_one(SuggestionList)
        rows, ranked = len(listing.by_option), listing.fit_order
    return {
        "started": STARTED,
        "first_paint": state["first_paint"],
        "fit_paint": state["fit_paint"],
        "rows": rows,
        "ranked": ranked,
        "maxrss_kb": peak_kb(),
    }


def main() -> None:
    if sys.argv[1] == "--dialogs":
        result = asyncio.run(dialogs(int(sys.argv[2])))
    elif sys.argv[1] == "--suggestions":
        result = asyncio.run(suggestions_view(rank="--no-rank" not in sys.argv[2:]))
    else:
        result = asyncio.run(probe(sys.argv[1]))
    print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
