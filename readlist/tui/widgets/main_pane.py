"""What the library screen shows of one view: the filter bar, the paper table or the Suggestions view (or the
welcome of an empty library), and the highlighted paper or pick in the detail pane.

A part that owns what is on screen and where the focus is: :meth:`MainPane.show` is given a view's rows (by
:class:`~readlist.tui.screens.browser.Browser`); the detail pane follows the cursor from here.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, Static

from readlist.core.library import Library
from readlist.core.models import Paper
from readlist.core.suggestions import Suggestion
from readlist.tui.model import SORT_LABELS, SUGGESTIONS, PaperModel
from readlist.tui.widgets.detail import WELCOME, DetailPane
from readlist.tui.widgets.filter_bar import FilterBar
from readlist.tui.widgets.paper_table import PaperTable
from readlist.tui.widgets.suggestion_list import SuggestionList
from readlist.tui.widgets.suggestions_pane import SuggestionsPane

TABLE_KEYS = ("up", "down", "pageup", "pagedown")
"""Keys that move the table while the filter is typed into."""


class MainPane(Vertical):
    """The list pane (filter, table, suggestions) and the detail pane, side by side or stacked."""

    DETAIL_DELAY: ClassVar[float] = 0.15
    """While the filter is typed into, the detail pane waits this long for a pause."""

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library = library
        self.model = PaperModel.from_records([], "added")
        self.view = "to-read"
        self.query_text = ""
        """The filter's text (its ``text:`` terms find the best hit in a paper's PDFs)."""
        self.full_text = False
        """The filter's plain words search the PDFs too (their best hit is shown)."""
        self._detail_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="list-pane"):
            yield FilterBar(id="filter-bar")
            yield PaperTable(id="papers")
            yield SuggestionsPane(self.library, id="suggestions-pane")
        yield DetailPane(id="detail")

    def on_mount(self) -> None:
        self.query_one(FilterBar).show(False)
        self.query_one(SuggestionsPane).display = False

    def show(self, model: PaperModel, view: str, rows: list[int], suggestions: list[Suggestion], stamp: object,
             keep: str | None = None, query: str = "") -> None:  # fmt: skip
        """Show ``view``: its ``rows`` of ``model`` (or ``suggestions``), the cursor on ``keep`` if shown
        (``query``: the filter that chose them)."""
        self.model, self.view, self.query_text = model, view, query
        empty = not model.records and view != SUGGESTIONS
        self._welcome(empty)
        table, pane = self.query_one(PaperTable), self.query_one(SuggestionsPane)
        table.display = table.can_focus = not empty and view != SUGGESTIONS
        pane.display = view == SUGGESTIONS
        pane.listing.can_focus = view == SUGGESTIONS
        detail = self.query_one(DetailPane)
        detail.display = detail.can_focus = not empty
        if view == SUGGESTIONS:
            pane.show(model, suggestions, stamp, keep)
        else:
            current = table.current
            table.sort_label = SORT_LABELS[model.sort] + (", reversed" if model.reverse else "")
            table.set_rows(model.papers, rows, keep or (current.id if current else None))
            self.call_after_refresh(self.show_detail)  # the table paints first
        self.fix_focus()

    def _welcome(self, show: bool) -> None:
        """The welcome text of an empty library (mounted only when needed; it takes the focus, so the keys
        of the parts around it apply)."""
        found = self.query("#welcome")
        if show and not found:
            from rich.markdown import Markdown

            welcome = Static(Markdown(WELCOME), id="welcome")
            welcome.can_focus = True
            self.query_one("#list-pane").mount(welcome)
        elif not show and found:
            found.remove()

    @property
    def current_paper(self) -> Paper | None:
        return None if self.view == SUGGESTIONS else self.query_one(PaperTable).current

    @property
    def current_suggestion(self) -> Suggestion | None:
        return self.query_one(SuggestionList).current if self.view == SUGGESTIONS else None

    def targets(self) -> list[Paper]:
        """The papers a paper key acts on: the marked ones, else the highlighted one."""
        if self.view == SUGGESTIONS:
            return []
        marked = [p for i in sorted(self.query_one(PaperTable).marked) if (p := self.model.get(i)) is not None]
        current = self.current_paper
        return marked or ([current] if current is not None else [])

    def text_hits(self, paper: Paper) -> list[dict[str, Any]]:
        """Where the filter's ``text:`` terms are in the paper's PDFs (best first), from the search index."""
        from readlist.core.errors import BadInput
        from readlist.core.query import compile_query

        if not paper.files or not ("text:" in self.query_text or (self.full_text and self.query_text.strip())):
            return []
        try:
            query = compile_query(self.query_text)
        except BadInput:
            return []
        return self.library.text_hits(query, [paper.to_dict()], full_text=self.full_text).get(paper.id, [])

    def show_detail(self) -> None:
        detail = self.query_one(DetailPane)
        if self.view == SUGGESTIONS:
            s = self.current_suggestion
            ranked = self.query_one(SuggestionList).ranked(s.key) if s is not None else None
            detail.show_suggestion(s, s is not None and s.key in self.model.positions, ranked)
        else:
            paper = self.current_paper
            hits = self.text_hits(paper) if paper is not None else []
            detail.show_paper(paper, key=self.model.citation_key(paper) if paper is not None else None, hits=hits)

    def fix_focus(self) -> None:
        """Keys go to a widget on screen: never to a hidden filter or table; on an empty library, the welcome."""
        focused = self.screen.focused
        if focused is not None and focused.display and (focused.parent is None or focused.parent.display):
            return
        table, listing, welcome = self.query_one(PaperTable), self.query_one(SuggestionList), self.query("#welcome")
        if table.display or self.view == SUGGESTIONS:
            self.screen.set_focus(table if table.display else listing)
        else:
            self.screen.set_focus(welcome.first() if welcome else None)

    @on(Input.Submitted, "#filter")
    def _filter_submitted(self) -> None:
        self.screen.set_focus(self.query_one(PaperTable))

    def on_key(self, event: events.Key) -> None:
        """The arrows and page keys move the table while the filter is typed into."""
        if not self.query_one(FilterBar).field.has_focus or event.key not in TABLE_KEYS:
            return
        table, step = self.query_one(PaperTable), -1 if event.key in ("up", "pageup") else 1
        (table.action_move if event.key in ("up", "down") else table.action_page)(step)
        event.stop()

    @on(PaperTable.Highlighted)
    def _highlighted(self) -> None:
        # While the filter is typed into, the detail pane waits for a pause: the table repaints first.
        if self._detail_timer is not None:
            self._detail_timer.stop()
        typing = self.DETAIL_DELAY > 0 and self.query_one(FilterBar).field.has_focus
        self._detail_timer = self.set_timer(self.DETAIL_DELAY, self.show_detail) if typing else None
        if not typing:
            self.show_detail()

    @on(SuggestionList.OptionHighlighted)
    @on(SuggestionsPane.Shown)
    def _suggestion_highlighted(self) -> None:
        self.show_detail()
