"""The main screen: views, the paper table, the filter, the detail pane.

Reading the library and every write run in thread workers (a write at
10,000 papers rewrites a large file); each worker posts a fresh
:class:`~readlist.tui.messages.LibraryLoaded` read after it. Writes run one at
a time, in the order the keys were pressed.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import threading
from collections import deque
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input, Tab, Tabs

from readlist.core.errors import ReadlistError
from readlist.core.models import Paper
from readlist.core.suggestions import State, Suggestion, Suggestions
from readlist.tui.changes import Change, UndoStack
from readlist.tui.messages import LibraryLoaded, ShippedChecked
from readlist.tui.model import ALL, SORT_LABELS, SORTS, SUGGESTIONS, VIEW_LABELS, VIEWS, PaperModel
from readlist.tui.screens.actions import ActionsMixin
from readlist.tui.widgets.activity import Activity
from readlist.tui.widgets.detail import WELCOME, DetailPane
from readlist.tui.widgets.paper_table import PaperTable
from readlist.tui.widgets.suggestion_list import SuggestionList

if TYPE_CHECKING:
    from readlist.tui.app import ReadlistApp

ALL_VIEWS = (*VIEWS, SUGGESTIONS)
POLL_SECONDS = 0.5
DETAIL_DELAY = 0.15
WARM_DELAY = 0.3
PAPER_ACTIONS = {"cycle_status", "set_status", "tags", "notes", "edit_external", "open_pdf", "delete"}
SUGGESTION_ACTIONS = {"accept", "dismiss_suggestion"}


@contextlib.contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Loading builds millions of small objects and frees none: the cyclic
    garbage collector's passes over them would cost as much as the load."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


class LibraryScreen(ActionsMixin, Screen[None]):
    """Papers by view, filtered as you type, with the highlighted one in detail."""

    DETAIL_DELAY: ClassVar[float] = DETAIL_DELAY
    """While the filter is typed into, the detail pane waits this long for a pause."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "filter", "Filter"),
        Binding("escape", "leave_filter", "Clear filter", show=False),
        Binding("a", "add", "Add"),
        Binding("s", "cycle_status", "Status"),
        Binding("1", "set_status('to-read')", "Mark to read", show=False),
        Binding("2", "set_status('reading')", "Mark reading", show=False),
        Binding("3", "set_status('read')", "Mark read", show=False),
        Binding("4", "set_status('dropped')", "Mark dropped", show=False),
        Binding("t", "tags", "Tags"),
        Binding("n", "notes", "Notes"),
        Binding("e", "edit_external", "$EDITOR", show=False),
        Binding("o", "open_page", "Open"),
        Binding("p", "open_pdf", "PDF", show=False),
        Binding("d", "delete", "Delete", show=False),
        Binding("enter", "accept", "Accept"),
        Binding("x", "dismiss_suggestion", "Dismiss"),
        Binding("u", "undo", "Undo"),
        Binding("S", "sort", "Sort", show=False),
        Binding("right_square_bracket", "view(1)", "Next view", show=False),
        Binding("left_square_bracket", "view(-1)", "Previous view", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "app.quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.model = PaperModel.build([])
        self.suggestions: list[Suggestion] = []
        self.view = "to-read"
        self.query_text = ""
        self.undo_stack = UndoStack()
        self.stamp: object = None
        self.loaded = False
        self._seq = itertools.count(1)
        self._applied_seq = 0
        self._jobs: deque[tuple[Callable[[], Change | None], str]] = deque()
        self._write_lock = threading.Lock()
        self._pending_writes = 0
        self._pending_focus: str | None = None
        self._detail_timer: Timer | None = None
        self._had_paper: Paper | None = None
        self._first_read_pending = True

    @property
    def rl_app(self) -> ReadlistApp:
        return self.app  # type: ignore[return-value]

    # -- layout --------------------------------------------------------------

    def compose(self) -> ComposeResult:
        tabs = Tabs(*(Tab(self._tab_label(v, 0), id=f"view-{v}") for v in ALL_VIEWS), id="views")
        tabs.can_focus = False
        yield tabs
        with Horizontal(id="main"):
            with Vertical(id="list-pane"):
                yield Input(placeholder="filter: title, authors, tags, notes", id="filter")
                yield PaperTable(id="papers")
                yield SuggestionList(id="suggestions")
            yield DetailPane(id="detail")
        yield Activity(id="activity")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#filter", Input).display = False
        self.query_one("#suggestions").display = False
        self.query_one("#papers").focus()
        self.first_load()
        self.set_interval(POLL_SECONDS, self._poll)

    @staticmethod
    def _tab_label(view: str, count: int) -> str:
        if view == SUGGESTIONS:
            return f"Suggestions {count}"
        return f"{VIEW_LABELS[view]} {count}"

    # -- loading -------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="reload")
    def reload(self) -> None:
        """Read the library afresh (in a thread) and post it."""
        self.post_message(self._read())

    @work(thread=True, exclusive=True, exit_on_error=False, group="reload")
    def first_load(self) -> None:
        """The first read (the shipped selection is overlaid in memory: nothing is written)."""
        try:
            self.post_message(self._read())
        finally:
            self.post_message(ShippedChecked())

    def _read(self) -> LibraryLoaded:
        library = self.rl_app.library
        with _no_cyclic_gc():
            snapshot = library.snapshot()
            model = PaperModel.from_records(snapshot.papers.values(), self.model.sort)
            suggestions = Suggestions(library).all()
        return LibraryLoaded(model=model, stamp=snapshot.stamp, suggestions=suggestions, seq=next(self._seq))

    @work(thread=True, exclusive=True, exit_on_error=False, group="index")
    def warm_index(self, model: PaperModel) -> None:
        """Build the typo index in the background once the table is on screen."""
        model.index.warm()

    def _poll(self) -> None:
        if self._pending_writes or self._first_read_pending or not self.loaded:
            return
        try:
            stamp = self.rl_app.library.stamp()
        except OSError:
            return
        if stamp != self.stamp:
            self.stamp = stamp
            self.reload()

    @on(ShippedChecked)
    def _shipped_checked(self) -> None:
        self._first_read_pending = False  # the poll may reload from now on

    @on(LibraryLoaded)
    def _loaded(self, message: LibraryLoaded) -> None:
        if message.seq <= self._applied_seq:
            return
        if self._pending_writes and not message.after_write:
            return  # a write is queued: its own read will come
        self._applied_seq = message.seq
        self.stamp = message.stamp
        self.model = message.model
        self.suggestions = message.suggestions
        self.loaded = True
        self.refresh_view(keep=self._pending_focus)
        self._pending_focus = None
        self.set_timer(WARM_DELAY, lambda: self.warm_index(message.model))

    # -- showing -------------------------------------------------------------

    def refresh_view(self, keep: str | None = None) -> None:
        """Redraw counts, the current view's rows, and the detail pane."""
        counts = self.model.counts()
        new = sum(1 for s in self.suggestions if s.state == State.NEW.value)
        for view in ALL_VIEWS:
            count = new if view == SUGGESTIONS else counts[view]
            self.query_one(f"#view-{view}", Tab).label = self._tab_label(view, count)
        empty = not self.model.papers and self.view != SUGGESTIONS
        table = self.query_one("#papers", PaperTable)
        suggestion_list = self.query_one("#suggestions", SuggestionList)
        self._welcome(empty)
        table.display = not empty and self.view != SUGGESTIONS
        suggestion_list.display = self.view == SUGGESTIONS
        self.query_one("#detail").display = not empty
        if self.view == SUGGESTIONS:
            saved = set(self.model.positions)
            suggestion_list.show(self.suggestions, saved)
            self._show_suggestion()
        else:
            current = table.current
            table.sort_label = SORT_LABELS[self.model.sort]
            table.set_rows(
                self.model.papers, self.model.rows(self.view, self.query_text), keep or (current and current.id)
            )
            self.call_after_refresh(self._show_paper)  # the table paints first
        self.refresh_bindings()

    def _welcome(self, show: bool) -> None:
        """The welcome text of an empty library (mounted only when needed)."""
        found = self.query("#welcome")
        if show and not found:
            from textual.widgets import Markdown

            self.query_one("#list-pane").mount(Markdown(WELCOME, id="welcome"))
        elif not show and found:
            found.remove()

    def _show_paper(self) -> None:
        self.query_one(DetailPane).show_paper(self.current_paper)

    def _show_suggestion(self) -> None:
        s = self.current_suggestion
        self.query_one(DetailPane).show_suggestion(s, s is not None and s.key in self.model.positions)

    @property
    def current_paper(self) -> Paper | None:
        if self.view == SUGGESTIONS:
            return None
        return self.query_one("#papers", PaperTable).current

    @property
    def current_suggestion(self) -> Suggestion | None:
        if self.view != SUGGESTIONS:
            return None
        return self.query_one("#suggestions", SuggestionList).current

    @on(PaperTable.Highlighted)
    def _highlighted(self, event: PaperTable.Highlighted) -> None:
        # While the filter is typed into, the detail pane waits for a pause:
        # the table's repaint comes first.
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        if self.DETAIL_DELAY > 0 and self.query_one("#filter", Input).has_focus:
            self._detail_timer = self.set_timer(self.DETAIL_DELAY, self._show_paper)
        else:
            self._show_paper()
        if (event.paper is None) != (self._had_paper is None):
            self.refresh_bindings()
        self._had_paper = event.paper

    @on(SuggestionList.OptionHighlighted)
    def _suggestion_highlighted(self) -> None:
        self._show_suggestion()

    @on(SuggestionList.OptionSelected)
    def _suggestion_selected(self) -> None:
        self.action_accept()

    @on(PaperTable.Activated)
    def _activated(self) -> None:
        self.action_notes()

    @on(Tabs.TabActivated)
    def _tab(self, event: Tabs.TabActivated) -> None:
        view = (event.tab.id or "view-all").removeprefix("view-")
        if view != self.view:
            self.view = view
            self.query_one("#filter", Input).display = view != SUGGESTIONS and bool(self.query_text)
            self.refresh_view()
            target = "#suggestions" if view == SUGGESTIONS else "#papers"
            self.query_one(target).focus()

    def select_view(self, view: str) -> None:
        self.query_one(Tabs).active = f"view-{view}"

    def action_view(self, step: int) -> None:
        index = ALL_VIEWS.index(self.view)
        self.select_view(ALL_VIEWS[(index + step) % len(ALL_VIEWS)])

    def action_sort(self, field: str | None = None) -> None:
        field = field or SORTS[(SORTS.index(self.model.sort) + 1) % len(SORTS)]
        self.model = self.model.sorted_by(field)
        self.refresh_view()
        self.notify(f"Sorted by {SORT_LABELS[field]}", timeout=2)

    # -- filter --------------------------------------------------------------

    def action_filter(self) -> None:
        if self.view == SUGGESTIONS:
            self.select_view(ALL)
        field = self.query_one("#filter", Input)
        field.display = True
        # Focus now, not via Widget.focus()'s call_later: keys typed right after
        # `/` are already queued and would otherwise reach the table as commands.
        self.set_focus(field)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        table = self.query_one("#papers", PaperTable)
        current = table.current
        table.set_rows(self.model.papers, self.model.rows(self.view, self.query_text), current and current.id)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.query_one("#papers").focus()

    def action_leave_filter(self) -> None:
        field = self.query_one("#filter", Input)
        if field.has_focus:
            # Keep the filter; give the keys back to the table.
            field.display = bool(field.value)
            self.query_one("#papers").focus()
        elif field.value:
            field.value = ""
            field.display = False

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        field = self.query_one("#filter", Input)
        if field.has_focus and event.key in ("up", "down", "pageup", "pagedown"):
            table = self.query_one("#papers", PaperTable)
            {"up": table.action_cursor, "down": table.action_cursor}.get(event.key, table.action_page)(
                -1 if event.key in ("up", "pageup") else 1
            )
            event.stop()

    # -- which keys apply ----------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in PAPER_ACTIONS:
            return self.current_paper is not None
        if action in SUGGESTION_ACTIONS:
            return self.current_suggestion is not None
        if action in ("filter", "sort"):
            return self.view != SUGGESTIONS
        if action == "open_page":
            return self.current_paper is not None or self.current_suggestion is not None
        return True

    # -- writes ----------------------------------------------------------------

    def write(self, job: Callable[[], Change | None], failure: str = "") -> None:
        """Queue a write; it runs after the writes queued before it."""
        self._jobs.append((job, failure))
        self._pending_writes += 1
        self._run_write()

    @work(thread=True, exit_on_error=False, group="write")
    def _run_write(self) -> None:
        with self._write_lock:
            job, failure = self._jobs.popleft()
            change: Change | None = None
            error: str | None = None
            try:
                change = job()
            except ReadlistError as exc:
                error = f"{failure}: {exc}" if failure else str(exc)
            loaded = self._read()
        loaded.after_write = True
        self.app.call_from_thread(self._written, change, error, loaded)

    def _written(self, change: Change | None, error: str | None, loaded: LibraryLoaded) -> None:
        self._pending_writes -= 1
        if change is not None:
            self.undo_stack.push(change)
            self._pending_focus = self._pending_focus or change.focus
        if error:
            self.notify(error, severity="error", timeout=8)
        self._loaded(loaded)

    def apply_locally(self, paper: Paper) -> None:
        """Show a change at once, before its write finishes."""
        self.model = self.model.with_paper(paper)
        self.refresh_view(keep=paper.id)
