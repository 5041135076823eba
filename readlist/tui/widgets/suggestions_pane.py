"""The Suggestions view: the line that says which order, the list, and the ranking by fit behind them.

A part of the library screen that owns its state: the suggestions and the saved ids it was given, the
:class:`~readlist.tui.widgets.ranker.Ranker` it asks for a ranking (in the background, never before the first
paint), and the keys of the view (accept, dismiss, the order). Its writes go up as
:class:`~readlist.tui.messages.WriteAsked`; after a new list is shown it posts :class:`SuggestionsPane.Shown`
so the detail pane follows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static

from readlist.core.clean import clean_line
from readlist.core.library import Library
from readlist.core.suggestions import Suggestion
from readlist.tui import changes
from readlist.tui.actions import bindings, needs_of
from readlist.tui.dialogs.base import reusable
from readlist.tui.messages import SuggestionsRanked, WriteAsked
from readlist.tui.model import PaperModel
from readlist.tui.widgets.ranker import Ranker
from readlist.tui.widgets.suggestion_list import SuggestionList
from readlist.tui.widgets.suggestion_order import curators_order
from readlist.tui.words import short

if TYPE_CHECKING:
    from readlist.core.rank.score import Ranked


class SuggestionsPane(Vertical):
    """The order line, the list of picks and the ranking (see the module's docstring)."""

    BINDINGS: ClassVar[list[BindingType]] = bindings("suggestions")

    class Shown(Message):
        """The list was shown afresh (the highlighted pick may be another one)."""

    def __init__(self, library: Library, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.library = library
        self.model = PaperModel.from_records([], "added")
        """The library as shown (its tags complete the accept dialog's; its titles say why a pick fits)."""
        self.suggestions: list[Suggestion] = []
        self.stamp: object = None
        self.active = False
        """Whether the view is on screen (a ranking is asked for only then)."""
        self._after_ranking: Callable[[], object] | None = None

    def compose(self) -> ComposeResult:
        yield Static(id="suggestions-order", markup=False)
        yield SuggestionList(id="suggestions")
        yield Ranker(self.library)

    @property
    def listing(self) -> SuggestionList:
        return self.query_one(SuggestionList)

    def show(self, model: PaperModel, suggestions: list[Suggestion], stamp: object, keep: str | None = None,
             top: bool = False) -> None:  # fmt: skip
        """The suggestions in the order chosen, the cursor on ``keep``; then a ranking, once painted."""
        self.model, self.suggestions, self.stamp, self.active = model, suggestions, stamp, True
        self.query_one("#suggestions-order").display = bool(suggestions)
        self.listing.show(suggestions, set(model.positions), keep, top)
        self._order_line()
        self.post_message(self.Shown())
        self.call_after_refresh(self.want_ranking)  # the view never waits for the ranking

    def leave(self) -> None:
        """The view was left: back in it, the order follows the latest ranking."""
        self.active = False
        self.listing.release()

    def _order_line(self) -> None:
        ranker = self.query_one(Ranker)
        self.query_one("#suggestions-order", Static).update(self.listing.order_line(ranker.busy, ranker.error))

    def want_ranking(self) -> None:
        """Rank by fit in the background, unless the ranking of this state is done or under way."""
        if self.active and self.query_one(Ranker).want(self.stamp, curators_order(self.suggestions)):
            self._order_line()

    def after_ranking(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` now, or once the ranking under way arrives (the search index's sync and the
        ranking share one interpreter: each would take about twice as long beside the other)."""
        if self.query_one(Ranker).busy:
            self._after_ranking = callback
        else:
            callback()

    @on(SuggestionsRanked)
    def _ranked(self, message: SuggestionsRanked) -> None:
        """A ranking arrived: the list re-ordered, the cursor on the same pick (or still on the first)."""
        message.stop()
        ranker, listing = self.query_one(Ranker), self.listing
        if not ranker.arrived(message):
            return
        top = listing.at_top and not listing.held
        if ranker.ranking is not None:
            listing.rank(ranker.ranking)
        if self.active:
            self.show(self.model, self.suggestions, self.stamp, top=top)
        if self._after_ranking is not None and not ranker.busy:
            callback, self._after_ranking = self._after_ranking, None
            self.app.call_after_refresh(callback)  # once the new order is painted
        self._propose_tags()

    def _propose_tags(self) -> None:
        """The accept dialog waiting for its proposed tags gets them."""
        from readlist.tui.dialogs.accept import AcceptDialog

        dialog, ranker = self.app.screen, self.query_one(Ranker)
        if not isinstance(dialog, AcceptDialog) or not dialog.waiting or dialog.suggestion_key is None:
            return
        ranking = ranker.ranking
        ranked = ranking.get(dialog.suggestion_key) if ranking is not None else None
        if ranked is None and ranker.busy:
            return  # a ranking of other suggestions: the one asked for is still under way
        note = ranking.note if ranking is not None and not ranking.ranked else None
        if ranked is None and ranking is None:
            note = "the suggestions could not be ranked"
        tags = list(ranked.tags) if ranked is not None else []
        dialog.propose(dialog.suggestion_key, tags, self._like(ranked), note)

    def _like(self, ranked: Ranked | None) -> list[str]:
        """The titles of the library papers the proposed tags come from."""
        papers = [self.model.get(i) for i in (ranked.like if ranked is not None else ())]
        return [short(clean_line(p.title or p.id), 60) for p in papers if p is not None]

    # -- the keys ----------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        needs = needs_of(action, parameters)
        if needs == "suggestion":
            return self.active and self.listing.current is not None
        return self.active if needs == "suggestions-view" else True

    @on(SuggestionList.OptionSelected)
    def action_accept(self) -> None:
        """enter: accept the pick; with the tags its nearest papers carry, in a dialog (enter, enter)."""
        from readlist.tui.dialogs.accept import AcceptDialog

        s = self.listing.current
        if s is None:
            return
        self.want_ranking()
        ranker = self.query_one(Ranker)
        ranking = ranker.ranking
        ranked = ranking.get(s.key) if ranking is not None else None
        if ranking is not None and not ranking.ranked:
            tags: list[str] | None = []  # too few papers to learn tags from
        elif ranked is not None:
            tags = list(ranked.tags)
        else:
            tags = None if ranker.busy else []
        if tags == []:
            self._accept(s, [])
            return

        def done(chosen: list[str] | None) -> None:
            if chosen is not None:
                self._accept(s, chosen)

        dialog = reusable(self.app, AcceptDialog)
        dialog.setup(s.key, short(s.title, 60), self.model.tags(), tags, self._like(ranked))
        self.app.push_screen(dialog, done)

    def _accept(self, s: Suggestion, tags: list[str]) -> None:
        library = self.library
        self._write(s, "accept", lambda: changes.accept(library, s.key, tags))
        tagged = f" ({' '.join('#' + t for t in tags)})" if tags else ""
        self.notify(f"Accepted into To read: {short(s.title)}{tagged}", timeout=3, markup=False)

    def action_dismiss_suggestion(self) -> None:
        s = self.listing.current
        if s is not None:
            library = self.library
            self._write(s, "dismiss", lambda: changes.dismiss(library, s.key))
            self.notify(f"Dismissed: {short(s.title)}", timeout=3, markup=False)

    def _write(self, s: Suggestion, verb: str, job: changes.Job) -> None:
        self.listing.hold()  # the order holds still while the user triages (a new ranking follows)
        self.post_message(WriteAsked(job, f"could not {verb} {s.key}", self.listing.key_after(s.key)))

    def action_fit_order(self) -> None:
        """S: by fit with the library, or the curators' order."""
        listing = self.listing
        listing.by_fit = not listing.by_fit
        listing.release()
        self.show(self.model, self.suggestions, self.stamp)
        ranking = self.query_one(Ranker).ranking
        if listing.by_fit and ranking is not None and not ranking.ranked and ranking.note:
            said = clean_line(ranking.note[0].upper() + ranking.note[1:]) + "."
        else:
            said = "By fit with your library" if listing.by_fit else "The curators' order"
        self.notify(said, timeout=4 if ranking is not None and not ranking.ranked else 2, markup=False)
