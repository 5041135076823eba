"""Suggestions ranked by fit with the user's own library, and the reason in one line.

This module is the model, on plain records; :mod:`readlist.core.ranking` is its
door for a :class:`~readlist.core.library.Library` (what the CLI and the TUI call).

The model is deliberately light: TF-IDF over each paper's title (twice), tags
(twice), abstract and notes, and over each suggestion's title (twice),
abstract and curator's blurb. A suggestion's fit combines

* its nearest papers in the library (read and reading count 1, to-read 0.5),
* the best of the tag profiles (one weighted centroid per tag, plus one for
  the whole library), so a reader of #moe and #diffusion gets both kinds near
  the top,
* a penalty for resembling dropped papers and dismissed suggestions, and a
  bonus for resembling accepted suggestions that are no longer in the library
  (an accepted one that is still there already counts as a to-read paper),
* small bonuses for curator agreement (several curators, weeks or months) and
  for Hugging Face upvotes, normalised within the month.

Below :data:`MIN_PAPERS` papers there is nothing to learn from: the curator's
order is kept and :attr:`Ranking.note` says why.

Tokenising is the slow part, so the token counts of every paper and
suggestion are cached in ``Settings.cache_dir`` (one ``.npz`` file per
library, see :class:`Index`), with their TF-IDF vectors and the library's plan
(which papers count for and against, the tag profiles), keyed by the store's
stamp. When the stamp changed, only the records whose text changed are
tokenised again; the rest is recomputed from the counts. Ranking never writes
library.json. Similarities are one sparse product (numpy), with the costliest
shared terms as a dense one, a block of suggestions at a time (bounded memory).
numpy is imported by this module: import it only where ranking is needed.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import math
import os
import re
import tempfile
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

Record = Mapping[str, Any]
Texts = list[tuple[str, int]]
"""A document's texts, each with the weight its terms count with."""
Derived = dict[str, npt.NDArray[Any]]
"""Arrays computed from the weights and the records, cached with them (the library's plan)."""
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

MIN_PAPERS = 5
"""Below this many papers in the library, suggestions keep the curator's order."""

STATUS_WEIGHT = {"read": 1.0, "reading": 1.0, "to-read": 0.5, "dropped": -1.0}
"""How much a paper of each status counts in the profile (dropped: against)."""

# Weights of the score's parts (see the module's docstring).
W_NEAREST = 0.55
W_PROFILE = 0.45
W_DROPPED = 0.5
W_DISMISSED = 1.0
W_ACCEPTED = 0.3
W_AGREEMENT = 0.03
W_UPVOTES = 0.05
NEAREST_K = 3
FIT_SCALE = 0.25  # fit = tanh(score / FIT_SCALE): 0.1 -> 0.38, 0.25 -> 0.76
LIKE_MIN = 0.12  # a paper below this cosine is not "like" a suggestion
WHY_AGAINST = 0.04  # a pull-down this strong is named in the why line
MAX_PROFILES = 200
DENSE_TERMS = 768  # at most this many terms go through the dense product ...
DENSE_MIN_PRODUCTS = 4096  # ... each costing at least this many products in the sparse one
DENSE_CELLS = 8_000_000  # and the dense targets take at most this many cells (32 MB)
BLOCK_CELLS = 2_000_000  # queries are scored in blocks of at most this many similarities (16 MB)
MAX_DF = 0.5  # terms in more than half the documents say nothing (and cost the most)

CACHE_VERSION = 2

_WORD = re.compile(r"[^\W_]+")  # runs of letters and digits: linear over any input
_UPVOTES = re.compile(r"(\d[\d,]{0,12})\s{0,3}upvote")

STOPWORDS = frozenset(
    """a about above across after again against all almost along also although am among an and another any are
    around as at be because been before being below between both but by can could did do does doing done down
    during each either et etc few for from further had has have having he her here hers him his how however i if
    in into is it its itself just la may me might more most much must my neither no nor not now of off often on
    once one only or other our ours out over own per rather same several she should show shown shows since so some
    such than that the their theirs them then there these they this those though through thus to too toward
    towards under until up upon us use used uses using very via was we well were what when where whether which
    while who whom whose why will with within without would yet you your paper propose proposed present presents
    approach approaches method methods result results new novel based work works""".split()
)


# -- text ----------------------------------------------------------------------


_STEMS: dict[str, str] = {}


def _stem(word: str) -> str:
    """Plurals folded onto singulars: enough for TF-IDF, and predictable."""
    stem = _STEMS.get(word)
    if stem is None:
        stem = word
        if len(word) > 4 and word.endswith("ies"):
            stem = word[:-3] + "y"
        elif len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
            stem = word[:-1]
        if len(_STEMS) < 200_000:
            _STEMS[word] = stem
    return stem


def tokens(text: str) -> list[str]:
    """The terms of a text: lower-case words and numbers-with-letters, stop words out, plurals folded."""
    return [_stem(w) for w in _WORD.findall(text.lower()) if len(w) > 1 and w not in STOPWORDS and not w.isdigit()]


def _paper_text(record: Record, ignored_tags: frozenset[str]) -> list[tuple[str, int]]:
    tags = " ".join(t.replace("-", " ") for t in _tags(record) if t not in ignored_tags)
    return [
        (_str(record.get("title")), 2),
        (tags, 2),
        (_str(record.get("abstract")), 1),
        (_str(record.get("notes")), 1),
    ]


def _suggestion_text(record: Record) -> list[tuple[str, int]]:
    metadata = record.get("metadata")
    abstract = _str(metadata.get("abstract")) if isinstance(metadata, Mapping) else ""
    return [(_str(record.get("title")), 2), (abstract, 1), (_without_upvotes(_str(record.get("blurb"))), 1)]


def _without_upvotes(blurb: str) -> str:
    """A Hugging Face blurb without its "312 upvotes on Hugging Face daily papers (day)." sentence."""
    end = blurb.find(". ")
    first = blurb if end < 0 else blurb[:end]
    if "upvote" in first.lower():
        return "" if end < 0 else blurb[end + 2 :]
    return blurb


def _fingerprint(parts: list[tuple[str, int]]) -> int:
    digest = hashlib.blake2b(digest_size=8)
    for text, weight in parts:
        digest.update(f"{weight}\x1f{text}\x1e".encode("utf-8", "surrogatepass"))
    return int.from_bytes(digest.digest(), "little", signed=True)


def _counts(parts: list[tuple[str, int]]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text, weight in parts:
        for term in tokens(text):
            counts[term] += weight
    return counts


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _tags(record: Record) -> list[str]:
    tags = record.get("tags")
    return [t for t in tags if isinstance(t, str) and t] if isinstance(tags, list) else []


# -- curator signals -------------------------------------------------------------


def _picks(record: Record) -> list[Mapping[str, Any]]:
    picks = record.get("picks")
    return [p for p in picks if isinstance(p, Mapping)] if isinstance(picks, list) else []


def pick_upvotes(pick: Mapping[str, Any]) -> int | None:
    """A pick's Hugging Face upvotes: its ``upvotes`` key, else read from its blurb ("312 upvotes on ...")."""
    value = pick.get("upvotes")
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    blurb = _str(pick.get("blurb"))[:300]
    if "upvote" not in blurb.lower():
        return None
    found = _UPVOTES.search(blurb.lower())
    return int(found.group(1).replace(",", "")) if found else None


def _month_maxima(records: Iterable[Record]) -> dict[str, int]:
    maxima: dict[str, int] = {}
    for record in records:
        for pick in _picks(record):
            votes = pick_upvotes(pick)
            month = _str(pick.get("month"))
            if votes is not None and votes > maxima.get(month, 0):
                maxima[month] = votes
    return maxima


@dataclass(frozen=True)
class _Curators:
    sources: int
    periods: int
    period_word: str
    upvotes: int | None
    upvote_share: float  # 0..1, log-normalised within the month

    @property
    def agreement(self) -> int:
        return max(self.sources - 1, 0) + max(self.periods - 1, 0)

    def why(self) -> list[str]:
        parts = []
        if self.sources > 1:
            parts.append(f"picked by {self.sources} curators")
        if self.periods > 1:
            parts.append(f"picked in {self.periods} {self.period_word}s")
        if self.upvotes:
            parts.append(f"{self.upvotes} upvote{'s' if self.upvotes != 1 else ''}")
        return parts


def _curators(record: Record, maxima: Mapping[str, int]) -> _Curators:
    picks = _picks(record)
    sources = {_str(p.get("source")) for p in picks}
    weeks = {str(p["week"]) for p in picks if p.get("week")}  # weekly lists: the first day of the week
    months = {_str(p.get("month")) for p in picks}
    periods, word = (len(weeks), "week") if len(weeks) > 1 else (len(months), "month")
    best: int | None = None
    share = 0.0
    for pick in picks:
        votes = pick_upvotes(pick)
        if votes is None:
            continue
        best = max(best or 0, votes)
        top = maxima.get(_str(pick.get("month")), 0)
        if top > 0:
            share = max(share, math.log1p(votes) / math.log1p(top))
    return _Curators(len(sources), periods, word, best, share)


# -- results ---------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    """One suggestion's place: its fit (0..1, None when not ranked), the reason, the tags to propose."""

    key: str
    fit: float | None
    why: str
    tags: tuple[str, ...] = ()
    like: tuple[str, ...] = ()
    """Ids of the library papers the why line names."""
    score: float = 0.0
    """The raw score the order follows (fit is its squashed, rounded form)."""


@dataclass
class Ranking:
    """Suggestions in fit order (or the curator's, with :attr:`note` saying why)."""

    items: list[Ranked]
    ranked: bool
    note: str | None = None
    _by_key: dict[str, Ranked] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._by_key = {r.key: r for r in self.items}

    def get(self, key: str) -> Ranked | None:
        return self._by_key.get(key)

    @property
    def keys(self) -> list[str]:
        return [r.key for r in self.items]


@dataclass
class CacheReport:
    """What the last ranking did with the cache (for tests and the benchmark)."""

    path: Path | None = None
    reused: int = 0
    tokenised: int = 0
    fresh: bool = False
    """True when the cache already matched the store's stamp (nothing tokenised, nothing written)."""
    written: bool = False


# -- the token-count index ---------------------------------------------------------


class _Ids:
    """The docs of an index: paper ids as "p:" + id, suggestion keys as "s:" + key, and their rows."""

    def __init__(self, ids: list[str]) -> None:
        self.ids = ids
        self.row = {doc: i for i, doc in enumerate(ids)}


class _Docs(_Ids):
    """Field-weighted term counts of every doc, as CSR rows, with each doc's text fingerprint."""

    def __init__(
        self, ids: list[str], fingerprints: Ints, indptr: Ints, terms: Ints, counts: Floats, vocab: list[str]
    ) -> None:
        super().__init__(ids)
        self.fingerprints = fingerprints
        self.indptr = indptr
        self.terms = terms
        self.counts = counts
        self.vocab = vocab

    @classmethod
    def empty(cls) -> _Docs:
        return cls([], np.zeros(0, np.int64), np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(0), [])


def _gather(indptr: Ints, rows: Ints) -> Ints:
    """Positions of the entries of ``rows`` (CSR), row after row."""
    starts = indptr[rows]
    lengths = indptr[rows + 1] - starts
    total = int(lengths.sum())
    return np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(total, dtype=np.int64)


def _update(old: _Docs, wanted: Sequence[str], text: Callable[[str], Texts], report: CacheReport) -> _Docs:
    """The index for the ``wanted`` docs: unchanged rows reused, the others tokenised."""
    texts = {doc: text(doc) for doc in wanted}
    fingerprints = {doc: _fingerprint(parts) for doc, parts in texts.items()}
    keep_ids = [
        doc for doc in old.ids if doc in fingerprints and fingerprints[doc] == int(old.fingerprints[old.row[doc]])
    ]
    keep_rows = np.array([old.row[doc] for doc in keep_ids], dtype=np.int64)
    positions = _gather(old.indptr, keep_rows)
    lengths = old.indptr[keep_rows + 1] - old.indptr[keep_rows]
    vocab = list(old.vocab)
    term_id = {term: i for i, term in enumerate(vocab)}
    kept = set(keep_ids)
    new_ids = [doc for doc in wanted if doc not in kept]
    new_terms: list[int] = []
    new_counts: list[float] = []
    new_lengths: list[int] = []
    for doc in new_ids:
        counts = _counts(texts[doc])
        for term, count in counts.items():
            index = term_id.get(term)
            if index is None:
                index = term_id[term] = len(vocab)
                vocab.append(term)
            new_terms.append(index)
            new_counts.append(float(count))
        new_lengths.append(len(counts))
    report.reused, report.tokenised = len(keep_ids), len(new_ids)
    ids = keep_ids + new_ids
    all_lengths = np.concatenate([lengths, np.array(new_lengths, dtype=np.int64)])
    indptr = np.zeros(len(ids) + 1, dtype=np.int64)
    np.cumsum(all_lengths, out=indptr[1:])
    return _Docs(
        ids=ids,
        fingerprints=np.array([fingerprints[doc] for doc in ids], dtype=np.int64),
        indptr=indptr,
        terms=np.concatenate([old.terms[positions], np.array(new_terms, dtype=np.int64)]),
        counts=np.concatenate([old.counts[positions], np.array(new_counts, dtype=np.float64)]),
        vocab=vocab,
    )


# -- the cache file ------------------------------------------------------------------


def cache_file(cache_dir: Path, library_path: Path) -> Path:
    """The cache of one library: ``rank-<hash of its path>.npz`` in the cache folder."""
    name = hashlib.blake2b(str(library_path.resolve()).encode("utf-8", "surrogatepass"), digest_size=6).hexdigest()
    return cache_dir / f"rank-{name}.npz"


def _pack(strings: Sequence[str]) -> npt.NDArray[np.uint8]:
    return np.frombuffer("\n".join(strings).encode("utf-8", "surrogatepass"), dtype=np.uint8)


def _unpack(data: npt.NDArray[np.uint8], count: int) -> list[str]:
    if count == 0:
        return []
    strings = data.tobytes().decode("utf-8", "surrogatepass").split("\n")
    if len(strings) != count:
        raise ValueError("string table does not match its count")
    return strings


def stamp_text(stamp: object) -> str:
    return f"v{CACHE_VERSION} {stamp!r}"


def read_cache_stamp(path: Path) -> str | None:
    """The stamp a cache file was built for, reading nothing else; None when absent or unreadable."""
    try:
        with np.load(path, allow_pickle=False) as data:
            return bytes(data["stamp"].tobytes()).decode("utf-8")
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, UnicodeDecodeError):
        return None


_ERRORS = (OSError, ValueError, KeyError, IndexError, EOFError, zipfile.BadZipFile, UnicodeDecodeError)


def _csr_ok(indptr: Ints, terms: Ints, values: Floats, rows: int, n_terms: int) -> bool:
    return (
        len(indptr) == rows + 1
        and int(indptr[0]) == 0
        and int(indptr[-1]) == len(terms) == len(values)
        and not bool(np.any(np.diff(indptr) < 0))
        and (len(terms) == 0 or (int(terms.max()) < n_terms and int(terms.min()) >= 0))
    )


def _load(path: Path, counts: bool) -> tuple[str, _Ids, _Weights, Derived] | None:
    """The cache file's stamp, docs (with their token counts if ``counts``), TF-IDF weights and derived
    arrays; None when absent or not sound. Ranking with a fresh cache needs no counts: they are left
    on disk."""
    try:
        with np.load(path, allow_pickle=False) as data:
            stamp = bytes(data["stamp"].tobytes()).decode("utf-8")
            n_terms, n_docs = (int(n) for n in data["sizes"])
            ids = _unpack(data["ids"], n_docs)
            weights = _Weights(
                data["w_indptr"].astype(np.int64),
                data["w_terms"].astype(np.int64),
                data["w_values"].astype(np.float64),
                n_terms,
            )
            derived = {name[2:]: data[name] for name in data.files if name.startswith("x_")}
            docs: _Ids = _Ids(ids)
            if counts:
                docs = _Docs(
                    ids=ids,
                    fingerprints=data["fingerprints"].astype(np.int64),
                    indptr=data["indptr"].astype(np.int64),
                    terms=data["terms"].astype(np.int64),
                    counts=data["counts"].astype(np.float64),
                    vocab=_unpack(data["vocab"], n_terms),
                )
    except _ERRORS:
        return None
    if not _csr_ok(weights.indptr, weights.terms, weights.values, n_docs, n_terms):
        return None
    if isinstance(docs, _Docs) and (
        len(docs.fingerprints) != n_docs or not _csr_ok(docs.indptr, docs.terms, docs.counts, n_docs, n_terms)
    ):
        return None
    return stamp, docs, weights, derived


def _save(path: Path, stamp: str, docs: _Docs, weights: _Weights, derived: Derived) -> bool:
    """Write the cache atomically; False (and nothing left behind) when the folder cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(dir=path.parent, prefix=".rank-", suffix=".tmp")
    except OSError:
        return False
    arrays: dict[str, Any] = {
        "stamp": np.frombuffer(stamp.encode("utf-8"), dtype=np.uint8),
        "ids": _pack(docs.ids),
        "fingerprints": docs.fingerprints,
        "indptr": docs.indptr,
        "terms": docs.terms.astype(np.int32),
        "counts": docs.counts.astype(np.float32),
        "vocab": _pack(docs.vocab),
        "sizes": np.array([len(docs.vocab), len(docs.ids)], dtype=np.int64),
        "w_indptr": weights.indptr,
        "w_terms": weights.terms.astype(np.int32),
        "w_values": weights.values.astype(np.float32),
    }
    arrays.update({"x_" + name: value for name, value in derived.items()})
    try:
        with os.fdopen(fd, "wb") as handle:
            np.savez(handle, **arrays)
        os.replace(temp, path)
        return True
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        return False


class Index:
    """The token counts of one library's papers and suggestions, cached on disk by the store's stamp."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.report = CacheReport(path=path)
        self._memo: tuple[str, _Ids, _Weights, Derived] | None = None

    def docs(
        self,
        stamp: object,
        wanted: Sequence[str],
        text: Callable[[str], Texts],
        derive: Callable[[_Ids, _Weights], Derived] | None = None,
    ) -> tuple[_Ids, _Weights, Derived]:
        """The index of the ``wanted`` docs: read from the cache when its stamp matches, else updated and saved.

        ``text(doc)`` gives a doc's weighted texts and ``derive`` the arrays computed from the
        weights that depend only on what the stamp covers; both are only called when it changed.
        """
        key = stamp_text(stamp) if stamp is not None else None
        self.report = CacheReport(path=self.path)
        for source in ("memory", "file"):
            if key is None:
                break
            found = self._memo if source == "memory" else _load(self.path, counts=False) if self.path else None
            if found is not None and found[0] == key and all(d in found[1].row for d in wanted):
                self.report.fresh = True
                self.report.reused = len(found[1].ids)
                self._memo = found
                return found[1], found[2], found[3]
        old: _Docs | None = None
        if self._memo is not None and isinstance(self._memo[1], _Docs):
            old = self._memo[1]
        elif self.path is not None:
            loaded = _load(self.path, counts=True)
            old = loaded[1] if loaded is not None and isinstance(loaded[1], _Docs) else None
        docs = _update(old or _Docs.empty(), wanted, text, self.report)
        weights = _weights(docs)
        derived = derive(docs, weights) if derive is not None else {}
        if key is not None:
            self._memo = (key, docs, weights, derived)
            if self.path is not None:
                self.report.written = _save(self.path, key, docs, weights, derived)
        return docs, weights, derived


# -- scoring ------------------------------------------------------------------------


@dataclass
class _Weights:
    """TF-IDF vectors of the docs (sublinear tf, smoothed idf, unit length), CSR without zero entries."""

    indptr: Ints
    terms: Ints
    values: Floats
    n_terms: int
    rows: Ints = field(init=False)

    def __post_init__(self) -> None:
        self.rows = np.repeat(np.arange(len(self.indptr) - 1, dtype=np.int64), np.diff(self.indptr))


def _weights(docs: _Docs) -> _Weights:
    n_docs = len(docs.ids)
    rows = np.repeat(np.arange(n_docs, dtype=np.int64), np.diff(docs.indptr))
    df = np.bincount(docs.terms, minlength=len(docs.vocab)).astype(np.float64)
    idf = np.log((1.0 + n_docs) / (1.0 + df)) + 1.0
    if n_docs >= 50:
        idf[df > MAX_DF * n_docs] = 0.0
    values = (1.0 + np.log(np.maximum(docs.counts, 1.0))) * idf[docs.terms]
    norms = np.sqrt(np.bincount(rows, values * values, minlength=n_docs))
    values = values / np.where(norms > 0, norms, 1.0)[rows]
    keep = values > 0
    indptr = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows[keep], minlength=n_docs), out=indptr[1:])
    return _Weights(indptr, docs.terms[keep], values[keep], len(docs.vocab))


class _Product:
    """Cosine similarities of query docs with target docs (rows of ``w``), a block of queries at a time.

    A term many queries and many targets hold costs queries x targets products in a sparse
    product; the costliest terms go through a dense matrix product (BLAS) instead, the others
    through a sparse one (each target entry meets the queries that hold its term). Memory stays
    bounded: at most DENSE_CELLS cells of dense targets, and the caller asks for blocks of queries.
    """

    def __init__(self, w: _Weights, queries: Ints, targets: Ints) -> None:
        self.w = w
        self.n_q, self.n_t = len(queries), len(targets)
        self.q_pos = np.full(len(w.indptr) - 1, -1, dtype=np.int64)
        self.q_pos[queries] = np.arange(self.n_q)
        t_pos = np.full(len(w.indptr) - 1, -1, dtype=np.int64)
        t_pos[targets] = np.arange(self.n_t)
        q_entries = np.flatnonzero(self.q_pos[w.rows] >= 0)
        q_count = np.bincount(w.terms[q_entries], minlength=w.n_terms)
        t_entries = np.flatnonzero((t_pos[w.rows] >= 0) & (q_count[w.terms] > 0))
        t_count = np.bincount(w.terms[t_entries], minlength=w.n_terms)
        cost = q_count * t_count
        dense = np.argsort(-cost, kind="stable")[: min(DENSE_TERMS, DENSE_CELLS // max(self.n_t, 1))]
        dense = dense[cost[dense] >= DENSE_MIN_PRODUCTS]
        self.is_dense = np.zeros(w.n_terms, dtype=bool)
        self.is_dense[dense] = True
        self.column = np.full(w.n_terms, -1, dtype=np.int64)
        self.column[dense] = np.arange(len(dense))
        self.n_dense = len(dense)
        self.q_entries = q_entries
        t_dense = t_entries[self.is_dense[w.terms[t_entries]]]
        self.t_matrix = np.zeros((self.n_t, self.n_dense), dtype=np.float32)
        self.t_matrix[t_pos[w.rows[t_dense]], self.column[w.terms[t_dense]]] = w.values[t_dense]
        sparse = t_entries[~self.is_dense[w.terms[t_entries]]]
        self.t_terms = w.terms[sparse]
        self.t_cols = t_pos[w.rows[sparse]]
        self.t_values = w.values[sparse]

    def rows(self, start: int, stop: int, chunk: int = 4_000_000) -> Floats:
        """Similarities of queries ``start:stop`` with every target: a (stop - start) x targets matrix."""
        w, n_t = self.w, self.n_t
        n_q = stop - start
        sims = np.zeros(n_q * n_t)
        if n_q <= 0 or n_t == 0:
            return sims.reshape(max(n_q, 0), n_t)
        mine = self.q_entries[
            (self.q_pos[w.rows[self.q_entries]] >= start) & (self.q_pos[w.rows[self.q_entries]] < stop)
        ]
        if self.n_dense:
            dense = mine[self.is_dense[w.terms[mine]]]
            q_matrix = np.zeros((n_q, self.n_dense), dtype=np.float32)
            q_matrix[self.q_pos[w.rows[dense]] - start, self.column[w.terms[dense]]] = w.values[dense]
            sims += (q_matrix @ self.t_matrix.T).ravel()
        # The other terms: the block's entries grouped by term (a small inverted index).
        sparse = mine[~self.is_dense[w.terms[mine]]]
        order = sparse[np.argsort(w.terms[sparse], kind="stable")]
        q_of = self.q_pos[w.rows[order]] - start
        q_val = w.values[order]
        q_count = np.bincount(w.terms[order], minlength=w.n_terms)
        q_start = np.cumsum(q_count) - q_count
        meets = np.flatnonzero(q_count[self.t_terms] > 0)
        reps_all = q_count[self.t_terms[meets]]
        cumulative = np.cumsum(reps_all)
        total = int(cumulative[-1]) if len(cumulative) else 0
        cuts = np.unique(np.searchsorted(cumulative, np.arange(chunk, total, chunk), side="right"))
        edges = [0, *cuts.tolist(), len(meets)]
        for first, last in itertools.pairwise(edges):
            if last <= first:
                continue
            part = meets[first:last]
            reps = reps_all[first:last]
            base = np.repeat(q_start[self.t_terms[part]] - (np.cumsum(reps) - reps), reps) + np.arange(int(reps.sum()))
            flat = q_of[base] * n_t + np.repeat(self.t_cols[part], reps)
            sims += np.bincount(flat, np.repeat(self.t_values[part], reps) * q_val[base], minlength=n_q * n_t)
        return sims.reshape(n_q, n_t)


def _short_title(title: str, limit: int = 56) -> str:
    """The name a paper goes by: its title before a colon, shortened on a word boundary."""
    name = " ".join(title.split())
    head = name.split(": ", 1)[0]
    if len(head) >= 8:
        name = head
    if len(name) > limit:
        name = name[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-") + "…"
    return name.replace("*", "")


def _curator_order(suggestions: Sequence[Record], maxima: Mapping[str, int], note: str | None) -> Ranking:
    items = [Ranked(key=_str(s.get("key")), fit=None, why=" · ".join(_curators(s, maxima).why())) for s in suggestions]
    return Ranking(items=items, ranked=False, note=note)


def rank_records(
    papers: Mapping[str, Record],
    suggestions: Sequence[Record],
    *,
    all_suggestions: Mapping[str, Record] | None = None,
    stamp: object = None,
    index: Index | None = None,
) -> Ranking:
    """Rank ``suggestions`` (stored suggestion records, in the curator's order) against ``papers``.

    ``all_suggestions`` (key -> record, every state) gives the feedback (dismissed and accepted ones)
    and the month's upvotes; ``stamp`` is the store's stamp the cache in ``index`` is keyed by.
    """
    table = dict(all_suggestions) if all_suggestions is not None else {}
    for s in suggestions:
        table.setdefault(_str(s.get("key")), s)
    maxima = _month_maxima(table.values())
    if len(papers) < MIN_PAPERS:
        count = len(papers)
        note = (
            f"your library holds {count} paper{'s' if count != 1 else ''}: suggestions keep the curators' "
            f"order until it holds {MIN_PAPERS}"
        )
        return _curator_order(suggestions, maxima, note)

    source_tags = frozenset(_str(p.get("source")) for s in table.values() for p in _picks(s))

    def text(doc: str) -> Texts:
        return _paper_text(papers[doc[2:]], source_tags) if doc[0] == "p" else _suggestion_text(table[doc[2:]])

    def plan(docs: _Ids, weights: _Weights) -> Derived:
        """What the papers' statuses and tags make of the library (cached with the stamp: no loop over
        10,000 records when nothing changed)."""
        weight_of = {p: STATUS_WEIGHT.get(_str(r.get("status")), 0.5) for p, r in papers.items()}
        liked = [p for p, w in weight_of.items() if w > 0]
        liked_weight = np.array([weight_of[p] for p in liked])
        liked_rows = np.array([docs.row["p:" + p] for p in liked], dtype=np.int64)
        names, members = _profile_groups(liked, papers, source_tags)
        return {
            "liked": liked_rows,
            "liked_weight": liked_weight,
            "dropped": np.array([docs.row["p:" + p] for p, w in weight_of.items() if w <= 0], dtype=np.int64),
            "profile_names": _pack(names),
            "profile_sizes": np.array([len(g) for g in members], dtype=np.int64),
            "profile_members": np.array([i for g in members for i in g], dtype=np.int64),
            "profile_norms": _profile_norms(members, liked_weight, liked_rows, weights),
        }

    wanted = ["p:" + paper_id for paper_id in papers] + ["s:" + key for key in table]
    docs, weights, derived = (index or Index(None)).docs(stamp, wanted, text, plan)
    try:
        liked, dropped, liked_weight, profile_names, membership, norms = _read_plan(docs, derived)
        if len(liked) + len(dropped) != len(papers) or not all(p in papers for p in liked):
            raise ValueError("a plan for other papers")
    except (KeyError, ValueError, IndexError):  # a cache from another version, or a stamp reused
        liked, dropped, liked_weight, profile_names, membership, norms = _read_plan(docs, plan(docs, weights))

    # Targets of the similarity product, in three blocks: papers that count for (read, reading,
    # to-read), papers that count against (dropped), then dismissed and accepted suggestions.
    saved = set(papers)
    dismissed = [k for k, s in table.items() if s.get("state") == "dismissed"]
    accepted = [k for k, s in table.items() if s.get("state") == "accepted" and k not in saved]
    target_docs = ["p:" + p for p in liked + dropped] + ["s:" + k for k in dismissed + accepted]
    targets = np.array([docs.row[d] for d in target_docs], dtype=np.int64)
    query_keys = [_str(s.get("key")) for s in suggestions]
    queries = np.array([docs.row["s:" + k] for k in query_keys], dtype=np.int64)
    n_q, n_liked, n_dropped, n_dismissed = len(query_keys), len(liked), len(dropped), len(dismissed)
    column = {doc: j for j, doc in enumerate(target_docs)}
    product = _Product(weights, queries, targets)
    top_n = min(5, n_liked)
    nearest, best_profile, liked_max, dropped_max, dismissed_max, accepted_max = np.zeros((6, n_q))
    closest_dropped, closest_dismissed = np.zeros(n_q, dtype=np.int64), np.zeros(n_q, dtype=np.int64)
    top = np.zeros((n_q, top_n), dtype=np.int64)
    top_weighted, top_raw = np.zeros((n_q, top_n)), np.zeros((n_q, top_n))
    profile_sims = np.zeros((n_q, len(profile_names)))
    block = max(1, BLOCK_CELLS // max(len(targets), 1))
    for start in range(0, n_q, block):
        stop = min(start + block, n_q)
        sims = product.rows(start, stop)
        # A suggestion already saved (or dismissed, when --all shows it) is not like itself.
        for q in range(start, stop):
            for doc in ("p:" + query_keys[q], "s:" + query_keys[q]):
                if doc in column:
                    sims[q - start, column[doc]] = 0.0
        raw = sims[:, :n_liked]
        weighted = raw * liked_weight
        against = sims[:, n_liked : n_liked + n_dropped]
        gone = sims[:, n_liked + n_dropped : n_liked + n_dropped + n_dismissed]
        taken = sims[:, n_liked + n_dropped + n_dismissed :]
        here = slice(start, stop)
        top[here], top_weighted[here] = _top(weighted, top_n)
        top_raw[here] = np.take_along_axis(raw, top[here], axis=1)
        profile_sims[here] = (weighted @ membership) / norms
        for result, part in ((liked_max, raw), (dropped_max, against), (dismissed_max, gone), (accepted_max, taken)):
            if part.shape[1]:
                result[here] = part.max(axis=1)
        if n_dropped:
            closest_dropped[here] = against.argmax(axis=1)
        if n_dismissed:
            closest_dismissed[here] = gone.argmax(axis=1)
    k = min(NEAREST_K, top_n)
    if k:
        nearest = top_weighted[:, :k].mean(axis=1)
    best_profile = profile_sims.max(axis=1) if profile_sims.shape[1] else best_profile
    # A dropped paper or a dismissed suggestion pulls down in proportion to how much closer the
    # suggestion is to it than to the papers kept: a #moe pick that shares a few words with a
    # dismissed dense-scaling one loses little, the dense-scaling one's siblings lose a lot.
    against_dropped = dropped_max * dropped_max / np.maximum(dropped_max + liked_max, 1e-9)
    against_dismissed = dismissed_max * dismissed_max / np.maximum(dismissed_max + liked_max, 1e-9)

    curators = [_curators(s, maxima) for s in suggestions]
    prior = np.array([W_AGREEMENT * min(c.agreement, 3) + W_UPVOTES * c.upvote_share for c in curators])
    scores = (
        W_NEAREST * nearest
        + W_PROFILE * best_profile
        - W_DROPPED * against_dropped
        - W_DISMISSED * against_dismissed
        + W_ACCEPTED * accepted_max
        + prior
    )

    items = []
    for q, key in enumerate(query_keys):
        like, tag, proposed = _neighbours(
            [(liked[i], float(top_weighted[q, j]), float(top_raw[q, j])) for j, i in enumerate(top[q].tolist())],
            dict(zip(profile_names, profile_sims[q].tolist(), strict=True)),
            papers,
            source_tags,
        )
        why = []
        if like:
            names = " and ".join(f"*{_short_title(_str(papers[p].get('title')) or p)}*" for p in like)
            why.append(f"like {names}" + (f" (#{tag})" if tag else ""))
        else:
            why.append("nothing like it in your library")
        if W_DISMISSED * against_dismissed[q] >= WHY_AGAINST:
            title = _str(table[dismissed[int(closest_dismissed[q])]].get("title"))
            why.append(f"close to dismissed *{_short_title(title)}*")
        if W_DROPPED * against_dropped[q] >= WHY_AGAINST:
            title = _str(papers[dropped[int(closest_dropped[q])]].get("title"))
            why.append(f"close to dropped *{_short_title(title)}*")
        why += curators[q].why()
        score = float(scores[q])
        items.append(
            Ranked(
                key=key,
                fit=round(math.tanh(max(score, 0.0) / FIT_SCALE), 3),
                why=" · ".join(why),
                tags=tuple(proposed),
                like=tuple(like),
                score=score,
            )
        )
    ranked = sorted(range(len(items)), key=lambda i: (-items[i].score, i))
    return Ranking(items=[items[i] for i in ranked], ranked=True)


def _read_plan(docs: _Ids, derived: Derived) -> tuple[list[str], list[str], Floats, list[str], Floats, Floats]:
    """Liked and dropped paper ids, the liked ones' weights, profile names, membership and norms."""
    liked = [docs.ids[r][2:] for r in derived["liked"].tolist()]
    dropped = [docs.ids[r][2:] for r in derived["dropped"].tolist()]
    sizes = derived["profile_sizes"].astype(np.int64)
    names = _unpack(derived["profile_names"], len(sizes))
    norms = derived["profile_norms"].astype(np.float64)
    if len(norms) != len(names) or int(sizes.sum()) != len(derived["profile_members"]):
        raise ValueError("profiles do not match their norms")
    membership = np.zeros((len(liked), len(sizes)))
    membership[derived["profile_members"].astype(np.int64), np.repeat(np.arange(len(sizes)), sizes)] = 1.0
    return liked, dropped, derived["liked_weight"].astype(np.float64), names, membership, norms


def _top(values: Floats, n: int) -> tuple[Ints, Floats]:
    """The ``n`` largest of each row, best first (ties: the lower index first), and their values.

    ``n`` passes of argmax: several times faster than argpartition on rows full of ties (zeros).
    """
    rows = np.arange(values.shape[0])
    work = values.copy()
    indexes = np.zeros((values.shape[0], n), dtype=np.int64)
    best = np.zeros((values.shape[0], n))
    for j in range(n):
        indexes[:, j] = work.argmax(axis=1)
        best[:, j] = work[rows, indexes[:, j]]
        work[rows, indexes[:, j]] = -np.inf
    return indexes, best


def _profile_groups(
    liked: list[str], papers: Mapping[str, Record], source_tags: frozenset[str]
) -> tuple[list[str], list[list[int]]]:
    """One profile per tag (and "" for the whole library): names, and members as indexes into ``liked``."""
    names: list[str] = [""]
    members: list[list[int]] = [list(range(len(liked)))]
    by_tag: dict[str, list[int]] = {}
    for i, paper_id in enumerate(liked):
        for tag in _tags(papers[paper_id]):
            if tag not in source_tags:
                by_tag.setdefault(tag, []).append(i)
    # A tag on one paper is covered by the nearest papers; the MAX_PROFILES largest tags get profiles.
    shared = sorted((t for t in by_tag if len(by_tag[t]) >= 2), key=lambda t: (-len(by_tag[t]), t))
    for tag in sorted(shared[:MAX_PROFILES]):
        names.append(tag)
        members.append(by_tag[tag])
    return names, members


def _profile_norms(members: list[list[int]], liked_weight: Floats, liked_rows: Ints, w: _Weights) -> Floats:
    """The norm of each profile's centroid (its members' weighted vectors summed term by term); inf if empty."""
    n_profiles = len(members)
    pairs_paper = np.concatenate([np.array(g, dtype=np.int64) for g in members])
    pairs_profile = np.repeat(np.arange(n_profiles, dtype=np.int64), [len(g) for g in members])
    positions = _gather(w.indptr, liked_rows[pairs_paper])
    lengths = np.diff(w.indptr)[liked_rows[pairs_paper]]
    entry_weight = np.repeat(liked_weight[pairs_paper], lengths) * w.values[positions]
    keys = np.repeat(pairs_profile, lengths) * w.n_terms + w.terms[positions]
    if n_profiles * w.n_terms <= 4_000_000:
        sums = np.bincount(keys, entry_weight, minlength=n_profiles * w.n_terms)
        norms = np.sqrt((sums * sums).reshape(n_profiles, w.n_terms).sum(axis=1))
    else:
        unique, inverse = np.unique(keys, return_inverse=True)
        sums = np.bincount(inverse, entry_weight)
        norms = np.sqrt(np.bincount(unique // w.n_terms, sums * sums, minlength=n_profiles))
    return np.where(norms > 0, norms, np.inf)


def _neighbours(
    top: list[tuple[str, float, float]],
    profile_sims: Mapping[str, float],
    papers: Mapping[str, Record],
    source_tags: frozenset[str],
) -> tuple[list[str], str | None, list[str]]:
    """The papers a suggestion is like (at most 2), the tag to name, and the tags to propose.

    ``top``: the nearest liked papers, best first, as (id, status-weighted cosine, cosine).
    """
    best = top[0][1] if top else 0.0
    close = [(p, w) for p, w, cosine in top if cosine >= LIKE_MIN and w >= 0.5 * best]
    votes: dict[str, float] = {}
    for paper_id, weight in close:
        for t in _tags(papers[paper_id]):
            if t not in source_tags:
                votes[t] = votes.get(t, 0.0) + weight
    proposed = sorted((t for t in votes if votes[t] >= 0.5 * max(votes.values())), key=lambda t: (-votes[t], t))[:3]
    like = [p for p, _ in close[:2]]
    carried = {t for p in like for t in _tags(papers[p])}
    named = [(profile_sims[name], name) for name in carried if name in profile_sims]
    return like, (max(named)[1] if named else None), proposed
