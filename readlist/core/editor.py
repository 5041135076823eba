"""Editing a note in the user's editor."""

from __future__ import annotations

import os
import shlex
import subprocess
import tempfile
from pathlib import Path

from readlist.core.errors import BadInput, ReadlistError


def edit_text(text: str, editor: str | None, name: str = "note") -> str:
    """Open ``text`` in ``editor`` and return what the user saved.

    The temporary file is removed afterwards whatever happens; an editor that
    exits non-zero leaves the text unchanged.
    """
    if not editor:
        raise BadInput("no editor set: set $EDITOR (or `editor` in config.toml), or use --append")
    fd, tmp = tempfile.mkstemp(prefix=f"readlist-{name}-", suffix=".md")
    path = Path(tmp)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        try:
            code = subprocess.call([*shlex.split(editor), str(path)])
        except OSError as exc:
            raise ReadlistError(f"cannot start the editor {editor!r}: {exc.strerror or exc}") from None
        if code != 0:
            raise ReadlistError(f"the editor {editor!r} exited with status {code}; the note is unchanged")
        return path.read_text(encoding="utf-8")
    finally:
        path.unlink(missing_ok=True)
