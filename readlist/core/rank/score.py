"""Suggestions ranked by fit with the user's own library, and the reason in one line.

This module is the model, on plain records; :mod:`readlist.core.rank.ranking` is its
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
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from readlist.core.rank.vectors import (
    Derived,
    Floats,
    Ids,
    Index,
    Ints,
    Product,
    Texts,
    Weights,
    gather,
    pack,
    unpack,
)

Record = Mapping[str, Any]

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
# Queries are scored in blocks of at most this many similarities (4 MB). Blocks this small stay in the
# CPU's cache: 300 suggestions x 10,000 papers rank in ~60 ms at a 28 MB peak, against ~100 ms and 57 MB
# with blocks of 2,000,000.
BLOCK_CELLS = 500_000


_UPVOTES = re.compile(r"(\d[\d,]{0,12})\s{0,3}upvote")

# -- text ----------------------------------------------------------------------


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


# -- scoring ------------------------------------------------------------------------


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

    def plan(docs: Ids, weights: Weights) -> Derived:
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
            "profile_names": pack(names),
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
    product = Product(weights, queries, targets)
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


def _read_plan(docs: Ids, derived: Derived) -> tuple[list[str], list[str], Floats, list[str], Floats, Floats]:
    """Liked and dropped paper ids, the liked ones' weights, profile names, membership and norms."""
    liked = [docs.ids[r][2:] for r in derived["liked"].tolist()]
    dropped = [docs.ids[r][2:] for r in derived["dropped"].tolist()]
    sizes = derived["profile_sizes"].astype(np.int64)
    names = unpack(derived["profile_names"], len(sizes))
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


def _profile_norms(members: list[list[int]], liked_weight: Floats, liked_rows: Ints, w: Weights) -> Floats:
    """The norm of each profile's centroid (its members' weighted vectors summed term by term); inf if empty."""
    n_profiles = len(members)
    pairs_paper = np.concatenate([np.array(g, dtype=np.int64) for g in members])
    pairs_profile = np.repeat(np.arange(n_profiles, dtype=np.int64), [len(g) for g in members])
    positions = gather(w.indptr, liked_rows[pairs_paper])
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
