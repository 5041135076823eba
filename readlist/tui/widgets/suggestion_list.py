"""The suggestions view: picks grouped by month and source, with counts per group."""

from __future__ import annotations

from collections import defaultdict
from typing import ClassVar

from rich.text import Text
from textual.binding import BindingType
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from readlist.core.suggestions import State, Suggestion
from readlist.tui.actions import MOVES, bindings
from readlist.tui.labels import month_label, source_label

STATE_MARKS = {State.NEW.value: "•", State.ACCEPTED.value: "✓", State.DISMISSED.value: "✕"}


def group_title(month: str, source: str, members: list[Suggestion]) -> str:
    """'January 2021 · Best of arXiv: 3 accepted · 2 dismissed · 5 new'."""
    counts = {state.value: 0 for state in State}
    for s in members:
        counts[s.state] = counts.get(s.state, 0) + 1
    parts = [f"{counts[s]} {s}" for s in (State.ACCEPTED.value, State.DISMISSED.value, State.NEW.value) if counts[s]]
    return f"{month_label(month)} · {source_label(source)}: " + " · ".join(parts)


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


class SuggestionList(OptionList):
    """One option per pick, under a disabled header option per group.

    The moving keys are the paper table's (the table of actions); ``enter`` selects.
    There is room after the title for a column of how well a pick fits the library.
    """

    BINDINGS: ClassVar[list[BindingType]] = bindings("list", only=MOVES | {"activate"})  # no marks here

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.by_option: dict[str, Suggestion] = {}
        self.saved_ids: set[str] = set()

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

    def show(self, suggestions: list[Suggestion], saved_ids: set[str], keep: str | None = None) -> None:
        keep = keep or (self.current.key if self.current else None)
        keep_index = self.highlighted
        self.saved_ids = saved_ids
        self.by_option = {}
        options: list[Option | None] = []
        for (month, source), members in grouped(suggestions):
            if options:
                options.append(None)
            title = group_title(month, source, [s for _, s in members])
            options.append(Option(Text(title, style="bold"), id=f"group|{month}|{source}", disabled=True))
            for rank, s in members:
                option_id = f"{s.key}|{month}|{source}"
                self.by_option[option_id] = s
                options.append(Option(self._prompt(rank, s, month, source), id=option_id))
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

    def _prompt(self, rank: int, s: Suggestion, month: str, source: str) -> Text:
        text = Text()
        style = "" if s.state == State.NEW.value else "dim"
        text.append(f"{STATE_MARKS.get(s.state, ' ')} ", style=style)
        text.append(f"{rank:>3}. ", style="dim")
        text.append(s.title, style=style)
        if s.authors:
            author = s.authors[0] + (" et al." if len(s.authors) > 1 else "")
            text.append(f"  — {author}", style="dim")
        weeks = [p for p in s.picks if p["month"] == month and p["source"] == source and p.get("week")]
        if weeks:  # the curator's place in a weekly list: "June 3–9, 2024 #4"
            places = (f"{p.get('week_label') or p['week']} #{p.get('number') or '?'}" for p in weeks)
            text.append("  " + " · ".join(places), style="dim")
        if s.key in self.saved_ids:
            text.append("  (in library)", style="italic dim")
        return text

    @property
    def current(self) -> Suggestion | None:
        if self.highlighted is None or self.highlighted >= self.option_count:
            return None
        option = self.get_option_at_index(self.highlighted)
        return self.by_option.get(option.id or "")
