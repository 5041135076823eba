"""How the library screen finds papers: the views (tabs), the filter that ``/`` opens, typing narrows and
``esc`` leaves in steps, and the sort.

A part that owns what is shown: the library as last read (the model, the suggestions, the file's stamp),
the view and the query. It is given each read by the screen (:meth:`Browser.show_library`), works out a
view's rows (the query language is core's, readlist.core.query) and hands them to the
:class:`~readlist.tui.widgets.main_pane.MainPane` inside it; a sort goes up as
:class:`~readlist.tui.messages.SortChosen` (the app remembers it).
"""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.widgets import Input, Tab, Tabs

from readlist.core.library import Library
from readlist.core.suggestions import State, Suggestion
from readlist.tui.actions import bindings, needs_of
from readlist.tui.messages import LibraryLoaded, ShowNow, SortChosen
from readlist.tui.model import ALL, SORT_LABELS, SORTS, SUGGESTIONS, VIEW_LABELS, VIEWS, PaperModel
from readlist.tui.screens.triage import Triage
from readlist.tui.widgets.filter_bar import FilterBar
from readlist.tui.widgets.main_pane import MainPane
from readlist.tui.widgets.paper_table import PaperTable
from readlist.tui.widgets.suggestions_pane import SuggestionsPane

ALL_VIEWS = (*VIEWS, SUGGESTIONS)
"""The tabs, in order."""


def tab_label(view: str, count: int) -> str:
    return f"{'Suggestions' if view == SUGGESTIONS else VIEW_LABELS[view]} {count}"


class Browser(Vertical):
    """The tabs and the views, filtered and sorted (see the module's docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("finding")

    def __init__(self, library: Library, *, sort: str = "added", reverse: bool = False, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library = library
        self.model = PaperModel.from_records([], sort, reverse)
        self.suggestions: list[Suggestion] = []
        self.stamp: object = None
        self.view = "to-read"
        self.query_text = ""
        self.query_error: str | None = None
        self.full_text = False
        """Plain words of the filter search the PDFs' text too (ctrl+f; ``list --full-text``)."""
        self.loaded = False
        self.keep: str | None = None
        """A paper id or suggestion key to put the cursor on once the next read is shown."""
        self._keys_state: tuple[object, ...] = ()

    def compose(self) -> ComposeResult:
        tabs = Tabs(*(Tab(tab_label(v, 0), id=f"view-{v}") for v in ALL_VIEWS), id="views")
        tabs.can_focus = False
        yield tabs
        yield Triage(self.library, id="triage")

    # -- what is shown -----------------------------------------------------------------------

    def show_library(self, loaded: LibraryLoaded) -> None:
        """A read of the library: shown, the cursor where the last change wanted it."""
        self.model, self.suggestions, self.stamp, self.loaded = loaded.model, loaded.suggestions, loaded.stamp, True
        self.refresh_view(keep=self.keep)
        self.keep = None

    @on(ShowNow)
    def show_model(self, message: ShowNow) -> None:
        """Show a model now (a change made here, before its write ends; a new sort)."""
        self.model = message.model
        self.refresh_view(message.keep)

    def refresh_view(self, keep: str | None = None) -> None:
        """Redraw the tabs' counts, the view's rows, the filter's count and the detail pane."""
        shown = self.model.filtered(self.view, self.query_text, full_text=self.full_text)
        self.query_error = shown.error or None
        new = sum(1 for s in self.suggestions if s.state == State.NEW.value)
        for view in ALL_VIEWS:
            label = tab_label(view, new if view == SUGGESTIONS else shown.counts[view])
            self.query_one(f"#view-{view}", Tab).label = label
        self.query_one(Triage).model = self.model
        main = self.query_one(MainPane)
        main.show(self.model, self.view, shown.rows, self.suggestions, self.stamp, keep, self.query_text)
        self._changed()

    @on(PaperTable.Highlighted)
    def refresh_keys(self) -> None:
        """Redraw the footer's keys when what they apply to changed (a redraw costs a layout)."""
        main, table = self.query_one(MainPane), self.query_one(PaperTable)
        state = (self.view, main.current_paper is None, main.current_suggestion is None, bool(table.marked),
                 bool(self.query_text), self.query_one(FilterBar).field.has_focus)  # fmt: skip
        if state != self._keys_state:
            self._keys_state = state
            self.screen.refresh_bindings()

    @on(PaperTable.MarksChanged)
    @on(SuggestionsPane.Shown)
    def _changed(self) -> None:
        """The filter's count ("2 of 5", its error, the marks) and the footer follow the table."""
        table = self.query_one(PaperTable)
        total = len(self.model.by_view.get(self.view, ()))
        bar = self.query_one(FilterBar)
        bar.count(self.query_error, len(table.rows), total, len(table.marked), self.view, full_text=self.full_text)
        self.refresh_keys()

    # -- views ---------------------------------------------------------------------------------

    def select_view(self, view: str) -> None:
        self.query_one(Tabs).active = f"view-{view}"

    @on(Tabs.TabActivated)
    def _view_chosen(self, event: Tabs.TabActivated) -> None:
        """A tab was activated: its view, with the filter when it holds a query or marks."""
        view = (event.tab.id or "view-all").removeprefix("view-")
        if view == self.view:
            return
        if self.view == SUGGESTIONS:
            self.query_one(SuggestionsPane).leave()
        self.view = view
        bar = self.query_one(FilterBar)
        bar.show(view != SUGGESTIONS and self._bar_wanted(), focus=False)
        self.refresh_view()
        main = self.query_one(MainPane)
        self.screen.set_focus(main.query_one("#suggestions" if view == SUGGESTIONS else "#papers"))
        main.fix_focus()

    def action_view(self, step: int) -> None:
        """``]`` and ``[``, from the tab made active last (a burst of ``]`` comes before the first activation)."""
        active = (self.query_one(Tabs).active or f"view-{self.view}").removeprefix("view-")
        self.select_view(ALL_VIEWS[(ALL_VIEWS.index(active) + step) % len(ALL_VIEWS)])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needs = needs_of(action, parameters)
        if needs == "papers-view":
            return self.view != SUGGESTIONS
        if needs == "back":
            bar = self.query_one(FilterBar)
            return bool(self.query_text or self.query_one(PaperTable).marked or bar.field.has_focus)
        return True

    # -- the filter ----------------------------------------------------------------------------

    def show_query(self, query: str) -> None:
        """Show the papers of the whole library that ``query`` matches, in the filter bar with its "N of M".

        The query is the browser's before the view changes: the tab's activation comes later, as a message,
        and hid the bar of a view with no query (the papers were filtered by a query no one could see)."""
        self.query_text = query
        bar = self.query_one(FilterBar)
        bar.show(True, focus=False)
        with bar.field.prevent(Input.Changed):
            bar.field.value = query
        if self.view == ALL:
            self.refresh_view()
        self.select_view(ALL)
        self.screen.set_focus(self.query_one(PaperTable))

    def action_filter(self) -> None:
        """``/``: into the filter (from Suggestions, into All's), or a ``/`` typed into it."""
        bar = self.query_one(FilterBar)
        if bar.field.has_focus:
            bar.field.insert_text_at_cursor("/")  # `/` is bound first (so that a burst of typing follows it)
            return
        if self.view == SUGGESTIONS:
            self.select_view(ALL)
        bar.show(True)
        self.refresh_keys()

    def action_back(self) -> None:
        """esc: leave the filter (it stays), then unmark the marked rows, then clear the filter."""
        bar, table = self.query_one(FilterBar), self.query_one(PaperTable)
        if bar.field.has_focus:
            bar.show(self._bar_wanted(), focus=False)
            self.screen.set_focus(table)
            self.query_one(MainPane).fix_focus()
        elif table.marked:
            table.clear_marks()
            bar.show(bool(self.query_text or self.full_text), focus=False)
        elif bar.field.value:
            bar.field.value = ""
            bar.show(self.full_text, focus=False)
        self.refresh_keys()

    @on(Input.Changed, "#filter")
    def _filter_changed(self, event: Input.Changed) -> None:
        self.query_text = event.value
        self.refresh_view()

    def action_full_text(self) -> None:
        """ctrl+f: plain words of the filter search the attached PDFs' text too, or no more (the bar says so)."""
        self.full_text = not self.full_text
        self.query_one(MainPane).full_text = self.full_text
        bar = self.query_one(FilterBar)
        if self.view == SUGGESTIONS:
            self.select_view(ALL)
        bar.show(self._bar_wanted(), focus=False)
        self.refresh_view()
        state = "on: plain words search the PDFs' text too" if self.full_text else "off"
        self.notify(f"Full text {state}", timeout=3)

    def _bar_wanted(self) -> bool:
        """The filter bar shows while it holds a query, marks or the full-text toggle."""
        return bool(self.query_text or self.query_one(PaperTable).marked or self.full_text)

    # -- sorting ---------------------------------------------------------------------------------

    def action_sort(self, field: str | None = None) -> None:
        model = self.model
        field = field or SORTS[(SORTS.index(model.sort) + 1) % len(SORTS)]
        self._sort(field, model.reverse if field == model.sort else False)

    def action_reverse(self) -> None:
        self._sort(self.model.sort, not self.model.reverse)

    def _sort(self, field: str, reverse: bool) -> None:
        self.post_message(SortChosen(field, reverse))
        self.model = self.model.sorted_by(field, reverse)
        self.refresh_view()
        self.notify(f"Sorted by {SORT_LABELS[field]}{', reversed' if reverse else ''}", timeout=2)
