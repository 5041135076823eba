"""One query language for saved papers: ``readlist list -q``, the TUI filter and export.

A query is a list of terms, all of which a paper must match::

    switch transformers        free words, each found in the title, authors, abstract,
                               notes, tags or id, in any case; a word of 4+ letters
                               also finds a word one typo away (swtich -> Switch)
    "mixture of experts"       a phrase, as typed (no typo)
    author:shazeer             a substring of an author's name: author:"noam shazeer"
    tag:moe   #moe             a tag, exactly
    status:reading             to-read, reading, read or dropped
    year:2021                  also year:2020..2022, year:2020.., year:..2019
    source:zeta-alpha          where the paper came from (arxiv, manual, bibtex, suggestion:...)
    id:2101.03961,1706.03762   these ids exactly
    text:z-loss                in the text of the paper's attached PDFs: text:"router z-loss"
                               (a phrase of whole words, the last may begin a longer one; no typo)
    -word  -tag:old  -#old     leave out papers that match the term

A typo is one letter missing, extra, wrong, or two neighbours swapped, and is
matched against whole words of the paper. A query is compiled once
(:func:`compile_query` caches it) and run by one evaluator, :func:`run`: the
field terms are predicates over the records (plain dicts, as library.json
holds them), tested first; the words and phrases are answered by a
:class:`TextSearch`. They answer them the same way (the tests hold them to
it): :class:`ScanText` reads each record's text, and the SQLite index of
:mod:`readlist.core.search_index` answers the CLI, export and the TUI's filter
(:mod:`readlist.core.query_index`, which reads the papers changed since the
index was brought up to date) without parsing a paper's text.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

from readlist.core.errors import BadInput
from readlist.core.models import Status, normalize_tag

Record = Mapping[str, Any]
R = TypeVar("R", bound=Record)

# -- sorting ---------------------------------------------------------------------

SORT_FIELDS = ("added", "title", "year", "status", "author", "published")
NEWEST_FIRST = frozenset({"added", "year", "published"})
"""Fields whose natural order is newest first."""
_STATUS_ORDER = {s.value: i for i, s in enumerate(Status)}


def _title(r: Record) -> str:
    return str(r.get("title") or "").casefold()


def _first_surname(r: Record) -> str:
    authors = r.get("authors") or []
    return str(authors[0]).split()[-1].casefold() if authors and str(authors[0]).split() else ""


SORT_KEYS: dict[str, Callable[[Record], Any]] = {
    "added": lambda r: (r.get("added") or "", r.get("seq") or 0),  # papers added together keep their order
    "title": _title,
    "year": lambda r: (r.get("year") or 0, r.get("published") or ""),
    "status": lambda r: (_STATUS_ORDER.get(r.get("status", ""), 99), _title(r)),
    "author": lambda r: (_first_surname(r), _title(r)),
    "published": lambda r: r.get("published") or "",
}


def sort_records(records: Iterable[R], field: str = "added", reverse: bool = False) -> list[R]:
    """A sorted copy. Dates and years come newest first; ``reverse`` flips the natural order."""
    if field not in SORT_KEYS:
        raise BadInput(f"cannot sort by {field!r}: use one of {', '.join(SORT_FIELDS)}")
    descending = (field in NEWEST_FIRST) != reverse
    return sorted(records, key=SORT_KEYS[field], reverse=descending)


def sort_order(records: Sequence[Record], field: str = "added", reverse: bool = False) -> list[int]:
    """The positions of ``records`` in :func:`sort_records` order (``[records[i] for i in sort_order(...)]`` is
    that list): a caller that goes over the records again can do so in the order they lie in memory."""
    if field not in SORT_KEYS:
        raise BadInput(f"cannot sort by {field!r}: use one of {', '.join(SORT_FIELDS)}")
    descending = (field in NEWEST_FIRST) != reverse
    keys = [SORT_KEYS[field](r) for r in records]
    return sorted(range(len(keys)), key=keys.__getitem__, reverse=descending)


# -- the text a free word is looked for in ---------------------------------------------

FUZZY_MIN_LENGTH = 4
"""Shorter words match only as typed (one typo in 'gan' would match half the library)."""
_W = r"[^\W_]"  # a word character: letters and digits, not the underscore
_WORDS = re.compile(_W + "+")


def search_text(r: Record) -> str:
    """Everything a free word is looked for in, case-folded: title, authors, abstract, notes, tags, id.

    Fields are joined by newlines, so a phrase never runs from one field into the next.
    """
    parts = (
        r.get("title") or "",
        " ".join(r.get("authors") or ()),
        r.get("abstract") or "",
        r.get("notes") or "",
        " ".join(r.get("tags") or ()),
        r.get("id") or "",
    )
    return "\n".join(parts).casefold()


def words_of(text: str) -> set[str]:
    """The distinct words of a (case-folded) text: runs of letters and digits."""
    return set(_WORDS.findall(text))


def _typo_patterns(word: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Two regexes that together find every whole word one edit away from ``word``.

    A variant with its edit at position ``a`` or later keeps ``word[:a]`` as its
    start; one with its edit at ``a`` or earlier keeps ``word[a + 1:]`` as its end.
    Each regex starts with that literal, so the regex engine skips ahead with a
    fast literal search, and none has nested quantifiers: linear in the text.
    """
    n = len(word)
    a = n // 2
    head, rest = word[:a], word[a:]
    alternatives: list[str] = []
    for j in range(len(rest) + 1):
        before = re.escape(rest[:j])
        if j < len(rest):
            alternatives.append(before + _W + re.escape(rest[j + 1 :]))  # a wrong letter
            alternatives.append(before + re.escape(rest[j + 1 :]))  # a missing letter
        alternatives.append(before + _W + re.escape(rest[j:]))  # an extra letter
        if j < len(rest) - 1:
            alternatives.append(before + re.escape(rest[j + 1] + rest[j] + rest[j + 2 :]))  # a swap
    starts = re.compile(f"{re.escape(head)}(?<!{_W}{re.escape(head)})(?:{'|'.join(alternatives)})(?!{_W})")
    # Edits in word[:a + 1], which the variant ends after: every one-edit variant of that start.
    start, tail = word[: a + 1], re.escape(word[a + 1 :])
    by_width: dict[int, list[str]] = {}
    for variant in _edit_patterns(start):
        by_width.setdefault(variant[0], []).append(variant[1])
    lookbehinds = "|".join(f"(?<=(?<!{_W})(?:{'|'.join(patterns)}){tail})" for _, patterns in sorted(by_width.items()))
    ends = re.compile(f"{tail}(?!{_W})(?:{lookbehinds})")
    return starts, ends


def _edit_patterns(word: str) -> list[tuple[int, str]]:
    """(width, regex) of every string one edit away from ``word`` (a wildcard where a letter is new)."""
    out: list[tuple[int, str]] = []
    n = len(word)
    for i in range(n + 1):
        before = re.escape(word[:i])
        if i < n:
            out.append((n, before + _W + re.escape(word[i + 1 :])))
            out.append((n - 1, before + re.escape(word[i + 1 :])))
        out.append((n + 1, before + _W + re.escape(word[i:])))
        if i < n - 1:
            out.append((n, before + re.escape(word[i + 1] + word[i] + word[i + 2 :])))
    return [(w, p) for w, p in out if w > 0]


def edits1(word: str, alphabet: str) -> set[str]:
    """Every string one deletion, swap, replacement or insertion away from ``word``."""
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    deletes = [a + b[1:] for a, b in splits if b]
    swaps = [a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1]
    replaces = [a + c + b[1:] for a, b in splits if b for c in alphabet]
    inserts = [a + c + b for a, b in splits for c in alphabet]
    return set(deletes + swaps + replaces + inserts)


# -- terms ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    """One term of a query; ``negated`` for a leading ``-``."""

    negated: bool

    @property
    def on_text(self) -> bool:
        """Whether the term looks in :func:`search_text` (else in the record's fields)."""
        return False

    def match_text(self, hay: str) -> bool:
        raise NotImplementedError

    def match_record(self, r: Record) -> bool:
        raise NotImplementedError


@dataclass(frozen=True)
class Text(Term):
    """A free word or a quoted phrase: a substring of the text, or a word one typo away."""

    text: str
    fuzzy: bool = False
    patterns: tuple[re.Pattern[str], ...] = field(default=(), compare=False, repr=False)

    @property
    def on_text(self) -> bool:
        return True

    def match_text(self, hay: str) -> bool:
        if self.text in hay:
            return True
        return any(p.search(hay) for p in self.patterns)


@dataclass(frozen=True)
class FullText(Term):
    """``text:WORDS`` or ``text:"a phrase"``: found in the pages of the paper's attached PDFs.

    Only the search index holds those pages (:mod:`readlist.core.search_index`); a text search
    without it (:class:`ScanText`) finds no paper for it.
    """

    text: str

    @property
    def on_text(self) -> bool:
        return True

    def match_record(self, r: Record) -> bool:
        return False


def page_form(text: str) -> str:
    """Text as the full-text search compares it: case-folded, every run of white space one space."""
    return " ".join(text.casefold().split())


@dataclass(frozen=True)
class Author(Term):
    text: str

    def match_record(self, r: Record) -> bool:
        return any(self.text in str(name).casefold() for name in r.get("authors") or ())


@dataclass(frozen=True)
class Tag(Term):
    tag: str

    def match_record(self, r: Record) -> bool:
        return self.tag in (r.get("tags") or ())


@dataclass(frozen=True)
class StatusIs(Term):
    status: str

    def match_record(self, r: Record) -> bool:
        return bool(r.get("status", Status.TO_READ.value) == self.status)


@dataclass(frozen=True)
class Year(Term):
    low: int | None
    high: int | None

    def match_record(self, r: Record) -> bool:
        year = record_year(r)
        if year is None:
            return False
        return (self.low is None or year >= self.low) and (self.high is None or year <= self.high)


@dataclass(frozen=True)
class Source(Term):
    text: str

    def match_record(self, r: Record) -> bool:
        return self.text in str(r.get("source") or "").casefold()


@dataclass(frozen=True)
class Ids(Term):
    ids: frozenset[str]

    def match_record(self, r: Record) -> bool:
        return str(r.get("id") or "") in self.ids


def record_year(r: Record) -> int | None:
    """The paper's year, or the year it was published."""
    year = r.get("year")
    if isinstance(year, int):
        return year
    published = str(r.get("published") or "")[:4]
    return int(published) if published.isdigit() else None


def text_term(text: str, negated: bool = False) -> Text:
    word = text.casefold()
    if len(word) >= FUZZY_MIN_LENGTH and word.isalpha() and _WORDS.fullmatch(word):
        return Text(negated, word, True, _typo_patterns(word))
    return Text(negated, word)


def status_term(status: Status | str, negated: bool = False) -> StatusIs:
    value = status if isinstance(status, Status) else Status.parse(status)
    return StatusIs(negated, value.value)


def tag_term(tag: str, negated: bool = False) -> Tag:
    return Tag(negated, normalize_tag(tag))


def ids_term(ids: Iterable[str], negated: bool = False) -> Ids:
    return Ids(negated, frozenset(ids))


def _year_term(value: str, negated: bool) -> Year:
    low_text, dots, high_text = value.partition("..")
    bounds = [low_text, high_text] if dots else [low_text, low_text]
    if not all(b == "" or (len(b) == 4 and b.isdigit()) for b in bounds) or bounds == ["", ""]:
        raise BadInput(f"year:{value} is not a year: use year:2021, year:2020..2022, year:2020.. or year:..2019")
    low, high = (int(b) if b else None for b in bounds)
    return Year(negated, low, high)


FIELDS: dict[str, Callable[[str, bool], Term]] = {
    "author": lambda v, neg: Author(neg, v.casefold()),
    "tag": tag_term,
    "status": status_term,
    "year": _year_term,
    "source": lambda v, neg: Source(neg, v.casefold()),
    "id": lambda v, neg: ids_term((i.strip() for i in v.split(",") if i.strip()), neg),
    "text": lambda v, neg: FullText(neg, page_form(v)),
}


# -- parsing --------------------------------------------------------------------------

# Prefixes that name an identifier, never a field: ``doi:10.1145/...`` is looked for as text.
ID_SCHEMES = frozenset(("doi", "arxiv", "manual", "http", "https", "pmid", "isbn", "issn", "url", "urn"))


def mistyped_field(word: str) -> None:
    """BadInput when ``word`` starts with a field name mistyped (``staus:reading``), saying which was meant.

    A ``word:`` prefix of at least 3 letters, within 2 edits of a field name (and fewer than its length),
    that is not an id scheme (:data:`ID_SCHEMES`), is a mistyped field; other prefixes are text.
    """
    colon = word.find(":")
    prefix = word[:colon].casefold()
    if colon < 3 or colon > 12 or not prefix.isalpha() or prefix in ID_SCHEMES or prefix in FIELDS:
        return
    near = [(d, name) for name in FIELDS if (d := edit_distance(prefix, name)) <= min(2, len(name) - 1)]
    if near:
        meant = min(near)[1]
        raise BadInput(f"unknown field {word[:colon]!r} (did you mean {meant}?); fields: {', '.join(FIELDS)}")


def edit_distance(a: str, b: str) -> int:
    """Edits (insert, delete, replace, swap two neighbours) that turn ``a`` into ``b``; for short words."""
    before: list[int] = []
    row = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        before, row = row, current
    return row[-1]


def tokens(text: str) -> list[tuple[bool, str, str]]:
    """(negated, kind, value) per term; kind is a field name, ``phrase`` or ``word``.

    A hand scanner: linear, never fails. ``"..."`` quotes a phrase or a field's
    value (an unclosed quote runs to the end, so whatever has been typed so far
    is a query); ``#x`` is ``tag:x``; a field name is known or the word is a word
    (``doi:10.1145/...`` is looked for as text).
    """
    out: list[tuple[bool, str, str]] = []
    i, n = 0, len(text)
    while i < n:
        if text[i].isspace():
            i += 1
            continue
        end = i
        while end < n and not text[end].isspace():
            end += 1
        negated = text[i] == "-" and end - i > 1
        if negated:
            i += 1
        kind = "word"
        if text[i] == "#":
            kind, i = "tag", i + 1
        else:
            colon = text.find(":", i, end)
            if colon > i and text[i:colon].casefold() in FIELDS:
                kind, i = text[i:colon].casefold(), colon + 1
        if i < n and text[i] == '"':
            close = text.find('"', i + 1)
            close = n if close < 0 else close
            value, i = text[i + 1 : close], close + 1
            if kind == "word":
                kind = "phrase"
        else:
            start = i
            while i < n and not text[i].isspace():
                i += 1
            value = text[start:i]
        if kind == "word" and value[:6].casefold() == "arxiv:" and len(value) > 6:
            value = value[6:]  # arXiv:2101.03961 is the id 2101.03961
        if value.strip() and not (kind == "word" and value == "-"):  # a dash typed before its word
            out.append((negated, kind, value))
    return out


@dataclass(frozen=True)
class Query:
    """A compiled query: its terms, in the order cheapest to test first."""

    text: str
    terms: tuple[Term, ...]

    @property
    def empty(self) -> bool:
        return not self.terms

    def narrowed(self, *terms: Term) -> Query:
        """This query with more terms (what `list --status/--tag` add to `-q`)."""
        return Query(self.text, _ordered((*self.terms, *terms)))

    @property
    def on_text(self) -> bool:
        """Whether a term looks in the papers' text (so a :class:`TextSearch` is needed)."""
        return any(t.on_text for t in self.terms)

    def filter(self, records: Iterable[R]) -> list[R]:
        """The records that match, in their order (each record's text read as it is needed)."""
        listed = list(records)
        if not self.terms:
            return listed
        return [listed[i] for i in run(self, listed, range(len(listed)), ScanText(listed))]


class TextSearch(Protocol):
    """What answers a query's words and phrases for :func:`run`."""

    def select_text(self, term: Text, selected: list[int], keep: bool) -> list[int]:
        """The positions of ``selected`` (order kept) whose paper matches ``term`` (or does not, if not ``keep``)."""
        ...


def _select_full_text(text: TextSearch, term: FullText, selected: list[int], keep: bool) -> list[int]:
    """``text:`` terms go to a search that holds the pages of PDFs (the SQLite index); others find nothing."""
    answer = getattr(text, "select_full_text", None)
    if answer is None:
        return [] if keep else selected
    found: list[int] = answer(term, selected, keep)
    return found


class ScanText:
    """Words and phrases answered by reading each record's :func:`search_text`, as it is needed."""

    def __init__(self, records: Sequence[Record]) -> None:
        self.records = records
        self._texts: dict[int, str] = {}

    def text(self, i: int) -> str:
        found = self._texts.get(i)
        if found is None:
            found = self._texts[i] = search_text(self.records[i])
        return found

    def select_text(self, term: Text, selected: list[int], keep: bool) -> list[int]:
        match = term.match_text
        return [i for i in selected if match(self.text(i)) == keep]


def run(query: Query, records: Sequence[Record], candidates: Iterable[int], text: TextSearch) -> list[int]:
    """The one evaluator: the positions of ``candidates`` (order kept) whose records match every term.

    Terms run in the query's order (fields first, then the rarest words), each
    over what the terms before it left: field terms as predicates over the
    records, words and phrases through ``text``.
    """
    selected = list(candidates)
    for term in query.terms:
        if not selected:
            break
        keep = not term.negated
        if isinstance(term, Text):
            selected = text.select_text(term, selected, keep)
        elif isinstance(term, FullText):
            selected = _select_full_text(text, term, selected, keep)
        else:
            test = term.match_record
            selected = [i for i in selected if test(records[i]) == keep]
    return selected


def _ordered(terms: Iterable[Term]) -> tuple[Term, ...]:
    """Field tests first (cheap), then phrases and words (longest first: the rarest), then the PDFs' text."""
    return tuple(
        sorted(
            terms,
            key=lambda t: (
                t.on_text,
                isinstance(t, FullText),
                isinstance(t, Text) and t.fuzzy,
                -len(getattr(t, "text", "")),
            ),
        )
    )


@functools.lru_cache(maxsize=256)
def compile_query(text: str) -> Query:
    """The query ``text`` says (BadInput, saying how to write it, for a bad status or year)."""
    terms: list[Term] = []
    for negated, kind, value in tokens(text):
        if kind == "word":
            mistyped_field(value)
            terms.append(text_term(value, negated))
        elif kind == "phrase":
            terms.append(Text(negated, value.casefold()))
        else:
            terms.append(FIELDS[kind](value.strip(), negated))
    return Query(text, _ordered(terms))


def list_query(search: str | None, *, status: Status | None = None, tag: str | None = None) -> Query:
    """The query ``search``, with `list`'s --status and --tag as its status: and tag: terms."""
    extra: list[Term] = []
    if status is not None:
        extra.append(status_term(status))
    if tag is not None:
        extra.append(tag_term(tag))
    return compile_query(search or "").narrowed(*extra)


def filter_records(
    records: Iterable[R],
    *,
    status: Status | None = None,
    tag: str | None = None,
    search: str | None = None,
) -> list[R]:
    """Records matching the query ``search`` and the optional status and tag."""
    return list_query(search, status=status, tag=tag).filter(records)
