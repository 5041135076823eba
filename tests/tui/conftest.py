"""Fixtures for the TUI tests: a seeded library with fixed dates, the app, and helpers.

Everything is deterministic: fixed terminal size, no cursor blink, fixed
dates in the records, workers awaited, links recorded instead of opened.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import io
from collections.abc import Callable
from typing import Any, TypeVar

import pytest
from rich.console import Console
from rich.text import Text
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.reactive import reactive
from textual.widgets import Input, Static, Tab, TextArea
from textual.worker import WorkerCancelled

from readlist.core.config import load_settings
from readlist.core.library import Library
from readlist.core.models import Paper
from readlist.core.suggestions import Pick, Suggestion, Suggestions
from readlist.tui.widgets.detail import DetailPane
from readlist.tui.widgets.paper_table import PaperTable
from readlist.tui.widgets.suggestion_list import SuggestionList

M = TypeVar("M", bound=Message)

SIZE = (120, 36)


def _paper(pid: str, title: str, authors: list[str], year: int, added: str, **extra: Any) -> dict[str, Any]:
    record = Paper(
        id=pid,
        title=title,
        authors=authors,
        year=year,
        published=f"{year}-01-11T04:46:11Z",
        updated=f"{year}-01-20T07:13:37Z",
        added=added,
        version="v1",
        latest_version="v1",
        categories=["cs.LG", "cs.AI"],
        primary_category="cs.LG",
        url=f"https://arxiv.org/abs/{pid}",
        pdf_url=f"https://arxiv.org/pdf/{pid}v1",
        abstract=extra.pop("abstract", f"Abstract of {title}."),
        status_history=[{"status": extra.get("status", "to-read"), "date": added}],
        **extra,
    )
    return record.to_dict()


SEED = [
    _paper("2101.03961", "Switch Transformers: Scaling to Trillion Parameter Models", ["William Fedus", "Barret Zoph",
           "Noam Shazeer"], 2021, "2024-03-05T09:00:00+00:00", tags=["moe", "scaling"],
           abstract="Routing each token to one expert makes mixture-of-experts layers simple and cheap.",
           notes="## Take-aways\n\n* Capacity factor 1.25 was enough.\n* Simple routing works."),
    _paper("2101.03697", "RepVGG: Making VGG-style ConvNets Great Again", ["Xiaohan Ding", "Xiangyu Zhang"], 2021,
           "2024-03-04T09:00:00+00:00", tags=["vision"], status="reading"),
    _paper("2101.06561", "The Large N Limit of Energy Based Models", ["Alice Example"], 2021,
           "2024-03-03T09:00:00+00:00", status="read"),
    _paper("1706.03762", "Attention Is All You Need", ["Ashish Vaswani", "Noam Shazeer", "Niki Parmar"], 2017,
           "2024-03-02T09:00:00+00:00", tags=["transformers", "classic"],
           blurb="The paper that started the transformer era."),
    _paper("2012.15723", "Making Pre-trained Language Models Better Few-shot Learners", ["Tianyu Gao",
           "Adam Fisch", "Danqi Chen"], 2020, "2024-03-01T09:00:00+00:00", status="dropped"),
]  # fmt: skip


@pytest.fixture(autouse=True)
def no_blink(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cursors that do not blink, so screenshots are stable."""
    for cls in (Input, TextArea):
        steady = reactive(False, init=False)
        steady.__set_name__(cls, "cursor_blink")
        monkeypatch.setattr(cls, "cursor_blink", steady)


@pytest.fixture(autouse=True)
def immediate_detail(monkeypatch: pytest.MonkeyPatch) -> None:
    """The detail pane follows the filter at once (the app waits for a pause in typing)."""
    from readlist.tui.widgets.main_pane import MainPane

    monkeypatch.setattr(MainPane, "DETAIL_DELAY", 0.0)


@pytest.fixture(autouse=True)
def no_fallback_editor(monkeypatch: pytest.MonkeyPatch) -> None:
    """No vi or nano: a test that wants an editor sets one (a real one would wait for a terminal)."""
    monkeypatch.setattr("readlist.core.editor.FALLBACK_EDITORS", ())


@pytest.fixture(autouse=True)
def no_shipped_suggestions(tmp_path: Any) -> None:
    """Tests see only the suggestions they seed (the shipped January 2021 selection is off)."""
    (tmp_path / "config.toml").write_text("[sources.builtin]\nenabled = false\n", encoding="utf-8")


@pytest.fixture
def library(home: Any) -> Library:
    return Library(load_settings())


@pytest.fixture
def seeded(library: Library) -> Library:
    """Five papers, one per status plus one with a blurb, with fixed dates."""
    with library._transaction() as tx:
        tx.put_papers({r["id"]: r for r in SEED})
    return library


def seed_suggestions(library: Library) -> None:
    """Three January 2021 picks of one source (one accepted, one dismissed) and one of another."""
    picks = [
        (Suggestion(key="2103.00020", title="Learning Transferable Visual Models From Natural Language Supervision",
                    arxiv_id="2103.00020", authors=["Alec Radford", "Jong Wook Kim"],
                    first_seen="2024-03-01T00:00:00+00:00",
                    metadata={"title": "Learning Transferable Visual Models From Natural Language Supervision",
                              "authors": ["Alec Radford", "Jong Wook Kim"], "year": 2021, "version": "v1",
                              "abstract": "We train image and text encoders contrastively.",
                              "url": "https://arxiv.org/abs/2103.00020", "pdf_url": "https://arxiv.org/pdf/2103.00020v1"}),
         Pick("zeta-alpha", "2021-01", 1, "Zero-shot transfer that rivals supervised baselines.")),
        (Suggestion(key="2101.08751", title="A Sequel Paper", arxiv_id="2101.08751", authors=["Ada Author"],
                    first_seen="2024-03-01T00:00:00+00:00"),
         Pick("zeta-alpha", "2021-01", 2, "A careful follow-up.")),
        (Suggestion(key="2101.00408", title="A Dismissed Paper", arxiv_id="2101.00408", authors=["Bo Author"],
                    first_seen="2024-03-01T00:00:00+00:00"),
         Pick("zeta-alpha", "2021-01", 3, "")),
        (Suggestion(key="manual:conference-only-paper", title="Conference Only Paper", authors=["Cy Author"],
                    url="https://example.org/paper", first_seen="2024-03-01T00:00:00+00:00"),
         Pick("papers-of-the-week", "2021-02", 1, "Not on arXiv.")),
    ]  # fmt: skip
    table = Suggestions(library)
    table.record_picks(picks)
    with library._transaction() as tx:
        for key, state in (("2101.08751", "accepted"), ("2101.00408", "dismissed")):
            current = table.get(key)
            assert current is not None
            record = dict(current.to_dict(), state=state, state_date="2024-03-02T00:00:00+00:00")
            tx.put_suggestions({key: record})


class Opened(list[str]):
    """Links the app asked to open (instead of a browser)."""

    def __call__(self, url: str) -> None:
        self.append(url)


@pytest.fixture
def opened() -> Opened:
    return Opened()


class Heard(list[Message]):
    """Every message the app's parts sent, as ``run_test``'s ``message_hook`` hears them (harlequin's way of
    watching an app: by what it says, not by its pixels)."""

    def __call__(self, message: Message) -> None:
        self.append(message)

    def of(self, kind: type[M]) -> list[M]:
        return [m for m in self if isinstance(m, kind)]

    def notes(self) -> list[str]:
        """The notifications the app gave, in order (plain text)."""
        return [str(m.notification.message) for m in self.of(Notify)]


@pytest.fixture
def make_app(opened: Opened) -> Callable[[Library], Any]:
    from readlist.tui.app import ReadlistApp

    def make(library: Library) -> ReadlistApp:
        app = ReadlistApp(library, opener=opened)
        app.animation_level = "none"  # no tab underline sliding: keys are handled without waiting for it
        app.heard = Heard()  # type: ignore[attr-defined]
        app.run_test = functools.partial(app.run_test, message_hook=app.heard)  # type: ignore[method-assign]
        return app

    return make


def said(app: Any) -> str:
    """Every notification the app gave so far, one per line."""
    return "\n".join(app.heard.notes())


def shown(app: Any) -> list[str]:
    """The ids of the paper table's rows, in order."""
    table = app.screen_stack[1].query_one(PaperTable)
    return [table.papers[i].id for i in table.rows]


async def settle(pilot: Pilot[Any]) -> None:
    """Wait until the library is shown and every worker and message is done."""
    app = pilot.app
    for _ in range(200):
        screen = app.screen_stack[1] if len(app.screen_stack) > 1 else None
        if screen is not None and getattr(screen, "loaded", False):
            break
        await pilot.pause(0.02)
    await workers_done(app)
    await pilot.pause()
    await workers_done(app)
    await pilot.pause()


async def workers_done(app: Any) -> None:
    """Wait for every worker; one cancelled by a newer worker of its exclusive group is done too (a failed one
    still raises). Textual's ``wait_for_complete`` raises WorkerCancelled for those, which a loaded machine makes
    happen at random."""
    for worker in list(app.workers):
        with contextlib.suppress(WorkerCancelled):
            await worker.wait()


def plain(content: Any, width: int = 400) -> str:
    """What a widget was given to show, as plain text: a string, a Rich ``Text``, or any Rich renderable
    (Markdown, a table, a group) laid out ``width`` cells wide, so a sentence reads whole."""
    if isinstance(content, str):
        return content
    if isinstance(content, Text):
        return content.plain
    console = Console(width=width, file=io.StringIO(), color_system=None, record=True)
    console.print(content)
    return console.export_text()


def text_of(app: Any, selector: str) -> str:
    """The plain text of the ``Static`` that ``selector`` finds on the screen on top (else the library screen)."""
    found = app.screen.query(selector) or app.screen_stack[1].query(selector)
    return plain(found.only_one(Static).content)


def tab_label(app: Any, view: str) -> str:
    """The label of the view's tab ("To read 2")."""
    return str(app.screen_stack[1].query_one(f"#view-{view}", Tab).label)


def detail_text(app: Any) -> str:
    """What the detail pane (or the reading view) shows: head, fit, blurb, abstract, notes (not the hidden ones)."""
    found = app.screen.query(DetailPane)  # the reading view's, when it is open
    detail = found.first() if found else app.screen_stack[1].query_one(DetailPane)
    return "\n".join(plain(s.content) for s in detail.query(Static) if s.display)


def listing_text(app: Any) -> str:
    """The Suggestions view's rows, one per line: the group titles and the picks, as the list holds them."""
    listing = app.screen_stack[1].query_one(SuggestionList)
    return "\n".join(plain(option.prompt) for option in listing.options)


def words(text: str) -> str:
    """``text`` with every run of spaces and line breaks made one space."""
    return " ".join(text.split())


def row_text(app: Any, paper_id: str) -> str:
    """The paper table's line for ``paper_id`` (mark, title, author, year, tags, date), as the table makes it."""
    table = app.screen_stack[1].query_one(PaperTable)
    row = table.row_of(paper_id)
    assert row is not None, f"{paper_id} is not in the table"
    table.scroll_to(y=row, animate=False, immediate=True)
    return str(table.render_line(row - round(table.scroll_y) + 1).text)


def fits(widget: Any) -> bool:
    """Whether ``widget`` shows its whole content: on screen, and as tall as its content wrapped to its width."""
    size = widget.content_size
    return bool(
        widget.display and size.width and widget.get_content_height(size, widget.app.size, size.width) <= size.height
    )


async def drain(app: Any, passes: int = 3) -> None:
    """Wait, by events and not by sleeping, until the app, its screen and every widget on it have
    handled what was queued (``passes`` times: a handler may queue more), and at least as many times as
    the screen is deep: a message bubbles up one parent per pass."""
    depth = max((len(node.ancestors) for node in app.screen.walk_children()), default=0)
    for _ in range(max(passes, depth)):
        await _drained_once(app)


async def _drained_once(app: Any) -> None:
    """One pass: each node runs a callback queued behind its messages, or leaves the DOM (a widget removed
    before it runs its queue never calls back: its leaving is what is waited for then, so no wait is lost)."""
    waiting: dict[Any, asyncio.Event] = {}
    for node in [app, *app.screen.walk_children(with_self=True)]:
        handled = asyncio.Event()
        if node.call_later(handled.set):
            waiting[node] = handled
    while waiting:
        waits = [asyncio.ensure_future(event.wait()) for event in waiting.values()]
        try:
            await asyncio.wait(waits, timeout=0.05, return_when=asyncio.FIRST_COMPLETED)
        finally:
            for wait in waits:
                wait.cancel()
        waiting = {
            node: event
            for node, event in waiting.items()
            if not event.is_set() and node.is_running and (node is app or node.is_attached)
        }


KEY_CHARS = {"space": " ", "slash": "/", "question_mark": "?", "left_square_bracket": "[",
             "right_square_bracket": "]", "escape": None, "enter": "\r", "tab": "\t"}  # fmt: skip


async def keys(pilot: Pilot[Any], *names: str) -> None:
    """Press keys one after another, each handled before the next, without pilot.press's idle waits."""
    from textual import events

    for name in names:
        char = KEY_CHARS.get(name, name if len(name) == 1 else None)
        pilot.app.post_message(events.Key(name, char))
        await drain(pilot.app)


async def burst(pilot: Pilot[Any], text: str) -> None:
    """Type ``text`` in one burst, as a paste or `tmux send-keys -l` does: every key is queued before any is handled."""
    from textual import events

    names = {"/": "slash", " ": "space", "#": "number_sign", "-": "minus", ":": "colon", ".": "full_stop"}
    for char in text:
        pilot.app.post_message(events.Key(names.get(char, char), char))
    await pilot.pause()


async def run_action(app: Any, name: str) -> None:
    """Run the action ``name`` of the table of actions on the part of the library screen that owns it."""
    from readlist.tui.actions import ACTIONS

    owner = next(a.owner for a in ACTIONS if a.name == name)
    await app.screen_stack[1].part(owner).run_action(name)


def stored(library: Library, paper_id: str) -> dict[str, Any] | None:
    """The record as library.json holds it now."""
    return library.snapshot().papers.get(paper_id)


async def open_suggestions(pilot: Pilot[Any]) -> SuggestionList:
    """The Suggestions view, once the library is read and shown (in the curators' order until ranked)."""
    await settle(pilot)
    pilot.app.screen.select_view("suggestions")
    await settle(pilot)
    return pilot.app.screen.query_one(SuggestionList)
