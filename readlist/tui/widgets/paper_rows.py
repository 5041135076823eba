"""How the paper table draws: its columns at a width, and its header and rows as strips (Line API).

:class:`RowPainter` belongs to one table (readlist.tui.widgets.paper_table) and keeps what it drew (rows
already made, styles looked up) until the table says it is stale.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from readlist.core.models import Paper, Status

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


class RowPainter:
    """The header and the rows of one table, cached (see the module's docstring); ``style_of`` gives the
    table's style of a component (``"header"``, ``"cursor"``, a status...)."""

    def __init__(self, style_of: Callable[[str], Style]) -> None:
        self.style_of = style_of
        self._line_cache: dict[tuple[int, str, int, bool, bool], Strip] = {}
        self._styles: dict[str, Style] = {}

    def forget(self, styles: bool = False) -> None:
        """The rows drawn are stale (new rows, marks, a resize); with ``styles``, the styles too."""
        self._line_cache.clear()
        if styles:
            self._styles.clear()

    def _style(self, name: str) -> Style:
        """A component's Rich style (cached until the styles change)."""
        style = self._styles.get(name)
        if style is None:
            style = self._styles[name] = self.style_of(name)
        return style

    def header(self, width: int, base: Style, sort_label: str) -> Strip:
        style = base + self._style("header")
        segments = []
        for column in layout(width):
            label = f"Title  (sorted by {sort_label})" if column.key == "title" else column.label
            segments.append(Segment(fit(label, column.width) + (" " * GAP if column.key != "mark" else ""), style))
        return Strip(segments).crop_extend(0, width, style)

    def row(self, row: int, paper: Paper, width: int, base: Style, selected: bool, marked: bool, keep: int) -> Strip:
        """Row ``row`` showing ``paper`` (made once while it stays the same; ``keep`` rows are kept)."""
        key = (row, paper.id + (paper.modified or "") + paper.status, width, selected, marked)
        strip = self._line_cache.get(key)
        if strip is None:
            strip = self._row(paper, width, base, selected, marked)
            if len(self._line_cache) > keep:
                self._line_cache.clear()
            self._line_cache[key] = strip
        return strip

    def _row(self, paper: Paper, width: int, base: Style, selected: bool, marked: bool) -> Strip:
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
