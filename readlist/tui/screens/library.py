"""The main screen: views, the paper table or the suggestions, the filter, the detail pane.

What it shows comes from :class:`~readlist.tui.widgets.sync.LibrarySync`
(reads, and the writes the keys queue) and
:class:`~readlist.tui.widgets.activity.Activity` (add, pull, export, refresh),
both by message. Its keys are the table of actions' (readlist.tui.actions);
what the paper keys do is in :mod:`readlist.tui.screens.triage`.
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
from readlist.tui.actions import BY_NAME, bindings
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
from readlist.tui.model import ALL, SORT_LABELS, SUGGESTIONS, VIEW_LABELS, VIEWS, PaperModel
from readlist.tui.screens.jobs import LibraryJobs
from readlist.tui.screens.triage import Triage
from readlist.tui.widgets.activity import Activity
from readlist.tui.widgets.detail import WELCOME, DetailPane
from readlist.tui.widgets.filter_bar import FilterBar
from readlist.tui.widgets.keybar import KeyBar
from readlist.tui.widgets.paper_table import PaperTable
from readlist.tui.widgets.ranker import Ranker
from readlist.tui.widgets.suggestion_list import SuggestionList, curators_order
from readlist.tui.widgets.sync import LibrarySync

if TYPE_CHECKING:
    from readlist.core.arxiv_api import ArxivClient

ALL_VIEWS = (*VIEWS, SUGGESTIONS)
WARM_DELAY = 0.3
"""After the first paint, the word index is built this much later (in a thread)."""


def forward(name: str, to: str = "triage") -> Callable[..., None]:
    """An action of the screen that is the method ``name`` of its ``triage`` or its ``jobs``."""

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
        self._told_problems: tuple[str, ...] = ()
        self._warm_after_ranking: PaperModel | None = None
        self._detail_timer: Timer | None = None
        self._keys_state: tuple[object, ...] = ()
        self.triage = Triage(self)
        self.jobs = LibraryJobs(self)

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
        self.query_one("#suggestions-order").display = False
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
        self._tell_problems(loaded.problems)
        self.refresh_view(keep=self.focus_after_read)
        self.focus_after_read = None
        self._tell_screens()
        if first:
            self.call_after_refresh(self.post_message, FirstPainted())
        self.set_timer(WARM_DELAY if first else 0.01, lambda: self._warm(loaded.model))

    def _tell_problems(self, problems: tuple[str, ...]) -> None:
        """Name the records of library.json that were left out, once per set of them."""
        if problems and problems != self._told_problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            self.notify(
                f"{problems[0]}{more}: left out of every view; fix it in {self.library.settings.library_path} "
                "(readlist refuses to write until then)",
                severity="error", timeout=15, markup=False,
            )  # fmt: skip
        self._told_problems = problems

    def _warm(self, model: PaperModel) -> None:
        """Build the word index of ``model`` in a thread, after the ranking if one is under way: the two share
        one interpreter, and each would take about twice as long beside the other."""
        if self.ranker.busy:
            self._warm_after_ranking = model
        else:
            self.sync.warm(model)

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
        self.query_one("#suggestions-order").display = self.view == SUGGESTIONS and bool(self.suggestions)
        if self.view == SUGGESTIONS:
            self.show_suggestions(keep)
            self.call_after_refresh(self.want_ranking)  # after the paint: the view never waits for the ranking
        else:
            current = table.current
            table.sort_label = SORT_LABELS[self.model.sort] + (", reversed" if self.model.reverse else "")
            table.set_rows(self.model.papers, shown.rows, keep or (current.id if current else None))
            self.call_after_refresh(self._show_detail)  # the table paints first
        self._show_count()
        self._fix_focus()
        self._refresh_keys()

    def show_suggestions(self, keep: str | None = None, top: bool = False) -> None:
        """The suggestions in the order chosen, the line that says which, and the highlighted one in detail."""
        listing = self.suggestion_list
        listing.show(self.suggestions, set(self.model.positions), keep, top)
        self._show_order_line()
        self._show_detail()

    def _show_order_line(self) -> None:
        ranker = self.ranker
        line = self.suggestion_list.order_line(ranker.busy, ranker.error)
        self.query_one("#suggestions-order", Static).update(line)

    def want_ranking(self) -> None:
        """Rank the suggestions by fit in the background, unless the ranking of this state is done or under way."""
        if self.view != SUGGESTIONS or not self.loaded:
            return
        if self.ranker.want(self.sync.stamp, curators_order(self.suggestions)):
            self._show_order_line()

    @on(SuggestionsRanked)
    def _ranked(self, message: SuggestionsRanked) -> None:
        ranker = self.ranker
        if not ranker.arrived(message):
            return
        listing = self.suggestion_list
        top = listing.at_top and not listing.held
        if ranker.ranking is not None:
            listing.rank(ranker.ranking)
        if self.view == SUGGESTIONS:
            self.show_suggestions(top=top)  # re-ordered: the cursor on the same suggestion (or still on the first)
        self.triage.ranking_arrived()
        if self._warm_after_ranking is not None and not ranker.busy:
            model, self._warm_after_ranking = self._warm_after_ranking, None
            self.call_after_refresh(self.sync.warm, model)  # once the new order is painted

    def _show_count(self) -> None:
        marked = len(self.table.marked)
        marks = f" · {marked} marked (esc unmarks)" if marked else ""
        if self.query_error:
            self.filter_bar.count(self.query_error + marks)
        elif self.view != SUGGESTIONS:
            self.filter_bar.count(f"{len(self.table.rows)} of {len(self.model.by_view.get(self.view, ()))}{marks}")
        if marked and not self.filter_bar.display:
            self._show_filter(True, focus=False)

    def _welcome(self, show: bool) -> None:
        """The welcome text of an empty library (mounted only when needed)."""
        found = self.query("#welcome")
        if show and not found:
            from rich.markdown import Markdown

            self.query_one("#list-pane").mount(Static(Markdown(WELCOME), id="welcome"))
        elif not show and found:
            found.remove()

    def _show_detail(self) -> None:
        detail = self.query_one(DetailPane)
        if self.view == SUGGESTIONS:
            s = self.current_suggestion
            ranked = self.suggestion_list.ranked(s.key) if s is not None else None
            detail.show_suggestion(s, s is not None and s.key in self.model.positions, ranked)
        else:
            paper = self.current_paper
            detail.show_paper(paper, key=self.model.citation_key(paper) if paper is not None else None)

    def _fix_focus(self) -> None:
        """Keys go to a widget on screen: never to a hidden filter (or table, on an empty library)."""
        focused = self.focused
        if focused is not None and focused.display and (focused.parent is None or focused.parent.display):
            return
        target = self.table if self.table.display else self.suggestion_list
        self.set_focus(target if target.display else None)

    def _refresh_keys(self) -> None:
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
        self._fix_focus()

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
            self._detail_timer = None
        if self.DETAIL_DELAY > 0 and self.filter_bar.field.has_focus:
            self._detail_timer = self.set_timer(self.DETAIL_DELAY, self._show_detail)
        else:
            self._show_detail()
        self._refresh_keys()

    @on(SuggestionList.OptionHighlighted)
    def _suggestion_highlighted(self) -> None:
        self._show_detail()
        self._refresh_keys()

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
        self._show_count()
        self._refresh_keys()

    # -- views and sorts -------------------------------------------------------------------

    @on(Tabs.TabActivated)
    def _tab(self, event: Tabs.TabActivated) -> None:
        view = (event.tab.id or "view-all").removeprefix("view-")
        if view != self.view:
            if self.view == SUGGESTIONS:
                self.suggestion_list.release()  # back in the view, the order follows the latest ranking
            self.view = view
            self._show_filter(view != SUGGESTIONS and bool(self.query_text or self.table.marked), focus=False)
            self.refresh_view()
            self.set_focus(self.suggestion_list if view == SUGGESTIONS else self.table)
            self._fix_focus()

    def select_view(self, view: str) -> None:
        self.query_one(Tabs).active = f"view-{view}"

    def action_view(self, step: int) -> None:
        # From the tab made active last, not self.view: a burst of `]` arrives before the first TabActivated.
        active = (self.query_one(Tabs).active or f"view-{self.view}").removeprefix("view-")
        self.select_view(ALL_VIEWS[(ALL_VIEWS.index(active) + step) % len(ALL_VIEWS)])

    # -- the filter ------------------------------------------------------------------------

    def _show_filter(self, show: bool, focus: bool = True) -> None:
        self.filter_bar.show(show, focus)
        self._refresh_keys()

    def show_query(self, query: str) -> None:
        """Show the papers of the whole library that ``query`` matches (the filter holds it)."""
        self.select_view(ALL)
        self._show_filter(True, focus=False)
        self.filter_bar.field.value = query
        self.set_focus(self.table)

    def action_filter(self) -> None:
        field = self.filter_bar.field
        if field.has_focus:
            field.insert_text_at_cursor("/")  # `/` is bound first (so that a burst of typing follows it)
            return
        if self.view == SUGGESTIONS:
            self.select_view(ALL)
        self._show_filter(True)

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.refresh_view()

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.set_focus(self.table)

    def action_back(self) -> None:
        """esc: leave the filter (it stays), then unmark the marked rows, then clear the filter."""
        field = self.filter_bar.field
        if field.has_focus:
            self._show_filter(bool(field.value or self.table.marked), focus=False)
            self.set_focus(self.table)
            self._fix_focus()
        elif self.table.marked:
            self.table.clear_marks()
            self._show_filter(bool(self.query_text), focus=False)
        elif field.value:
            field.value = ""
            self._show_filter(False)

    def on_key(self, event: events.Key) -> None:
        """The arrows and page keys move the table while typing in the filter."""
        if self.filter_bar.field.has_focus and event.key in ("up", "down", "pageup", "pagedown"):
            step = -1 if event.key in ("up", "pageup") else 1
            (self.table.action_move if event.key in ("up", "down") else self.table.action_page)(step)
            event.stop()

    # -- which keys apply ----------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        row = BY_NAME.get(action) or BY_NAME.get(f"{action}({', '.join(repr(p) for p in parameters)})")
        if row is None and parameters:
            row = next((r for r in BY_NAME.values() if r.name.startswith(action + "(")), None)
        return self.triage.applies(row.needs if row is not None else "")

    # -- the keys --------------------------------------------------------------------------

    def action_help(self) -> None:
        from readlist.tui.screens.help import HelpScreen

        self.app.push_screen(reusable(self.app, HelpScreen))

    # What the paper and suggestion keys do is Triage's; the library keys, LibraryJobs'.
    action_cycle_status = forward("cycle_status")
    action_set_status = forward("set_status")
    action_tags = forward("tags")
    action_notes = forward("notes")
    action_edit_external = forward("edit_external")
    action_copy_key = forward("copy_key")
    action_open_page = forward("open_page")
    action_open_pdf = forward("open_pdf")
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
