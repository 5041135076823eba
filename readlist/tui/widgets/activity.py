"""A one-line progress strip for background jobs (add, pull, export)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar


class Activity(Horizontal):
    """Shows what is running; hidden when nothing is."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.jobs: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Label("", id="activity-label")
        yield ProgressBar(total=None, show_eta=False, id="activity-bar")

    def on_mount(self) -> None:
        self.display = False

    def start(self, job: str, text: str, total: int | None = None) -> None:
        self.jobs[job] = text
        bar = self.query_one(ProgressBar)
        bar.update(total=total, progress=0)
        self._show()

    def progress(self, job: str, text: str, done: int, total: int) -> None:
        self.jobs[job] = text
        self.query_one(ProgressBar).update(total=max(total, 1), progress=done)
        self._show()

    def stop(self, job: str) -> None:
        self.jobs.pop(job, None)
        self._show()

    def _show(self) -> None:
        self.display = bool(self.jobs)
        self.query_one("#activity-label", Label).update(" · ".join(self.jobs.values()))
