"""Read one document: detect its format, parse its selections, and clean what it says."""

from __future__ import annotations

import json
import re
from pathlib import Path

from readlist.core.clean import clean_line, clean_text
from readlist.core.errors import BadInput
from readlist.core.month import Month
from readlist.sources import generic, hf_daily, potw, zeta_alpha
from readlist.sources.blocks import Block, html_blocks, looks_like_html, markdown_blocks, text_blocks
from readlist.sources.model import Selection, in_month

MAX_DOCUMENT_CHARS = 20_000_000
"""A document longer than this is not a selection (dair-ai's whole list is about 1 MB)."""


def _blocks(text: str, name: str) -> tuple[list[Block], str]:
    """The file name's extension decides; a name without one (a URL, stdin) is sniffed."""
    lowered = name.lower()
    if lowered.endswith((".md", ".markdown")):
        return markdown_blocks(text), "markdown"  # HTML blocks inside it are read as part of it
    if lowered.endswith((".html", ".htm")) or looks_like_html(text):
        return html_blocks(text), "html"
    if _markdownish(text):
        return markdown_blocks(text), "markdown"
    return text_blocks(text), "text"


def _markdownish(text: str) -> bool:
    """A Markdown link, an ATX heading or a table row somewhere (a hand check: no regex over the text)."""
    if "](http://" in text or "](https://" in text:
        return True
    for line in text.splitlines():
        stripped = line.lstrip(" ")
        if len(line) - len(stripped) > 3:
            continue
        if stripped.startswith("#"):
            rest = stripped.lstrip("#")
            if len(stripped) - len(rest) <= 6 and rest[:1] in (" ", "\t"):
                return True
        elif stripped.startswith("|") and len(stripped.rstrip()) > 1 and stripped.rstrip().endswith("|"):
            return True
    return False


def parse_document(
    text: str,
    *,
    name: str = "",
    url: str | None = None,
    month: str | None = None,
    source: str | None = None,
) -> list[Selection]:
    """The selections in a document (one, or one per month for a file of weekly lists), cleaned.

    ``month`` (YYYY-MM) overrides the month the document names; for weekly
    lists it keeps only that month (and dates the weeks when the document
    names no year). ``source`` names the selection's source (otherwise the
    format's own: zeta-alpha, papers-of-the-week, hf-daily, or a name made
    from the document's).
    """
    where = url or name or "the document"
    if len(text) > MAX_DOCUMENT_CHARS:
        raise BadInput(f"{where} is larger than {MAX_DOCUMENT_CHARS // 1_000_000} MB: not a selection readlist reads")
    found = _parse(text, where=where, name=name, url=url, month=month, source=source)
    return [_cleaned(s) for s in found]


def _parse(
    text: str, *, where: str, name: str, url: str | None, month: str | None, source: str | None
) -> list[Selection]:
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise BadInput(f"{where} is empty")
    if stripped[0] in "[{":
        data = _json(stripped, where)
        if data is not None:
            if not hf_daily.looks_like_daily(data):
                raise BadInput(f"{where}: a JSON document readlist does not know (expected Hugging Face daily papers)")
            selection = hf_daily.selection(hf_daily.entries_of(data), month, url=url)
            return [_named(selection, source)]

    blocks, kind = _blocks(text, name.lower())
    if zeta_alpha.looks_like_post(blocks):
        selection = zeta_alpha.parse(blocks, url=url)
        if month:
            selection.month = month
        return [_named(selection, source)]
    if potw.looks_like_weeks(blocks):
        selections = potw.parse(blocks, year=_year_hint(text, name, url, month), url=url)
        if month:
            selections = in_month(selections, month)
        return [_named(s, source) for s in selections]
    if generic.looks_like_list(blocks):
        monthly = generic.parse_months(blocks, source=source or _source_name(name, url), url=url, fmt=kind)
        if monthly is not None:  # one selection per month heading (a daily log's monthly tables)
            for selection in monthly:
                selection.month = selection.month or _month_from_ids(selection)
            return in_month(monthly, month) if month else monthly
        selection = generic.parse(blocks, source=source or _source_name(name, url), url=url, fmt=kind)
        if month:
            selection.month = month
        if selection.month is None:
            selection.month = _month_from_ids(selection)
        return [selection]
    raise BadInput(
        f"{where}: found no picks in it (no numbered Zeta Alpha picks, no weekly tables, no arXiv links or ids)"
    )


def _json(text: str, where: str) -> object | None:
    """The document as JSON; None when it is not JSON; BadInput when it is nested too deeply to read."""
    try:
        data: object = json.loads(text)
    except RecursionError:
        raise BadInput(f"{where}: JSON nested too deeply to be a list of papers") from None
    except ValueError:
        return None
    return data


def _named(selection: Selection, source: str | None) -> Selection:
    if source:
        selection.source = source
    return selection


def _cleaned(selection: Selection) -> Selection:
    """Every field the document gave, without control or bidi characters (core.clean), as it will be stored."""
    selection.title = clean_line(selection.title)
    selection.warnings = [clean_line(w) for w in selection.warnings]
    for pick in selection.picks:
        pick.title = clean_line(pick.title)
        pick.authors = [clean_line(a) for a in pick.authors]
        pick.blurb = clean_text(pick.blurb)
        pick.links = [{"label": clean_line(lk["label"]), "url": clean_line(lk["url"])} for lk in pick.links]
        pick.url = clean_line(pick.url) if pick.url else pick.url
        pick.doi = clean_line(pick.doi) if pick.doi else pick.doi
        pick.week_label = clean_line(pick.week_label)
    return selection


def _year_hint(text: str, name: str, url: str | None, month: str | None) -> int | None:
    """A year for weekly lists that name none: --month's, the file name's, or the first one the text names."""
    if month:
        found = Month.from_key(month)
        return found.year if found else None
    for hint in (name, url or ""):
        m = re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", Path(hint).name if hint else "")
        if m:
            return int(m.group(1))
    found = Month.named_in(text)
    if found:
        return found.year
    m = re.search(r"(?<!\d)(20\d\d)(?!\d)", text)
    return int(m.group(1)) if m else None


def _month_from_ids(selection: Selection) -> str | None:
    """For a bare list: the month most of its new-style arXiv ids were submitted in."""
    counts: dict[Month, int] = {}
    for pick in selection.picks:
        m = re.fullmatch(r"(\d\d)(\d\d)\.\d{4,5}", pick.arxiv_id or "")
        month = Month.from_key(f"20{m.group(1)}-{m.group(2)}") if m else None
        if month:
            counts[month] = counts.get(month, 0) + 1
    return max(counts, key=lambda k: (counts[k], k)).key if counts else None


def _source_name(name: str, url: str | None) -> str:
    """A source name for a generic list: the file's stem or the page's host and path."""
    from readlist.core.models import slugify

    if name:
        return slugify(Path(name).stem, 40)
    if url:
        return slugify(re.sub(r"^https?://(www\.)?", "", url), 40)
    return "list"
