"""Suggestions ranked by fit with the user's own library, and the reason in one line.

This module is the model, on plain records; :mod:`readlist.core.rank.ranking` is its
door for a :class:`~readlist.core.library.Library` (what the CLI and the TUI call).
:func:`rank_records` runs it in stages, each in its own module: the records' texts
(:mod:`~readlist.core.rank.texts`) as TF-IDF vectors (:mod:`~readlist.core.rank.vectors`),
the library's plan and tag profiles (:mod:`~readlist.core.rank.profile`), each
suggestion's similarities and score (here, with the curators' prior from
:mod:`~readlist.core.rank.curators`), and the why line (:mod:`~readlist.core.rank.explain`).

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
library, see :mod:`readlist.core.rank.vectors`), with their TF-IDF vectors and the library's plan
(which papers count for and against, the tag profiles), keyed by the store's
stamp. When the stamp changed, only the records whose text changed are
tokenised again; the rest is recomputed from the counts. Ranking never writes
library.json. Similarities are one sparse product (numpy), with the costliest
shared terms as a dense one, a block of suggestions at a time (bounded memory).
numpy is imported by this module: import it only where ranking is needed.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import partial

import numpy as np

from readlist.core.rank.curators import Curators, curators, month_maxima, pick_upvotes
from readlist.core.rank.explain import Against, explain
from readlist.core.rank.profile import Plan, derive_plan, library_plan
from readlist.core.rank.texts import Record, paper_text, picks_of, suggestion_text, text_of
from readlist.core.rank.vectors import Floats, Ids, Index, Ints, Product, Texts, Weights

__all__ = ["MIN_PAPERS", "Ranked", "Ranking", "Record", "pick_upvotes", "rank_records"]

MIN_PAPERS = 5
"""Below this many papers in the library, suggestions keep the curator's order."""

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
# Queries are scored in blocks of at most this many similarities (4 MB). Blocks this small stay in the
# CPU's cache: 300 suggestions x 10,000 papers rank in ~60 ms at a 28 MB peak, against ~100 ms and 57 MB
# with blocks of 2,000,000.
BLOCK_CELLS = 500_000


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


# -- the stages --------------------------------------------------------------------


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
        table.setdefault(text_of(s.get("key")), s)
    maxima = month_maxima(table.values())
    if len(papers) < MIN_PAPERS:
        count = len(papers)
        note = (
            f"your library holds {count} paper{'s' if count != 1 else ''}: suggestions keep the curators' "
            f"order until it holds {MIN_PAPERS}"
        )
        return _curator_order(suggestions, maxima, note)
    source_tags = frozenset(text_of(p.get("source")) for s in table.values() for p in picks_of(s))

    # 1. Text vectors of every paper and suggestion, and 2. the library's plan, cached with them.
    docs, weights, plan = _vectors(papers, table, source_tags, stamp, index)
    # 3. Similarities: to the papers kept and dropped, the dismissed and accepted suggestions, the profiles.
    saved = set(papers)
    dismissed = [k for k, s in table.items() if s.get("state") == "dismissed"]
    accepted = [k for k, s in table.items() if s.get("state") == "accepted" and k not in saved]
    query_keys = [text_of(s.get("key")) for s in suggestions]
    sims = _similarities(docs, weights, plan, query_keys, dismissed, accepted)
    # 4. The score.
    said = [curators(s, maxima) for s in suggestions]
    scores, against_dropped, against_dismissed = _scores(sims, said)
    # 5. The explanation, and the order.
    items = []
    for q, key in enumerate(query_keys):
        against = [
            Against("dismissed", W_DISMISSED * against_dismissed[q], _closest(table, dismissed, sims.dismissed[q])),
            Against("dropped", W_DROPPED * against_dropped[q], _closest(papers, plan.dropped, sims.dropped[q])),
        ]
        nearest = [
            (plan.liked[i], float(sims.top_weighted[q, j]), float(sims.top_raw[q, j]))
            for j, i in enumerate(sims.top[q].tolist())
        ]
        profiles = dict(zip(plan.profile_names, sims.profiles[q].tolist(), strict=True))
        told = explain(nearest, profiles, papers, source_tags, against, said[q])
        score = float(scores[q])
        fit = round(math.tanh(max(score, 0.0) / FIT_SCALE), 3)
        items.append(Ranked(key=key, fit=fit, why=told.why, tags=told.tags, like=told.like, score=score))
    ranked = sorted(range(len(items)), key=lambda i: (-items[i].score, i))
    return Ranking(items=[items[i] for i in ranked], ranked=True)


def _curator_order(suggestions: Sequence[Record], maxima: Mapping[str, int], note: str | None) -> Ranking:
    items = [
        Ranked(key=text_of(s.get("key")), fit=None, why=" · ".join(curators(s, maxima).why())) for s in suggestions
    ]
    return Ranking(items=items, ranked=False, note=note)


def _vectors(
    papers: Mapping[str, Record],
    table: Mapping[str, Record],
    source_tags: frozenset[str],
    stamp: object,
    index: Index | None,
) -> tuple[Ids, Weights, Plan]:
    """The TF-IDF vectors of the papers ("p:ID") and suggestions ("s:KEY"), and the library's plan."""

    def text(doc: str) -> Texts:
        return paper_text(papers[doc[2:]], source_tags) if doc[0] == "p" else suggestion_text(table[doc[2:]])

    wanted = ["p:" + paper_id for paper_id in papers] + ["s:" + key for key in table]
    derive = partial(derive_plan, papers, source_tags=source_tags)
    docs, weights, derived = (index or Index(None)).docs(stamp, wanted, text, derive)
    return docs, weights, library_plan(papers, docs, derived, weights, source_tags)


@dataclass(frozen=True)
class _Similarities:
    """Each suggestion's cosines (rows: suggestions) to what the score weighs."""

    top: Ints
    """Its nearest liked papers (indexes into ``Plan.liked``), best first by status-weighted cosine."""
    top_weighted: Floats
    top_raw: Floats
    """Their status-weighted and plain cosines."""
    profiles: Floats
    """Its similarity to each profile."""
    liked_max: Floats
    dropped_max: Floats
    dismissed_max: Floats
    accepted_max: Floats
    dropped: Ints
    dismissed: Ints
    """The closest dropped paper and dismissed suggestion (indexes into ``Plan.dropped`` and the dismissed keys)."""


def _similarities(
    docs: Ids, weights: Weights, plan: Plan, query_keys: list[str], dismissed: list[str], accepted: list[str]
) -> _Similarities:
    """One sparse product, a block of suggestions at a time (bounded memory), reduced to what the score needs."""
    # Targets of the similarity product, in three blocks: papers that count for (read, reading,
    # to-read), papers that count against (dropped), then dismissed and accepted suggestions.
    liked, dropped = plan.liked, plan.dropped
    target_docs = ["p:" + p for p in liked + dropped] + ["s:" + k for k in dismissed + accepted]
    targets = np.array([docs.row[d] for d in target_docs], dtype=np.int64)
    queries = np.array([docs.row["s:" + k] for k in query_keys], dtype=np.int64)
    n_q, n_liked, n_dropped, n_dismissed = len(query_keys), len(liked), len(dropped), len(dismissed)
    column = {doc: j for j, doc in enumerate(target_docs)}
    product = Product(weights, queries, targets)
    top_n = min(5, n_liked)
    liked_max, dropped_max, dismissed_max, accepted_max = np.zeros((4, n_q))
    closest_dropped, closest_dismissed = np.zeros(n_q, dtype=np.int64), np.zeros(n_q, dtype=np.int64)
    top = np.zeros((n_q, top_n), dtype=np.int64)
    top_weighted, top_raw = np.zeros((n_q, top_n)), np.zeros((n_q, top_n))
    profiles = np.zeros((n_q, len(plan.profile_names)))
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
        weighted = raw * plan.liked_weight
        against = sims[:, n_liked : n_liked + n_dropped]
        gone = sims[:, n_liked + n_dropped : n_liked + n_dropped + n_dismissed]
        taken = sims[:, n_liked + n_dropped + n_dismissed :]
        here = slice(start, stop)
        top[here], top_weighted[here] = _top(weighted, top_n)
        top_raw[here] = np.take_along_axis(raw, top[here], axis=1)
        profiles[here] = (weighted @ plan.membership) / plan.norms
        for result, part in ((liked_max, raw), (dropped_max, against), (dismissed_max, gone), (accepted_max, taken)):
            if part.shape[1]:
                result[here] = part.max(axis=1)
        if n_dropped:
            closest_dropped[here] = against.argmax(axis=1)
        if n_dismissed:
            closest_dismissed[here] = gone.argmax(axis=1)
    return _Similarities(
        top, top_weighted, top_raw, profiles, liked_max, dropped_max, dismissed_max, accepted_max,
        closest_dropped, closest_dismissed,
    )  # fmt: skip


def _scores(sims: _Similarities, said: list[Curators]) -> tuple[Floats, Floats, Floats]:
    """Each suggestion's score, and the pull-downs of dropped papers and dismissed suggestions in it."""
    n_q, top_n = sims.top_weighted.shape
    k = min(NEAREST_K, top_n)
    nearest = sims.top_weighted[:, :k].mean(axis=1) if k else np.zeros(n_q)
    best_profile = sims.profiles.max(axis=1) if sims.profiles.shape[1] else np.zeros(n_q)
    # A dropped paper or a dismissed suggestion pulls down in proportion to how much closer the
    # suggestion is to it than to the papers kept: a #moe pick that shares a few words with a
    # dismissed dense-scaling one loses little, the dense-scaling one's siblings lose a lot.
    liked_max = sims.liked_max
    against_dropped = sims.dropped_max * sims.dropped_max / np.maximum(sims.dropped_max + liked_max, 1e-9)
    against_dismissed = sims.dismissed_max * sims.dismissed_max / np.maximum(sims.dismissed_max + liked_max, 1e-9)
    prior = np.array([W_AGREEMENT * min(c.agreement, 3) + W_UPVOTES * c.upvote_share for c in said])
    scores = (
        W_NEAREST * nearest
        + W_PROFILE * best_profile
        - W_DROPPED * against_dropped
        - W_DISMISSED * against_dismissed
        + W_ACCEPTED * sims.accepted_max
        + prior
    )
    return scores, against_dropped, against_dismissed


def _closest(records: Mapping[str, Record], keys: list[str], index: np.int64) -> str:
    """The title of ``keys[index]`` (the closest dropped paper or dismissed suggestion), "" when there is none."""
    return text_of(records[keys[int(index)]].get("title")) if keys else ""


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
