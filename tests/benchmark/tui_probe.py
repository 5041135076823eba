"""Child process of the benchmark: the TUI's first table and filter keystrokes.

``python -m tests.benchmark.tui_probe QUERY`` opens the TUI headless
(``App.run_test(size=(120, 36))``) over ``$READLIST_HOME`` and prints one JSON
line: the wall-clock moment the first table row was painted (epoch seconds, so
the parent can count from its own launch of this process, interpreter start-up
and imports included), the milliseconds from each keystroke typed into the
filter to the repaint of the updated table, and the process's peak memory.
"""

from __future__ import annotations

import time

STARTED = time.time()

import asyncio  # noqa: E402
import json  # noqa: E402
import resource  # noqa: E402
import sys  # noqa: E402
from typing import Any  # noqa: E402


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
        "keystrokes_ms": keystrokes,
        "rows_after_filter": rows,
        "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    }


def main() -> None:
    print(json.dumps(asyncio.run(probe(sys.argv[1]))), flush=True)


if __name__ == "__main__":
    main()
