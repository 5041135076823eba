"""What the library screen's helpers (Triage, LibraryJobs, Finding, SuggestionsView) see of it: a Protocol,
so they import no screen."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from textual.app import App
from textual.message import Message
from textual.notifications import SeverityLevel
from textual.widget import Widget
from textual.widgets import Static

from readlist.core.library import Library
from readlist.core.models import Paper
from readlist.core.suggestions import Suggestion
from readlist.tui.changes import UndoStack
from readlist.tui.model import PaperModel

if TYPE_CHECKING:
    from readlist.tui.widgets.activity import Activity
    from readlist.tui.widgets.filter_bar import FilterBar
    from readlist.tui.widgets.paper_table import PaperTable
    from readlist.tui.widgets.ranker import Ranker
    from readlist.tui.widgets.suggestion_list import SuggestionList
    from readlist.tui.widgets.sync import LibrarySync


def short(title: str, width: int = 50) -> str:
    return title if len(title) <= width else title[: width - 1] + "…"


def count(n: int, what: str = "paper") -> str:
    return f"{n} {what}{'s' if n != 1 else ''}"


class Host(Protocol):
    """What the helpers need of the library screen."""

    model: PaperModel
    suggestions: list[Suggestion]
    view: str
    query_text: str
    query_error: str
    loaded: bool
    undo_stack: UndoStack
    focus_after_read: str | None

    @property
    def app(self) -> App[None]: ...

    library: Library

    @property
    def table(self) -> PaperTable: ...
    @property
    def suggestion_list(self) -> SuggestionList: ...
    @property
    def sync(self) -> LibrarySync: ...
    @property
    def activity(self) -> Activity: ...
    @property
    def ranker(self) -> Ranker: ...
    @property
    def filter_bar(self) -> FilterBar: ...
    @property
    def order_line(self) -> Static: ...
    @property
    def current_paper(self) -> Paper | None: ...
    @property
    def current_suggestion(self) -> Suggestion | None: ...
    def show_model(self, model: PaperModel, keep: str | None = None) -> None: ...
    def select_view(self, view: str) -> None: ...
    @property
    def active_tab(self) -> str | None: ...
    def refresh_view(self, keep: str | None = None) -> None: ...
    def post_message(self, message: Message) -> bool: ...
    def open_link(self, url: str) -> None: ...
    def show_detail(self) -> None: ...
    def fix_focus(self) -> None: ...
    def refresh_keys(self) -> None: ...
    def set_focus(self, widget: Widget | None, scroll_visible: bool = True, from_app_focus: bool = False) -> None: ...


def tell(host: Host, message: str, severity: SeverityLevel = "information", timeout: float = 3) -> None:
    """Notifications carry titles, paths and error text: plain text, never markup."""
    host.app.notify(message, severity=severity, timeout=timeout, markup=False)
