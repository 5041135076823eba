"""Editing a note in the user's editor."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import tempfile
from pathlib import Path

from readlist.core.errors import BadInput, ReadlistError

FALLBACK_EDITORS = ("vi", "nano")
"""Tried in this order when neither config.toml, $VISUAL nor $EDITOR names an editor."""


def editor_command(configured: str | None) -> str | None:
    """The editor to run: the configured one, else the first of vi and nano on PATH, else None."""
    if configured and configured.strip():
        return configured
    return next((name for name in FALLBACK_EDITORS if shutil.which(name)), None)


def edit_text(text: str, editor: str | None, name: str = "note") -> str:
    """Open ``text`` in ``editor`` (or vi, or nano) and return what the user saved.

    The file handed over ends with a newline, as editors expect (one that
    appends a line would otherwise join it to the last). The temporary file is
    removed afterwards whatever happens; an editor that exits non-zero leaves
    the text unchanged.
    """
    command = editor_command(editor)
    if command is None:
        raise BadInput("no editor found: set $EDITOR (or `editor` in config.toml), or use --append")
    fd, tmp = tempfile.mkstemp(prefix=f"readlist-{name}-", suffix=".md")
    path = Path(tmp)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text if not text or text.endswith("\n") else text + "\n")
        try:
            code = subprocess.call([*shlex.split(command), str(path)])
        except OSError as exc:
            raise ReadlistError(f"cannot start the editor {command!r}: {exc.strerror or exc}") from None
        if code != 0:
            raise ReadlistError(f"the editor {command!r} exited with status {code}; the note is unchanged")
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)
