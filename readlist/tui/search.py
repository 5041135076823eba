"""Filter-as-you-type over papers: case-blind substrings plus one-typo word matches.

Plain Python (no Textual), built for 10,000 papers: each paper's searchable
text (title, authors, tags, notes) is lower-cased once, on first need (or in
the background after the first paint); a keystroke only scans those strings.
A query word that is misspelt by one letter (a missing, extra, swapped or
wrong letter) still finds the word: its one-edit variants are looked up in a
vocabulary of the library's words, built on first need.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Sequence

_WORD = re.compile(r"[^\W_]+")
FUZZY_MIN_LENGTH = 4
"""Words shorter than this match only as substrings (one typo in 'gan' matches everything)."""


def haystack(title: str, authors: Sequence[str], tags: Sequence[str], notes: str) -> str:
    """The lower-cased text a paper is searched in."""
    return "\n".join((title, " ".join(authors), " ".join(tags), " ".join("#" + t for t in tags), notes)).casefold()


def edits1(word: str, alphabet: str) -> set[str]:
    """Every string one deletion, transposition, replacement or insertion away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    transposes = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in alphabet]
    inserts = [a + c + b for a, b in splits for c in alphabet]
    return set(deletes + transposes + replaces + inserts)


class SearchIndex:
    """Lower-cased haystacks by position, and a lazily built word index for typos.

    ``haystacks`` is the list itself, or a function that makes it (called once, on first need).
    """

    def __init__(self, haystacks: list[str] | Callable[[], list[str]]) -> None:
        self._haystacks: list[str] | None = None
        self._make: Callable[[], list[str]] | None = None
        if callable(haystacks):
            self._make = haystacks
        else:
            self._haystacks = haystacks
        self._postings: dict[str, list[int]] | None = None
        self._alphabet = ""
        self._lock = threading.Lock()

    @property
    def haystacks(self) -> list[str]:
        found = self._haystacks
        if found is None:
            with self._lock:
                if self._haystacks is None:
                    assert self._make is not None
                    self._haystacks = self._make()
                    self._make = None
                found = self._haystacks
        return found

    def _build_postings(self) -> dict[str, list[int]]:
        postings: dict[str, list[int]] = {}
        for i, text in enumerate(self.haystacks):
            for word in set(_WORD.findall(text)):
                if len(word) >= FUZZY_MIN_LENGTH - 1:
                    postings.setdefault(word, []).append(i)
        self._alphabet = "".join(sorted({c for w in postings for c in w}))
        return postings

    @property
    def postings(self) -> dict[str, list[int]]:
        _ = self.haystacks  # outside the lock below, which making them takes
        with self._lock:
            if self._postings is None:
                self._postings = self._build_postings()
            return self._postings

    def warm(self) -> None:
        """Make the haystacks and the typo index now (call from a thread after the first paint)."""
        _ = self.postings

    def _typo_hits(self, word: str) -> set[int]:
        if len(word) < FUZZY_MIN_LENGTH or not _WORD.fullmatch(word):
            return set()
        postings = self.postings
        hits: set[int] = set()
        for variant in edits1(word, self._alphabet):
            found = postings.get(variant)
            if found:
                hits.update(found)
        return hits

    def matching(self, query: str, candidates: Sequence[int]) -> list[int]:
        """The candidate positions (order kept) whose haystack matches every word of ``query``."""
        words = query.casefold().split()
        if not words:
            return list(candidates)
        hay = self.haystacks
        selected = list(candidates)
        for word in words:
            typo = self._typo_hits(word)
            if typo:
                selected = [i for i in selected if word in hay[i] or i in typo]
            else:
                selected = [i for i in selected if word in hay[i]]
            if not selected:
                break
        return selected
