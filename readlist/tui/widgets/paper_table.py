"""A virtual table of papers: renders only the visible rows (Line API).

The table holds the model's paper list and a list of positions (the rows of
the current view and filter). Changing the filter swaps that list and
repaints the screenful of rows on show, so it costs the same at 10 rows or at
10,000.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual import events, on
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from readlist.core.models import Paper
from readlist.tui.actions import bindings
from readlist.tui.widgets.paper_rows import RowPainter


class PaperTable(ScrollView, can_focus=True):
    """Papers, one per line, with a header and a cursor."""

    ALLOW_MAXIMIZE = True

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-table--header",
        "paper-table--cursor",
        "paper-table--to-read",
        "paper-table--reading",
        "paper-table--read",
        "paper-table--dropped",
        "paper-table--pending",
        "paper-table--tags",
        "paper-table--dim",
        "paper-table--marked",
    }

    BINDINGS: ClassVar[list[BindingType]] = bindings("list")

    cursor: reactive[int] = reactive(0, always_update=True, init=False)

    class Highlighted(Message):
        """The cursor moved to another paper (or to none)."""

        def __init__(self, table: PaperTable, paper: Paper | None) -> None:
            super().__init__()
            self.table = table
            self.paper = paper

        @property
        def control(self) -> PaperTable:
            return self.table

    class Activated(Message):
        """Enter or a double click on a paper."""

        def __init__(self, paper: Paper) -> None:
            super().__init__()
            self.paper = paper

    class MarksChanged(Message):
        """Rows were marked or unmarked (``space``)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.papers: Sequence[Paper] = []
        self.rows: list[int] = []
        self.sort_label = "date added"
        self.marked: set[str] = set()
        """Ids of the marked papers (status, tags, delete and export apply to them all)."""
        self.painter = RowPainter(lambda name: self.get_component_rich_style(f"paper-table--{name}", partial=True))
        self._highlighted: str | None = None

    # -- data --------------------------------------------------------------

    def set_rows(self, papers: Sequence[Paper], rows: list[int], keep: str | None = None) -> None:
        """Show ``rows`` (positions into ``papers``); keep the cursor on paper ``keep`` if shown."""
        old_cursor = self.cursor
        self.papers = papers
        self.rows = rows
        self.painter.forget()
        # The scrollable height, without a layout of the whole screen: ``virtual_size`` is a layout reactive
        # (setting it re-lays out and repaints every widget, which costs more than the filter itself). The
        # vertical scrollbar is always shown (see the .tcss), so the table's geometry does not change with it.
        size = Size(self.size.width, len(rows) + 1)
        if size != self.virtual_size:
            self.set_reactive(ScrollView.virtual_size, size)
            if self.show_vertical_scrollbar:
                self.vertical_scrollbar.window_virtual_size = size.height
                self.vertical_scrollbar.refresh()
            limit = max(0, size.height - self.scrollable_content_region.height)
            self.scroll_to(y=min(self.scroll_y, limit), animate=False)
        target = 0
        if keep is not None:
            found = self.row_of(keep)
            target = found if found is not None else min(old_cursor, len(rows) - 1)
        self.cursor = max(0, min(target, len(rows) - 1))
        self.refresh()

    @property
    def current(self) -> Paper | None:
        if 0 <= self.cursor < len(self.rows):
            return self.papers[self.rows[self.cursor]]
        return None

    def id_at(self, row: int) -> str | None:
        if 0 <= row < len(self.rows):
            return row_paper(self.papers, self.rows[row]).id
        return None

    def row_of(self, paper_id: str) -> int | None:
        """The row showing ``paper_id``, if shown (without building the other rows' papers)."""
        index_of = getattr(self.papers, "index_of", None)
        if index_of is None:
            return next((n for n, i in enumerate(self.rows) if self.papers[i].id == paper_id), None)
        position = index_of(paper_id)
        if position is None:
            return None
        try:
            return self.rows.index(position)
        except ValueError:
            return None

    # -- cursor ------------------------------------------------------------

    def validate_cursor(self, value: int) -> int:
        return max(0, min(value, len(self.rows) - 1)) if self.rows else 0

    def watch_cursor(self, cursor: int) -> None:
        self._scroll_to_cursor()
        self.refresh()
        paper = self.current
        paper_id = paper.id if paper else None
        # Post on every real move, and when the paper under the cursor changed identity.
        self._highlighted = paper_id
        self.post_message(self.Highlighted(self, paper))

    @property
    def _page_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + self._page_height:
            self.scroll_to(y=self.cursor - self._page_height + 1, animate=False, immediate=True)

    def action_move(self, step: int) -> None:
        self.cursor += step

    def action_page(self, direction: int) -> None:
        self.cursor += direction * self._page_height

    def action_jump(self, where: int) -> None:
        self.cursor = 0 if where == 0 else len(self.rows) - 1

    def action_activate(self) -> None:
        if self.current is not None:
            self.post_message(self.Activated(self.current))

    def action_toggle_mark(self) -> None:
        """Mark or unmark the paper under the cursor, and move on (marking runs down a list)."""
        paper = self.current
        if paper is None:
            return
        self.marked.symmetric_difference_update({paper.id})
        self.painter.forget()
        self.post_message(self.MarksChanged())
        if self.cursor < len(self.rows) - 1:
            self.cursor += 1
        else:
            self.refresh()

    def clear_marks(self) -> None:
        if self.marked:
            self.marked.clear()
            self.painter.forget()
            self.refresh()
            self.post_message(self.MarksChanged())

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            return
        row = round(self.scroll_y) + event.y - 1
        if 0 <= row < len(self.rows):
            if row == self.cursor and event.chain >= 2 and self.current is not None:
                self.post_message(self.Activated(self.current))
            self.cursor = row

    def on_resize(self, event: events.Resize) -> None:
        self.painter.forget()
        self.virtual_size = Size(event.size.width, len(self.rows) + 1)
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self.painter.forget(styles=True)

    @on(events.Focus)
    @on(events.Blur)
    def _focus_changed(self) -> None:
        self.painter.forget(styles=True)
        self.refresh()

    def render_line(self, y: int) -> Strip:
        width, base = self.scrollable_content_region.width, self.rich_style
        if y == 0:
            return self.painter.header(width, base, self.sort_label)
        row = round(self.scroll_y) + y - 1
        if row >= len(self.rows):
            return Strip.blank(width, base)
        paper = row_paper(self.papers, self.rows[row])
        selected, marked = row == self.cursor, paper.id in self.marked
        return self.painter.row(row, paper, width, base, selected, marked, keep=4 * max(10, self.size.height))


def row_paper(papers: Sequence[Paper], position: int) -> Paper:
    """The paper a row shows (its light fields: no text is read for a row, only for the current paper)."""
    row = getattr(papers, "row", None)
    return row(position) if row is not None else papers[position]
