"""The suggestions view: each month's picks by fit with the library, or by month and source in the curators' order.

The first paint never waits for the ranking: the list shows the curators' order
(or the last ranking's) at once, and :meth:`SuggestionList.rank` re-orders it
when a ranking arrives: the cursor stays on the same suggestion, or on the
first row if it was there (the view opens on the best fit). While you
accept and dismiss, the order holds still (the fit bars and the why lines
follow the new ranking); it follows the ranking again when you come back to
the view or press ``S``.
"""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from readlist.core.clean import clean_line
from readlist.core.month import month_label
from readlist.core.rank.fit import FIT_BARS, fit_bar
from readlist.core.suggestions import State, Suggestion
from readlist.sources.registry import source_label
from readlist.tui.actions import MOVES, bindings

if TYPE_CHECKING:
    from readlist.core.rank.score import Ranked, Ranking

STATE_MARKS = {State.NEW.value: "•", State.ACCEPTED.value: "✓", State.DISMISSED.value: "✕"}
FIT = "fit"
"""The last part of an option's id in fit order (in the curators' order, it is the source)."""


def state_counts(members: list[Suggestion]) -> str:
    """'3 accepted · 2 dismissed · 5 new'."""
    counts = {state.value: 0 for state in State}
    for s in members:
        counts[s.state] = counts.get(s.state, 0) + 1
    order = (State.ACCEPTED.value, State.DISMISSED.value, State.NEW.value)
    return " · ".join(f"{counts[s]} {s}" for s in order if counts[s])


def group_title(month: str, source: str, members: list[Suggestion]) -> str:
    """'January 2021 · Best of arXiv: 3 accepted · 2 dismissed · 5 new' ('January 2021 · by fit: ...')."""
    return f"{month_label(month)} · {'by fit' if source == FIT else source_label(source)}: {state_counts(members)}"


def grouped(suggestions: list[Suggestion]) -> list[tuple[tuple[str, str], list[tuple[int, Suggestion]]]]:
    """(month, source) groups, newest month first; each pick in rank order."""
    groups: dict[tuple[str, str], list[tuple[int, Suggestion]]] = defaultdict(list)
    for s in suggestions:
        seen: set[tuple[str, str]] = set()
        for pick in sorted(s.picks, key=lambda p: int(p.get("rank") or 0)):
            group = (pick["month"], pick["source"])
            if group not in seen:  # picked in two weeks of a month: listed once, at its first pick
                seen.add(group)
                groups[group].append((int(pick.get("rank") or 0), s))
    order = sorted(groups, key=lambda g: (g[0], g[1]))
    order.sort(key=lambda g: g[0], reverse=True)
    return [(g, sorted(groups[g], key=lambda item: (item[0], item[1].title))) for g in order]


def curators_order(suggestions: list[Suggestion]) -> list[Suggestion]:
    """Each suggestion once, where the curators' order shows it first (what the ranking is given)."""
    seen: dict[str, Suggestion] = {}
    for _, picks in grouped(suggestions):
        for _, s in picks:
            seen.setdefault(s.key, s)
    return list(seen.values())


def by_fit(
    suggestions: list[Suggestion], order: dict[str, int], new_first: bool = True
) -> list[tuple[str, list[Suggestion]]]:
    """Month groups, newest first, as `readlist suggestions` groups them (a suggestion under the month of
    its first pick): each month's new picks by fit, best first, then (``new_first``) those accepted or
    dismissed, by fit too. Suggestions ``order`` does not know yet come after those it knows, in the
    curators' order."""
    months: dict[str, list[Suggestion]] = defaultdict(list)
    for s in suggestions:
        months[str(s.first_pick.get("month", ""))].append(s)
    unknown = len(order)

    def place(s: Suggestion) -> tuple[bool, int, int, str]:
        done = new_first and s.state != State.NEW.value
        return done, order.get(s.key, unknown), int(s.first_pick.get("rank") or 0), s.title

    return [(month, sorted(months[month], key=place)) for month in sorted(months, reverse=True)]


def picked_in(s: Suggestion, month: str) -> str:
    """Who picked it in ``month``: 'Best of arXiv #3 · ML Papers of the Week June 3–9, 2024 #4 · Hugging Face ▲ 312'."""
    parts = []
    for pick in sorted((p for p in s.picks if p.get("month") == month), key=lambda p: (p["source"], p["rank"])):
        if pick.get("week"):
            place = f"{pick.get('week_label') or pick['week']} #{pick.get('number') or '?'}"
        elif pick.get("upvotes") is not None:
            place = f"▲ {pick['upvotes']}"
        else:
            place = f"#{pick['rank']}"
        parts.append(f"{source_label(pick['source'])} {place}")
    return " · ".join(parts)


class SuggestionList(OptionList):
    """One option per pick, under a disabled header option per group; a fit bar leads each pick (blank
    until the ranking arrives, and when the library is too small to rank).

    The moving keys are the paper table's (the table of actions); ``enter`` selects.
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings("list", only=MOVES | {"activate"})  # no marks here

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.by_option: dict[str, Suggestion] = {}
        self.saved_ids: set[str] = set()
        self.ranking: Ranking | None = None
        """The latest ranking (its fits, why lines and proposed tags show)."""
        self.order: dict[str, int] = {}
        """The fit order shown (key -> place): the latest ranking's, unless held."""
        self.held = False
        self.by_fit = True
        """The order chosen with ``S``: by fit (when the library is ranked) or the curators'."""

    # -- the order --------------------------------------------------------------------

    def rank(self, ranking: Ranking) -> None:
        """A new ranking: its fits and why lines show, and its order unless the order is held (and shows the
        same suggestions)."""
        self.ranking = ranking
        if not ranking.ranked:
            self.order = {}
        elif not self.held or set(self.order) != set(ranking.keys):
            self.order = {key: i for i, key in enumerate(ranking.keys)}
            self.held = False

    def hold(self) -> None:
        """Keep the order as it is shown while the user accepts and dismisses (a new ranking would move
        rows they have not seen yet above the cursor, and a pick accepted would sink to its month's end)."""
        if not self.held and self.fit_order:
            shown = (o.id.split("|")[0] for o in self.options if o.id and o.id in self.by_option)
            self.order = {key: i for i, key in enumerate(dict.fromkeys(shown))}
        self.held = True

    def release(self) -> None:
        """Follow the latest ranking's order again."""
        self.held = False
        if self.ranking is not None:
            self.rank(self.ranking)

    @property
    def fit_order(self) -> bool:
        """Whether the rows show in fit order now."""
        return self.by_fit and bool(self.order)

    def ranked(self, key: str) -> Ranked | None:
        return self.ranking.get(key) if self.ranking is not None else None

    def order_line(self, ranking_now: bool, error: str | None = None) -> Text:
        """One line over the list: the order shown, and why it is not by fit when it is not."""
        text = Text()
        ranking = self.ranking
        if ranking is not None and not ranking.ranked and ranking.note:
            note = clean_line(ranking.note)  # the CLI's words: "your library holds 3 papers: suggestions keep ..."
            text.append(note[:1].upper() + note[1:] + ".")
        elif error and not self.order:
            text.append("Curators' order: ", style="bold")
            text.append(f"could not rank by fit ({clean_line(error)}).")
        elif not self.by_fit:
            text.append("Curators' order", style="bold")
            text.append(" · S: by fit with your library", style="dim")
        elif self.order:
            text.append("By fit with your library", style="bold")
            text.append(f" ({FIT_BARS[0]} low, {FIT_BARS[-1]} high)")
            text.append(" · S: curators' order", style="dim")
        elif ranking_now:
            text.append("Curators' order", style="bold")
            text.append(" for now: ranking by fit with your library…", style="dim")
        else:
            text.append("Curators' order", style="bold")
        return text

    # -- moving ---------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        self.action_cursor_down() if step > 0 else self.action_cursor_up()

    def action_page(self, direction: int) -> None:
        self.action_page_down() if direction > 0 else self.action_page_up()

    def action_jump(self, where: int) -> None:
        self.action_first() if where == 0 else self.action_last()

    def action_activate(self) -> None:
        self.action_select()

    def key_after(self, key: str) -> str | None:
        """The key of the pick shown after ``key`` (or before it, at the end): where the cursor goes next."""
        keys = [o.id.split("|")[0] for o in self.options if o.id and not o.disabled and o.id in self.by_option]
        if key not in keys:
            return None
        at = keys.index(key)
        later = [k for k in keys[at + 1 :] if k != key]
        earlier = [k for k in keys[:at] if k != key]
        return later[0] if later else (earlier[-1] if earlier else None)

    # -- showing --------------------------------------------------------------------------

    @property
    def at_top(self) -> bool:
        """Whether the cursor is on the first pick (where a re-ordered list keeps it: on the new first)."""
        first = next((i for i, o in enumerate(self.options) if not o.disabled), None)
        return first is not None and self.highlighted == first

    def show(
        self, suggestions: list[Suggestion], saved_ids: set[str], keep: str | None = None, top: bool = False
    ) -> None:
        """Show ``suggestions``; the cursor on ``keep`` (else on the suggestion it was on; the first with ``top``)."""
        keep = None if top else keep or (self.current.key if self.current else None)
        keep_index = None if top else self.highlighted
        keep_index = self.highlighted
        self.saved_ids = saved_ids
        self.by_option = {}
        options: list[Option | None] = []

        def group(month: str, source: str, members: list[Suggestion]) -> None:
            if options:
                options.append(None)
            title = group_title(month, source, members)
            options.append(Option(Text(title, style="bold"), id=f"group|{month}|{source}", disabled=True))

        if self.fit_order:
            for month, members in by_fit(suggestions, self.order, new_first=not self.held):
                group(month, FIT, members)
                for s in members:
                    option_id = f"{s.key}|{month}|{FIT}"
                    self.by_option[option_id] = s
                    options.append(Option(self._prompt(s, month, None, None), id=option_id))
        else:
            for (month, source), picks in grouped(suggestions):
                group(month, source, [s for _, s in picks])
                for rank, s in picks:
                    option_id = f"{s.key}|{month}|{source}"
                    self.by_option[option_id] = s
                    options.append(Option(self._prompt(s, month, source, rank), id=option_id))
        if not options:
            hint = Text.assemble(
                ("No suggestions yet.", "bold"),
                "\nPull the curated monthly selections: ctrl+p → Pull curated suggestions,"
                "\nor from a shell: readlist pull",
            )
            options.append(Option(hint, id="empty", disabled=True))
        self.clear_options()
        self.add_options(options)
        target = None
        if keep is not None:
            target = next((i for i, o in enumerate(self.options) if o.id and o.id.split("|")[0] == keep), None)
        if target is None and keep_index is not None:
            target = min(keep_index, self.option_count - 1)
        if target is None:
            target = next((i for i, o in enumerate(self.options) if not o.disabled), None)
        if target is not None and self.option_count:
            while target < self.option_count - 1 and self.get_option_at_index(target).disabled:
                target += 1
            self.highlighted = target

    def _prompt(self, s: Suggestion, month: str, source: str | None, rank: int | None) -> Text:
        """``▆ •   3. Title  — First author et al.  June 3–9, 2024 #4  (in library)`` in the curators' order;
        in fit order the curators' places follow the author instead of the rank."""
        text = Text()
        style = "" if s.state == State.NEW.value else "dim"
        ranked = self.ranked(s.key)
        text.append(f"{fit_bar(ranked.fit if ranked is not None else None) or ' '} ")  # the fit column
        text.append(f"{STATE_MARKS.get(s.state, ' ')} ", style=style)
        if rank is not None:
            text.append(f"{rank:>3}. ", style="dim")
        text.append(clean_line(s.title), style=style)
        if s.authors:
            author = clean_line(s.authors[0]) + (" et al." if len(s.authors) > 1 else "")
            text.append(f"  — {author}", style="dim")
        if source is None:
            places = picked_in(s, month)
            if places:
                text.append("  " + clean_line(places), style="dim")
        else:
            weeks = [p for p in s.picks if p["month"] == month and p["source"] == source and p.get("week")]
            if weeks:  # the curator's place in a weekly list: "June 3–9, 2024 #4"
                places = " · ".join(f"{p.get('week_label') or p['week']} #{p.get('number') or '?'}" for p in weeks)
                text.append("  " + clean_line(places), style="dim")
        if s.key in self.saved_ids:
            text.append("  (in library)", style="italic dim")
        return text

    @property
    def current(self) -> Suggestion | None:
        if self.highlighted is None or self.highlighted >= self.option_count:
            return None
        option = self.get_option_at_index(self.highlighted)
        return self.by_option.get(option.id or "")
