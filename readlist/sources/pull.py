"""Pulling selections into the suggestions table: from one document, or from every enabled source.

``pull(library, document=...)`` reads a file or URL, detects its format,
resolves its picks on arXiv and records them. ``pull(library)`` asks each
enabled source for every month since its last pull (the last month pulled is
kept per source in the store's ``sources`` table) and records what it finds.
A failing source is named in ``PullReport.failures``; the other sources still
run, nothing already stored is lost, and the month is retried next time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from readlist.core.errors import BadInput, NetworkError
from readlist.core.library import Library
from readlist.core.month import Month, month_label
from readlist.core.suggestions import Suggestion, Suggestions
from readlist.sources import registry
from readlist.sources.detect import parse_document
from readlist.sources.fetch import read_document
from readlist.sources.model import RawPick, Selection, months_held
from readlist.sources.record import items_for, record
from readlist.sources.text import compact

if TYPE_CHECKING:
    from readlist.core.arxiv_api import ArxivClient

Progress = Callable[[str, int, int], None]
"""progress(what, done, total): what is being done ("arXiv: Best of arXiv January 2021"), steps done, of total."""

MAX_MONTHS = 12
"""A pull after a long pause goes back at most this many months."""


@dataclass
class PullReport:
    new_suggestions: int = 0
    new_picks: int = 0
    failures: list[str] = field(default_factory=list)
    months: list[str] = field(default_factory=list)
    picks: int = 0
    """Picks read (in every selection pulled)."""
    resolved: int = 0
    """Picks found on arXiv (now, or by an earlier pull)."""
    not_on_arxiv: list[str] = field(default_factory=list)
    """Titles of picks arXiv does not have: kept as suggestions without an arXiv id."""
    skipped: int = 0
    """Picks not recorded because arXiv could not be asked; the next pull retries them."""
    selections: list[str] = field(default_factory=list)
    """"Best of arXiv · January 2021: 10 picks" for each selection read."""
    other_months: list[str] = field(default_factory=list)
    """Months the document also holds that this pull did not take (``--month``, ``--all-months``)."""
    notes: list[str] = field(default_factory=list)
    """What the user should know: a parser's warnings, a month a source has not published yet."""


def today() -> date:
    """Today's date: which months a source has published by now (tests fix it)."""
    return date.today()


def pull(
    library: Library,
    *,
    document: str | None = None,
    month: str | None = None,
    progress: Progress | None = None,
    source: str | None = None,
    client: ArxivClient | None = None,
    all_months: bool = False,
) -> PullReport:
    """Pull one document (a path or URL), or every enabled source (``source`` picks one).

    A document that holds several months (a file of weekly lists) gives its
    latest month unless ``month`` names one or ``all_months`` is set; the
    others are listed in ``PullReport.other_months``.
    """
    report = PullReport()
    wanted_month = Month.parse(month) if month else None
    if document is not None:
        if all_months and wanted_month:
            raise BadInput("give --month YYYY-MM or --all-months, not both")
        text, name, url = read_document(document, library.settings)
        wanted = wanted_month.key if wanted_month else None
        selections = parse_document(text, name=name, url=url, month=wanted, source=source)
        if not selections:
            held = months_held(parse_document(text, name=name, url=url, source=source))
            holds = f"it holds {_span(held)}" if held else "it names no month"
            what = wanted_month.label if wanted_month else "any month"
            raise BadInput(f"{document}: no selection for {what} in it ({holds})")
        for selection in selections:
            if selection.month is None:
                raise BadInput(f'{document} names no month (such as "January 2021"): pass --month YYYY-MM')
        if len(selections) > 1 and not all_months:
            selections.sort(key=lambda s: s.month or "")
            report.other_months = [s.month or "" for s in selections[:-1]]
            selections = selections[-1:]
        for selection in selections:
            _pull_selection(library, selection, report, progress, client)
        return report
    _pull_sources(library, report, progress, client, only=source, month=wanted_month)
    return report


def _span(months: list[str]) -> str:
    """ "2023-01 to 2025-06, 30 months", or the months themselves when there are few."""
    if len(months) <= 3:
        return ", ".join(months)
    return f"{months[0]} to {months[-1]}, {len(months)} months"


def _pull_sources(
    library: Library,
    report: PullReport,
    progress: Progress | None,
    client: ArxivClient | None,
    *,
    only: str | None,
    month: Month | None,
) -> None:
    from readlist.sources.feeds import fetcher

    settings = library.settings
    configured = registry.sources(settings)
    if only is not None:
        chosen = [s for s in configured if s.name == only]
        if not chosen:
            names = ", ".join(s.name for s in configured)
            raise BadInput(f"no source {only!r}: the sources are {names}")
    else:
        chosen = [s for s in configured if s.enabled]
    current = Month.of(today())
    state = library.snapshot().sources
    for config in chosen:
        source = fetcher(config, settings, progress)
        last = Month.from_key(str((state.get(config.name) or {}).get("last_month") or ""))
        months = [month] if month else _months_to_pull(last, current)
        advanced = last
        failed = False
        contiguous = True
        for m in months:
            skipped = report.skipped
            try:
                selections = source.month(m)
                for selection in selections:
                    _pull_selection(library, selection, report, progress, client)
                if not selections and source.note:
                    report.notes.append(source.note)
            except NetworkError as exc:
                report.failures.append(f"{config.label} ({config.name}): {exc}")
                failed = True
                break
            if m.key not in report.months:
                report.months.append(m.key)
            if report.skipped > skipped:
                failed = True  # arXiv failed: this month is pulled again next time
                break
            # A month is done once it is over and its selection was found (or is long overdue).
            complete = m < current and (bool(selections) or m < current.shifted(-2))
            if contiguous and complete and not month:
                advanced = m
            else:
                contiguous = False
        _remember(library, config.name, advanced, failed)


def _months_to_pull(last: Month | None, current: Month) -> list[Month]:
    """Every month after the last one pulled, up to this one; on a first pull, the last complete month."""
    if last is None:
        return [current.shifted(-1)]
    return last.shifted(1).through(current)[-MAX_MONTHS:]


def _remember(library: Library, name: str, last_month: Month | None, failed: bool) -> None:
    library.record_pull(name, last_month=last_month.key if last_month else None, failed=failed)


def _known(library: Library, selection: Selection) -> dict[int, Suggestion]:
    """Picks of this selection already resolved by an earlier pull, by rank (no need to ask arXiv again)."""
    assert selection.month is not None
    found: dict[int, Suggestion] = {}
    by_title: dict[str, Suggestion] = {}
    for s in Suggestions(library).all():
        for p in s.picks:
            if p["source"] == selection.source and p["month"] == selection.month and p.get("title"):
                by_title[compact(p["title"])] = s
    for pick in selection.picks:
        earlier = by_title.get(compact(pick.title)) if pick.title else None
        same = earlier is not None and (not pick.arxiv_id or pick.arxiv_id == earlier.arxiv_id)
        if earlier is not None and same and (earlier.arxiv_id is None or earlier.metadata is not None):
            found[pick.rank] = earlier
    return found


def _pull_selection(
    library: Library,
    selection: Selection,
    report: PullReport,
    progress: Progress | None,
    client: ArxivClient | None,
) -> None:
    from readlist.sources.resolve import resolve

    assert selection.month is not None
    label = f"{registry.source_label(selection.source)} · {month_label(selection.month)}"
    for warning in selection.warnings:
        if f"{label}: {warning}" not in report.notes:
            report.notes.append(f"{label}: {warning}")
    report.picks += len(selection.picks)
    if selection.month not in report.months:
        report.months.append(selection.month)
    known = _known(library, selection)
    for pick in selection.picks:
        s = known.get(pick.rank)
        if s is not None:
            pick.arxiv_id, pick.metadata = s.arxiv_id, s.metadata
            if s.arxiv_id is None:
                pick.doi = pick.doi or s.doi
    to_resolve = [p for p in selection.picks if p.rank not in known]
    resolution = None
    if to_resolve:
        if client is None:
            from readlist.core.arxiv_api import get_client

            client = get_client(library.settings)
        resolution = resolve(to_resolve, client, month=selection.month, progress=progress, label=f"arXiv: {label}")
    unresolved = {id(p) for p in resolution.unresolved} if resolution else set()
    keep: list[RawPick] = []
    for pick in selection.picks:
        if id(pick) in unresolved and not pick.arxiv_id:
            report.skipped += 1
            continue
        keep.append(pick)
        if pick.arxiv_id:
            report.resolved += 1
        else:
            report.not_on_arxiv.append(pick.title)
    new_suggestions, new_picks = record(library, items_for(selection, keep))
    report.new_suggestions += new_suggestions
    report.new_picks += new_picks
    report.selections.append(f"{label}: {len(selection.picks)} pick{'s' if len(selection.picks) != 1 else ''}")
    if resolution is not None and resolution.error is not None:
        waiting = len(resolution.unresolved)
        report.failures.append(
            f"arXiv, resolving {label}: {resolution.error}; "
            f"{waiting} pick{'s' if waiting != 1 else ''} not resolved yet, pull again to retry"
        )
