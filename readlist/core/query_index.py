"""A word index over saved papers, so that a query answers in milliseconds at 10,000 papers.

Scanning every paper's text (abstracts included, about 14 MB at 10,000
papers) costs some 10 ms per word, and finding typos by scanning several times
that. The index maps each word of the library to the papers holding it: a
free word is then looked up in the list of the library's words (a word typed
so far is a substring of some of them), and a typo is one of its one-edit
variants found in that list. Answers are exactly :meth:`Query.matches`' (the
tests hold them to it).

An index belongs to one list of records (one library state, in one order). A
new state builds its index from the previous one: only papers whose text
changed are split into words again, so a status change or another process's
write costs milliseconds, not the second a first build takes. The shared part
(:class:`Words`) is never changed once built, so a thread may build the next
one while another reads the current one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from readlist.core.query import (
    FullText,
    Query,
    Record,
    Text,
    edits1,
    run,
    search_text,
    words_of,
)

REBUILD_SHARE = 0.3
"""When more than this share of the papers changed, the words are built afresh."""
SCAN_RATIO = 4
"""A word whose papers (summed over matching words) outnumber the candidates this many times is scanned."""


@dataclass(frozen=True)
class Words:
    """The library's words: never changed once built (the next state copies what it changes)."""

    postings: dict[str, list[int]]
    """Each word -> the document numbers of the papers holding it."""
    docs: dict[str, tuple[int, str]]
    """Each paper id -> (its document number, its search text)."""
    next_doc: int
    alphabet: str
    """The letters of the library's words (a typo's new letter is one of them)."""


def _build(ids_texts: list[tuple[str, str]]) -> Words:
    postings: dict[str, list[int]] = {}
    docs: dict[str, tuple[int, str]] = {}
    for doc, (paper_id, text) in enumerate(ids_texts):
        docs[paper_id] = (doc, text)
        for word in words_of(text):
            found = postings.get(word)
            if found is None:
                postings[word] = [doc]
            else:
                found.append(doc)
    return Words(postings, docs, len(ids_texts), _letters(postings))


def _letters(words: Iterable[str], also: str = "") -> str:
    return "".join(sorted(set(also).union(*words)))


def _update(previous: Words, ids_texts: list[tuple[str, str]]) -> Words:
    """``previous`` with the changed, new and removed papers applied (copy on write)."""
    postings = dict(previous.postings)
    owned: set[str] = set()  # lists copied for this state, which may be changed in place

    def own(word: str) -> list[int]:
        if word not in owned:
            postings[word] = list(postings.get(word, ()))
            owned.add(word)
        return postings[word]

    def drop(doc: int, text: str) -> None:
        for word in words_of(text):
            found = own(word)
            found.remove(doc)
            if not found:
                del postings[word]
                owned.discard(word)

    docs: dict[str, tuple[int, str]] = {}
    added: set[str] = set()
    next_doc = previous.next_doc
    for paper_id, text in ids_texts:
        old = previous.docs.get(paper_id)
        if old is not None and old[1] == text:
            docs[paper_id] = old
            continue
        if old is not None:
            drop(*old)
        docs[paper_id] = (next_doc, text)
        for word in words_of(text):
            if word not in postings:
                added.add(word)
            own(word).append(next_doc)
        next_doc += 1
    for paper_id in previous.docs.keys() - docs.keys():
        drop(*previous.docs[paper_id])
    return Words(postings, docs, next_doc, _letters(added, previous.alphabet))


class TextIndex:
    """The search texts and word index of ``records`` (one library state, in one order).

    ``previous`` is the index of the state before, whose words are reused for
    papers whose text did not change; ``changed`` names the only papers that may
    have changed, when the caller knows (a status change in the TUI), so the
    others' texts are not even made again. Nothing is built until needed:
    :meth:`warm` builds the word index (call it from a thread after the first
    paint); until then a query scans, with the same answers.
    """

    def __init__(
        self,
        records: Sequence[Record],
        previous: TextIndex | None = None,
        changed: Iterable[str] | None = None,
        pages: Callable[[str], set[str] | None] | None = None,
        join: Callable[[Record], Record] | None = None,
    ) -> None:
        self.records = records
        self.join = join
        """Joins a light record (one with a ``"text"`` generation) with its text, read from its shard: the
        texts are read when the index is first used (after the first paint), not with the records."""
        self.pages: Callable[[str], set[str] | None] | None = pages
        if pages is None and previous is not None:
            self.pages = previous.pages
        """What answers ``text:`` terms (the ids of papers whose PDFs hold a text): the SQLite index, through
        :meth:`readlist.core.library.Library.ids_with_page_text`; kept from state to state. None from it means
        not known yet: no match, and asked again next time."""
        self._page_answers: dict[str, set[str]] = {}
        # Only a built index is worth following (and a chain of unbuilt ones would hold every old state).
        self._previous = previous if previous is not None and previous.warmed else None
        self._changed = None if changed is None else set(changed)
        self._texts: list[str] | None = None
        self._words: Words | None = None
        self._docs: list[int] = []
        self._lock = threading.Lock()

    @property
    def texts(self) -> list[str]:
        """Each record's :func:`search_text`, by position."""
        with self._lock:
            if self._texts is None:
                self._texts = self._make_texts()
            return self._texts

    def _make_texts(self) -> list[str]:
        join = self.join

        def text_of(r: Record) -> str:
            return search_text(join(r) if join is not None and "text" in r else r)

        before = self._previous._words if self._previous is not None else None
        if before is None or self._changed is None:
            return [text_of(r) for r in self.records]
        changed, docs = self._changed, before.docs
        texts = []
        for r in self.records:
            paper_id = r.get("id") or ""
            old = docs.get(paper_id)
            texts.append(old[1] if old is not None and paper_id not in changed else text_of(r))
        return texts

    @property
    def warmed(self) -> bool:
        return self._words is not None

    @property
    def follows_warm(self) -> bool:
        """Whether this index will be built from a built one (cheap) and the changes are known (cheaper)."""
        return self._previous is not None and self._changed is not None

    def warm(self) -> None:
        """Build the word index now (from the previous state's when there is one)."""
        texts = self.texts
        with self._lock:
            if self._words is not None:
                return
            ids_texts = [(str(r.get("id") or ""), t) for r, t in zip(self.records, texts, strict=True)]
            before = self._previous._words if self._previous is not None else None
            if before is None:
                words = _build(ids_texts)
            else:
                changed = sum(1 for i, t in ids_texts if (before.docs.get(i) or (0, ""))[1] != t)
                rebuild = changed > REBUILD_SHARE * max(1, len(ids_texts))
                words = _build(ids_texts) if rebuild else _update(before, ids_texts)
            self._docs = [words.docs[i][0] for i, _ in ids_texts]
            self._words = words
            self._previous = None  # the old state can go

    # -- answering ------------------------------------------------------------------

    def select(self, query: Query, candidates: Iterable[int], *, full_text: bool = False) -> list[int]:
        """The candidate positions (order kept) whose records match ``query`` (the one evaluator, query.run);
        with ``full_text``, a free word or phrase also matches a paper whose PDFs' pages hold it (as
        ``list --full-text``)."""
        return run(query, self.records, candidates, _WithPages(self) if full_text else self)

    def page_ids(self, text: str) -> set[str]:
        """The ids of the papers whose PDFs' pages hold ``text``, asked of :attr:`pages` once per text."""
        ids = self._page_answers.get(text)
        if ids is None:
            ids = self.pages(text) if self.pages is not None else set()
            if ids is None:
                return set()
            self._page_answers[text] = ids
        return ids

    def forget_pages(self) -> None:
        """Ask :attr:`pages` again (what answers it was brought up to date)."""
        self._page_answers.clear()

    def select_full_text(self, term: FullText, selected: list[int], keep: bool) -> list[int]:
        """``text:`` terms for :func:`readlist.core.query.run`."""
        ids = self.page_ids(term.text)
        records = self.records
        return [i for i in selected if (str(records[i].get("id") or "") in ids) == keep]

    def select_text(self, term: Text, selected: list[int], keep: bool) -> list[int]:
        """Words and phrases for :func:`readlist.core.query.run` (a :class:`TextSearch`)."""
        return self._select_text(term, selected, keep)

    def _select_text(self, term: Text, selected: list[int], keep: bool) -> list[int]:
        words = self._words
        texts = self.texts
        if words is None:  # not built yet: scan
            match = term.match_text
            return [i for i in selected if match(texts[i]) == keep]
        word = term.text
        typos = self._typo_docs(words, word) if term.fuzzy else set()
        if words_of(word) == {word}:
            # A word typed so far is a substring of whole words: look it up among them.
            vocabulary = [v for v in words.postings if word in v]
            if sum(len(words.postings[v]) for v in vocabulary) <= SCAN_RATIO * len(selected):
                hits = set(typos)
                for v in vocabulary:
                    hits.update(words.postings[v])
                docs = self._docs
                return [i for i in selected if (docs[i] in hits) == keep]
        if typos:
            docs = self._docs
            return [i for i in selected if (word in texts[i] or docs[i] in typos) == keep]
        return [i for i in selected if (word in texts[i]) == keep]

    @staticmethod
    def _typo_docs(words: Words, word: str) -> set[int]:
        hits: set[int] = set()
        for variant in edits1(word, words.alphabet):
            found = words.postings.get(variant)
            if found:
                hits.update(found)
        return hits


class _WithPages:
    """A :class:`TextIndex` whose free words and phrases match the PDFs' pages too (the TUI's full-text
    toggle): a paper matches a word when its record holds it, or its pages do."""

    def __init__(self, index: TextIndex) -> None:
        self.index = index

    def select_text(self, term: Text, selected: list[int], keep: bool) -> list[int]:
        index = self.index
        ids = index.page_ids(term.text)
        if not ids:
            return index.select_text(term, selected, keep)
        found = set(index.select_text(term, selected, True))
        records = index.records
        return [i for i in selected if (i in found or str(records[i].get("id") or "") in ids) == keep]

    def select_full_text(self, term: FullText, selected: list[int], keep: bool) -> list[int]:
        return self.index.select_full_text(term, selected, keep)
