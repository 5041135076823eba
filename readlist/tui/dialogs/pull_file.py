"""Pull one selection from a file or URL: the path, and which month of a file that holds several."""

from __future__ import annotations

from dataclasses import dataclass

from textual.app import ComposeResult
from textual.widgets import Input, Static

from readlist.core.errors import BadInput
from readlist.core.month import Month
from readlist.tui.dialogs.base import Dialog

ALL = "all"


@dataclass(frozen=True)
class PullFile:
    """What to pull: ``document`` (a path or URL), one ``month`` (YYYY-MM) or ``all_months``, or neither (the
    document's latest month)."""

    document: str
    month: str | None = None
    all_months: bool = False


def months_line(months: list[str], limit: int = 24) -> str:
    """ "2023-02, 2023-03, … " (every month up to ``limit``, then how many more)."""
    shown = ", ".join(months[:limit])
    return shown + (f" and {len(months) - limit} more" if len(months) > limit else "")


class PullFileDialog(Dialog[PullFile]):
    """Dismisses with a :class:`PullFile`, or None; a month that is no month keeps it open, saying why."""

    DIALOG_ID = "pull-file-dialog"

    def __init__(self) -> None:
        super().__init__()
        self.default = ""
        self.configure(
            "Pull one selection",
            "A Best of arXiv post, a Markdown/HTML list, or a list of arXiv ids: a file or a URL.",
            ok="Pull",
        )

    def body(self) -> ComposeResult:
        yield Input(self.default, id="path-input")
        yield Static("Month (optional): YYYY-MM, or all; empty takes the file's latest", classes="dialog-help")
        yield Input(placeholder="2024-01", id="month-input")

    def refill(self) -> None:
        self.query_one("#path-input", Input).value = self.default

    def result(self) -> PullFile:
        text = self.query_one("#path-input", Input).value.strip()
        if not text:
            raise BadInput("Type a path or a URL.")
        month = self.query_one("#month-input", Input).value.strip()
        if month.casefold() == ALL:
            return PullFile(text, all_months=True)
        return PullFile(text, Month.parse(month).key if month else None)
