"""The main screen: views, the paper table or the suggestions, the filter, the detail pane.

What it shows comes by message from :class:`~readlist.tui.widgets.sync.LibrarySync` (reads, and the writes
the keys queue) and :class:`~readlist.tui.widgets.activity.Activity` (add, pull, export, refresh). Its keys
are the table of actions' (readlist.tui.actions); what they do is its helpers': the paper and suggestion
keys :mod:`~readlist.tui.screens.triage`, the library keys :mod:`~readlist.tui.screens.jobs`, the views and
the filter :mod:`~readlist.tui.screens.finding`, the ranked list :mod:`~readlist.tui.screens.suggestions_view`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Input, Static, Tab, Tabs

from readlist.core.library import Library
from readlist.core.models import Paper
from readlist.core.suggestions import State, Suggestion
from readlist.tui.actions import bindings, needs_of
from readlist.tui.changes import UndoStack
from readlist.tui.dialogs.base import reusable
from readlist.tui.messages import (
    ActivityFinished,
    FirstPainted,
    LibraryLoaded,
    OpenLink,
    PapersAdded,
    SuggestionsRanked,
    Written,
)
from readlist.tui.model import SORT_LABELS, SUGGESTIONS, VIEW_LABELS, PaperModel
from readlist.tui.screens.finding import ALL_VIEWS, Finding
from readlist.tui.screens.jobs import LibraryJobs
from readlist.tui.screens.suggestions_view import SuggestionsView
from readlist.tui.screens.triage import Triage
from readlist.tui.widgets.activity import Activity
from readlist.tui.widgets.detail import WELCOME, DetailPane
from readlist.tui.widgets.filter_bar import FilterBar
from readlist.tui.widgets.keybar import KeyBar
from readlist.tui.widgets.paper_table import PaperTable
from readlist.tui.widgets.ranker import Ranker
from readlist.tui.widgets.suggestion_list import SuggestionList
from readlist.tui.widgets.sync import LibrarySync

if TYPE_CHECKING:
    from readlist.core.arxiv_api import ArxivClient

WARM_DELAY = 0.3
"""After the first paint, the word index is built this much later (in a thread)."""


def forward(name: str, to: str = "triage") -> Callable[..., None]:
    """An action of the screen that is the method ``name`` of one of its helpers (``triage``, ``jobs``...)."""

    def action(screen: LibraryScreen, *args: Any) -> None:
        getattr(getattr(screen, to), name)(*args)

    action.__name__ = f"action_{name}"
    return action


class LibraryScreen(Screen[None]):
    """Papers by view, filtered as you type, with the highlighted one in detail."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("screen")
    AUTO_FOCUS = None  # the screen puts the focus itself (_fix_focus): never on a hidden widget
    DETAIL_DELAY: ClassVar[float] = 0.15
    """While the filter is typed into, the detail pane waits this long for a pause."""

    def __init__(
        self, library: Library, arxiv_client: ArxivClient | None = None, *, sort: str = "added", reverse: bool = False
    ) -> None:
        super().__init__()
        self.library = library
        self.arxiv_client = arxiv_client
        self.model = PaperModel.from_records([], sort, reverse)
        self.suggestions: list[Suggestion] = []
        self.view = "to-read"
        self.query_text = ""
        self.query_error = ""
        self.undo_stack = UndoStack()
        self.loaded = False
        self.focus_after_read: str | None = None
        """A paper id or suggestion key to put the cursor on once the next read is shown."""
        self._applied_seq = 0
        self._detail_timer: Timer | None = None
        self._keys_state: tuple[object, ...] = ()
        self.suggestions_view = SuggestionsView(self)
        self.triage = Triage(self, self.suggestions_view)
        self.finding = Finding(self)
        self.jobs = LibraryJobs(self, self.finding)

    # -- layout ------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        tabs = Tabs(*(Tab(self._tab_label(v, 0), id=f"view-{v}") for v in ALL_VIEWS), id="views")
        tabs.can_focus = False
        yield tabs
        with Horizontal(id="main"):
            with Vertical(id="list-pane"):
                yield FilterBar(id="filter-bar")
                yield PaperTable(id="papers")
                yield Static(id="suggestions-order", markup=False)
                yield SuggestionList(id="suggestions")
            yield DetailPane(id="detail")
        yield Activity(self.library, self.arxiv_client, id="activity")
        yield LibrarySync(self.library, sort=self.model.sort, reverse=self.model.reverse)
        yield Ranker(self.library)
        yield KeyBar()

    def on_mount(self) -> None:
        self.filter_bar.show(False)
        self.suggestion_list.display = False
        self.order_line.display = False
        self.set_focus(self.query_one(PaperTable))

    @property
    def sync(self) -> LibrarySync:
        return self.query_one(LibrarySync)

    @property
    def activity(self) -> Activity:
        return self.query_one(Activity)

    @property
    def ranker(self) -> Ranker:
        return self.query_one(Ranker)

    @property
    def table(self) -> PaperTable:
        return self.query_one(PaperTable)

    @property
    def suggestion_list(self) -> SuggestionList:
        return self.query_one(SuggestionList)

    @property
    def filter_bar(self) -> FilterBar:
        return self.query_one(FilterBar)

    @property
    def order_line(self) -> Static:
        return self.query_one("#suggestions-order", Static)

    def open_link(self, url: str) -> None:
        self.post_message(OpenLink(url))

    @staticmethod
    def _tab_label(view: str, count: int) -> str:
        return f"{'Suggestions' if view == SUGGESTIONS else VIEW_LABELS[view]} {count}"

    # -- what the library holds ----------------------------------------------------------

    @on(LibraryLoaded)
    def _loaded(self, message: LibraryLoaded) -> None:
        if self.sync.pending_writes and not message.after_write:
            return  # a write is queued: its own read will come
        self._apply(message)

    @on(Written)
    def _written(self, message: Written) -> None:
        self.sync.written()
        if message.change is not None:
            self.undo_stack.push(message.change)
            self.focus_after_read = self.focus_after_read or message.change.focus
            if message.change.report:
                self.notify(message.change.report, severity="warning", timeout=8, markup=False)
        if message.error:
            self.notify(message.error, severity="error", timeout=8, markup=False)
        self._apply(message.loaded)

    def _apply(self, loaded: LibraryLoaded) -> None:
        if loaded.seq <= self._applied_seq:
            return
        first = not self.loaded
        self._applied_seq = loaded.seq
        self.sync.stamp, self.sync.model = loaded.stamp, loaded.model
        self.model, self.suggestions, self.loaded = loaded.model, loaded.suggestions, True
        self.sync.loaded.set()
        self.jobs.tell_problems(loaded.problems)
        self.refresh_view(keep=self.focus_after_read)
        self.focus_after_read = None
        self._tell_screens()
        if first:
            self.call_after_refresh(self.post_message, FirstPainted())
        self.set_timer(WARM_DELAY if first else 0.01, lambda: self.suggestions_view.warm(loaded.model))

    def show_model(self, model: PaperModel, keep: str | None = None) -> None:
        """Show ``model`` now (a change made here, before its write ends; or a new sort)."""
        self.model = self.sync.model = model
        self.refresh_view(keep)
        self._tell_screens()

    def _tell_screens(self) -> None:
        """Screens over this one that show a paper (the reading view) follow the library."""
        for screen in self.app.screen_stack:
            follow = getattr(screen, "library_changed", None)
            if screen is not self and callable(follow):
                follow()

    # -- showing -------------------------------------------------------------------------

    def refresh_view(self, keep: str | None = None) -> None:
        """Redraw the tabs' counts, the current view's rows, the filter's count and the detail pane."""
        shown = self.model.filtered(self.view, self.query_text)
        self.query_error, counts = shown.error, shown.counts
        new = sum(1 for s in self.suggestions if s.state == State.NEW.value)
        for view in ALL_VIEWS:
            self.query_one(f"#view-{view}", Tab).label = self._tab_label(
                view, new if view == SUGGESTIONS else counts[view]
            )
        empty = not self.model.records and self.view != SUGGESTIONS
        self._welcome(empty)
        table, suggestions = self.table, self.suggestion_list
        table.display = table.can_focus = not empty and self.view != SUGGESTIONS
        suggestions.display = suggestions.can_focus = self.view == SUGGESTIONS
        detail = self.query_one(DetailPane)
        detail.display = detail.can_focus = not empty
        self.order_line.display = self.view == SUGGESTIONS and bool(self.suggestions)
        if self.view == SUGGESTIONS:
            self.suggestions_view.show(keep)
            # After the paint: the view never waits for the ranking.
            self.call_after_refresh(self.suggestions_view.want_ranking)
        else:
            current = table.current
            table.sort_label = SORT_LABELS[self.model.sort] + (", reversed" if self.model.reverse else "")
            table.set_rows(self.model.papers, shown.rows, keep or (current.id if current else None))
            self.call_after_refresh(self.show_detail)  # the table paints first
        self.finding.show_count()
        self.fix_focus()
        self.refresh_keys()

    @on(SuggestionsRanked)
    def _ranked(self, message: SuggestionsRanked) -> None:
        if self.suggestions_view.ranked(message):
            self.triage.ranking_arrived()

    def _welcome(self, show: bool) -> None:
        """The welcome text of an empty library (mounted only when needed)."""
        found = self.query("#welcome")
        if show and not found:
            from rich.markdown import Markdown

            self.query_one("#list-pane").mount(Static(Markdown(WELCOME), id="welcome"))
        elif not show and found:
            found.remove()

    def show_detail(self) -> None:
        detail = self.query_one(DetailPane)
        if self.view == SUGGESTIONS:
            s = self.current_suggestion
            ranked = self.suggestion_list.ranked(s.key) if s is not None else None
            detail.show_suggestion(s, s is not None and s.key in self.model.positions, ranked)
        else:
            paper = self.current_paper
            hits = self.text_hits(paper) if paper is not None and paper.files and "text:" in self.query_text else []
            detail.show_paper(paper, key=self.model.citation_key(paper) if paper is not None else None, hits=hits)

    def text_hits(self, paper: Paper) -> list[dict[str, Any]]:
        """Where the filter's ``text:`` terms are in the paper's PDFs (best first), from the search index."""
        from readlist.core.errors import BadInput
        from readlist.core.query import compile_query

        try:
            query = compile_query(self.query_text)
        except BadInput:
            return []
        return self.library.text_hits(query, [paper.to_dict()]).get(paper.id, [])

    def fix_focus(self) -> None:
        """Keys go to a widget on screen: never to a hidden filter (or table, on an empty library)."""
        focused = self.focused
        if focused is not None and focused.display and (focused.parent is None or focused.parent.display):
            return
        target = self.table if self.table.display else self.suggestion_list
        self.set_focus(target if target.display else None)

    def refresh_keys(self) -> None:
        """Redraw the footer's keys when what they apply to changed (a redraw costs a layout)."""
        state = (
            self.view,
            self.current_paper is None,
            self.current_suggestion is None,
            bool(self.table.marked),
            bool(self.query_text),
            self.filter_bar.field.has_focus,
        )
        if state != self._keys_state:
            self._keys_state = state
            self.refresh_bindings()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        self.fix_focus()

    @property
    def current_paper(self) -> Paper | None:
        return None if self.view == SUGGESTIONS else self.table.current

    @property
    def current_suggestion(self) -> Suggestion | None:
        return self.suggestion_list.current if self.view == SUGGESTIONS else None

    @on(PaperTable.Highlighted)
    def _highlighted(self, event: PaperTable.Highlighted) -> None:
        # While the filter is typed into, the detail pane waits for a pause: the table repaints first.
        if self._detail_timer is not None:
            self._detail_timer.stop()
        typing = self.DETAIL_DELAY > 0 and self.filter_bar.field.has_focus
        self._detail_timer = self.set_timer(self.DETAIL_DELAY, self.show_detail) if typing else None
        if not typing:
            self.show_detail()
        self.refresh_keys()

    @on(SuggestionList.OptionHighlighted)
    def _suggestion_highlighted(self) -> None:
        self.show_detail()
        self.refresh_keys()

    @on(SuggestionList.OptionSelected)
    def _suggestion_selected(self) -> None:
        self.triage.accept()

    @on(PaperTable.Activated)
    def _activated(self) -> None:
        self.triage.notes()

    @on(PapersAdded)
    def _papers_added(self, message: PapersAdded) -> None:
        self.jobs.added(message)

    @on(ActivityFinished)
    def _activity_finished(self, message: ActivityFinished) -> None:
        self.jobs.finished(message)

    @on(PaperTable.MarksChanged)
    def _marks_changed(self) -> None:
        self.finding.show_count()
        self.refresh_keys()

    # -- views and sorts -------------------------------------------------------------------

    @on(Tabs.TabActivated)
    def _tab(self, event: Tabs.TabActivated) -> None:
        self.finding.view_chosen((event.tab.id or "view-all").removeprefix("view-"))

    @property
    def active_tab(self) -> str | None:
        return self.query_one(Tabs).active

    def select_view(self, view: str) -> None:
        self.query_one(Tabs).active = f"view-{view}"

    # -- the filter ------------------------------------------------------------------------

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.refresh_view()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.set_focus(self.table)

    def on_key(self, event: events.Key) -> None:
        if self.finding.move_table(event.key):
            event.stop()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return self.triage.applies(needs_of(action, parameters))

    # -- the keys --------------------------------------------------------------------------

    def action_help(self) -> None:
        from readlist.tui.screens.help import HelpScreen

        self.app.push_screen(reusable(self.app, HelpScreen))

    # What the keys do is the helpers': Triage's, LibraryJobs', Finding's.
    action_cycle_status = forward("cycle_status")
    action_set_status = forward("set_status")
    action_tags = forward("tags")
    action_notes = forward("notes")
    action_edit_external = forward("edit_external")
    action_edit_fields = forward("edit_fields")
    action_copy_key = forward("copy_key")
    action_open_page = forward("open_page")
    action_open_pdf = forward("open_pdf")
    action_fetch_pdfs = forward("fetch_pdfs")
    action_delete = forward("delete")
    action_undo = forward("undo")
    action_accept = forward("accept")
    action_dismiss_suggestion = forward("dismiss")
    action_fit_order = forward("fit_order")
    action_read = forward("read")
    action_sort = forward("sort")
    action_reverse = forward("reverse")
    action_add = forward("add", "jobs")
    action_refresh = forward("refresh_pending", "jobs")
    action_pull = forward("pull", "jobs")
    action_pull_document = forward("pull_document", "jobs")
    action_export_markdown = forward("export_markdown", "jobs")
    action_export_bibtex = forward("export_bibtex", "jobs")
    action_all_tags = forward("all_tags", "jobs")
    action_filter = forward("open", "finding")
    action_back = forward("back", "finding")
    action_view = forward("next_view", "finding")
