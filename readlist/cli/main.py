"""Entry point: ``readlist`` runs :func:`main`."""

from __future__ import annotations

import contextlib
import gc
import os
import sys

from readlist.cli import (
    completion,  # noqa: F401  (registers its command)
    files,  # noqa: F401  (registers attach, detach, trash and pdf)
    papers,  # noqa: F401  (registers its commands)
    suggest,  # noqa: F401  (registers its commands)
    transfer,  # noqa: F401  (registers export and import)
)
from readlist.cli.app import app, let_go_of_kept
from readlist.cli.completion import keep_words_current
from readlist.cli.output import error
from readlist.core.errors import ReadlistError

NO_TERMINAL = "the TUI needs a terminal (stdin and stdout); run a command instead, e.g. `readlist list`"


def has_terminal() -> bool:
    """Whether both stdin and stdout are terminals (what the TUI draws on and reads keys from)."""
    try:
        return sys.stdin.isatty() and sys.stdout.isatty()
    except (AttributeError, ValueError):  # closed or replaced streams
        return False


def opens_tui(args: list[str]) -> bool:
    """Whether these arguments open the TUI: none at all, or `tui`."""
    return not args or args[0] == "tui"


def main(*, collect_after: bool = True) -> None:
    args = sys.argv[1:]
    tui = opens_tui(args)
    if tui and not has_terminal():
        # Without a terminal the TUI would write escape codes into a file and wait for keys forever.
        if not args:  # the help, on stderr like every usage error
            with contextlib.redirect_stdout(sys.stderr), contextlib.suppress(SystemExit):
                app(prog_name="readlist", args=["--help"], standalone_mode=False)
        error(NO_TERMINAL)
        sys.exit(2)
    # A command is short-lived and its big allocations (the parsed library, its
    # Paper objects) hold no cycles: the collector's full passes over them cost
    # ~0.1-0.2 s at 10,000 papers and free nothing. The TUI is long-lived and
    # makes cycles with every screen it opens and closes (left to pile up, 100
    # dialogs cost 150 MB): it keeps the collector, and turns it off only while
    # it parses the library. Re-enabled on the way out for callers that run
    # main() in-process (the tests), after the completion words are written: a
    # full pass over the parsed library there cost a write ~0.1 s at 10,000 papers.
    # run() exits right after (``collect_after=False``): the collector stays off,
    # as its first pass would walk every object the command made (~0.2 s at 50,000).
    if not tui:
        gc.disable()
    try:
        app(prog_name="readlist")
    except ReadlistError as exc:
        error(str(exc))
        sys.exit(exc.exit_code)
    except KeyboardInterrupt:
        error("interrupted")
        sys.exit(130)
    except Exception as exc:  # a bug, not something the user caused
        if os.environ.get("READLIST_DEBUG"):
            raise
        error(f"internal error: {type(exc).__name__}: {exc} (run with READLIST_DEBUG=1 for details)")
        sys.exit(1)
    finally:
        try:
            keep_words_current(tui)
        finally:
            if collect_after or tui:
                let_go_of_kept()
                gc.enable()


def run() -> None:
    """The `readlist` command: :func:`main`, then a quick exit.

    A command that read a 10,000-paper library holds a couple of million
    small objects; tearing them down one by one at interpreter exit costs
    about 0.2 s and changes nothing on disk (every file readlist writes is
    closed and replaced before this point). So the process flushes its output
    and leaves with ``os._exit``. Callers that run :func:`main` in-process
    (the tests) are unaffected.
    """
    try:
        main(collect_after=False)
        code = 0
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    try:
        sys.stdout.flush()
    except (BrokenPipeError, ValueError):  # `readlist list | head`: the reader left
        code = code or 1
    with contextlib.suppress(BrokenPipeError, ValueError):
        sys.stderr.flush()
    os._exit(code)
