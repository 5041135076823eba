"""The main screen: it composes the parts and routes their messages.

The parts nest, each with its own keys from the table of actions (readlist.tui.actions), so each one's
keys apply wherever the focus is inside it:

- :class:`~readlist.tui.screens.jobs.LibraryJobs`: the library keys (add, refresh, pull, export, all tags),
  the progress strip and :class:`~readlist.tui.widgets.sync.LibrarySync` (reads, and the writes queued);
- :class:`~readlist.tui.screens.browser.Browser`: the views, the filter and the sort, and what is shown;
- :class:`~readlist.tui.screens.triage.Triage`: the paper keys and the undo stack;
- :class:`~readlist.tui.screens.outside.Outside`: the paper keys that hand a paper outside the TUI ($EDITOR,
  the clipboard, a browser or viewer) and fetch arXiv's PDFs;
- :class:`~readlist.tui.widgets.main_pane.MainPane`: the table or the
  :class:`~readlist.tui.widgets.suggestions_pane.SuggestionsPane` (its keys, its ranking), and the detail pane.

The screen hands each read to the browser, queues the writes the parts ask for, and keeps the undo stack fed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import events, on
from textual.app import ComposeResult
from textual.screen import Screen
from textual.widget import Widget

from readlist.core.library import Library
from readlist.tui.actions import Owner
from readlist.tui.messages import FirstPainted, LibraryLoaded, ShowNow, SortChosen, WriteAsked, Written
from readlist.tui.model import PaperModel
from readlist.tui.screens.browser import Browser
from readlist.tui.screens.jobs import LibraryJobs
from readlist.tui.screens.outside import Outside
from readlist.tui.screens.triage import Triage
from readlist.tui.widgets.keybar import KeyBar
from readlist.tui.widgets.main_pane import MainPane
from readlist.tui.widgets.paper_table import PaperTable
from readlist.tui.widgets.suggestions_pane import SuggestionsPane
from readlist.tui.widgets.sync import LibrarySync

if TYPE_CHECKING:
    from readlist.core.arxiv_api import ArxivClient

WARM_DELAY = 0.3
"""After the first paint, the search index is brought to the library this much later (in a thread)."""
RESYNC_STALE = 200
"""A state whose papers changed since the search index was brought up to date beyond this many (each read
when the filter asks the index) brings it up to date again."""


class LibraryScreen(Screen[None]):
    """Papers by view, filtered as you type, with the highlighted one in detail."""

    AUTO_FOCUS = None  # the parts put the focus (MainPane.fix_focus): never on a hidden widget

    def __init__(
        self, library: Library, arxiv_client: ArxivClient | None = None, *, sort: str = "added", reverse: bool = False
    ) -> None:
        super().__init__()
        self.library = library
        self.arxiv_client = arxiv_client
        self.sort, self.reverse = sort, reverse

    def compose(self) -> ComposeResult:
        yield LibraryJobs(self.library, self.arxiv_client, sort=self.sort, reverse=self.reverse, id="jobs")
        yield KeyBar()

    def on_mount(self) -> None:
        self.set_focus(self.query_one(PaperTable))

    @property
    def browser(self) -> Browser:
        return self.query_one(Browser)

    @property
    def view(self) -> str:
        return self.browser.view

    @property
    def model(self) -> PaperModel:
        return self.browser.model

    @property
    def loaded(self) -> bool:
        return self.browser.loaded

    def select_view(self, view: str) -> None:
        self.browser.select_view(view)

    def part(self, owner: Owner) -> Widget:
        """The part whose keys the table's rows of ``owner`` are (the palette runs them there)."""
        parts: dict[Owner, type[Widget]] = {
            "library": LibraryJobs, "finding": Browser, "papers": Triage, "outside": Outside,
            "suggestions": SuggestionsPane,
        }  # fmt: skip
        return self.query_one(parts[owner]) if owner in parts else self

    # -- reads and writes -------------------------------------------------------------------

    @on(LibraryLoaded)
    def _loaded(self, message: LibraryLoaded) -> None:
        if message.stale or (self.query_one(LibrarySync).pending_writes and not message.after_write):
            return  # a newer read was asked for, or a write is queued: its own read will come
        self._apply(message)

    @on(Written)
    def _written(self, message: Written) -> None:
        self.query_one(LibrarySync).written()
        browser = self.browser
        if message.change is not None:
            self.query_one(Triage).undo_stack.push(message.change)
            if message.change.label == "accept" and message.change.focus and not message.error:
                paper = message.loaded.model.get(message.change.focus)
                if paper is not None and paper.is_arxiv and not paper.pending:
                    self.query_one(LibraryJobs).fetch_when_set([paper.id], "accept")
            browser.keep = browser.keep or message.change.focus
            if message.change.report:
                self.notify(message.change.report, severity="warning", timeout=8, markup=False)
        if message.error:
            self.notify(message.error, severity="error", timeout=8, markup=False)
        self._apply(message.loaded)

    def _apply(self, loaded: LibraryLoaded) -> None:
        sync, browser = self.query_one(LibrarySync), self.browser
        first = not browser.loaded
        sync.stamp, sync.model = loaded.stamp, loaded.model
        sync.loaded.set()
        self.query_one(LibraryJobs).tell_problems(loaded.problems)
        browser.show_library(loaded)
        self._tell_screens()
        if first:
            self.call_after_refresh(self.post_message, FirstPainted())
        pane = self.query_one(SuggestionsPane)
        if first or loaded.model.index.words is None or len(loaded.model.index.stale) > RESYNC_STALE:
            # After the first paint (and when a new state cannot follow the index, or has drifted far from it),
            # the search index is brought to the library, in a thread: the filter's words answer from it.
            self.set_timer(WARM_DELAY if first else 0.01, lambda: pane.after_ranking(sync.sync_search_index))

    @on(LibrarySync.SearchIndexSynced)
    def _search_index_synced(self, message: LibrarySync.SearchIndexSynced) -> None:
        """The filter's words answer from the index as it now is (when it follows the library shown); the PDFs'
        pages too: the filter runs again if it asks them."""
        browser = self.browser
        if message.words is not None and message.stamp == browser.stamp:
            index = browser.model.index
            index.attach(message.words, index.local)  # papers changed here since the read stay stale
        if message.stamp is not None and (browser.full_text or "text:" in browser.query_text):
            browser.model.index.forget_pages()
            browser.refresh_view()

    @on(WriteAsked)
    def _write_asked(self, message: WriteAsked) -> None:
        if message.focus is not None:
            self.browser.keep = message.focus
        self.query_one(LibrarySync).write(message.job, message.failure)

    @on(ShowNow)
    def _shown_now(self, message: ShowNow) -> None:
        self.query_one(LibrarySync).model = message.model  # the next read is built from it
        self._tell_screens()

    @on(SortChosen)
    def _sort_chosen(self, message: SortChosen) -> None:
        sync = self.query_one(LibrarySync)
        sync.sort, sync.reverse = message.sort, message.reverse
        sync.model = self.browser.model

    def _tell_screens(self) -> None:
        """Screens over this one that show a paper (the reading view) follow the library."""
        for screen in self.app.screen_stack:
            follow = getattr(screen, "library_changed", None)
            if screen is not self and callable(follow):
                follow()

    def on_screen_resume(self, event: events.ScreenResume) -> None:
        self.query_one(MainPane).fix_focus()
