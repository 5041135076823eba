"""Two CLI writers and a running TUI at once: nothing any of them wrote is lost.

The TUI runs in-process (headless ``run_test``) and marks papers read with its
own keys while two threads each run a loop of real ``readlist`` processes that
add papers, tag papers and append notes, some of them on the very papers the
TUI is changing. At the end every write of all three is in library.json, and
the TUI's own table shows the other processes' papers (live reload).
"""

from __future__ import annotations

import asyncio
import threading
import time
from pathlib import Path

from readlist.core.config import load_settings
from readlist.core.library import Library
from readlist.core.store import Store
from readlist.tui.widgets.paper_table import PaperTable
from readlist.tui.widgets.sync import LibrarySync
from tests.benchmark.corpus import make_papers
from tests.conftest import run_process

ROUNDS = 3


def _seed(home: Path, count: int) -> list[str]:
    papers = make_papers(count, seed=7)
    for p in papers:
        p.update(status="to-read", status_history=[{"status": "to-read", "date": p["added"]}], tags=[], notes="")
    store = Store(home / "library.json")
    with store.transaction() as tx:
        tx.put_papers({p["id"]: p for p in papers})
    return [p["id"] for p in papers]


def _cli_writer(name: str, targets: list[str], failures: list[str]) -> None:
    for i in range(ROUNDS):
        for args in (
            ("add", "--title", f"Writer {name} paper {i}", "--tag", f"writer-{name}"),
            ("tag", targets[i], f"{name}-{i}"),
            ("note", targets[i], "--append", f"{name} note {i}"),
        ):
            r = run_process(*args)
            if r.returncode != 0:
                failures.append(f"{args}: {r.returncode} {r.stderr}")


async def _settle(pilot, screen) -> None:  # type: ignore[no-untyped-def]
    for _ in range(200):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause(0.05)
        if not screen.query_one(LibrarySync).pending_writes and screen.loaded:
            return
    raise AssertionError("the TUI's writes never finished")


async def test_two_cli_writers_and_the_tui_lose_nothing(home: Path) -> None:
    from readlist.tui.app import ReadlistApp

    home.mkdir(parents=True, exist_ok=True)
    ids = _seed(home, 40)
    failures: list[str] = []
    # The CLI writers tag and annotate papers the TUI is marking read at the same time.
    by_added = sorted(make_papers(40, seed=7), key=lambda p: p["added"], reverse=True)
    first_shown = [p["id"] for p in by_added]  # the TUI's to-read view, newest first
    writers = [
        threading.Thread(target=_cli_writer, args=("a", first_shown[:ROUNDS], failures)),
        threading.Thread(target=_cli_writer, args=("b", first_shown[ROUNDS : 2 * ROUNDS], failures)),
    ]

    app = ReadlistApp(Library(load_settings()), opener=lambda url: None)
    marked: list[str] = []
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        for _ in range(100):
            await pilot.pause(0.05)
            if getattr(screen, "loaded", False):
                break
        assert screen.loaded, "the TUI never showed the library"
        for w in writers:
            w.start()
        started = time.monotonic()
        while any(w.is_alive() for w in writers) or len(marked) < 2 * ROUNDS:
            current = screen.query_one(PaperTable).current
            if current is not None and current.status == "to-read" and current.id not in marked:
                marked.append(current.id)
                await pilot.press("3")  # mark read
            await pilot.pause(0.15)
            assert time.monotonic() - started < 90, "the drill is stuck"
        for w in writers:
            await asyncio.to_thread(w.join, 60)
        await _settle(pilot, screen)
        # Live reload: the TUI's own count includes the CLI writers' papers.
        for _ in range(60):
            await pilot.pause(0.1)
            if screen.model.counts()["all"] == 40 + 2 * ROUNDS:
                break
        assert screen.model.counts()["all"] == 40 + 2 * ROUNDS, "the TUI did not pick up the CLI writers' papers"

    assert not failures, failures
    papers = dict(Store(home / "library.json").snapshot().papers)
    assert len(papers) == 40 + 2 * ROUNDS
    for name, targets in (("a", first_shown[:ROUNDS]), ("b", first_shown[ROUNDS : 2 * ROUNDS])):
        added = [p for p in papers.values() if f"writer-{name}" in p["tags"]]
        assert sorted(p["title"] for p in added) == [f"Writer {name} paper {i}" for i in range(ROUNDS)]
        for i, paper_id in enumerate(targets):
            assert f"{name}-{i}" in papers[paper_id]["tags"], f"CLI writer {name} lost a tag on {paper_id}"
            assert f"{name} note {i}" in papers[paper_id]["notes"], f"CLI writer {name} lost a note on {paper_id}"
    assert len(marked) >= 2 * ROUNDS
    for paper_id in marked:
        assert papers[paper_id]["status"] == "read", f"the TUI's status change on {paper_id} was lost"
    overlap = set(marked) & set(first_shown[: 2 * ROUNDS])
    assert overlap, "the TUI and the CLI writers never touched the same paper: the drill proves little"
    assert set(ids) <= set(papers)


async def _open_tui(home: Path):  # type: ignore[no-untyped-def]
    from readlist.tui.app import ReadlistApp

    return ReadlistApp(Library(load_settings()), opener=lambda url: None)


async def _wait_loaded(pilot, screen) -> None:  # type: ignore[no-untyped-def]
    for _ in range(100):
        await pilot.pause(0.05)
        if getattr(screen, "loaded", False):
            return
    raise AssertionError("the TUI never showed the library")


async def test_cli_tag_while_the_tui_tags_dialog_is_open_is_kept(home: Path) -> None:
    """The TUI's tag dialog saves the tags it was opened with plus the user's edit, not over a CLI's tag."""
    home.mkdir(parents=True, exist_ok=True)
    _seed(home, 5)
    app = await _open_tui(home)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await _wait_loaded(pilot, screen)
        paper_id = screen.query_one(PaperTable).current.id
        await pilot.press("t")
        await pilot.pause(0.2)
        r = await asyncio.to_thread(run_process, "tag", paper_id, "from-cli")
        assert r.returncode == 0, r.stderr
        await pilot.press(*" from-tui", "enter")
        await _settle(pilot, screen)
    tags = dict(Store(home / "library.json").snapshot().papers)[paper_id]["tags"]
    assert "from-tui" in tags, tags
    assert "from-cli" in tags, f"the TUI's tag dialog overwrote a tag another process added meanwhile: {tags}"


async def test_cli_note_while_the_tui_notes_editor_is_open_is_kept(home: Path) -> None:
    """Saving the TUI's notes editor does not erase a note appended from the CLI while it was open."""
    home.mkdir(parents=True, exist_ok=True)
    _seed(home, 5)
    app = await _open_tui(home)
    async with app.run_test(size=(120, 36)) as pilot:
        screen = app.screen
        await _wait_loaded(pilot, screen)
        paper_id = screen.query_one(PaperTable).current.id
        await pilot.press("n")
        await pilot.pause(0.2)
        r = await asyncio.to_thread(run_process, "note", paper_id, "--append", "typed in the shell")
        assert r.returncode == 0, r.stderr
        await pilot.press(*"typed in the TUI", "escape")
        await _settle(pilot, screen)
    notes = dict(Store(home / "library.json").snapshot().papers)[paper_id]["notes"]
    assert "typed in the TUI" in notes, notes
    assert "typed in the shell" in notes, f"the TUI's notes editor overwrote a note appended meanwhile: {notes!r}"
