"""Read one document: detect its format and parse its selections."""

from __future__ import annotations

import json
import re
from pathlib import Path

from readlist.core.errors import BadInput
from readlist.sources import generic, hf_daily, potw, zeta_alpha
from readlist.sources.blocks import Block, html_blocks, looks_like_html, markdown_blocks, text_blocks
from readlist.sources.model import Selection, month_in


def _blocks(text: str, name: str) -> tuple[list[Block], str]:
    if looks_like_html(text) or name.endswith((".html", ".htm")):
        return html_blocks(text), "html"
    if name.endswith((".md", ".markdown")) or _markdownish(text):
        return markdown_blocks(text), "markdown"
    return text_blocks(text), "text"


def _markdownish(text: str) -> bool:
    return bool(re.search(r"^\s{0,3}(#{1,6}\s|\|.*\|\s*$)|\[[^\]]+\]\(https?://", text, re.MULTILINE))


def parse_document(
    text: str,
    *,
    name: str = "",
    url: str | None = None,
    month: str | None = None,
    source: str | None = None,
) -> list[Selection]:
    """The selections in a document (one, or one per month for a year of weekly lists).

    ``month`` (YYYY-MM) overrides the month the document names; for a weekly
    year file it keeps only that month. ``source`` names the selection's source
    (otherwise the format's own: zeta-alpha, papers-of-the-week, hf-daily, or a
    name made from the document's).
    """
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise BadInput(f"{name or url or 'the document'} is empty")
    if stripped[0] in "[{":
        try:
            data = json.loads(stripped)
        except ValueError:
            data = None
        if data is not None:
            if not hf_daily.looks_like_daily(data):
                raise BadInput(
                    f"{name or url}: a JSON document readlist does not know (expected Hugging Face daily papers)"
                )
            selection = hf_daily.selection(hf_daily.entries_of(data), month, url=url)
            return [_named(selection, source)]

    blocks, kind = _blocks(text, name.lower())
    if zeta_alpha.looks_like_post(blocks):
        selection = zeta_alpha.parse(blocks, url=url)
        if month:
            selection.month = month
        return [_named(selection, source)]
    if potw.looks_like_weeks(blocks):
        year = _year_hint(text, name, url, month)
        selections = potw.parse(blocks, year=year, url=url)
        if month:
            selections = [s for s in selections if s.month == month]
        return [_named(s, source) for s in selections]
    if generic.looks_like_list(blocks):
        selection = generic.parse(blocks, source=source or _source_name(name, url), url=url, fmt=kind)
        if month:
            selection.month = month
        if selection.month is None:
            selection.month = _month_from_ids(selection)
        return [selection]
    raise BadInput(
        f"{name or url or 'the document'}: found no picks in it (no numbered Zeta Alpha picks, "
        "no weekly tables, no arXiv links or ids)"
    )


def _named(selection: Selection, source: str | None) -> Selection:
    if source:
        selection.source = source
    return selection


def _year_hint(text: str, name: str, url: str | None, month: str | None) -> int:
    if month:
        return int(month[:4])
    for hint in (name, url or ""):
        m = re.search(r"(?<!\d)((?:19|20)\d\d)(?!\d)", Path(hint).name if hint else "")
        if m:
            return int(m.group(1))
    found = month_in(text)
    if found:
        return int(found[:4])
    m = re.search(r"(?<!\d)(20\d\d)(?!\d)", text)
    if m:
        return int(m.group(1))
    raise BadInput("cannot tell which year these weekly lists are from: pass --month YYYY-MM")


def _month_from_ids(selection: Selection) -> str | None:
    """For a bare list: the month most of its new-style arXiv ids were submitted in."""
    counts: dict[str, int] = {}
    for pick in selection.picks:
        m = re.fullmatch(r"(\d\d)(\d\d)\.\d{4,5}", pick.arxiv_id or "")
        if m:
            key = f"20{m.group(1)}-{m.group(2)}"
            counts[key] = counts.get(key, 0) + 1
    return max(counts, key=lambda k: (counts[k], k)) if counts else None


def _source_name(name: str, url: str | None) -> str:
    """A source name for a generic list: the file's stem or the page's host and path."""
    from readlist.core.models import slugify

    if name:
        return slugify(Path(name).stem, 40)
    if url:
        return slugify(re.sub(r"^https?://(www\.)?", "", url), 40)
    return "list"
