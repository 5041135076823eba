"""The SQLite files readlist keeps in its cache folder (the search index, the light rows).

They are derived and outside input alike (a sync, another program or an
attacker may have put anything in their place), so both are opened the same
way: never through a link, with ``trusted_schema`` off and cell sizes
checked, and removed whole (journals too) when they cannot be trusted.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path


def connect(path: Path, busy_timeout: float) -> sqlite3.Connection:
    """A connection in autocommit mode (transactions are explicit), usable from any thread."""
    db = sqlite3.connect(path, timeout=busy_timeout, isolation_level=None, check_same_thread=False)
    db.execute("PRAGMA trusted_schema = OFF")
    db.execute("PRAGMA cell_size_check = ON")
    return db


def remove_if_not_regular(path: Path) -> None:
    """A link, a FIFO or anything else but a regular file at ``path`` is removed, never followed (a folder
    is an OSError: it may hold someone's files)."""
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        return
    if stat.S_ISREG(mode):
        return
    if stat.S_ISDIR(mode):
        raise OSError(f"{path} is a folder")
    os.unlink(path)


def remove(path: Path) -> None:
    """The database and its journals, whatever is there."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")
