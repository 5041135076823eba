"""Keeps the screen in step with library.json: reads in threads, notices other writers, queues the TUI's writes.

A non-visual widget. Every read goes through :class:`~readlist.core.library.Library`
(one parsed snapshot per file state) and arrives as a
:class:`~readlist.tui.messages.LibraryLoaded` message; every write runs in a
thread, one at a time in the order the keys were pressed, and arrives as
:class:`~readlist.tui.messages.Written` with the read after it. Each new
state follows the search index as the state before it did (the papers changed
since are read, in the read's thread); the search index itself, which answers
the filter's words and the PDFs' pages, is brought up to date in a thread
(a first build takes seconds at 10,000 papers), one sync at a time, and the
screen follows it when it is done (:class:`LibrarySync.SearchIndexSynced`).
"""

from __future__ import annotations

import contextlib
import gc
import threading
from collections import deque
from collections.abc import Callable, Iterator, Sequence

from textual import on
from textual.message import Message
from textual.widget import Widget
from textual.worker import Worker, get_current_worker

from readlist.core.errors import ReadlistError
from readlist.core.library import Library
from readlist.core.light import LightRecords
from readlist.core.query import Record
from readlist.core.query_index import WordAnswers
from readlist.core.suggestions import Suggestion, Suggestions
from readlist.core.texts import JoinedPapers
from readlist.tui.changes import Change, Job
from readlist.tui.messages import LibraryLoaded, Written
from readlist.tui.model import LightList, PaperModel
from readlist.tui.threads import in_thread

POLL_SECONDS = 0.5
PAGE_ANSWERS = 256
"""Answers about the PDFs' pages kept to show while the search index catches up (then forgotten)."""


@contextlib.contextmanager
def no_cyclic_gc(freeze: bool = False, collect: bool = True) -> Iterator[None]:
    """Parsing builds millions of small objects and frees none: the cyclic
    collector's passes over them would cost as much as the parse.

    With ``freeze`` (the first read, at start-up), what exists when it ends (the modules, the app, the
    library as first read) is moved out of the collector's sight (``gc.freeze``): none of it is garbage, and
    the passes that walked it right after cost 0.2 s before the first paint at 10,000 papers, 0.8 s at
    50,000. Reference counting still frees it when it goes."""
    was_enabled = gc.isenabled()
    if freeze and collect:
        gc.collect()  # before the library is read (some 25 ms): what is frozen is only what is alive
    gc.disable()
    try:
        yield
    finally:
        if freeze:
            gc.freeze()
        if was_enabled:
            gc.enable()


def read_library(
    library: Library,
) -> tuple[Sequence[Record], list[Suggestion], object, tuple[str, ...], Callable[[Record], Record]]:
    """The papers' light records (each expanded from its stored form when first read), the suggestions (the
    shipped selection overlaid), the file's stamp, the records left out because they do not fit (named: see
    readlist.core.records), and what joins a light record with its text (read from its shard when a paper is
    shown, or read by the filter)."""
    snapshot = library.snapshot()  # parsed once per state of the file; no text read
    papers = snapshot.papers
    join: Callable[[Record], Record] = _whole
    if isinstance(papers, JoinedPapers):
        joined = papers

        def join(record: Record) -> Record:
            return joined.join(dict(record))

    light = snapshot.light
    records = LightList(light, list(light)) if isinstance(light, LightRecords) else list(light.values())
    return records, Suggestions(library).all(), snapshot.stamp, snapshot.problems, join


def _whole(record: Record) -> Record:
    return dict(record)


class LibrarySync(Widget):
    """Reads, polls and writes for the library screen (see the module's docstring)."""

    DEFAULT_CSS = "LibrarySync { display: none; }"

    class SearchIndexSynced(Message):
        """The search index was brought to the library at ``stamp`` (None: it cannot be used now); ``words``
        answers the filter's words from it (None: it moved on since, or it cannot be read)."""

        def __init__(self, stamp: object, words: WordAnswers | None = None) -> None:
            super().__init__()
            self.stamp = stamp
            self.words = words

    def __init__(self, library: Library, *, sort: str = "added", reverse: bool = False) -> None:
        super().__init__()
        self.library = library
        self.sort = sort
        self.reverse = reverse
        self.model: PaperModel | None = None
        """The model the screen shows (the next one is built from it)."""
        self.stamp: object = None
        self.loaded = threading.Event()
        self._jobs: deque[tuple[Job, str]] = deque()
        self._write_lock = threading.Lock()
        self.pending_writes = 0
        self.index_stamp: object = None
        """The library's stamp the search index was last brought to (None: not yet, or it cannot be used)."""
        self.index_busy = False
        self._resynced: object = None
        self._page_answers: dict[str, set[str]] = {}

    def on_mount(self) -> None:
        self.load()
        self.set_interval(POLL_SECONDS, self._poll)

    # -- reading ---------------------------------------------------------------------

    def load(self) -> None:
        """Read the library afresh (in a thread) and post it; a read under way is cancelled (its result would
        be older). While writes are queued, their own reads will come instead."""
        if not self.pending_writes:
            self._load()

    @in_thread("read", "read the library")
    def _load(self) -> None:
        self.post_message(self._read(get_current_worker()))

    def _read(self, worker: Worker[None] | None = None) -> LibraryLoaded:
        with no_cyclic_gc(freeze=self.model is None):
            records, suggestions, stamp, problems, join = read_library(self.library)
            model = PaperModel.from_records(records, self.sort, self.reverse, self.model, join=join)
            if self.model is not None and isinstance(model.records, LightList):
                model.records.fill()  # in this thread (the first read's, after its first paint: see below)
            model.index.pages = self.page_ids  # text: terms, and words with full text on (the SQLite index)
            model.index.follow()  # the search index as the last state had it, the papers changed since read
        return LibraryLoaded(model, suggestions, stamp, worker, after_write=worker is None, problems=problems)

    def _poll(self) -> None:
        if self.pending_writes or not self.loaded.is_set():
            return
        try:
            stamp = self.library.stamp()
        except (OSError, ReadlistError):
            return
        if stamp != self.stamp:
            self.stamp = stamp
            self.load()

    # -- the search index (the PDFs' pages) ----------------------------------------------

    def page_ids(self, text: str) -> set[str] | None:
        """The ids of the papers whose PDFs' pages hold ``text``, for the filter on the event loop: asked of
        the search index when it follows the library shown; else a sync starts in a thread, and the answer
        of the index before it stands in (None: not known yet) until the screen filters again."""
        if self.index_stamp is not None and self.index_stamp == self.stamp and not self.index_busy:
            if len(self._page_answers) >= PAGE_ANSWERS:
                self._page_answers.clear()
            ids = self._page_answers[text] = self.library.ids_with_page_text(text, sync=False)
            return ids
        self.sync_search_index()
        return self._page_answers.get(text)

    def sync_search_index(self) -> None:
        """Bring the search index to the library, in a thread; one sync at a time."""
        if not self.index_busy:
            self.index_busy = True
            self._sync_search_index()

    @in_thread("search-index", "bring the search index up to date")
    def _sync_search_index(self) -> None:
        stamp: object = None
        words: WordAnswers | None = None
        model = self.model
        if model is not None and isinstance(model.records, LightList) and not model.records.filled:
            with no_cyclic_gc(freeze=True, collect=False):  # what is frozen: as at the first read (see there)
                model.records.fill()  # the first read's records, expanded after its first paint
        try:
            stamp = self.library.sync_page_index()
            if stamp is not None:
                words = self.library.word_answers(stamp)
            if words is not None and model is not None:
                model.index.prepare(words)  # what the first keystroke would make
        finally:
            self.post_message(self.SearchIndexSynced(stamp, words))

    @on(SearchIndexSynced)
    def _search_index_synced(self, message: SearchIndexSynced) -> None:
        self.index_busy = False
        self.index_stamp = message.stamp
        if message.stamp is not None and message.stamp != self.stamp and self._resynced != self.stamp:
            # The library read since is not the one the index was brought to (a write while it synced):
            # once more, so that the filter's words follow it rather than read every paper.
            self._resynced = self.stamp
            self.sync_search_index()

    # -- writing -----------------------------------------------------------------------

    def write(self, job: Job, failure: str = "") -> None:
        """Queue a write; it runs after the writes queued before it."""
        self._jobs.append((job, failure))
        self.pending_writes += 1
        self.workers.cancel_group(self, "read")  # what a read under way finds is older than this write
        self._run_write()

    @in_thread("write", "write the library", exclusive=False)
    def _run_write(self) -> None:
        with self._write_lock:
            job, failure = self._jobs.popleft()
            change: Change | None = None
            error: str | None = None
            try:
                change = job()
            except ReadlistError as exc:
                error = f"{failure}: {exc}" if failure else str(exc)
            # Posted under the lock: the writes' results arrive in the order the writes ran.
            self.post_message(Written(change, error, self._read()))

    def written(self) -> None:
        """The screen applied a write's result."""
        self.pending_writes -= 1
