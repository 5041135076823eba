"""How the library screen finds papers: the views (tabs), and the filter that ``/`` opens, typing narrows
and ``esc`` leaves in steps.

A plain object the screen owns (``screen.finding``), beside Triage and LibraryJobs; it sees the screen only
through :class:`~readlist.tui.screens.host.Host`. The query language is core's (readlist.core.query).
"""

from __future__ import annotations

from readlist.tui.model import ALL, SUGGESTIONS, VIEWS
from readlist.tui.screens.host import Host

ALL_VIEWS = (*VIEWS, SUGGESTIONS)
"""The tabs, in order."""
TABLE_KEYS = ("up", "down", "pageup", "pagedown")
"""Keys that move the table while the filter is typed into."""


class Finding:
    def __init__(self, host: Host) -> None:
        self.host = host

    # -- views ----------------------------------------------------------------------------

    def view_chosen(self, view: str) -> None:
        """A tab was activated: show its view, the filter with it when it holds a query or marks."""
        host = self.host
        if view == host.view:
            return
        if host.view == SUGGESTIONS:
            host.suggestion_list.release()  # back in the view, the order follows the latest ranking
        host.view = view
        self.show(view != SUGGESTIONS and bool(host.query_text or host.table.marked), focus=False)
        host.refresh_view()
        host.set_focus(host.suggestion_list if view == SUGGESTIONS else host.table)
        host.fix_focus()

    def next_view(self, step: int) -> None:
        """``]`` and ``[``, from the tab made active last (a burst of ``]`` comes before the first activation)."""
        active = (self.host.active_tab or f"view-{self.host.view}").removeprefix("view-")
        self.host.select_view(ALL_VIEWS[(ALL_VIEWS.index(active) + step) % len(ALL_VIEWS)])

    # -- the filter -------------------------------------------------------------------------

    def show(self, show: bool, focus: bool = True) -> None:
        self.host.filter_bar.show(show, focus)
        self.host.refresh_keys()

    def show_query(self, query: str) -> None:
        """Show the papers of the whole library that ``query`` matches (the filter holds it)."""
        host = self.host
        host.select_view(ALL)
        self.show(True, focus=False)
        host.filter_bar.field.value = query
        host.set_focus(host.table)

    def open(self) -> None:
        """``/``: into the filter (from Suggestions, into All's), or a ``/`` typed into it."""
        host = self.host
        field = host.filter_bar.field
        if field.has_focus:
            field.insert_text_at_cursor("/")  # `/` is bound first (so that a burst of typing follows it)
            return
        if host.view == SUGGESTIONS:
            host.select_view(ALL)
        self.show(True)

    def back(self) -> None:
        """esc: leave the filter (it stays), then unmark the marked rows, then clear the filter."""
        host = self.host
        field, table = host.filter_bar.field, host.table
        if field.has_focus:
            self.show(bool(field.value or table.marked), focus=False)
            host.set_focus(table)
            host.fix_focus()
        elif table.marked:
            table.clear_marks()
            self.show(bool(host.query_text), focus=False)
        elif field.value:
            field.value = ""
            self.show(False)

    def show_count(self) -> None:
        """ "N of M" beside the field (or the query's error), and how many rows are marked."""
        host = self.host
        bar, marked = host.filter_bar, len(host.table.marked)
        marks = f" · {marked} marked (esc unmarks)" if marked else ""
        if host.query_error:
            bar.count(host.query_error + marks)
        elif host.view != SUGGESTIONS:
            bar.count(f"{len(host.table.rows)} of {len(host.model.by_view.get(host.view, ()))}{marks}")
        if marked and not bar.display:
            self.show(True, focus=False)

    def move_table(self, key: str) -> bool:
        """The arrows and page keys move the table while typing in the filter; whether ``key`` did."""
        table = self.host.table
        if not self.host.filter_bar.field.has_focus or key not in TABLE_KEYS:
            return False
        step = -1 if key in ("up", "pageup") else 1
        (table.action_move if key in ("up", "down") else table.action_page)(step)
        return True
