"""Commands on curated suggestions: pull, suggestions, accept, dismiss."""

import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Annotated, Any

import typer

from readlist.cli.app import app, library
from readlist.cli.output import error, info, print_json
from readlist.core.errors import BadInput
from readlist.core.rank.fit import fit_bar

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID
    from rich.text import Text

    from readlist.core.library import Library
    from readlist.core.rank.score import Ranking
    from readlist.core.suggestions import Suggestion, Suggestions
    from readlist.sources.pull import PullReport


def _suggestions() -> "Suggestions":
    from readlist.core.suggestions import Suggestions

    return Suggestions(library())


@app.command("pull")
def pull(
    source_file: Annotated[
        str | None,
        typer.Option("--from", help="A selection to read: a file or an http(s) URL (post, list, ids, HF JSON)."),
    ] = None,
    month: Annotated[
        str | None,
        typer.Option("--month", "-m", help="The month, YYYY-MM (else the document's; its latest, if it has several)."),
    ] = None,
    all_months: Annotated[
        bool, typer.Option("--all-months", help="With --from: every month the document holds, not only its latest.")
    ] = False,
    source: Annotated[
        str | None,
        typer.Option("--source", "-s", help="Pull only this source; with --from, the name to file it under."),
    ] = None,
) -> None:
    """Pull curated monthly selections in as suggestions.

    Without --from, every enabled source is asked for each month since its last pull
    (Zeta Alpha's Best of arXiv, ML Papers of the Week, Hugging Face daily papers);
    a source's first pull takes its last complete month.

    A document that holds many months (ML Papers of the Week's weekly tables) gives its
    latest month, unless --month or --all-months says otherwise. A week belongs to the
    month that holds most of its seven days (4 or more): "Jan 30 - Feb 5" is February's.
    Picks are looked up on arXiv; pulling the same month again changes nothing.
    """
    from readlist.sources.pull import pull as do_pull

    with _Progress() as progress:
        report = do_pull(
            library(), document=source_file, month=month, progress=progress, source=source, all_months=all_months
        )
    _print_report(report)
    if report.failures:
        raise typer.Exit(1)


def _print_report(report: "PullReport") -> None:
    from readlist.core.clean import clean_line

    for line in report.selections:
        info(clean_line(line))
    for title in report.not_on_arxiv:
        info(f"  not on arXiv, kept as a suggestion: {clean_line(title)}")
    for note in report.notes:
        info(clean_line(note))
    picks = "pick" if report.new_picks == 1 else "picks"
    news = "suggestion" if report.new_suggestions == 1 else "suggestions"
    months = ", ".join(report.months) if report.months else "no month"
    info(f"Pulled {months}: {report.new_suggestions} new {news}, {report.new_picks} new {picks}.")
    if report.other_months:
        others = report.other_months
        held = ", ".join(others) if len(others) <= 4 else f"{others[0]} to {others[-1]}"
        info(
            f"The document also holds {len(others)} other month{'s' if len(others) != 1 else ''} ({held}): "
            f"take one with --month YYYY-MM, or all with --all-months."
        )
    for failure in report.failures:
        error(clean_line(failure))


class _Progress:
    """A rich progress bar on stderr when it is a terminal; otherwise a plain line when a stage starts,
    and one when a stage of several steps ends ("Hugging Face daily papers: June 2024, 30 days: 30/30")."""

    def __init__(self) -> None:
        self._tty = sys.stderr.isatty()
        self._bar: Progress | None = None
        self._tasks: dict[str, TaskID] = {}
        self._last: str | None = None
        self._done: set[str] = set()

    def __enter__(self) -> "_Progress":
        if self._tty:
            from rich.console import Console
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

            self._bar = Progress(
                TextColumn("{task.description}"),
                BarColumn(),
                MofNCompleteColumn(),
                TimeElapsedColumn(),
                console=Console(stderr=True),
                transient=True,
            )
            self._bar.start()
        return self

    def __call__(self, what: str, done: int, total: int) -> None:
        if self._bar is not None:
            if what not in self._tasks:
                self._tasks[what] = self._bar.add_task(what, total=max(total, 1))
            self._bar.update(self._tasks[what], completed=done, total=max(total, 1))
        else:
            if what != self._last:
                self._last = what
                info(f"{what} ...")
            if total > 1 and done == total and what not in self._done:
                self._done.add(what)
                info(f"{what}: {done}/{total}")

    def __exit__(self, *exc: object) -> None:
        if self._bar is not None:
            self._bar.stop()


def _state_counts(rows: "list[Suggestion]") -> str:
    counts: dict[str, int] = {}
    for s in rows:
        counts[s.state] = counts.get(s.state, 0) + 1
    return " · ".join(f"{n} {state}" for state, n in counts.items())


@app.command("suggestions")
def suggestions(
    month: Annotated[str | None, typer.Option("--month", "-m", help="Only this month (YYYY-MM).")] = None,
    source: Annotated[str | None, typer.Option("--source", "-s", help="Only this source (e.g. zeta-alpha).")] = None,
    show_all: Annotated[bool, typer.Option("--all", "-a", help="Also accepted and dismissed ones.")] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON records (with fit and why).")] = False,
    sort: Annotated[
        str,
        typer.Option(
            "--sort",
            help="fit: by fit with your library (the default, once it holds 5 papers); curator: the curators' order.",
        ),
    ] = "fit",
    explain: Annotated[
        bool, typer.Option("--explain", help="Say why each one fits: papers it is like, curators, upvotes.")
    ] = False,
) -> None:
    """List suggestions from curated selections (new ones unless --all), each month's best fit first."""
    from readlist.core.month import Month

    sort = sort.strip().lower()
    if sort not in ("fit", "curator"):
        raise BadInput(f"--sort {sort!r}: use fit or curator")
    wanted = Month.parse(month).key if month else None
    table = _suggestions()
    if source is not None:
        _known_source(table, source)
    rows = table.select(month=wanted, source=source, include_all=show_all)
    saved = set(table.library.snapshot().papers)
    ranking = _rank(table.library, rows)
    if ranking is not None and ranking.ranked and sort == "fit":
        # Each month's picks by fit, the newest month first (as the curators' order groups them).
        position = {key: i for i, key in enumerate(ranking.keys)}
        rows.sort(key=lambda s: position[s.key])
        rows.sort(key=lambda s: s.first_pick.get("month", ""), reverse=True)
    elif ranking is not None and ranking.note and sort == "fit":
        info(ranking.note[0].upper() + ranking.note[1:] + ".")
    if as_json:
        from readlist.core.clean import clean_line

        records = []
        for s in rows:
            record = s.public_dict(table.in_library(s, saved))
            ranked = ranking.get(s.key) if ranking is not None else None
            record["fit"] = ranked.fit if ranked is not None else None
            record["why"] = clean_line(ranked.why) if ranked is not None else ""
            records.append(record)
        print_json(records)
        return
    _print_suggestions(rows, saved, ranking, explain)


def _known_source(table: "Suggestions", name: str) -> None:
    """BadInput (exit 2, as `pull --source` gives) for a source neither configured nor behind any suggestion."""
    from readlist.sources import registry

    names = [s.name for s in registry.sources(table.library.settings)]
    filed = {source for s in table.all() for source in s.sources}
    if name not in names and name not in filed:
        others = sorted(filed - set(names))
        raise BadInput(f"no source {name!r}: the sources are {', '.join(names + others)}")


def _rank(library: "Library", rows: "list[Suggestion]") -> "Ranking | None":
    """The rows ranked by fit with the library (numpy is imported here, not at start-up)."""
    if not rows:
        return None
    from readlist.core.rank.ranking import rank_suggestions

    return rank_suggestions(library, rows)


def _why_text(why: str) -> "Text":
    """A why line as rich Text: the papers it names (between asterisks) in italics, never markup."""
    from rich.text import Text

    from readlist.core.clean import clean_line

    text = Text(style="dim")
    for i, part in enumerate(clean_line(why).split("*")):
        text.append(part, style="italic" if i % 2 else "")
    return text


def picked_by(pick: dict[str, Any]) -> str:
    """One pick for people: "ML Papers of the Week · June 3–9, 2024 #4", "Hugging Face daily papers ·
    June 2024 · ▲ 312", "Best of arXiv · January 2021 #3"."""
    from readlist.core.month import month_label
    from readlist.sources.registry import source_label

    parts = [source_label(str(pick.get("source", "")))]
    if pick.get("week"):
        number = f" #{pick['number']}" if pick.get("number") else ""
        parts.append(f"{pick.get('week_label') or pick['week']}{number}")
    else:
        parts.append(month_label(str(pick.get("month", ""))))
        if pick.get("upvotes") is not None:
            parts.append(f"▲ {pick['upvotes']}")
        elif pick.get("rank"):
            parts[-1] += f" #{pick['rank']}"
    return " · ".join(parts)


def _print_suggestions(rows: "list[Suggestion]", saved: set[str], ranking: "Ranking | None", explain: bool) -> None:
    from readlist.core.clean import clean_line

    def ranked(s: "Suggestion") -> tuple[float | None, str]:
        found = ranking.get(s.key) if ranking is not None else None
        return (found.fit, clean_line(found.why)) if found is not None else (None, "")

    if not sys.stdout.isatty():
        for s in rows:
            pick = s.first_pick
            fields = [
                s.key, s.state, pick.get("month", ""), str(pick.get("rank", "")), ",".join(s.sources),
                s.title, (s.authors[0] if s.authors else ""), "in-library" if s.key in saved else "",
                pick.get("week") or "", str(pick.get("number") or ""),
            ]  # fmt: skip
            fit, why = ranked(s)
            fields.append(f"{fit:.3f}" if fit is not None else "")  # ranking: fit, then the why line with --explain
            if explain:
                fields.append(why)
            sys.stdout.write("\t".join(clean_line(str(f)) for f in fields) + "\n")
        return
    from rich.console import Console

    console = Console()
    if not rows:
        console.print("[dim]No suggestions. `readlist pull` fetches this month's selections.[/dim]")
        return
    console.print(_suggestions_table(rows, saved, console.width, ranked, explain))
    console.print(f"[dim]{len(rows)} suggestion{'s' if len(rows) != 1 else ''} ({_state_counts(rows)})[/dim]")


TITLE_ROOM = 30
"""Columns the title and blurb get at least; below, the first author goes, then keys move under titles."""


def _suggestions_table(
    rows: "list[Suggestion]",
    saved: set[str],
    width: int,
    ranked: "Callable[[Suggestion], tuple[float | None, str]]",
    explain: bool,
) -> Any:
    """The suggestions for a terminal ``width`` wide. Keys never break: they are what accept and dismiss take."""
    from rich.cells import cell_len
    from rich.table import Table
    from rich.text import Text

    from readlist.core.clean import clean_line

    key_width = max(cell_len(clean_line(s.key)) for s in rows)
    picked_width = 24
    room = width - (1 + 2) - (key_width + 2) - (4 + 2) - (picked_width + 2) - (10 + 2)  # fit, key, #, picked, state
    show_author = room - 22 >= TITLE_ROOM
    apart = room < TITLE_ROOM
    table = Table(box=None, header_style="bold", pad_edge=False)
    table.add_column("fit", no_wrap=True, style="green")
    if not apart:
        table.add_column("key", style="cyan", no_wrap=True, min_width=key_width)
    table.add_column("#", justify="right", no_wrap=True)
    table.add_column("title · why it was picked" + (" / key · picked by · state" if apart else ""), ratio=5)
    if show_author and not apart:
        table.add_column("first author", max_width=20, overflow="ellipsis", no_wrap=True)
    if not apart:
        table.add_column("picked by", max_width=picked_width, style="magenta")
        table.add_column("state", no_wrap=True)
    for s in rows:
        pick = s.first_pick
        first_author = (s.authors[0] + (" et al." if len(s.authors) > 1 else "")) if s.authors else ""
        why = " ".join(s.blurb.split("\n", 1)[0].split())
        why = why if len(why) <= 110 else why[:109].rsplit(" ", 1)[0] + "…"
        title = Text()  # Text, not markup: titles and blurbs are outside text
        title.append(clean_line(s.title), style="bold")
        if why:
            title.append("\n" + clean_line(why), style="dim")
        ordered = sorted(s.picks, key=lambda p: (p["month"], p.get("week") or "", p["rank"]))
        picked = [clean_line(picked_by(p)) for p in ordered]
        number = pick.get("number") if pick.get("week") else None
        rank = f"#{number}" if number else str(pick.get("rank", ""))
        state = s.state + (" · in library" if s.key in saved else "")
        fit, why_line = ranked(s)
        if explain and why_line:
            title.append("\n")
            title.append_text(_why_text(why_line))
        if apart:
            title.append("\n")
            title.append(clean_line(s.key), style="cyan")
            details = [clean_line(first_author), *picked, state]
            title.append("  " + " · ".join(d for d in details if d), style="dim")
            table.add_row(fit_bar(fit), rank, title)
            continue
        row: list[Any] = [fit_bar(fit), Text(clean_line(s.key)), rank, title]
        if show_author:
            row.append(Text(clean_line(first_author)))
        row += [Text("\n".join(picked)), state.replace(" · ", "\n")]
        table.add_row(*row)
    return table


KeysArgument = Annotated[
    list[str], typer.Argument(help="arXiv ids or the keys `readlist suggestions` shows.", show_default=False)
]


@app.command("accept")
def accept(
    keys: KeysArgument,
    auto_tag: Annotated[
        bool,
        typer.Option("--auto-tag", help="Also give each one the tags of its nearest papers in your library."),
    ] = False,
) -> None:
    """Add suggestions to the library as to-read, tagged with their source, blurb kept."""
    table = _suggestions()
    proposed: dict[str, list[str]] = {}
    if auto_tag:
        from readlist.core.rank.ranking import MIN_PAPERS, rank_suggestions

        ranking = rank_suggestions(table.library, [table.find(k) for k in keys])
        if ranking.ranked:
            proposed = {item.key: list(item.tags) for item in ranking.items}
        else:
            info(f"No tags proposed: your library holds fewer than {MIN_PAPERS} papers to learn them from.")
    tagged = table.accept(keys, proposed)
    for paper in tagged:
        pending = " (pending: `readlist refresh` fetches its details)" if paper.pending else ""
        info(f"Accepted {paper.id}  {paper.title}{pending}")
        if auto_tag and proposed.get(paper.id):
            info(f"  tagged {' '.join('#' + t for t in proposed[paper.id])} (like the nearest papers in your library)")
        elif auto_tag and not proposed.get(paper.id) and paper.id in proposed:
            info("  no tags proposed: nothing in your library is close enough")
    from readlist.cli.files import fetch_when_set

    if fetch_when_set(tagged, "accept"):
        raise typer.Exit(1)


@app.command("dismiss")
def dismiss(keys: KeysArgument) -> None:
    """Dismiss suggestions: they never come back, from any month or source."""
    if not keys:
        raise BadInput("name at least one suggestion to dismiss")
    table = _suggestions()
    dismissed = table.dismiss(keys)
    for s in dismissed:
        info(f"Dismissed {s.key}  {s.title}")
