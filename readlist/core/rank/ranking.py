"""Suggestions of a library ranked by fit: what the CLI and the TUI call (the model is readlist.core.rank.score).

Every function reads the library through its snapshot and writes nothing but
the ranking's cache (``Settings.cache_dir``). Ranking blocks for as long as the
cache needs rebuilding (seconds for a first ranking of 10,000 papers): a TUI
runs :func:`rank_suggestions` in a worker and asks :func:`ranking_ready` first
if it wants to know whether that will be quick. numpy is imported here.
"""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from pathlib import Path

from readlist.core.library import Library
from readlist.core.rank.score import MIN_PAPERS, Ranked, Ranking, Record, rank_records
from readlist.core.rank.vectors import Index, cache_file, read_cache_stamp, stamp_text
from readlist.core.suggestions import Suggestion, Suggestions

__all__ = ["MIN_PAPERS", "Ranked", "Ranking", "proposed_tags", "rank_suggestions", "ranking_ready"]


def _library_records(library: Library) -> tuple[object, Mapping[str, Record], dict[str, Record]]:
    snapshot = library.snapshot()
    return snapshot.stamp, snapshot.papers, dict(Suggestions(library).records())


_INDEXES: dict[Path, Index] = {}
_LOCK = threading.Lock()  # one ranking at a time per process (the TUI ranks in worker threads)


def _index(library: Library) -> Index:
    """The index of a library's cache file, kept in memory between rankings in this process."""
    path = cache_file(library.settings.cache_dir, library.settings.library_path)
    index = _INDEXES.get(path)
    if index is None:
        index = _INDEXES[path] = Index(path)
    return index


def rank_suggestions(library: Library, suggestions: Sequence[Suggestion | Record]) -> Ranking:
    """Rank suggestions (given in the curator's order) by fit with the library. Blocks: in a TUI, run it in a worker."""
    stamp, papers, table = _library_records(library)
    records = [s if isinstance(s, Mapping) else s.to_dict() for s in suggestions]
    with _LOCK:
        return rank_records(papers, records, all_suggestions=table, stamp=stamp, index=_index(library))


def proposed_tags(library: Library, suggestion: Suggestion | Record) -> list[str]:
    """The tags of the library papers nearest to one suggestion (what accepting it would propose)."""
    ranking = rank_suggestions(library, [suggestion])
    return list(ranking.items[0].tags) if ranking.items else []


def ranking_ready(library: Library) -> bool:
    """Whether ranking would be quick now (its cache matches the store, or the library is too small to rank).

    Reads the library's snapshot and one small member of the cache file; never tokenises, never writes.
    """
    snapshot = library.snapshot()
    if len(snapshot.papers) < MIN_PAPERS:
        return True
    path = cache_file(library.settings.cache_dir, library.settings.library_path)
    return read_cache_stamp(path) == stamp_text(snapshot.stamp)
