"""Opening a local file: the platform's opener, or the configured PDF viewer at a page.

A file is handed over as one absolute path, one argument of a process started without a shell (an
absolute path never reads as an option). ``pdf_viewer`` (``READLIST_PDF_VIEWER``) names a viewer; for
evince, okular, zathura and mupdf a page to open at is passed the way each takes it.
"""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

from readlist.core.errors import ReadlistError


def page_arguments(viewer: str, path: str, page: int | None) -> list[str]:
    """The arguments after the viewer's own: the path, with the page where this viewer takes one."""
    name = Path(viewer).name
    if page is None or page < 1:
        return [path]
    if name == "evince":
        return [f"--page-index={page}", path]
    if name == "okular":
        return ["-p", str(page), path]
    if name == "zathura":
        return [f"--page={page}", path]
    if name.startswith("mupdf"):
        return [path, str(page)]
    return [path]


def open_local(path: Path, *, page: int | None = None, viewer: str | None = None) -> None:
    """Open a local file, detached from readlist (ReadlistError, in one line, when nothing can)."""
    absolute = os.path.abspath(path)
    if not os.path.isfile(absolute):
        raise ReadlistError(f"{absolute} is not there any more (detach it, or attach it again)")
    if viewer:
        command = shlex.split(viewer)
        if not command:
            raise ReadlistError("pdf_viewer is empty")
        command += page_arguments(command[0], absolute, page)
    elif sys.platform == "win32":  # pragma: no cover - not tested on Linux
        os.startfile(absolute)  # type: ignore[attr-defined]
        return
    elif sys.platform == "darwin":  # pragma: no cover
        command = ["open", absolute]
    else:
        command = ["xdg-open", absolute]
    options: dict[str, Any] = {"start_new_session": True}
    try:
        subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **options
        )
    except OSError as exc:
        raise ReadlistError(f"could not start {command[0]} to open {absolute}: {exc.strerror or exc}") from None
