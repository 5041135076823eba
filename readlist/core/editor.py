"""Editing a note in the user's editor, without ever losing what was typed.

The editor is a command line (``$VISUAL``, ``$EDITOR``, or ``editor`` in
config.toml as a string or a list of words): a string is split with
:mod:`shlex`, and one that cannot be split (``vi "``) is a one-line error. The
note goes to a temporary file named ``readlist-note-XXXXXXXX.md`` (never the
paper's id: a 312-byte DOI would be too long a name). What the editor saved is
read back as UTF-8; bytes that are not UTF-8 (an editor set to Latin-1) are
replaced, with a warning that names the kept file holding the exact bytes. An
editor that fails, or that leaves no file, is an error naming the temporary
file, which is kept: the text is never deleted with it.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from readlist.core.clean import excerpt
from readlist.core.errors import BadInput, ReadlistError

FALLBACK_EDITORS = ("vi", "nano")
"""Tried in this order when neither config.toml, $VISUAL nor $EDITOR names an editor."""
NOTE_LIMIT = 64_000_000
"""Largest file an editor may hand back, in bytes."""

Command = str | Sequence[str]
"""An editor: a command line to split with shlex, or the words of one."""


def editor_command(configured: Command | None) -> Command | None:
    """The editor to run: the configured one, else the first of vi and nano on PATH, else None."""
    if isinstance(configured, str) and configured.strip():
        return configured
    if not isinstance(configured, str) and configured and any(word.strip() for word in configured):
        return list(configured)
    return next((name for name in FALLBACK_EDITORS if shutil.which(name)), None)


def shown(command: Command) -> str:
    """The editor as the user would type it, for messages."""
    return command if isinstance(command, str) else shlex.join(command)


def editor_argv(command: Command) -> list[str]:
    """The words of the editor's command line, or BadInput (one line) when it cannot be split."""
    if not isinstance(command, str):
        return [str(word) for word in command]
    try:
        words = shlex.split(command)
    except ValueError as exc:
        raise BadInput(
            f"cannot read the editor command {excerpt(command)}: {exc} (check its quotes in $VISUAL, $EDITOR "
            "or `editor` in config.toml)"
        ) from None
    if not words:
        raise BadInput("the editor command is empty: set $EDITOR (or `editor` in config.toml)")
    return words


def edit_text(text: str, editor: Command | None, on_warning: Callable[[str], None] | None = None) -> str:
    """Open ``text`` in ``editor`` (or vi, or nano) and return what the user saved.

    The file handed over ends with a newline, as editors expect (one that
    appends a line would otherwise join it to the last). It is removed when the
    text came back whole; otherwise it is kept and named: in the error when the
    editor failed or left no file (the note is then unchanged), in the warning
    given to ``on_warning`` when bytes that are not UTF-8 were replaced.
    """
    command = editor_command(editor)
    if command is None:
        raise BadInput("no editor found: set $EDITOR (or `editor` in config.toml), or use --append")
    argv = editor_argv(command)
    fd, tmp = tempfile.mkstemp(prefix="readlist-note-", suffix=".md")
    path = Path(tmp)
    keep = True
    try:
        with os.fdopen(fd, "w", encoding="utf-8", errors="surrogateescape") as handle:
            handle.write(text if not text or text.endswith("\n") else text + "\n")
        try:
            code = subprocess.call([*argv, str(path)])
        except OSError as exc:
            raise ReadlistError(f"cannot start the editor {shown(command)!r}: {exc.strerror or exc}") from None
        if code != 0:
            raise ReadlistError(
                f"the editor {shown(command)!r} exited with status {code}; the note is unchanged; "
                f"what it saved is kept in {path}"
            )
        data = _read_back(path, shown(command))
        try:
            result = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            result = data.decode("utf-8", errors="replace")
            if on_warning is not None:
                on_warning(
                    f"the editor saved text that is not UTF-8 (byte {exc.start}); bytes that could not be read "
                    f"were replaced with \N{REPLACEMENT CHARACTER}; the file as saved is kept in {path}"
                )
            return result
        keep = False
        return result
    finally:
        if not keep:
            path.unlink(missing_ok=True)


def _read_back(path: Path, command: str) -> bytes:
    from readlist.core.files import NotRegularFile, read_regular

    if not os.path.lexists(path):
        raise ReadlistError(
            f"the editor {command!r} left no file at {path} (it was deleted or moved); the note is unchanged"
        )
    try:
        return read_regular(path, NOTE_LIMIT, follow=False)
    except NotRegularFile as exc:
        raise ReadlistError(f"cannot read back the note: {exc}; the note is unchanged; {path} is kept") from None
