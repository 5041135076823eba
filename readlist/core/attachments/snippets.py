"""Where a search's words are in a paper's PDFs: the pages, and a snippet of each.

The search index finds the pages (:meth:`readlist.core.search_index.SearchIndex.pages_matching`); the
snippet is cut from the page as extracted (the cache keeps it with its capitals), or from the index's
case-folded copy when the cache has lost it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

from readlist.core.clean import clean_line
from readlist.core.config import Settings
from readlist.core.query import FullText, Query, Text

BEFORE = 60
AFTER = 100
PER_PAPER = 3


def phrases_of(query: Query, *, full_text: bool = False) -> list[str]:
    """The texts a query looks for in PDFs: its ``text:`` terms, and with ``full_text`` its words."""
    found = [t.text for t in query.terms if isinstance(t, FullText) and not t.negated]
    if full_text:
        found += [t.text for t in query.terms if isinstance(t, Text) and not t.negated]
    return found


def hits_for(
    settings: Settings, query: Query, paper_ids: Sequence[str], *, full_text: bool = False, per_paper: int = PER_PAPER
) -> dict[str, list[dict[str, Any]]]:
    """``{paper id: [{"page", "snippet", "path"}]}`` for the papers whose PDFs hold the query's texts.

    The pages holding the most of them come first, then in page order; at most ``per_paper`` each.
    """
    from readlist.core.search_index import IndexUnusable, SearchIndex, index_file

    phrases = phrases_of(query, full_text=full_text)
    if not phrases or not paper_ids:
        return {}
    index = SearchIndex(index_file(settings.cache_dir, settings.library_path))
    found: dict[tuple[str, str, int], dict[str, Any]] = {}
    try:
        for phrase in phrases:
            for paper_id, sha, page, text, path in index.pages_matching(phrase, paper_ids):
                hit = found.setdefault(
                    (paper_id, sha, page), {"count": 0, "text": text, "phrase": phrase, "sha": sha, "path": path}
                )
                hit["count"] += 1
    except (IndexUnusable, OSError, sqlite3.Error):  # sqlite3.Error: another process held it too long
        return {}
    finally:
        index.close()
    by_paper: dict[str, list[tuple[int, int, dict[str, Any]]]] = {}
    for (paper_id, _sha, page), hit in found.items():
        by_paper.setdefault(paper_id, []).append((-hit["count"], page, hit))
    out: dict[str, list[dict[str, Any]]] = {}
    originals: dict[str, list[str] | None] = {}
    for paper_id, hits in by_paper.items():
        rows = []
        for _, page, hit in sorted(hits, key=lambda h: (h[0], h[1]))[:per_paper]:
            if hit["sha"] not in originals:
                originals[hit["sha"]] = _original_pages(settings, hit["sha"])
            pages = originals[hit["sha"]]
            original = " ".join(pages[page - 1].split()) if pages and page <= len(pages) else None
            rows.append({"page": page, "snippet": snippet(hit["text"], hit["phrase"], original), "path": hit["path"]})
        out[paper_id] = rows
    return out


def _original_pages(settings: Settings, sha256: str) -> list[str] | None:
    from readlist.core.attachments.extract import UnreadablePdf, cached_text

    try:
        cached = cached_text(settings, sha256)
    except UnreadablePdf:
        return None
    return cached.pages if cached is not None else None


def snippet(folded: str, phrase: str, original: str | None = None) -> str:
    """About 160 characters around ``phrase`` in a page, cut at word boundaries, ``…`` where cut.

    ``folded`` is the page as the index holds it; ``original`` the same page with its capitals, used
    when it lines up with ``folded`` character for character.
    """
    at = folded.find(phrase)
    if at < 0:
        at = 0
    source = original if original is not None and len(original) == len(folded) else folded
    start = max(0, at - BEFORE)
    end = min(len(source), at + len(phrase) + AFTER)
    if start > 0:
        space = source.find(" ", start, at)
        start = space + 1 if space >= 0 else start
    if end < len(source):
        space = source.rfind(" ", at + len(phrase), end)
        end = space if space >= 0 else end
    text = clean_line(source[start:end]).strip()
    return ("…" if start > 0 else "") + text + ("…" if end < len(source) else "")
