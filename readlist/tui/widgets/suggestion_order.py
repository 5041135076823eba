"""The orders of the Suggestions view: groups by month and source (the curators'), or each month by fit,
and the words of a group's title and of a pick's place. Plain functions over suggestions: no widget."""

from __future__ import annotations

from collections import defaultdict

from readlist.core.month import month_label
from readlist.core.suggestions import State, Suggestion
from readlist.sources.registry import source_label

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
