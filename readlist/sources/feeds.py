"""Fetching a month's selection from each built-in source (and from lists configured by URL)."""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from datetime import date
from urllib.parse import urljoin

from readlist.core.config import Settings
from readlist.core.errors import BadInput, NetworkError
from readlist.core.month import Month
from readlist.sources import hf_daily, registry
from readlist.sources.blocks import html_blocks
from readlist.sources.detect import parse_document
from readlist.sources.fetch import get_text
from readlist.sources.model import Selection, in_month, months_held
from readlist.sources.registry import SourceConfig

Progress = Callable[[str, int, int], None]


class SourceUnreadable(NetworkError):
    """A source answered, but with a page readlist cannot read picks from (exit 1, like a failed request).

    The message names the page and what was not found in it; the pull names the source before it.
    """


class Fetcher(ABC):
    """One source's documents, fetched at most once per pull; ``fetcher(config, ...)`` gives the one for a source."""

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

    one_step = True
    """Progress shows the month as one step (a source that counts its own steps says False)."""

    def month(self, month: Month) -> list[Selection]:
        """The source's selections for a month ([] when it has none, e.g. not published yet)."""
        self.note = None
        if not self.one_step:
            return self._selections(month)
        what = f"{self.config.label}: {month.label}"
        if self.progress:
            self.progress(what, 0, 1)
        found = self._selections(month)
        if self.progress:
            self.progress(what, 1, 1)
        return found

    @abstractmethod
    def _selections(self, month: Month) -> list[Selection]:
        """The month's selections, read the way this kind of source is read."""


class BlogFetcher(Fetcher):
    """Zeta Alpha: the month's post, found in the blog's listing or feed."""

    def _selections(self, month: Month) -> list[Selection]:
        listing = self.get(self.config.url)
        assert listing is not None
        try:
            entries = listing_entries(listing)
        except BadInput as exc:
            raise SourceUnreadable(f"{self.config.url} {_reason(exc)}") from None
        if not any(_POST_LINK.search(href) for _, href in entries):
            raise SourceUnreadable(
                f"{self.config.url} lists no posts readlist can read (no links to "
                f"…/post/… pages): the page may have changed; set [sources.{self.config.name}] url to the blog's feed"
            )
        post = find_post(entries, month, self.config.url)
        if post is None:
            self.note = f"{self.config.label} · {month.label}: no post for it in {self.config.url} (yet)"
            return []
        text = self.get(post)
        assert text is not None
        try:
            selections = parse_document(text, name=post, url=post, month=month.key, source=self.config.name)
        except BadInput as exc:
            raise SourceUnreadable(f"the post {post} {_reason(exc)}") from None
        found = [s for s in selections if s.picks]
        if not found:
            raise SourceUnreadable(f"the post {post} has no numbered picks readlist can read")
        return found


class DocumentFetcher(Fetcher):
    """A document per year or per month: ML Papers of the Week, lists of your own."""

    def _selections(self, month: Month) -> list[Selection]:
        url = self.config.url.replace("{year}", str(month.year)).replace("{month}", month.key)
        text = self.get(url, missing_ok="{" in self.config.url)
        if text is None:
            self.note = f"{self.config.label} · {month.label}: {url} is not there (yet)"
            return []
        try:
            selections = parse_document(text, name=url, url=url, source=self.config.name)
        except BadInput as exc:
            raise SourceUnreadable(f"{url} {_reason(exc)}") from None
        for selection in selections:
            if selection.month is None and "{month}" in self.config.url:
                selection.month = month.key
        found = in_month(selections, month.key)
        if not found:
            held = months_held(selections)
            if not held:
                raise SourceUnreadable(f"{url} has no picks readlist can read")
            self.note = (
                f"{self.config.label} · {month.label}: not in {url} (it holds {held[0]} to {held[-1]}; "
                f"take one with `readlist pull --source {self.config.name} --month YYYY-MM`)"
            )
        return found


class DailyFetcher(Fetcher):
    """Hugging Face daily papers: every day of the month, its ``top`` most upvoted (its own progress, a step a day)."""

    one_step = False  # a step a day

    def _selections(self, month: Month) -> list[Selection]:
        days = month.days(until=date.today())
        if not days:
            return []
        entries = []
        what = f"{self.config.label}: {month.label}, {len(days)} days"
        for n, day in enumerate(days):
            if self.progress:
                self.progress(what, n, len(days))
            url = f"{self.config.url}?date={day.isoformat()}"
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
                entry.setdefault("publishedAt", day.isoformat())
                entries.append(entry)
        if self.progress:
            self.progress(what, len(days), len(days))
        if not entries:
            self.note = f"{self.config.label} · {month.label}: no papers for its days (yet)"
            return []
        top = registry.top(self.config, hf_daily.DEFAULT_TOP)
        found = hf_daily.selection(entries, month.key, top=top, url=f"https://huggingface.co/papers?date={month.key}")
        if not found.picks:
            raise SourceUnreadable(
                f"{len(entries)} entries for {month.label} at {self.config.url}, "
                "none with an arXiv id, a title and a number of upvotes"
            )
        return [found]


_FETCHERS: dict[str, type[Fetcher]] = {"blog": BlogFetcher, "daily": DailyFetcher, "document": DocumentFetcher}


def fetcher(config: SourceConfig, settings: Settings, progress: Progress | None = None) -> Fetcher:
    """The fetcher for how the source is read (``SourceConfig.reads``)."""
    return _FETCHERS[config.reads](config, settings, progress)


_POST_LINK = re.compile(r"/post/|best[- ]of[- ]arxiv|trends[- ]in[- ]ai", re.IGNORECASE)


def _reason(exc: BadInput) -> str:
    """A parser's complaint about a document, without the document's name it starts with."""
    text = str(exc)
    return text.split(": ", 1)[1] if ": " in text else text


def listing_entries(listing: str) -> list[tuple[str, str]]:
    """(title, link) of every entry of a blog listing (HTML) or feed (RSS/Atom)."""
    return _feed_entries(listing) if _is_feed(listing) else _page_entries(listing)


def find_post(listing: str | list[tuple[str, str]], month: Month, base_url: str) -> str | None:
    """The URL of the month's post in a blog listing (HTML) or feed (RSS/Atom, or its entries), or None."""
    entries = listing_entries(listing) if isinstance(listing, str) else listing
    slug = month.label.lower().replace(" ", "-")  # january-2021
    best: tuple[int, str] | None = None
    for title, href in entries:
        if not href:
            continue
        named = Month.named_in(title) == month or slug in href.lower()
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
