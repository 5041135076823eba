"""The readlist TUI application: a small shell around the library screen."""

from __future__ import annotations

import webbrowser
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, ClassVar

from textual.app import App, SystemCommand
from textual.screen import Screen

from readlist.core.library import Library
from readlist.tui.commands import screen_commands
from readlist.tui.screens.library import LibraryScreen

if TYPE_CHECKING:
    from readlist.core.arxiv_api import ArxivClient

Opener = Callable[[str], object]


class ReadlistApp(App[None]):
    """``opener`` opens links (default: the web browser); tests pass a recorder."""

    CSS_PATH = "readlist.tcss"
    TITLE = "readlist"
    ENABLE_COMMAND_PALETTE = True
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (110, "-wide")]

    def __init__(
        self, library: Library, *, opener: Opener | None = None, arxiv_client: ArxivClient | None = None
    ) -> None:
        super().__init__()
        self.library = library
        self.opener: Opener = opener if opener is not None else webbrowser.open
        self.arxiv_client = arxiv_client

    def on_mount(self) -> None:
        self.push_screen(LibraryScreen())

    def open_link(self, url: str) -> None:
        self.opener(url)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from screen_commands(screen)
        yield from super().get_system_commands(screen)


def run(library: Library) -> None:
    """Open the TUI over ``library`` (what bare `readlist` does)."""
    ReadlistApp(library).run()
