"""Messages the TUI's parts send each other, named for what happened."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

from readlist.core.library import AddReport
from readlist.core.suggestions import Suggestion
from readlist.tui.model import PaperModel


@dataclass
class LibraryLoaded(Message):
    """A fresh read of the library (at start, after a write, or after another process wrote)."""

    model: PaperModel
    stamp: object
    suggestions: list[Suggestion]
    seq: int
    after_write: bool = False


class ShippedChecked(Message):
    """The first read is over (successful or not): polling for other processes' writes may start."""


@dataclass
class PapersAdded(Message):
    """An add from the add dialog finished (some papers may be pending or unknown)."""

    report: AddReport


@dataclass
class PullProgress(Message):
    """A pull reports how far it got: ``done`` of ``total`` for ``what``."""

    what: str
    done: int
    total: int


@dataclass
class ActivityFinished(Message):
    """A background job (add, pull, export) ended; ``message`` says how."""

    message: str
    severity: str = "information"
