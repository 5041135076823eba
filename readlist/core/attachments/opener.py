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

FAILURE_WAIT = 1.0
"""Seconds an opener is watched for a failure it reports at once (xdg-open with no display exits 3 within
a few milliseconds); one still running then is a viewer that is up, or an opener handing over."""


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
        process = subprocess.Popen(
            command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **options
        )
    except OSError as exc:
        raise ReadlistError(f"could not start {command[0]} to open {absolute}: {exc.strerror or exc}") from None
    try:
        status = process.wait(timeout=FAILURE_WAIT)
    except subprocess.TimeoutExpired:
        return
    if status != 0:
        raise ReadlistError(f"{command[0]} could not open {absolute} (exit status {status}){_no_display(viewer)}")


def _no_display(viewer: str | None) -> str:
    """Why the platform's opener likely failed, when there is no graphical display to open a file on."""
    if viewer or sys.platform in ("win32", "darwin") or os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return ""
    return ": there is no display here ($DISPLAY is unset); set pdf_viewer to a program that can show it here"
