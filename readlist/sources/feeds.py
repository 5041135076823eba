"""Fetching a month's selection from each built-in source (and from lists configured by URL)."""

from __future__ import annotations

import calendar
import json
import re
from collections.abc import Callable
from datetime import date
from urllib.parse import urljoin

from readlist.core.config import Settings
from readlist.core.errors import BadInput, NetworkError
from readlist.sources import hf_daily, registry
from readlist.sources.blocks import html_blocks
from readlist.sources.detect import parse_document
from readlist.sources.fetch import get_text
from readlist.sources.model import Selection, month_in, month_label, month_range
from readlist.sources.registry import SourceConfig

Progress = Callable[[str, int, int], None]


class SourceUnreadable(NetworkError):
    """A source answered, but with a page readlist cannot read picks from (exit 1, like a failed request).

    The message names the page and what was not found in it; the pull names the source before it.
    """


class Fetcher:
    """One source's documents, fetched at most once per pull."""

    def __init__(self, config: SourceConfig, settings: Settings, progress: Progress | None = None) -> None:
        self.config = config
        self.settings = settings
        self.progress = progress
        self.note: str | None = None
        """Why the last month asked for gave nothing, when that is worth saying (not published yet...)."""
        self._cache: dict[str, str | None] = {}

    def get(self, url: str, *, missing_ok: bool = False) -> str | None:
        if url not in self._cache:
            self._cache[url] = get_text(url, self.settings, self.config.label, missing_ok=missing_ok)
        return self._cache[url]

    def month(self, month: str) -> list[Selection]:
        """The source's selections for a month ([] when it has none, e.g. not published yet)."""
        self.note = None
        name = self.config.name
        if name == registry.HF_DAILY:
            return self._hf_daily(month)  # its own progress: one step per day
        what = f"{self.config.label}: {month_label(month)}"
        if self.progress:
            self.progress(what, 0, 1)
        found = self._zeta_alpha(month) if name == registry.ZETA_ALPHA else self._document(month, source=name)
        if self.progress:
            self.progress(what, 1, 1)
        return found

    # -- Zeta Alpha: find the month's post in the blog's listing or feed ------

    def _zeta_alpha(self, month: str) -> list[Selection]:
        listing = self.get(self.config.url)
        assert listing is not None
        try:
            entries = listing_entries(listing)
        except BadInput as exc:
            raise SourceUnreadable(f"{self.config.url} {_reason(exc)}") from None
        if not any(_POST_LINK.search(href) for _, href in entries):
            raise SourceUnreadable(
                f"{self.config.url} lists no posts readlist can read (no links to "
                "…/post/… pages): the page may have changed; set [sources.zeta-alpha] url to the blog's feed"
            )
        post = find_post(entries, month, self.config.url)
        if post is None:
            self.note = f"{self.config.label} · {month_label(month)}: no post for it in {self.config.url} (yet)"
            return []
        text = self.get(post)
        assert text is not None
        try:
            selections = parse_document(text, name=post, url=post, month=month, source=registry.ZETA_ALPHA)
        except BadInput as exc:
            raise SourceUnreadable(f"the post {post} {_reason(exc)}") from None
        found = [s for s in selections if s.picks]
        if not found:
            raise SourceUnreadable(f"the post {post} has no numbered picks readlist can read")
        return found

    # -- a document per year (or per month): ML Papers of the Week, own lists -

    def _document(self, month: str, *, source: str) -> list[Selection]:
        url = self.config.url.replace("{year}", month[:4]).replace("{month}", month)
        text = self.get(url, missing_ok="{" in self.config.url)
        if text is None:
            self.note = f"{self.config.label} · {month_label(month)}: {url} is not there (yet)"
            return []
        try:
            selections = parse_document(text, name=url, url=url, source=source)
        except BadInput as exc:
            raise SourceUnreadable(f"{url} {_reason(exc)}") from None
        for selection in selections:
            if selection.month is None and "{month}" in self.config.url:
                selection.month = month
        found = [s for s in selections if s.month == month and s.picks]
        if not found:
            held = sorted({s.month for s in selections if s.month and s.picks})
            if not held:
                raise SourceUnreadable(f"{url} has no picks readlist can read")
            self.note = (
                f"{self.config.label} · {month_label(month)}: not in {url} (it holds {held[0]} to {held[-1]}; "
                f"take one with `readlist pull --source {self.config.name} --month YYYY-MM`)"
            )
        return found

    # -- Hugging Face daily papers: every day of the month, most upvoted ------

    def _hf_daily(self, month: str) -> list[Selection]:
        first, last = month_range(month)
        last = min(last, date.today())
        if last < first:
            return []
        entries = []
        days = list(range(first.day, last.day + 1))
        what = f"{self.config.label}: {month_label(month)}, {len(days)} days"
        for n, day in enumerate(days):
            if self.progress:
                self.progress(what, n, len(days))
            url = f"{self.config.url}?date={month}-{day:02d}"
            text = self.get(url, missing_ok=True)
            if not text:
                continue
            try:
                data = json.loads(text)
            except (ValueError, RecursionError):
                raise SourceUnreadable(f"the answer for {url} is not JSON") from None
            try:
                day_entries = hf_daily.entries_of(data)
            except BadInput:
                raise SourceUnreadable(f"the answer for {url} is not a list of papers") from None
            for entry in day_entries:
                entry.setdefault("publishedAt", f"{month}-{day:02d}")
                entries.append(entry)
        if self.progress:
            self.progress(what, len(days), len(days))
        if not entries:
            self.note = f"{self.config.label} · {month_label(month)}: no papers for its days (yet)"
            return []
        top = registry.top(self.config, hf_daily.DEFAULT_TOP)
        found = hf_daily.selection(entries, month, top=top, url=f"https://huggingface.co/papers?date={month}")
        if not found.picks:
            raise SourceUnreadable(
                f"{len(entries)} entries for {month_label(month)} at {self.config.url}, "
                "none with an arXiv id, a title and a number of upvotes"
            )
        return [found]


_MONTH_SLUG = {i: name.lower() for i, name in enumerate(calendar.month_name) if name}


_POST_LINK = re.compile(r"/post/|best[- ]of[- ]arxiv|trends[- ]in[- ]ai", re.IGNORECASE)


def _reason(exc: BadInput) -> str:
    """A parser's complaint about a document, without the document's name it starts with."""
    text = str(exc)
    return text.split(": ", 1)[1] if ": " in text else text


def listing_entries(listing: str) -> list[tuple[str, str]]:
    """(title, link) of every entry of a blog listing (HTML) or feed (RSS/Atom)."""
    return _feed_entries(listing) if _is_feed(listing) else _page_entries(listing)


def find_post(listing: str | list[tuple[str, str]], month: str, base_url: str) -> str | None:
    """The URL of the month's post in a blog listing (HTML) or feed (RSS/Atom, or its entries), or None."""
    entries = listing_entries(listing) if isinstance(listing, str) else listing
    year, mon = month[:4], int(month[5:7])
    slug = f"{_MONTH_SLUG[mon]}-{year}"
    best: tuple[int, str] | None = None
    for title, href in entries:
        if not href:
            continue
        named = month_in(title) == month or slug in href.lower()
        if not named:
            continue
        score = 2 if re.search(r"best[- ]of[- ]arxiv|trends[- ]in[- ]ai", f"{title} {href}", re.I) else 1
        if best is None or score > best[0]:
            best = (score, urljoin(base_url, href))
    return best[1] if best else None


def _is_feed(text: str) -> bool:
    head = text.lstrip()[:500].lower()
    return (head.startswith("<?xml") and ("<rss" in text[:2000].lower() or "<feed" in text[:2000].lower())) or (
        head.startswith(("<rss", "<feed"))
    )


def _feed_entries(text: str) -> list[tuple[str, str]]:
    from lxml import etree

    try:
        root = etree.fromstring(text.encode("utf-8"), parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError:
        return []
    out = []
    for item in root.iter():
        tag = etree.QName(item).localname if isinstance(item.tag, str) else ""
        if tag not in ("item", "entry"):
            continue
        title = href = ""
        for child in item:
            name = etree.QName(child).localname if isinstance(child.tag, str) else ""
            if name == "title":
                title = " ".join("".join(str(t) for t in child.itertext()).split())
            elif name == "link":
                href = child.get("href") or (child.text or "").strip() or href
        out.append((title, href))
    return out


def _page_entries(text: str) -> list[tuple[str, str]]:
    return [(link.text, link.url) for block in html_blocks(text) for link in block.links]
