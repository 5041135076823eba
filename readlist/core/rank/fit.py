"""How a suggestion's fit shows at a glance: one block character (the CLI's and the TUI's fit column).

Plain Python, no numpy: the commands and the TUI import it at start-up, while
the ranking itself (readlist.core.rank.score, readlist.core.rank.ranking) is imported only
where suggestions are ranked.
"""

from __future__ import annotations

FIT_BARS = "▁▂▃▄▅▆▇█"


def fit_bar(fit: float | None) -> str:
    """One block character for a fit in 0..1 (nothing when the suggestions are not ranked)."""
    if fit is None:
        return ""
    return FIT_BARS[min(len(FIT_BARS) - 1, max(0, int(fit * len(FIT_BARS))))]
