"""Citation keys readlist makes: ``<first author's surname><year><first title word>``, ASCII.

``fedus2021switch``. A key is generated once, when a paper is first saved with
a title, and stored; it never changes after (not on `refresh`, not when
another paper arrives). Papers that would share a key are told apart with
``b``, ``c``, ... in the order they arrive: ``smith2021deep``,
``smith2021deepb``. Keys imported from a file are kept as written.

Libraries written before keys were stored get, for each paper without one,
the key the export always gave it (:func:`legacy_keys`): the same rule, with
clashes settled in the order the papers were added.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from readlist.core.models import slugify

STOP_WORDS = frozenset(
    "a an the on of in for to and with from by at as is are via towards toward into over under do does".split()
)
NAME_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())
_TRANSLITERATE = str.maketrans({
    "ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D", "ı": "i", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D",
})  # fmt: skip
_NOT_KEY = re.compile(r"[^a-z0-9]")
_TITLE_WORDS = re.compile(r"[\s\-:/]+")


def ascii_word(text: str) -> str:
    """Lower-case ASCII letters and digits of ``text`` (accents dropped, ß -> ss)."""
    if text.isascii():  # neither the table nor NFKD changes ASCII text (most names and titles)
        return _NOT_KEY.sub("", text.lower()) if text else ""
    plain = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE)).encode("ascii", "ignore").decode()
    return _NOT_KEY.sub("", plain.lower())


def surname(name: str) -> str:
    """The family name of "First Last", "Last, First" or "First van der Last" (a best guess).

    Names imported from BibTeX or CSL know their family name; this is for
    names typed as one string.
    """
    name = name.strip()
    if "," in name:
        return name.split(",", 1)[0].strip()
    words = [w for w in name.split() if w.lower() not in NAME_SUFFIXES]
    return words[-1] if words else ""


def first_title_word(title: str) -> str:
    for raw in _TITLE_WORDS.split(title):
        candidate = ascii_word(raw)
        if candidate and candidate not in STOP_WORDS:
            return candidate
    return ""


def base_key(family: str, year: int | None, title: str) -> str:
    """The key before any suffix: ``fedus2021switch`` (``anon`` without an author, ``nd`` without a year)."""
    return (ascii_word(family) or "anon") + (str(year) if year else "nd") + first_title_word(title)


def suffix(n: int) -> str:
    """2 -> b, 3 -> c, ..., 26 -> z, 27 -> ba, ..."""
    letters = ""
    n -= 1
    while True:
        letters = chr(ord("a") + n % 26) + letters
        n //= 26
        if n == 0:
            return letters


class CitationKeys:
    """The citation keys in use in one library, and the one place where keys are given out.

    Add (:meth:`readlist.core.library.Library.give_key`), import placement
    (:mod:`readlist.formats.importing`) and keys for papers stored without one
    (:func:`legacy_keys`) all claim their keys here. Keys are compared without
    case, as BibTeX does. Telling apart many papers that would share a key is
    linear: the next suffix to try is remembered per base, so 6,000 entries with
    one key never try ``b``, ``c``, ... from the start each time.
    """

    def __init__(self, used: Iterable[str] = ()) -> None:
        self._used = {k.lower() for k in used}
        self._next: dict[str, int] = {}  # base (lower-cased) -> the suffix number to try next

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._used

    def used(self) -> set[str]:
        """A copy of the keys in use, lower-cased."""
        return set(self._used)

    def take(self, key: str) -> None:
        """Record ``key`` as used (a key stored as it was written)."""
        self._used.add(key.lower())

    def release(self, key: str) -> None:
        """``key`` is no longer used (its paper took another)."""
        self._used.discard(key.lower())

    def free(self, base: str) -> str:
        """``base``, or ``base`` + b, c, ...: the first not in use (not yet claimed)."""
        if base.lower() not in self._used:
            return base
        lower = base.lower()
        n = max(2, self._next.get(lower, 2))
        while (base + suffix(n)).lower() in self._used:
            n += 1
        self._next[lower] = n
        return base + suffix(n)

    def claim(self, wanted: str) -> str:
        """``wanted`` if it is free, else the first free variant of it; recorded as used."""
        key = self.free(wanted)
        self.take(key)
        return key

    def new(self, record: dict[str, Any] | Any, family: str | None = None) -> str:
        """A new key for a stored record, an entry's values or a Paper (see :func:`key_for`); recorded as used."""
        return self.claim(_base_of(record, family))


def free_key(base: str, used: Collection[str], tried: dict[str, int] | None = None) -> str:
    """``base``, or ``base`` + b, c, ... : the first not in ``used`` (compared without case, as BibTeX does).

    ``tried`` remembers, per base, the suffix last found free (see :class:`CitationKeys`, which does the work).
    """
    keys = CitationKeys(used)
    if tried is not None:
        keys._next = tried
    return keys.free(base)


def _base_of(record: dict[str, Any] | Any, family: str | None) -> str:
    get = record.get if isinstance(record, dict) else lambda name, default=None: getattr(record, name, default)
    if family is None:
        authors = get("authors") or []
        family = surname(str(authors[0])) if authors else ""
    year = get("year")
    return base_key(family, year if isinstance(year, int) else None, str(get("title") or ""))


def key_for(
    record: dict[str, Any] | Any,
    used: Collection[str],
    family: str | None = None,
    tried: dict[str, int] | None = None,
) -> str:
    """A new key for a stored record or a Paper, not in ``used``.

    ``family`` is the first author's surname when it is known (a BibTeX or CSL
    name); otherwise it is read off the first author's name.
    """
    return free_key(_base_of(record, family), used, tried)


def title_id(title: str, family: str = "", year: int | None = None) -> str:
    """The id of a paper with neither arXiv id nor DOI: ``manual:<title>-<surname>-<year>``.

    Two papers with the same title by different authors or in different years
    get different ids; the parts that are unknown are left out
    (``manual:a-workshop-note``).
    """
    parts = [slugify(title, 60)]
    word = ascii_word(family)
    if word:
        parts.append(word)
    if year:
        parts.append(str(year))
    return "manual:" + "-".join(parts)


@dataclass
class KeyCensus:
    """What one pass over the stored records finds (at 50,000 papers each pass is ~15 ms of cache misses)."""

    used: set[str]
    """Every key stored (their own and their other entries'), lower-cased."""
    keyless: bool
    """Whether a record with a title has no key yet (stored before keys were)."""
    last_seq: int
    """The highest insertion sequence stored, read in the same pass for the store (0: none)."""


def key_census(records: Iterable[dict[str, Any]]) -> KeyCensus:
    """The keys in use, whether a titled record lacks one, and the highest sequence: one pass, not three."""
    used: set[str] = set()
    keyless = False
    last_seq = 0
    for record in records:
        get = record.get
        key = get("key")
        if isinstance(key, str) and key:
            used.add(key.lower())
        elif not key and get("title"):
            keyless = True
        for other in get("other_entries") or ():
            if isinstance(other, dict) and isinstance(other.get("key"), str):
                used.add(other["key"].lower())
        for other_key in get("other_keys") or ():  # a light record names its other entries' keys
            if isinstance(other_key, str):
                used.add(other_key.lower())
        seq = get("seq")
        if isinstance(seq, int) and seq > last_seq:
            last_seq = seq
    return KeyCensus(used, keyless, last_seq)


def used_keys(records: Iterable[dict[str, Any]]) -> set[str]:
    """Every key stored in these records (their own and their other entries'), lower-cased."""
    return key_census(records).used


def legacy_keys(records: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Paper id -> key, for records stored without one: the keys exports always gave them.

    Clashes are settled in the order papers were added (then by id), around
    the keys already stored, so the result never depends on the order given.
    """
    records = list(records)
    service = CitationKeys(used_keys(records))
    keys: dict[str, str] = {}
    keyless = [r for r in records if not r.get("key")]
    for record in sorted(keyless, key=lambda r: (str(r.get("added") or ""), str(r.get("id")))):
        keys[str(record.get("id"))] = service.new(record)
    return keys


def identity_key(title: Any, authors: Any, year: Any) -> tuple[str, str, int | None] | None:
    """What two likely duplicates share: the title's words, the first author's surname, the year."""
    if not title or not isinstance(title, str):
        return None
    family = surname(str(authors[0])) if authors and isinstance(authors, list) else ""
    return slugify(title, 200), ascii_word(family), year if isinstance(year, int) else None


def citation_keys(papers: Iterable[Any]) -> dict[str, str]:
    """Paper id -> its key: the stored one, else the one exports always gave it (:func:`legacy_keys`)."""
    papers = list(papers)
    records = [
        {"id": p.id, "key": p.key, "added": p.added, "authors": p.authors, "year": p.year, "title": p.title,
         "other_entries": p.other_entries}
        for p in papers
    ]  # fmt: skip
    legacy = legacy_keys(records)
    return {p.id: p.key or legacy[p.id] for p in papers}
