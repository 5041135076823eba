"""Messages the TUI's parts send each other, named for what happened.

Worker threads report back with these (``post_message`` is thread-safe), and
the parts above handle them with ``@on``: no callbacks from threads. A result
a worker found is stale when a newer worker of its group started (the group is
exclusive, so the older one was cancelled): ``stale`` says so, on the event
loop, where cancelling happens, so no result slips between a check and a post.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from textual.message import Message
from textual.notifications import SeverityLevel
from textual.worker import Worker

from readlist.core.library import AddReport
from readlist.core.models import Paper
from readlist.core.suggestions import Suggestion
from readlist.tui.changes import Change, Job
from readlist.tui.model import PaperModel

if TYPE_CHECKING:
    from readlist.core.rank.score import Ranking  # numpy: imported only in the ranking's worker
    from readlist.formats.doi import DoiReport


class FirstPainted(Message):
    """The library is on screen for the first time."""


@dataclass
class SortChosen(Message):
    """The user chose a sort (the app remembers it for the next session)."""

    sort: str
    reverse: bool


@dataclass
class OpenLink(Message):
    """Open ``url`` in the browser."""

    url: str


@dataclass
class OpenFile(Message):
    """Open a local file (an attached PDF), at ``page`` where the viewer takes one."""

    path: str
    page: int | None = None


@dataclass
class LibraryLoaded(Message):
    """A fresh read of the library (at start, after a write, or after another process wrote)."""

    model: PaperModel
    suggestions: list[Suggestion]
    stamp: object
    worker: Worker[None] | None = None
    """The read's worker (None: the read after a write, which the writes' order keeps in order)."""
    after_write: bool = False
    problems: tuple[str, ...] = ()
    """Records of library.json left out because they do not fit, one line each."""

    @property
    def stale(self) -> bool:
        """A newer read started after this one (and cancelled it): what it found is out of date."""
        return self.worker is not None and self.worker.is_cancelled


@dataclass
class Written(Message):
    """A queued write finished (``change`` is its undo; ``error`` says why it failed), with the read after it."""

    change: Change | None
    error: str | None
    loaded: LibraryLoaded


@dataclass
class PapersAdded(Message):
    """An add from the add dialog finished (some papers may be pending or unknown), or failed with ``error``."""

    report: AddReport | None
    before: dict[str, Paper | None] = field(default_factory=dict)
    error: str | None = None
    dois: DoiReport | None = None
    """What the DOIs typed did (None: none were typed)."""


@dataclass
class PullProgress(Message):
    """A background job (pull, refresh) got ``done`` of ``total`` steps; ``what`` it is doing."""

    job: str
    what: str
    done: int
    total: int


@dataclass
class ActivityFinished(Message):
    """A background job (pull, export, refresh) ended; ``messages`` say how, each with its severity."""

    job: str
    messages: list[tuple[str, SeverityLevel]]
    changed_library: bool = False
    show_view: str | None = None
    """A view to show afterwards (pulled suggestions: the Suggestions view)."""


@dataclass
class SuggestionsRanked(Message):
    """The suggestions of the library at ``stamp`` were ranked by fit (``ranking``), or could not be (``error``)."""

    ranking: Ranking | None
    stamp: object
    keys: tuple[str, ...]
    """The suggestions ranked, in the curators' order."""
    worker: Worker[None] | None = None
    error: str | None = None

    @property
    def stale(self) -> bool:
        """A newer ranking was asked for (and this one's worker cancelled)."""
        return self.worker is not None and self.worker.is_cancelled


@dataclass
class WriteAsked(Message):
    """A part wants ``job`` written (in the write queue, in key order); ``failure`` names it in an error;
    the cursor goes to ``focus`` once the read after it is shown."""

    job: Job
    failure: str
    focus: str | None = None


@dataclass
class ShowNow(Message):
    """Show ``model`` now, before its write ends (a status changed here; a new sort), the cursor on ``keep``."""

    model: PaperModel
    keep: str | None = None
