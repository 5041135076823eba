"""A virtual table of papers: renders only the visible rows (Line API).

The table holds the model's paper list and a list of positions (the rows of
the current view and filter). Changing the filter swaps that list and
repaints the screenful of rows on show, so it costs the same at 10 rows or at
10,000.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import BindingType
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from readlist.core.models import Paper, Status
from readlist.tui.actions import bindings

GAP = 2
_STATUSES = frozenset(s.value for s in Status)
_MARKS = {s.value: s.mark for s in Status}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    width: int


TITLE_MIN = 28
MARK_WIDTH = 3
"""The status mark, a check for a marked row, a space."""


@functools.lru_cache(maxsize=16)
def layout(width: int) -> tuple[Column, ...]:
    """Columns for a table ``width`` cells wide: the title gets most of the room.

    A narrow table drops the date added, then the tags, then the first author;
    room beyond every column's least goes to the title, the tags and the author
    (each up to a cap), so tags are readable on a wide terminal."""
    columns = {"author": 16, "year": 4, "tags": 12, "added": 10}
    drop_order = ["added", "tags", "author", "year"]
    room = width - MARK_WIDTH
    while drop_order and room - sum(w + GAP for w in columns.values()) < TITLE_MIN:
        del columns[drop_order.pop(0)]
    extra = max(0, room - sum(w + GAP for w in columns.values()) - TITLE_MIN)
    for key, share, cap in (("tags", 0.6, 28), ("author", 0.1, 22)):
        if key in columns:
            grow = min(int(extra * share), cap - columns[key])
            columns[key] += grow
    title_width = max(8, room - sum(w + GAP for w in columns.values()))
    labels = {"author": "First author", "year": "Year", "tags": "Tags", "added": "Added"}
    return (
        Column("mark", "", MARK_WIDTH),
        Column("title", "Title", title_width),
        *(Column(key, labels[key], w) for key, w in columns.items()),
    )


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells (with an ellipsis) or padded to it."""
    if cell_len(text) > width:
        return set_cell_size(text, max(0, width - 1)) + "…"
    return set_cell_size(text, width)


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
        self._line_cache: dict[tuple[int, str, int, bool, bool], Strip] = {}
        self._styles: dict[str, Style] = {}
        self._highlighted: str | None = None

    # -- data --------------------------------------------------------------

    def set_rows(self, papers: Sequence[Paper], rows: list[int], keep: str | None = None) -> None:
        """Show ``rows`` (positions into ``papers``); keep the cursor on paper ``keep`` if shown."""
        old_cursor = self.cursor
        self.papers = papers
        self.rows = rows
        self._line_cache.clear()
        self._set_height(len(rows) + 1)
        target = 0
        if keep is not None:
            found = self.row_of(keep)
            target = found if found is not None else min(old_cursor, len(rows) - 1)
        self.cursor = max(0, min(target, len(rows) - 1))
        self.refresh()

    def _set_height(self, height: int) -> None:
        """Change the scrollable height without a layout of the whole screen.

        ``virtual_size`` is a layout reactive: setting it re-lays out and
        repaints every widget, which costs more than the filter itself. The
        vertical scrollbar is always shown (see the .tcss), so the table's own
        geometry does not change with its row count.
        """
        size = Size(self.size.width, height)
        if size == self.virtual_size:
            return
        self.set_reactive(ScrollView.virtual_size, size)
        if self.show_vertical_scrollbar:
            bar = self.vertical_scrollbar
            bar.window_virtual_size = height
            bar.refresh()
        self.scroll_to(y=min(self.scroll_y, max(0, height - self.scrollable_content_region.height)), animate=False)

    @property
    def current(self) -> Paper | None:
        if 0 <= self.cursor < len(self.rows):
            return self.papers[self.rows[self.cursor]]
        return None

    def id_at(self, row: int) -> str | None:
        if 0 <= row < len(self.rows):
            return self.papers[self.rows[row]].id
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
        self._line_cache.clear()
        self.post_message(self.MarksChanged())
        if self.cursor < len(self.rows) - 1:
            self.cursor += 1
        else:
            self.refresh()

    def clear_marks(self) -> None:
        if self.marked:
            self.marked.clear()
            self._line_cache.clear()
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
        self._line_cache.clear()
        self.virtual_size = Size(event.size.width, len(self.rows) + 1)
        self._scroll_to_cursor()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._line_cache.clear()
        self._styles.clear()

    def on_focus(self, event: events.Focus) -> None:
        self._line_cache.clear()
        self._styles.clear()
        self.refresh()

    def on_blur(self, event: events.Blur) -> None:
        self._line_cache.clear()
        self._styles.clear()
        self.refresh()

    def _style(self, name: str) -> Style:
        """A component's Rich style (cached until the styles change)."""
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.get_component_rich_style(f"paper-table--{name}", partial=True)
        return style

    # -- rendering ---------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.rich_style
        if y == 0:
            return self._header(width)
        row = round(self.scroll_y) + y - 1
        if row >= len(self.rows):
            return Strip.blank(width, base)
        paper = self.papers[self.rows[row]]
        selected = row == self.cursor
        marked = paper.id in self.marked
        key = (row, paper.id + (paper.modified or "") + paper.status, width, selected, marked)
        strip = self._line_cache.get(key)
        if strip is None:
            strip = self._row(paper, width, selected, marked)
            if len(self._line_cache) > 4 * max(10, self.size.height):  # a few screenfuls
                self._line_cache.clear()
            self._line_cache[key] = strip
        return strip

    def _header(self, width: int) -> Strip:
        base = self.rich_style
        style = base + self._style("header")
        segments = []
        for column in layout(width):
            label = f"Title  (sorted by {self.sort_label})" if column.key == "title" else column.label
            segments.append(Segment(fit(label, column.width) + (" " * GAP if column.key != "mark" else ""), style))
        return Strip(segments).crop_extend(0, width, style)

    def _row(self, paper: Paper, width: int, selected: bool, marked: bool) -> Strip:
        base = self.rich_style
        if marked:
            base = base + self._style("marked")
        if selected:
            base = base + self._style("cursor")
        status = paper.status if paper.status in _STATUSES else "to-read"
        dim = base + self._style("dim")
        gap = Segment(" " * GAP, base)
        segments: list[Segment] = []
        for column in layout(width):
            key = column.key
            style = base
            if key == "mark":
                segments.append(Segment(_MARKS[status], base + self._style(status)))
                segments.append(Segment(fit("✓" if marked else ("▤" if paper.files else ""), column.width - 1), base))
                continue
            if key == "title":
                text = paper.title or paper.id
                if paper.pending:
                    text = f"{paper.id} (pending: R fetches it)" if not paper.title else text + " (pending)"
                    style = base + self._style("pending")
            elif key == "author":
                text = paper.first_author
            elif key == "year":
                text, style = str(paper.year or ""), dim
            elif key == "tags":
                text, style = " ".join(paper.tags), base + self._style("tags")
            else:
                text, style = (paper.added or "")[:10], dim
            segments.append(Segment(fit(text, column.width), style))
            segments.append(gap)
        return Strip(segments).crop_extend(0, width, base)
