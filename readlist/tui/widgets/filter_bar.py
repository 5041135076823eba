"""The filter field, and beside it how many papers it lets through ("2 of 5"), its error, the marks."""

from __future__ import annotations

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Static

from readlist.tui.model import SUGGESTIONS


class FilterField(Input):
    """The filter's field: focused by `/` (or a click), never by `tab`.

    With a filter shown, `tab` from the detail pane went round to this field, and the next `j` was typed
    into the query instead of moving the table. The field is in the focus chain only while it has the
    focus or was just asked for it."""

    asked = False

    def allow_focus(self) -> bool:
        return super().allow_focus() and (self.asked or self.has_focus)

    def ask_focus(self) -> None:
        self.asked = True
        self.screen.set_focus(self)

    def on_blur(self) -> None:
        self.asked = False

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if not self.has_focus and not self.disabled:
            self.ask_focus()


class FilterBar(Horizontal):
    """Hidden until `/` (or marks) show it; a hidden field is disabled, so it never takes a key."""

    _count = ""

    def compose(self) -> ComposeResult:
        yield FilterField(
            placeholder="filter: words, author:, #tag, status:, year:2020..2022, -word",
            id="filter",
            select_on_focus=False,  # keys typed right after `/` are kept, never selected away
        )
        yield Static("", id="filter-count", markup=False)

    @property
    def field(self) -> FilterField:
        return self.query_one("#filter", FilterField)

    def show(self, visible: bool, focus: bool = True) -> None:
        self.display = visible
        self.field.disabled = not visible
        if visible and focus:
            self.field.ask_focus()

    def count(
        self, error: str | None, shown: int, total: int, marked: int, view: str, *, full_text: bool = False
    ) -> None:
        """ "N of M" beside the field (or the query's error), whether plain words search the PDFs' text too
        (the toggle of ctrl+f), and how many rows are marked; marks show the bar."""
        marks = f" · {marked} marked (esc unmarks)" if marked else ""
        pdfs = " · words in PDFs too" if full_text else ""
        text = error + pdfs + marks if error else f"{shown} of {total}{pdfs}{marks}" if view != SUGGESTIONS else None
        if text is not None and text != self._count:
            self._count = text  # an update lays the screen out again: only when the words change
            self.query_one("#filter-count", Static).update(text)
        if marked and not self.display:
            self.show(True, focus=False)
