"""The readlist TUI application: a small shell around the library screen."""

from __future__ import annotations

import gc
import io
import os
import sys
import webbrowser
from collections.abc import Callable, Iterable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from textual import on
from textual.app import App, SystemCommand
from textual.command import CommandPalette
from textual.screen import Screen

from readlist.core.clean import clean_line
from readlist.core.errors import ReadlistError
from readlist.core.library import Library
from readlist.tui.commands import screen_commands
from readlist.tui.keymap import textual_keymap, user_keymap
from readlist.tui.messages import FirstPainted, OpenFile, OpenLink, SortChosen
from readlist.tui.model import SORTS
from readlist.tui.screens.library import LibraryScreen
from readlist.tui.state import load_state, save_state

if TYPE_CHECKING:
    from readlist.core.arxiv_api import ArxivClient

Opener = Callable[[str], object]


class Palette(CommandPalette):
    """Textual's command palette, letting go of its rendered lines as it closes.

    Textual 8.2 keeps the styles cache of every widget ever rendered in a class-level
    ``lru_cache`` (1,024 entries), rendered lines included: each palette opened would hold
    some 0.3 MB until 1,024 newer entries push it out (about 45 MB in a day of ``ctrl+p``).
    A refresh before the palette goes drops those lines.
    """

    def on_screen_suspend(self) -> None:
        for widget in (self, *self.query("*")):
            widget.refresh()


class ReadlistApp(App[None]):
    """``opener`` opens links (default: the web browser); tests pass a recorder.

    The theme and the sort chosen here are remembered in ``$READLIST_HOME/tui-state.json``
    (readlist.tui.state), never in config.toml.
    """

    CSS_PATH = "readlist.tcss"
    TITLE = "readlist"
    ENABLE_COMMAND_PALETTE = True
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (110, "-wide")]  # noqa: RUF012 (Textual declares it so)

    def __init__(
        self, library: Library, *, opener: Opener | None = None, arxiv_client: ArxivClient | None = None
    ) -> None:
        super().__init__()
        self.library = library
        self.opener: Opener = opener if opener is not None else webbrowser.open
        self.arxiv_client = arxiv_client
        self.state = load_state(library.settings.home, SORTS)
        self.painted = False
        settings = library.settings
        self.user_keys = user_keymap(settings.keys, str(settings.config_file or "config.toml"))
        """The keys the user rebound (``[keys]`` of config.toml), checked: a clash stops the start here."""

    def on_mount(self) -> None:
        self.set_keymap(textual_keymap(self.user_keys))
        if self.state.theme and self.state.theme in self.available_themes:
            self.theme = self.state.theme
        self.push_screen(
            LibraryScreen(self.library, self.arxiv_client, sort=self.state.sort, reverse=self.state.reverse)
        )

    @on(FirstPainted)
    def first_paint(self) -> None:
        """The library is on screen: from now on the cyclic garbage collector runs.

        A command turns it off for its short life (readlist.cli.main); a session
        that opens and closes screens all day needs it (without it, 100 dialogs
        kept 150 MB)."""
        self.painted = True
        gc.enable()

    def watch_theme(self, theme: str) -> None:
        if self.painted:  # a choice in the palette, not the start-up
            self.remember(theme=theme)

    def remember(self, *, theme: str | None = None, sort: str | None = None, reverse: bool | None = None) -> None:
        """Keep a choice made in the TUI (theme, sort, reverse) for the next session."""
        new = replace(
            self.state,
            theme=theme if theme is not None else self.state.theme,
            sort=sort if sort is not None else self.state.sort,
            reverse=reverse if reverse is not None else self.state.reverse,
        )
        if new != self.state:
            self.state = new
            save_state(self.library.settings.home, new)

    @on(SortChosen)
    def _sort_chosen(self, message: SortChosen) -> None:
        self.remember(sort=message.sort, reverse=message.reverse)

    @on(OpenLink)
    def _open_link(self, message: OpenLink) -> None:
        """Hand an http(s) link to the browser, and say which happened: opened, or no browser took it."""
        from readlist.core.links import browsable, no_browser

        if not browsable(message.url):  # the last wall: only http(s) reaches a browser
            return
        if self.opener(message.url) is False:  # webbrowser.open: no $BROWSER and no opener it knows
            self.notify(no_browser(message.url), severity="error", timeout=10, markup=False)
        else:
            self.notify(f"Opening {message.url}", timeout=2, markup=False)

    @on(OpenFile)
    def _open_file(self, message: OpenFile) -> None:
        from readlist.core.attachments.opener import open_local
        from readlist.core.errors import ReadlistError

        viewer = self.library.settings.pdf_viewer

        def open_file() -> None:  # in a thread: the opener is watched a moment for a failure it reports
            try:
                open_local(Path(message.path), page=message.page, viewer=viewer)
            except ReadlistError as exc:
                self.call_from_thread(self.notify, str(exc), severity="error", timeout=10, markup=False)

        self.notify(f"Opening {Path(message.path).name}", timeout=2, markup=False)
        self.run_worker(open_file, thread=True, group="open", exit_on_error=False, description="open a file")

    def action_command_palette(self) -> None:
        if self.use_command_palette and not isinstance(self.screen, CommandPalette):
            self.push_screen(Palette(id="--command-palette"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from screen_commands(screen)
        for command in super().get_system_commands(screen):
            if command.title == "Screenshot":  # Textual's says "Failed to save screenshot", never why
                command = SystemCommand(command.title, command.help, lambda: self.set_timer(0.1, self.screenshot))
            yield command

    def screenshot(self, folder: Path | None = None) -> Path | None:
        """Save an SVG of the screen in ``folder`` (Textual's: the user's downloads folder), and say where, or
        the folder and the reason it could not be written there; the file's path, or None."""
        from datetime import datetime

        from platformdirs import user_downloads_path

        folder = folder if folder is not None else user_downloads_path()
        path = folder / f"readlist_{datetime.now():%Y-%m-%dT%H_%M_%S_%f}.svg"
        try:
            with open(path, "x", encoding="utf-8") as file:  # a new file, never one already there
                file.write(self.export_screenshot())
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            self.notify(f"Could not save the screenshot in {folder}: {reason}", title="Screenshot",
                        severity="error", timeout=10, markup=False)  # fmt: skip
            return None
        self.notify(f"Saved the screenshot to {path}", title="Screenshot", timeout=6, markup=False)
        return path


def run(library: Library, *, headless: bool = False) -> None:
    """Open the TUI over ``library`` (what bare `readlist` does).

    If the TUI stops on an error of readlist's own (a bug), the user gets one
    line saying so, never a screenful of traceback with the data of the
    moment in it; ``READLIST_DEBUG=1`` prints the whole trace too.
    """
    app = ReadlistApp(library)
    # Textual prints a crash's traceback (with local variables) on its error console once the screen is
    # restored: keep it here instead.
    captured = io.StringIO()
    app.error_console = Console(file=captured, width=120, markup=False, highlight=False, color_system=None)
    app.run(headless=headless)
    trace = captured.getvalue()
    if app.return_code and trace.strip():
        if os.environ.get("READLIST_DEBUG"):
            sys.stderr.write(trace)
        raise ReadlistError(
            f"the TUI stopped on an internal error: {_last_line(trace)} "
            "(your library is as it was after the last change; READLIST_DEBUG=1 shows the trace)"
        )


def _last_line(trace: str) -> str:
    """The exception line of a printed traceback ("RuntimeError: boom"), cleaned and cut short."""
    lines = [line.strip(" │╭╮╰╯─\t") for line in trace.splitlines()]
    last = clean_line(next((line for line in reversed(lines) if line), "unknown error"))
    return last if len(last) <= 160 else last[:159] + "…"
