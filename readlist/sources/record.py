"""Turning resolved picks into stored suggestions, merging with what the store already holds.

A pick joins the suggestion with its key (arXiv id, ``doi:``, ``manual:``),
or else the one with the same DOI or the same title (so a pick that one source
links to arXiv and another names only by title is still one suggestion). A
paper that was a hand-made suggestion and is now found on arXiv moves to its
arXiv id, keeping its picks and state (unless it was already accepted, when
the library holds it under the old id). A pick that replaces the shipped
selection's pick for the same source and month brings the document's blurb.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from readlist.core.library import Library, normalize_doi
from readlist.core.links import browsable, link_or_none
from readlist.core.suggestions import Pick, PulledPicks, State, Suggestion, Suggestions, suggestion_key
from readlist.sources.model import RawPick, Selection
from readlist.sources.text import compact


def suggestion_for(pick: RawPick) -> Suggestion:
    meta = pick.metadata
    doi = None
    for value in ((meta or {}).get("doi"), pick.doi):
        if value:
            try:
                doi = normalize_doi(value)
                break
            except Exception:  # a malformed DOI in a post is not worth failing for
                continue
    if pick.arxiv_id:
        return Suggestion(
            key=pick.arxiv_id,
            title=(meta or {}).get("title") or pick.title,
            arxiv_id=pick.arxiv_id,
            authors=list((meta or {}).get("authors") or pick.authors),
            blurb=pick.blurb,
            url=f"https://arxiv.org/abs/{pick.arxiv_id}",
            links=[lk for lk in pick.links if browsable(lk.get("url"))],
            doi=doi,
            metadata=meta,
        )
    url = link_or_none(pick.url) or (f"https://doi.org/{doi}" if doi else None)
    return Suggestion(
        key=suggestion_key(None, pick.title, doi),
        title=pick.title,
        authors=list(pick.authors),
        blurb=pick.blurb,
        url=url,
        links=[lk for lk in pick.links if browsable(lk.get("url"))],
        doi=doi,
    )


def items_for(selection: Selection, picks: Iterable[RawPick]) -> list[tuple[Suggestion, Pick]]:
    assert selection.month is not None
    return [
        (
            suggestion_for(p),
            Pick(
                selection.source,
                selection.month,
                p.rank,
                p.blurb,
                selection.url,
                title=p.title,
                week=p.week,
                week_label=p.week_label,
                number=p.number,
                upvotes=p.upvotes,
            ),
        )
        for p in picks
    ]


def _indexes(records: dict[str, dict[str, Any]]) -> tuple[dict[str, str], dict[str, str]]:
    by_title: dict[str, str] = {}
    by_doi: dict[str, str] = {}
    for key, record in records.items():
        titles = [record.get("title") or ""] + [p.get("title") or "" for p in record.get("picks", [])]
        for title in titles:
            if compact(title):
                by_title.setdefault(compact(title), key)
        if record.get("doi"):
            by_doi.setdefault(str(record["doi"]).lower(), key)
    return by_title, by_doi


def record(library: Library, items: list[tuple[Suggestion, Pick]]) -> tuple[int, int]:
    """Store the picks (one transaction); returns (new suggestions, new picks)."""

    def plan(records: dict[str, dict[str, Any]]) -> PulledPicks:
        pulled = PulledPicks()
        by_title, by_doi = _indexes(records)
        for incoming, pick in items:
            key = incoming.key
            if key not in records:
                other = (
                    (by_doi.get(incoming.doi.lower()) if incoming.doi else None)
                    or by_title.get(compact(incoming.title))
                    or by_title.get(compact(pick.title))
                )
                if other and other != key:
                    old = Suggestion.from_dict(records[other])
                    if incoming.arxiv_id and not old.arxiv_id and old.state != State.ACCEPTED:
                        _move(pulled, old, incoming)
                        records.pop(other)
                        records[key] = incoming.to_dict()
                    else:
                        incoming.key = other
            stored = records.get(incoming.key)
            if stored is not None:
                _replace_shipped_pick(pulled, Suggestion.from_dict(stored), pick)
            pulled.items.append((incoming, pick))
            records.setdefault(incoming.key, incoming.to_dict())
            for title in (incoming.title, pick.title):
                if compact(title):  # an untitled pick (a bare id) is matched by nothing but its key
                    by_title.setdefault(compact(title), incoming.key)
        return pulled

    return Suggestions(library).merge_pulled(plan)


def _move(pulled: PulledPicks, old: Suggestion, new: Suggestion) -> None:
    """A hand-made suggestion found on arXiv: the arXiv record takes its picks and state."""
    new.picks = list(old.picks)
    new.state, new.state_date, new.first_seen = old.state, old.state_date, old.first_seen
    new.blurb = new.blurb or old.blurb
    pulled.removed.append(old.key)
    pulled.replaced[new.key] = Suggestion.from_dict(new.to_dict())


def _replace_shipped_pick(pulled: PulledPicks, stored: Suggestion, pick: Pick) -> None:
    """The document's own pick takes the place of the shipped one (same source and month), with its blurb."""
    for entry in stored.picks:
        if entry.get("builtin") and entry["source"] == pick.source and entry["month"] == pick.month:
            old_blurb = entry.get("blurb", "")
            entry.update(rank=pick.rank, blurb=pick.blurb or old_blurb, url=pick.url)
            if pick.title:
                entry["title"] = pick.title
            entry.pop("builtin", None)
            if pick.blurb and stored.blurb in ("", old_blurb):
                stored.blurb = pick.blurb
            pulled.replaced[stored.key] = stored
            return
