"""The selection shipped with readlist (Zeta Alpha's "Best of arXiv", January 2021), already resolved.

It is merged into a library's suggestions once, the first time the
suggestions are read (``readlist suggestions``, ``accept``, ``dismiss``, the
TUI's Suggestions view), so a fresh install shows real suggestions without a
network. The store remembers that it was loaded (meta table, key
``builtin_suggestions``): dismissing them all does not bring them back. Turn
it off with ``[sources.builtin] enabled = false``. Pulling the same post later
merges into the same suggestions (same keys, same source and month) and the
post's own blurbs replace the shipped one-line summaries.

Shipped suggestions carry no arXiv metadata: accepting one saves the paper
with its title and authors, marked pending, and ``readlist refresh`` fills
in its abstract.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from readlist.core.library import Library
from readlist.core.models import now_iso
from readlist.sources import registry
from readlist.sources.model import RawPick, Selection
from readlist.sources.record import items_for, record

DATA_FILES = ("best-of-arxiv-2021-01.json",)
META_KEY = "builtin_suggestions"


def shipped() -> list[tuple[Selection, dict[int, str]]]:
    """The shipped selections as resolved picks, with each pick's arXiv title by rank."""
    out = []
    for name in DATA_FILES:
        data: dict[str, Any] = json.loads(
            resources.files("readlist.sources").joinpath("data", name).read_text(encoding="utf-8")
        )
        picks = []
        titles = {}
        for item in data["picks"]:
            links = list(item.get("links", []))
            picks.append(
                RawPick(
                    rank=item["rank"],
                    title=item["post_title"],
                    authors=list(item["authors"]),
                    blurb=item["blurb"],
                    links=links,
                    arxiv_id=item.get("arxiv_id"),
                    doi=item.get("doi"),
                    url=next((lk["url"] for lk in links if lk["label"] == "doi"), None),
                )
            )
            titles[item["rank"]] = item["title"]
        selection = Selection(data["source"], data["month"], picks, data["title"], data["url"], format="builtin")
        out.append((selection, titles))
    return out


def load(library: Library) -> int:
    """Merge the shipped selections into the suggestions once; returns how many suggestions were new."""
    settings = library.settings
    if not registry.builtin_enabled(settings):
        return 0
    meta = library.store.table("meta")
    if meta.record(META_KEY) is not None:
        return 0
    new = 0
    with library.store.transaction():
        if meta.record(META_KEY) is not None:  # another process loaded it meanwhile
            return 0
        for selection, titles in shipped():
            items = items_for(selection, selection.picks)
            for suggestion, pick in items:
                suggestion.title = titles[pick.rank]
            added, _ = record(library, items, builtin=True)
            new += added
        meta.put(META_KEY, {"loaded": now_iso(), "files": list(DATA_FILES)})
    return new
