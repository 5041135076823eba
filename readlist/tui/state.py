"""What the TUI remembers between sessions: the theme and the sort chosen in it.

readlist never writes config.toml. The TUI keeps the few choices made in it
in a small file of its own, ``$READLIST_HOME/tui-state.json`` (beside the
library), written only when the user picks a theme or a sort. A missing or
unreadable file means the defaults; it is never a reason not to start.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, dataclass
from pathlib import Path

STATE_FILE = "tui-state.json"
STATE_LIMIT = 64 * 1024


@dataclass(frozen=True)
class TuiState:
    theme: str | None = None
    """A Textual theme name ('textual-dark', 'nord', ...); None: Textual's default."""
    sort: str = "added"
    reverse: bool = False


def state_path(home: Path) -> Path:
    return home / STATE_FILE


def load_state(home: Path, sorts: tuple[str, ...]) -> TuiState:
    """The remembered state (defaults for anything missing, unknown or unreadable)."""
    from readlist.core.errors import ReadlistError
    from readlist.core.files import read_regular

    try:  # a regular file of a few bytes, never a FIFO or a giant
        data = json.loads(read_regular(state_path(home), STATE_LIMIT, follow=False))
    except (ReadlistError, ValueError):
        return TuiState()
    if not isinstance(data, dict):
        return TuiState()
    theme = data.get("theme")
    sort = data.get("sort")
    return TuiState(
        theme=theme if isinstance(theme, str) and theme else None,
        sort=sort if sort in sorts else "added",
        reverse=data.get("reverse") is True,
    )


def save_state(home: Path, state: TuiState) -> None:
    """Write ``state``; a home that cannot be written is not an error (the choice lasts this session)."""
    from readlist.core.files import replace_atomically

    with contextlib.suppress(OSError):
        data = (json.dumps(asdict(state), indent=2) + "\n").encode("utf-8")
        replace_atomically(state_path(home), data, durable=False)
