"""The ranking's vectors: a library's papers and suggestions as TF-IDF vectors, cached by the store's stamp.

Text becomes terms (:func:`tokens`), terms become field-weighted counts per
document, counts become TF-IDF vectors (sublinear tf, smoothed idf, unit
length), and :class:`Product` gives cosine similarities between documents.
:class:`Index` keeps the counts, the vectors and what the caller derives from
them in one ``.npz`` file per library (``Settings.cache_dir``), keyed by the
store's stamp: a fresh file is read as it is; when the stamp changed, only the
documents whose text changed are tokenised again. numpy is imported here.
"""

from __future__ import annotations

import hashlib
import itertools
import os
import re
import zipfile
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import numpy.typing as npt

from readlist.core.files import OwnedFileError, open_owned_file, write_cache

Texts = list[tuple[str, int]]
"""A document's texts, each with the weight its terms count with."""
Derived = dict[str, npt.NDArray[Any]]
"""Arrays the caller computes from the vectors and its records, cached with them."""
Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]

MAX_DF = 0.5  # terms in more than half the documents say nothing (and cost the most)
DENSE_TERMS = 768  # at most this many terms go through the dense product ...
DENSE_MIN_PRODUCTS = 4096  # ... each costing at least this many products in the sparse one
DENSE_CELLS = 8_000_000  # and the dense targets take at most this many cells (32 MB)
CACHE_VERSION = 2

_WORD = re.compile(r"[^\W_]+")  # runs of letters and digits: linear over any input

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


# -- the token-count index ---------------------------------------------------------


@dataclass
class CacheReport:
    """What the last ranking did with the cache (for tests and the benchmark)."""

    path: Path | None = None
    reused: int = 0
    tokenised: int = 0
    fresh: bool = False
    """True when the cache already matched the store's stamp (nothing tokenised, nothing written)."""
    written: bool = False


class Ids:
    """The docs of an index: paper ids as "p:" + id, suggestion keys as "s:" + key, and their rows."""

    def __init__(self, ids: list[str]) -> None:
        self.ids = ids
        self.row = {doc: i for i, doc in enumerate(ids)}


class Docs(Ids):
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
    def empty(cls) -> Docs:
        return cls([], np.zeros(0, np.int64), np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(0), [])


def gather(indptr: Ints, rows: Ints) -> Ints:
    """Positions of the entries of ``rows`` (CSR), row after row."""
    starts = indptr[rows]
    lengths = indptr[rows + 1] - starts
    total = int(lengths.sum())
    return np.repeat(starts - (np.cumsum(lengths) - lengths), lengths) + np.arange(total, dtype=np.int64)


def _update(old: Docs, wanted: Sequence[str], text: Callable[[str], Texts], report: CacheReport) -> Docs:
    """The index for the ``wanted`` docs: unchanged rows reused, the others tokenised."""
    texts = {doc: text(doc) for doc in wanted}
    fingerprints = {doc: _fingerprint(parts) for doc, parts in texts.items()}
    keep_ids = [
        doc for doc in old.ids if doc in fingerprints and fingerprints[doc] == int(old.fingerprints[old.row[doc]])
    ]
    keep_rows = np.array([old.row[doc] for doc in keep_ids], dtype=np.int64)
    positions = gather(old.indptr, keep_rows)
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
    return Docs(
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


def pack(strings: Sequence[str]) -> npt.NDArray[np.uint8]:
    return np.frombuffer("\n".join(strings).encode("utf-8", "surrogatepass"), dtype=np.uint8)


def unpack(data: npt.NDArray[np.uint8], count: int) -> list[str]:
    if count == 0:
        return []
    strings = data.tobytes().decode("utf-8", "surrogatepass").split("\n")
    if len(strings) != count:
        raise ValueError("string table does not match its count")
    return strings


def stamp_text(stamp: object) -> str:
    return f"v{CACHE_VERSION} {stamp!r}"


CACHE_LIMIT = 1 << 30
"""A ranking cache larger than this (1 GiB) is not read: it is built again."""


def _open_cache(path: Path) -> BinaryIO | None:
    """The cache file, open, when it is a regular file (never a link or a FIFO) whose zip members are stored
    uncompressed, as :func:`_save` writes them, within the file's own size; else None.

    A cache is untrusted input: a zip that inflates 1 MB to 1 GB is refused by its directory, before any
    member is read, and a stored member is read for exactly its declared size."""
    try:
        handle = open_owned_file(path, "ranking cache")
    except (OSError, OwnedFileError):
        return None
    try:
        size = os.fstat(handle.fileno()).st_size
        if size <= CACHE_LIMIT:
            with zipfile.ZipFile(handle) as archive:
                members = archive.infolist()
            declared = sum(m.file_size for m in members)
            if declared <= size and all(
                m.compress_type == zipfile.ZIP_STORED and m.compress_size == m.file_size for m in members
            ):
                handle.seek(0)
                return handle
    except (OSError, ValueError, EOFError, zipfile.BadZipFile):
        pass
    handle.close()
    return None


def read_cache_stamp(path: Path) -> str | None:
    """The stamp a cache file was built for, reading nothing else; None when absent or unreadable."""
    handle = _open_cache(path)
    if handle is None:
        return None
    try:
        with handle, np.load(handle, allow_pickle=False) as data:
            return bytes(data["stamp"].tobytes()).decode("utf-8")
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile, UnicodeDecodeError):
        return None


_ERRORS = (OSError, ValueError, KeyError, IndexError, EOFError, zipfile.BadZipFile, UnicodeDecodeError)


def _csr_ok(indptr: Ints, terms: Ints, values: Floats, rows: int, n_terms: int) -> bool:
    return (
        indptr.ndim == terms.ndim == values.ndim == 1
        and len(indptr) == rows + 1
        and bool(np.all(np.isfinite(values)))
        and int(indptr[0]) == 0
        and int(indptr[-1]) == len(terms) == len(values)
        and not bool(np.any(np.diff(indptr) < 0))
        and (len(terms) == 0 or (int(terms.max()) < n_terms and int(terms.min()) >= 0))
    )


def _load(path: Path, counts: bool) -> tuple[str, Ids, Weights, Derived] | None:
    """The cache file's stamp, docs (with their token counts if ``counts``), TF-IDF weights and derived
    arrays; None when absent or not sound. Ranking with a fresh cache needs no counts: they are left
    on disk."""
    handle = _open_cache(path)
    if handle is None:
        return None
    try:
        with handle, np.load(handle, allow_pickle=False) as data:
            stamp = bytes(data["stamp"].tobytes()).decode("utf-8")
            n_terms, n_docs = (int(n) for n in data["sizes"])
            # Every term and id takes at least one byte and a separator in its string table.
            if not (0 <= n_terms <= data["vocab"].size + 1 and 0 <= n_docs <= data["ids"].size + 1):
                return None
            ids = unpack(data["ids"], n_docs)
            weights = Weights(
                data["w_indptr"].astype(np.int64),
                data["w_terms"].astype(np.int64),
                data["w_values"].astype(np.float64),
                n_terms,
            )
            derived = {name[2:]: data[name] for name in data.files if name.startswith("x_")}
            if not all(_sound(array, n_docs) for array in derived.values()):
                return None
            docs: Ids = Ids(ids)
            if counts:
                docs = Docs(
                    ids=ids,
                    fingerprints=data["fingerprints"].astype(np.int64),
                    indptr=data["indptr"].astype(np.int64),
                    terms=data["terms"].astype(np.int64),
                    counts=data["counts"].astype(np.float64),
                    vocab=unpack(data["vocab"], n_terms),
                )
    except _ERRORS:
        return None
    if not _csr_ok(weights.indptr, weights.terms, weights.values, n_docs, n_terms):
        return None
    if isinstance(docs, Docs) and (
        len(docs.fingerprints) != n_docs or not _csr_ok(docs.indptr, docs.terms, docs.counts, n_docs, n_terms)
    ):
        return None
    return stamp, docs, weights, derived


def _sound(array: npt.NDArray[Any], n_docs: int) -> bool:
    """A derived array as the ranking writes them: one dimension, finite numbers, row numbers in range."""
    if array.ndim != 1:
        return False
    if array.dtype.kind == "f":
        return bool(np.all(np.isfinite(array)))
    if array.dtype.kind in "iu" and array.dtype != np.uint8:
        return len(array) == 0 or (int(array.min()) >= 0 and int(array.max()) <= max(n_docs, len(array)))
    return array.dtype == np.uint8


def _save(path: Path, stamp: str, docs: Docs, weights: Weights, derived: Derived) -> bool:
    """Write the cache atomically; False (and nothing left behind) when the folder cannot be written."""
    arrays: dict[str, Any] = {
        "stamp": np.frombuffer(stamp.encode("utf-8"), dtype=np.uint8),
        "ids": pack(docs.ids),
        "fingerprints": docs.fingerprints,
        "indptr": docs.indptr,
        "terms": docs.terms.astype(np.int32),
        "counts": docs.counts.astype(np.float32),
        "vocab": pack(docs.vocab),
        "sizes": np.array([len(docs.vocab), len(docs.ids)], dtype=np.int64),
        "w_indptr": weights.indptr,
        "w_terms": weights.terms.astype(np.int32),
        "w_values": weights.values.astype(np.float32),
    }
    arrays.update({"x_" + name: value for name, value in derived.items()})
    try:
        # A cache can always be built again: no fsync.
        write_cache(path, lambda handle: np.savez(handle, **arrays))
        return True
    except OSError:
        return False


class Index:
    """The token counts of one library's papers and suggestions, cached on disk by the store's stamp."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.report = CacheReport(path=path)
        self._memo: tuple[str, Ids, Weights, Derived] | None = None

    def docs(
        self,
        stamp: object,
        wanted: Sequence[str],
        text: Callable[[str], Texts],
        derive: Callable[[Ids, Weights], Derived] | None = None,
    ) -> tuple[Ids, Weights, Derived]:
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
        old: Docs | None = None
        if self._memo is not None and isinstance(self._memo[1], Docs):
            old = self._memo[1]
        elif self.path is not None:
            loaded = _load(self.path, counts=True)
            old = loaded[1] if loaded is not None and isinstance(loaded[1], Docs) else None
        docs = _update(old or Docs.empty(), wanted, text, self.report)
        weights = tfidf(docs)
        derived = derive(docs, weights) if derive is not None else {}
        if key is not None:
            self._memo = (key, docs, weights, derived)
            if self.path is not None:
                self.report.written = _save(self.path, key, docs, weights, derived)
        return docs, weights, derived


# -- vectors and similarities -----------------------------------------------------


@dataclass
class Weights:
    """TF-IDF vectors of the docs (sublinear tf, smoothed idf, unit length), CSR without zero entries."""

    indptr: Ints
    terms: Ints
    values: Floats
    n_terms: int
    rows: Ints = field(init=False)

    def __post_init__(self) -> None:
        self.rows = np.repeat(np.arange(len(self.indptr) - 1, dtype=np.int64), np.diff(self.indptr))


def tfidf(docs: Docs) -> Weights:
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
    return Weights(indptr, docs.terms[keep], values[keep], len(docs.vocab))


class Product:
    """Cosine similarities of query docs with target docs (rows of ``w``), a block of queries at a time.

    A term many queries and many targets hold costs queries x targets products in a sparse
    product; the costliest terms go through a dense matrix product (BLAS) instead, the others
    through a sparse one (each target entry meets the queries that hold its term). Memory stays
    bounded: at most DENSE_CELLS cells of dense targets, and the caller asks for blocks of queries.
    """

    def __init__(self, w: Weights, queries: Ints, targets: Ints) -> None:
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
