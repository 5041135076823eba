"""The typer app, its default command (the TUI), and error handling.

Command modules attach their commands to :data:`app`; :mod:`readlist.cli.main`
imports them all. Nothing heavy is imported at module level: ``--help`` must
stay close to the cost of importing typer itself.
"""

import functools
from typing import TYPE_CHECKING

import typer

from readlist import __version__

if TYPE_CHECKING:
    from readlist.core.config import Settings
    from readlist.core.library import Library

app = typer.Typer(
    name="readlist",
    help="A terminal reading list for research papers. Run without a command to open the TUI.",
    no_args_is_help=False,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Plain click help: rich help rendering costs ~130 ms of imports on every --help.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# The data layer is imported on first use, not at start-up: `--help` needs none of it.
@functools.cache
def settings() -> "Settings":
    from readlist.core.config import load_settings

    return load_settings()


@functools.cache
def library() -> "Library":
    from readlist.cli.output import error
    from readlist.core.library import Library

    return Library(settings(), on_problem=error)


_kept: list[object] = []


def keep_until_exit(*objects: object) -> None:
    """Keep what a command is done with instead of freeing it: the `readlist` command leaves with
    ``os._exit`` (see :func:`readlist.cli.main.run`), and freeing 50,000 records one by one costs ~40 ms.
    :func:`readlist.cli.main.main` run in-process (the tests) lets them go on the way out."""
    _kept.extend(objects)


def let_go_of_kept() -> None:
    _kept.clear()


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"readlist {__version__}")
        raise typer.Exit()


@app.callback(invoke_without_command=True)
def default(
    ctx: typer.Context,
    version: bool = typer.Option(False, "--version", callback=_show_version, is_eager=True, help="Show the version."),
) -> None:
    """A terminal reading list for research papers.

    Run `readlist` alone to open the TUI; the commands below work from any shell.
    """
    if ctx.invoked_subcommand is None:
        open_tui()


@app.command("tui")
def tui() -> None:
    """Open the TUI (the same as running `readlist` alone)."""
    open_tui()


def open_tui() -> None:
    from readlist.tui.app import run

    lib = library()
    lib.check()  # a corrupt library is refused before the screen switches
    run(lib)


@app.command("paths")
def paths() -> None:
    """Print where readlist keeps its files and reads its settings."""
    from readlist.core.config import config_path

    s = settings()
    config = config_path()
    rows = [
        ("home", s.home),
        ("library", s.library_path),
        ("texts", s.library_path.with_name("library.texts")),
        ("backup", s.library_path.with_name("library.json.bak")),
        ("config", f"{config}{'' if config.is_file() else '  (not created)'}"),
    ]
    for name, value in rows:
        typer.echo(f"{name:<8} {value}")
