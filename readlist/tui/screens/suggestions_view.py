"""The Suggestions view of the library screen: the list in the order chosen, the line that says which order,
and the ranking by fit that runs in the background and re-orders the list when it arrives.

A plain object the screen owns (``screen.suggestions_view``), beside Triage and LibraryJobs; it sees the
screen only through :class:`~readlist.tui.screens.host.Host`.
"""

from __future__ import annotations

from readlist.tui.messages import SuggestionsRanked
from readlist.tui.model import SUGGESTIONS, PaperModel
from readlist.tui.screens.host import Host
from readlist.tui.widgets.suggestion_list import curators_order


class SuggestionsView:
    def __init__(self, host: Host) -> None:
        self.host = host
        self.warm_after_ranking: PaperModel | None = None
        """A word index to build once the ranking under way ends (the two share one interpreter)."""

    def show(self, keep: str | None = None, top: bool = False) -> None:
        """The suggestions in the order chosen, the line that says which, and the highlighted one in detail."""
        host = self.host
        host.suggestion_list.show(host.suggestions, set(host.model.positions), keep, top)
        self.show_order_line()
        host.show_detail()

    def show_order_line(self) -> None:
        ranker = self.host.ranker
        self.host.order_line.update(self.host.suggestion_list.order_line(ranker.busy, ranker.error))

    def want_ranking(self) -> None:
        """Rank the suggestions by fit in the background, unless the ranking of this state is done or under way."""
        host = self.host
        if host.view != SUGGESTIONS or not host.loaded:
            return
        if host.ranker.want(host.sync.stamp, curators_order(host.suggestions)):
            self.show_order_line()

    def ranked(self, message: SuggestionsRanked) -> bool:
        """A ranking arrived: the list re-ordered, the cursor on the same suggestion (or still on the first).
        False when it is not the latest asked for (and is dropped)."""
        host = self.host
        ranker, listing = host.ranker, host.suggestion_list
        if not ranker.arrived(message):
            return False
        top = listing.at_top and not listing.held
        if ranker.ranking is not None:
            listing.rank(ranker.ranking)
        if host.view == SUGGESTIONS:
            self.show(top=top)
        if self.warm_after_ranking is not None and not ranker.busy:
            model, self.warm_after_ranking = self.warm_after_ranking, None
            host.app.call_after_refresh(host.sync.warm, model)  # once the new order is painted
        return True

    def warm(self, model: PaperModel) -> None:
        """Build the word index of ``model`` in a thread, after the ranking if one is under way: each would
        take about twice as long beside the other."""
        if self.host.ranker.busy:
            self.warm_after_ranking = model
        else:
            self.host.sync.warm(model)
