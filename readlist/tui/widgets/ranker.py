"""Ranks the suggestions by fit with the library, in a thread, when the Suggestions view asks.

A non-visual widget beside :class:`~readlist.tui.widgets.sync.LibrarySync`.
The ranking (:mod:`readlist.core.rank.ranking`, which imports numpy) is imported and
run in a worker only once the Suggestions view has painted: the view never
waits for it. It reports by :class:`~readlist.tui.messages.SuggestionsRanked`.
Ranking reads the library and writes nothing but its own cache (never
library.json); its index stays in memory between rankings, so ranking again
after a change costs little.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from textual.widget import Widget
from textual.worker import get_current_worker

from readlist.core.library import Library
from readlist.core.suggestions import Suggestion
from readlist.tui.messages import SuggestionsRanked
from readlist.tui.threads import in_thread

if TYPE_CHECKING:
    from readlist.core.rank.score import Ranking

Asked = tuple[object, tuple[str, ...]]
"""What a ranking ranks: the library's stamp, and the suggestions' keys in the curators' order."""


class Ranker(Widget):
    """Holds the latest ranking, and ranks again when the library or its suggestions changed."""

    DEFAULT_CSS = "Ranker { display: none; }"

    def __init__(self, library: Library) -> None:
        super().__init__()
        self.library = library
        self.ranking: Ranking | None = None
        self.error: str | None = None
        """Why the latest ranking failed (the curators' order stays)."""
        self.asked: Asked | None = None
        self.done: Asked | None = None

    @property
    def busy(self) -> bool:
        """Whether a ranking is under way whose result has not arrived."""
        return self.asked is not None and self.asked != self.done

    def want(self, stamp: object, suggestions: Sequence[Suggestion]) -> bool:
        """Rank ``suggestions`` (in the curators' order) of the library at ``stamp``, unless that is done
        or under way. True if a ranking started."""
        asked = (stamp, tuple(s.key for s in suggestions))
        if not asked[1] or asked == self.asked:
            return False
        self.asked = asked
        self._rank(asked, list(suggestions))  # exclusive: a ranking under way is cancelled
        return True

    @in_thread("rank", "rank by fit")
    def _rank(self, asked: Asked, suggestions: list[Suggestion]) -> None:
        from readlist.core.rank.ranking import rank_suggestions

        stamp, keys = asked
        worker = get_current_worker()
        try:
            ranking = rank_suggestions(self.library, suggestions)
        except Exception as exc:  # the ranking is a help, never a failure: the curators' order stays
            self.post_message(SuggestionsRanked(None, stamp, keys, worker, error=str(exc) or type(exc).__name__))
            return
        self.post_message(SuggestionsRanked(ranking, stamp, keys, worker))

    def arrived(self, message: SuggestionsRanked) -> bool:
        """Keep what a worker found, unless a later ranking was asked for since (its worker was cancelled).
        True if it is kept."""
        if message.stale:
            return False
        if (message.stamp, message.keys) == self.asked:
            self.done = self.asked
        if message.ranking is not None:
            self.ranking, self.error = message.ranking, None
        else:
            self.error = message.error
        return True
