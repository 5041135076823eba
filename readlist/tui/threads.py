"""The one way readlist's TUI runs work in a thread: Textual's ``@work``, always with its description.

Without a description Textual names a worker by the repr of each argument; the repr of a model of
10,000 papers is a string of some 100 MB, built on every read. Requiring one here keeps that from
coming back with the next worker.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ParamSpec, TypeVar

from textual import work
from textual.worker import Worker

P = ParamSpec("P")
R = TypeVar("R")


def in_thread(
    group: str, description: str, *, exclusive: bool = True
) -> Callable[[Callable[P, R]], Callable[P, Worker[R]]]:
    """A thread worker in ``group`` (one at a time unless ``exclusive`` is False); its errors are reported
    by the worker's state, never by ending the app."""
    return work(thread=True, exclusive=exclusive, exit_on_error=False, group=group, description=description)
