"""dair-ai's "ML Papers of the Week": one Markdown file of weekly tables, grouped here into months.

Each week is a heading "Top ML Papers of the Week (January 27 - February 2) -
2025" followed by a table whose rows read ``| 1) **Title** - what it does |
[Paper](url), [Tweet](url) |`` (2023-24) or ``| 1) Title  What it does | ... |``
(2025, no bold: the title is the leading phrase, before two spaces or a dash).

* **The week's dates.** "Jan 30-Feb 5", "May 22-28", "Mar 20-Mar 26",
  "December 30 - January 5", "Dec 25, 2022 - Dec 31, 2022" are read by a small
  tokenizer (so "to" is never found inside "October").
* **The year.** The heading's own year ("- 2025") names the year of the
  week's month (so "December 30 - January 5) - 2025" starts on 2024-12-30).
  Without one, a year heading in the body ("## 2023" directly above its weeks)
  gives it. Without that, the year follows from the neighbouring weeks: weeks
  run in order (newest first in dair-ai's file), so each takes the year that
  puts it nearest the week next to it that has one. A table of contents ("##
  2023" above a list of links to the weeks) is never read for years. Only a
  document with no year at all falls back to ``year`` (from --month, the file
  name or the text).
* **The month.** A week belongs to the month holding most of its days: 4 or
  more of its 7 (``Month.of_week``).
* **The picks.** One pick per row, in the week's order, with the curator's
  number ("4)") and the week (its first day, ISO, and a label). A row whose
  paper is not on arXiv is a pick too, with its own link and label.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, timedelta

from readlist.core.errors import BadInput
from readlist.core.links import browsable
from readlist.core.month import MONTHS, Month
from readlist.sources.blocks import Block, Link
from readlist.sources.model import RawPick, Selection
from readlist.sources.text import arxiv_id_in, doi_in, strip_emoji

SOURCE = "papers-of-the-week"
TITLE = "ML Papers of the Week"
_MARK = "papers of the week"
_TOKEN = re.compile(r"[A-Za-z]+|\d+|[-–—]")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_NUMBER = re.compile(r"\s*(\d{1,3})\s*[.)]\s*")
_SOCIAL = ("twitter.com", "x.com", "threads.net", "linkedin.com", "youtube.com", "youtu.be", "bsky.app")
_SEPARATORS = ("  ", " - ", " – ", " — ", " -- ")
MAX_TITLE_WORDS = 25
_OPENER = re.compile(  # words that start a curator's blurb, capitalised, followed by a lower-case word
    r" (?=(?:This|These|Introduces|Proposes|Presents|Researchers|We|Shows|Demonstrates|Investigates|Explores|"
    r"Examines|Argues|Describes|Provides|Develops|Evaluates|Analyzes|Releases|Unveils|Announces|Finds|Reports|"
    r"Offers|Builds|Trains) [a-z])"
)


class Week:
    """One week heading: its dates as the curator wrote them, and what the document says of its year."""

    def __init__(
        self,
        heading: str,
        first: tuple[int, int],
        last: tuple[int, int] | None,
        years: tuple[int | None, int | None],
        own_year: int | None,
    ) -> None:
        self.heading = heading
        self.first = first  # (month, day)
        self.last = last  # (month, day), or None for "the week from"
        self.years = years  # years written inside the range, e.g. "Dec 25, 2022 - Dec 31, 2022"
        self.own_year = own_year  # "- 2025" after the range
        self.start: date | None = None
        self.end: date | None = None

    def dated(self, year: int, *, names_month: bool) -> tuple[date, date] | None:
        """Its first and last day when ``year`` is the year it starts in (or, with names_month, of its month)."""
        start_year = self.years[0] or year
        try:
            start = date(start_year, *self.first)
            if self.last is None:
                end = start + timedelta(days=6)
            else:
                end_year = self.years[1] or (start_year + 1 if self.last < self.first else start_year)
                end = date(end_year, *self.last)
        except ValueError:
            return None
        if end < start or (end - start).days > 13:
            return None
        if names_month and not self.years[0] and Month.of_week(start, end).year != year:
            return self.dated(year - 1, names_month=False)  # "(December 30 - January 5) - 2025"
        return start, end


def week_label(start: date, end: date) -> str:
    """ "June 3–9, 2024", "May 27 – June 2, 2024", "December 30, 2024 – January 5, 2025"."""
    first = f"{start:%B} {start.day}"
    if start.year != end.year:
        return f"{first}, {start.year} – {end:%B} {end.day}, {end.year}"
    if start.month != end.month:
        return f"{first} – {end:%B} {end.day}, {end.year}"
    return f"{first}–{end.day}, {end.year}"


def read_week(heading: str) -> Week | None:
    """The week a heading "Top ML Papers of the Week (Jan 30-Feb 5) - 2023" names, or None."""
    lower = heading.lower()
    at = lower.find(_MARK)
    if at < 0:
        return None
    opening = heading.find("(", at)
    closing = heading.find(")", opening + 1)
    if opening < 0 or closing < 0:
        return None
    found = read_range(heading[opening + 1 : closing])
    if found is None:
        return None
    first, last, years = found
    own = _YEAR.search(heading[closing + 1 : closing + 40])
    return Week(heading, first, last, years, int(own.group(1)) if own else None)


def read_range(text: str) -> tuple[tuple[int, int], tuple[int, int] | None, tuple[int | None, int | None]] | None:
    """ "January 30 - February 5" as ((1, 30), (2, 5), (None, None)); "May 22-28" as ((5, 22), (5, 28), ...)."""
    tokens = _TOKEN.findall(text[:200])
    sides: list[list[int]] = [[], []]  # month, day, year of each side as found
    side = 0
    for token in tokens:
        word = token.lower()
        if token in "-–—" or word in ("to", "through", "until", "till"):
            if sides[0]:
                side = 1
            continue
        if side > 1:
            break
        current = sides[side]
        if word in MONTHS:
            if current and side == 0:
                break  # a second month without a separator: not a range
            if not current:
                current.append(MONTHS[word])
        elif token.isdigit():
            value = int(token)
            if not current:
                if side == 1 and sides[0]:
                    current.append(sides[0][0])  # "May 22-28": the same month
                else:
                    continue
            day = len(current) == 1 and 1 <= value <= 31 and len(token) <= 2
            year = len(current) == 2 and len(token) == 4
            if day or year:
                current.append(value)
    first, last = sides
    if len(first) < 2:
        return None
    years = (first[2] if len(first) > 2 else None, last[2] if len(last) > 2 else None)
    if len(last) < 2:
        return (first[0], first[1]), None, years
    if last[0] == first[0] and last[1] < first[1] and len(last) == 2 and not years[1]:
        last[0] = last[0] % 12 + 1  # "Jan 30-5": the next month
    return (first[0], first[1]), (last[0], last[1]), years


def looks_like_weeks(blocks: Sequence[Block]) -> bool:
    return any(b.kind in ("h", "p") and read_week(b.text) is not None for b in blocks)


def _date_weeks(weeks: list[Week], section_years: list[int | None], year: int | None) -> list[str]:
    """Give every week its dates (see the module doc); returns the headings that could not be dated."""
    anchors = []
    for n, week in enumerate(weeks):
        known = week.own_year or section_years[n] or week.years[0]
        if known:
            found = week.dated(known, names_month=not week.years[0])
            if found:
                week.start, week.end = found
                anchors.append(n)
    if not anchors:
        undated = [w for w in weeks if w.start is None]
        if not undated:
            return []
        if year is None:
            raise BadInput("cannot tell which year these weekly lists are from: pass --month YYYY-MM")
        first = undated[0]
        found = first.dated(year, names_month=False)
        if found:
            first.start, first.end = found
            anchors.append(weeks.index(first))
    if anchors:
        for n in range(anchors[0] + 1, len(weeks)):  # forward from the first dated week...
            if weeks[n].start is None and weeks[n - 1].start is not None:
                _date_near(weeks[n], weeks[n - 1])
        for n in range(anchors[0] - 1, -1, -1):  # ...and back before it
            if weeks[n].start is None and weeks[n + 1].start is not None:
                _date_near(weeks[n], weeks[n + 1])
    return [w.heading for w in weeks if w.start is None]


def _date_near(week: Week, neighbour: Week) -> None:
    """The year that puts a week nearest its dated neighbour (weeks run in order, a week or so apart)."""
    assert neighbour.start is not None
    best: tuple[int, date, date] | None = None
    for year in (neighbour.start.year - 1, neighbour.start.year, neighbour.start.year + 1):
        found = week.dated(year, names_month=False)
        if found:
            distance = abs((found[0] - neighbour.start).days)
            if best is None or distance < best[0]:
                best = (distance, *found)
    if best is not None:
        week.start, week.end = best[1], best[2]


def _section_year(block: Block) -> int | None:
    """The year a heading such as "## 2023" or "2024 papers" names, if that is all it names."""
    if block.kind != "h" or len(block.text) > 40 or _MARK in block.text.lower():
        return None
    years = _YEAR.findall(block.text)
    return int(years[0]) if len(years) == 1 else None


def parse(blocks: Sequence[Block], *, year: int | None = None, url: str | None = None) -> list[Selection]:
    """One selection per month, its picks in week order then the curator's number.

    ``year`` is used only when nothing in the document dates its weeks.
    """
    weeks: list[Week] = []
    section_years: list[int | None] = []
    rows: list[list[Block]] = []
    unread: list[str] = []
    section: int | None = None
    pending: int | None = None  # a year heading not yet known to hold weeks (rather than a table of contents)
    current: list[Block] | None = None
    for block in blocks:
        if block.kind == "h" and (found := _section_year(block)) is not None:
            pending, current = found, None
            continue
        week = read_week(block.text) if block.kind in ("h", "p") else None
        if week is not None:
            if pending is not None:
                section, pending = pending, None
            weeks.append(week)
            section_years.append(section)
            current = []
            rows.append(current)
            continue
        if block.kind == "h" and _MARK in block.text.lower() and "(" in block.text:
            unread.append(block.text)  # a week heading whose dates cannot be read
            current = None
            continue
        if pending is not None and _MARK in block.text.lower():
            pending = None  # a list of links to the weeks: a table of contents, not a section
        if current is not None:
            current.append(block)
    unread += _date_weeks(weeks, section_years, year)
    by_month: dict[str, list[RawPick]] = {}
    for week, week_rows in zip(weeks, rows, strict=True):
        if week.start is None or week.end is None:
            continue
        month = Month.of_week(week.start, week.end).key
        label = week_label(week.start, week.end)
        picks = by_month.setdefault(month, [])
        for position, block in enumerate(_pick_blocks(week_rows), 1):
            pick = pick_from_row(block, position)
            if pick is not None:
                pick.week, pick.week_label = week.start.isoformat(), label
                picks.append(pick)
    selections = []
    for month in sorted(by_month):
        picks = sorted(by_month[month], key=lambda p: (p.week or "", p.number or 0))
        for rank, pick in enumerate(picks, 1):
            pick.rank = rank
        if picks:
            selection = Selection(SOURCE, month, picks, title=TITLE, url=url, format="papers-of-the-week")
            selection.warnings = [f"a week heading readlist could not date: {h[:80]!r}" for h in unread]
            selections.append(selection)
    return selections


def _pick_blocks(blocks: list[Block]) -> list[Block]:
    """A week's rows (or list items): the blocks that are picks, without the table's header."""
    out = []
    for block in blocks:
        if block.kind == "row":
            first = block.cells[0].text if block.cells else block.text
            if block.links or _NUMBER.match(first):
                out.append(block)
        elif (
            block.kind in ("li", "p")
            and block.links
            and (block.kind == "li" or any(arxiv_id_in(lk.url) for lk in block.links))
        ):
            out.append(block)  # a list item with a link, or a paragraph that links arXiv
    return out


def pick_from_row(block: Block, position: int) -> RawPick | None:
    """One row as a pick: number, title, blurb, its paper's link (arXiv or not) and the other links."""
    cells = block.cells or [block]
    first = cells[0]
    text = first.text
    m = _NUMBER.match(text)
    number = int(m.group(1)) if m else position
    body = text[m.end() :] if m else text.lstrip(" -*•")
    title, blurb = split_title(body, first.bold)
    link_cells = cells[1:] if len(cells) > 1 else []
    listed = [lk for c in link_cells for lk in c.links if _web(lk.url)]
    inline = [lk for lk in first.links if _web(lk.url)]
    paper = _paper_link(listed, inline)
    if not title:
        title = next((lk.text for lk in inline if len(lk.text.split()) >= 2), "")
    if not title and paper is None:
        return None
    arxiv_id = arxiv_id_in(paper.url) if paper else None
    links = [{"label": _label(lk), "url": lk.url} for lk in listed]
    if paper is not None and paper not in listed:
        links.insert(0, {"label": _label(paper), "url": paper.url})
    return RawPick(
        rank=position,
        title=title,
        blurb=blurb,
        links=links,
        arxiv_id=arxiv_id,
        doi=doi_in(paper.url) if paper else None,
        url=paper.url if paper else None,
        number=number,
        search=False,
    )


def _web(url: str) -> bool:
    return browsable(url)


def _social(url: str) -> bool:
    host = re.sub(r"^https?://(www\.)?", "", url).split("/", 1)[0].lower()
    return host in _SOCIAL


def _label(link: Link) -> str:
    label = " ".join(strip_emoji(link.text).split()).lower()
    return label[:40] if label and not label.startswith(("http://", "https://")) else "link"


def _paper_link(listed: list[Link], inline: list[Link]) -> Link | None:
    """The row's paper: its "Paper" link, else an arXiv link, else the first link that is not a post about it."""
    for link in listed:
        if link.text.strip().lower().startswith("paper"):
            return link
    for link in listed:
        if arxiv_id_in(link.url):
            return link
    for link in listed:
        if not _social(link.url):
            return link
    for link in inline:
        if not _social(link.url):
            return link
    return listed[0] if listed else None


def split_title(text: str, bold: Sequence[str]) -> tuple[str, str]:
    """A row's title and blurb: the bold phrase it starts with, else its leading phrase.

    The leading phrase ends at two spaces or a spaced dash ("s1: Simple
    test-time scaling  Researchers from ..."); it is never longer than
    MAX_TITLE_WORDS words.
    """
    text = text.strip()
    if bold:
        flat = " ".join(text.split())
        at = flat.find(bold[0])
        if 0 <= at <= 3:
            return _tidy_title(bold[0]), _tidy_blurb(flat[at + len(bold[0]) :])
    cut = _opener(text)
    for separator in _SEPARATORS:
        at = text.find(separator)
        if at > 0 and (cut < 0 or at < cut):
            cut = at
    if cut > 0 and len(text[:cut].split()) <= MAX_TITLE_WORDS:
        return _tidy_title(text[:cut]), _tidy_blurb(text[cut:])
    if len(text.split()) <= MAX_TITLE_WORDS:
        return _tidy_title(text), ""
    sentence = text.split(". ", 1)[0]
    if len(sentence.split()) <= MAX_TITLE_WORDS:
        return _tidy_title(sentence), _tidy_blurb(text[len(sentence) + 1 :])
    return _tidy_title(" ".join(text.split()[:12]) + "…"), _tidy_blurb(text)


def _opener(text: str) -> int:
    """Where a blurb starts right after an unmarked title ("... in LLMs Introduces a unified ..."), or -1."""
    for m in _OPENER.finditer(text[:400]):
        if len(text[: m.start()].split()) >= 2:
            return m.start()
    return -1


def _tidy_title(text: str) -> str:
    return " ".join(text.replace("**", "").split()).strip(" *_-–—:|")


def _tidy_blurb(text: str) -> str:
    blurb = " ".join(text.split()).strip(" -–—:|")
    return blurb.replace(" ● ", "\n● ")
