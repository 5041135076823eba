"""The words of the TUI's filter, answered by the library's search index (one evaluator for every caller).

The CLI, export and the TUI run a query the same way (:func:`readlist.core.query.run`): field terms are
predicates over the light records, and words and phrases are answered by the SQLite search index
(:mod:`readlist.core.search_index`). The TUI keeps no word index of its own in memory: a
:class:`TextIndex` holds one list of records (one library state, in one order) and answers its words

* from the search index once it is given one (:meth:`TextIndex.attach`) that holds the papers' texts as the
  records have them, except for the papers named ``stale`` (changed since the index was brought up to date:
  a status or a note changed here before its write ends, another process's write): those few are read;
* else by reading each paper's text (:class:`readlist.core.query.ScanText`'s way), with the same answers.

A new state follows the previous one's index at once when the papers that changed between them are known
(given by the caller, or found by comparing the light records, which name the generation of their text):
they join the stale papers, read until the index is brought up to date again. Answers are exactly
:meth:`Query.matches`' (the tests hold them to it).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence

from readlist.core.query import FullText, Query, Record, Text, run, search_text

STALE_LIMIT = 2000
"""More stale papers than this: the index is not followed (a full scan would read as much)."""
ANSWERS_KEPT = 256
"""Words' answers kept per search index (a keystroke asks for the words typed before it again)."""
LARGE = 4
"""An answer holding more than one in this many papers is large: only the last one is kept (see Answers)."""
FEW = 4
"""A word asked of fewer papers than one in this many of the list is looked for in their texts alone."""


class Answers:
    """Words' answers kept for the keystrokes after: up to :data:`ANSWERS_KEPT`, of which one large one.

    A word being typed is asked once per letter, and its first letters match most of the library (50,000
    papers: some 3 MB an answer); once the next letter is typed they are not asked again (but on a
    backspace), so a large answer is kept only until the next one comes."""

    def __init__(self, papers: int) -> None:
        self._large_above = papers // LARGE
        self._kept: dict[Text, set[int]] = {}
        self._large: tuple[Text, set[int]] | None = None

    def __contains__(self, term: Text) -> bool:
        return term in self._kept or (self._large is not None and self._large[0] == term)

    def get(self, term: Text) -> set[int] | None:
        found = self._kept.get(term)
        if found is None and self._large is not None and self._large[0] == term:
            return self._large[1]
        return found

    def put(self, term: Text, answer: set[int]) -> None:
        if len(answer) > self._large_above:
            self._large = (term, answer)
            return
        if len(self._kept) >= ANSWERS_KEPT:
            self._kept.clear()
        self._kept[term] = answer

    def clear(self) -> None:
        self._kept.clear()
        self._large = None


class WordAnswers:
    """A search index as the TUI reads it (on the event loop): its answers to words, kept per word.

    ``docs_matching`` is :meth:`readlist.core.search_index.SearchIndex.docs_matching` of an index brought up
    to date at ``stamp`` (the library's), None when it cannot answer now; ``doc_ids`` the paper id of each doc
    number (None for a number no paper has). One per state of the index: a newer sync makes a new one.
    """

    def __init__(
        self,
        docs_matching: Callable[[Text], set[int] | None],
        doc_ids: Sequence[str | None],
        stamp: object,
        ids_among: Callable[[Text, list[str]], set[str] | None] | None = None,
    ) -> None:
        self.docs_matching = docs_matching
        self.doc_ids = doc_ids
        self.ids_among = ids_among
        """Those of some papers' ids whose text matches a word (for a few papers: their texts alone are read)."""
        self.stamp = stamp
        self._answers = Answers(len(doc_ids))

    def known(self, term: Text) -> bool:
        """Whether the answer to ``term`` is at hand (no need to ask the index)."""
        return term in self._answers

    def docs(self, term: Text) -> set[int] | None:
        """The doc numbers of the indexed papers whose text matches ``term`` (None: the index cannot say now)."""
        found = self._answers.get(term)
        if found is None:
            found = self.docs_matching(term)
            if found is None:
                return None
            self._answers.put(term, found)
        return found


class TextIndex:
    """The words of ``records`` (one library state, in one order): see the module doc.

    ``previous`` is the state before; ``changed`` names the only papers that may have changed since it, when
    the caller knows (a status change in the TUI); else they are found by comparing the records.
    """

    def __init__(
        self,
        records: Sequence[Record],
        previous: TextIndex | None = None,
        changed: Iterable[str] | None = None,
        pages: Callable[[str], set[str] | None] | None = None,
        join: Callable[[Record], Record] | None = None,
        positions: Mapping[str, int] | None = None,
    ) -> None:
        self.records = records
        self.join = join
        """Joins a light record (one with a ``"text"`` generation) with its text, read from its shard: only
        the papers read (stale ones, or all before the index is given) are joined."""
        self.pages: Callable[[str], set[str] | None] | None = pages
        if pages is None and previous is not None:
            self.pages = previous.pages
        """What answers ``text:`` terms (the ids of papers whose PDFs hold a text): the SQLite index, through
        :meth:`readlist.core.library.Library.ids_with_page_text`; kept from state to state. None from it means
        not known yet: no match, and asked again next time."""
        self._page_answers: dict[str, set[str]] = {}
        self._texts: dict[int, str] = {}
        self._changed = None if changed is None else frozenset(changed)
        self.words: WordAnswers | None = None
        self.stale: frozenset[str] = frozenset()
        """Papers whose text may differ from the search index's (read, not asked of it)."""
        self.local: frozenset[str] = (
            previous.local | self._changed if previous is not None and self._changed is not None else frozenset()
        )
        """Papers changed here since the records were read (the caller named them): stale even once the index
        is brought to the library as read."""
        self._scan_all = False
        self.positions = positions
        """Each paper's position (made when first needed, if not given)."""
        self._chosen = Answers(len(records))
        """Words' answers as positions (while no paper is stale)."""
        self._doc_positions: tuple[WordAnswers, list[int]] | None = None
        self._previous = previous if previous is not None and previous.warmed else None

    def _text(self, i: int) -> str:
        found = self._texts.get(i)
        if found is None:
            r = self.records[i]
            join = self.join
            found = self._texts[i] = search_text(join(r) if join is not None and "text" in r else r)
        return found

    @property
    def warmed(self) -> bool:
        """Whether words are answered at full speed (by the search index, or by design by reading)."""
        return self.words is not None or self._scan_all

    @property
    def follows_warm(self) -> bool:
        """Whether this state can follow the previous one's index at once (the changed papers are known)."""
        return self._previous is not None and self._changed is not None

    def warm(self) -> None:
        """Follow the previous state's index when it can (see :meth:`follow`); else answer by reading each
        paper's text (a list with no search index: a test, a list too changed to follow) until one is given."""
        if not self.follow() and self.words is None:
            self._scan_all = True

    def follow(self) -> bool:
        """Follow the previous state's index, its stale papers and those changed since (known, or found by
        comparing the records: a read, in a thread), when few changed; whether it now does."""
        previous, self._previous = self._previous, None
        if previous is not None and previous._scan_all:
            self._scan_all = True
        elif previous is not None and previous.words is not None:
            changed = self._changed if self._changed is not None else self._changes_since(previous)
            if changed is not None:
                self.attach(previous.words, previous.stale | changed)
        return self.warmed

    def _changes_since(self, previous: TextIndex) -> set[str] | None:
        """The ids whose text may differ from the previous state's (None: too many to follow)."""
        before = previous.records
        where = {str(r.get("id") or ""): i for i, r in enumerate(before)}
        changed: set[str] = set()
        for r in self.records:
            paper_id = str(r.get("id") or "")
            i = where.get(paper_id)
            if i is None or before[i] != r:
                changed.add(paper_id)
                if len(changed) > STALE_LIMIT:
                    return None
        return changed

    def attach(self, words: WordAnswers, stale: Iterable[str] = ()) -> None:
        """Answer words from ``words`` (a search index holding these records' texts, but for ``stale``)."""
        stale = frozenset(stale)
        if len(stale) > STALE_LIMIT:
            return
        self.words, self.stale, self._scan_all = words, stale, False
        self._chosen.clear()

    # -- answering ------------------------------------------------------------------

    def select(self, query: Query, candidates: Iterable[int], *, full_text: bool = False) -> list[int]:
        """The candidate positions (order kept) whose records match ``query`` (the one evaluator, query.run);
        with ``full_text``, a free word or phrase also matches a paper whose PDFs' pages hold it (as
        ``list --full-text``)."""
        words = self.words
        if words is not None and any(isinstance(t, Text) and self._known(t) for t in query.terms):
            # Words answered before (the keystrokes before this one) first: the others then ask the
            # index about the papers those left (every term must match: the order changes no answer).
            terms = sorted(query.terms, key=lambda t: not (isinstance(t, Text) and self._known(t)))
            query = Query(query.text, tuple(terms))
        return run(query, self.records, candidates, _WithPages(self) if full_text else self)

    def _known(self, term: Text) -> bool:
        return term in self._chosen or (self.words is not None and self.words.known(term))

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
        words, stale, records = self.words, self.stale, self.records
        chosen = self._chosen.get(term) if words is not None else None
        if chosen is None and words is not None:
            if words.ids_among is not None and len(selected) * FEW < len(records) and not words.known(term):
                asked = [str(records[i].get("id") or "") for i in selected]
                ids = words.ids_among(term, [i for i in asked if i not in stale] if stale else asked)
                chosen = self._positions(ids) if ids is not None else None
            else:
                docs = words.docs(term)
                if docs is not None:
                    chosen = self._positions_of_docs(words, docs)
                    self._chosen.put(term, chosen)
        if chosen is None:
            match, text = term.match_text, self._text
            return [i for i in selected if match(text(i)) == keep]
        if stale:
            chosen = self._read_stale(term, chosen)
        if _ascending(selected):
            return sorted(chosen.intersection(selected) if keep else set(selected).difference(chosen))
        return [i for i in selected if (i in chosen) == keep]

    def _read_stale(self, term: Text, chosen: set[int]) -> set[int]:
        """``chosen`` (the index's answer) with the stale papers answered by their texts instead."""
        where, match, text = self._where(), term.match_text, self._text
        fixed = set(chosen)
        for paper_id in self.stale:
            i = where.get(paper_id)
            if i is None:
                continue  # not in this state (removed): the index's doc maps to no position
            if match(text(i)):
                fixed.add(i)
            else:
                fixed.discard(i)
        return fixed

    def _where(self) -> Mapping[str, int]:
        if self.positions is None:
            self.positions = {str(r.get("id") or ""): i for i, r in enumerate(self.records)}
        return self.positions

    def _positions(self, ids: set[str]) -> set[int]:
        """The positions of the papers with these ids."""
        where = self._where()
        return {where[i] for i in ids if i in where}

    def prepare(self, words: WordAnswers) -> None:
        """Make the list from ``words``' doc numbers to these positions now (in a thread, before a keystroke
        needs it: some 20 ms at 50,000 papers)."""
        self._table(words)

    def _table(self, words: WordAnswers) -> list[int]:
        made = self._doc_positions
        if made is not None and made[0] is words:
            return made[1]
        where, doc_ids = self._where(), words.doc_ids
        table = [-1] * len(doc_ids)
        for n, paper_id in enumerate(doc_ids):
            if paper_id is not None:
                table[n] = where.get(paper_id, -1)
        self._doc_positions = (words, table)
        return table

    def _positions_of_docs(self, words: WordAnswers, docs: set[int]) -> set[int]:
        """The positions of the papers with these doc numbers (through a list made once per index state)."""
        table = self._table(words)
        found = set(map(table.__getitem__, docs))
        found.discard(-1)
        return found


def _ascending(positions: list[int]) -> bool:
    """Whether the positions are strictly ascending (as a view's are): then sets may pick them, in C."""
    return positions == sorted(positions) and len(set(positions)) == len(positions)


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
