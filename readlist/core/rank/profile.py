"""What the library's papers make of the reader: which count for and against, and one profile per tag.

The plan is computed from the papers' statuses and tags and the TF-IDF vectors, and cached with them
(:meth:`readlist.core.rank.vectors.Index.docs`), so a ranking with nothing changed loops over no records.
numpy is imported here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from readlist.core.rank.texts import Record, tags_of, text_of
from readlist.core.rank.vectors import Derived, Floats, Ids, Ints, Weights, gather, pack, unpack

STATUS_WEIGHT = {"read": 1.0, "reading": 1.0, "to-read": 0.5, "dropped": -1.0}
"""How much a paper of each status counts in the profile (dropped: against)."""
MAX_PROFILES = 200
"""At most this many tags get a profile of their own (the largest ones)."""


@dataclass(frozen=True)
class Plan:
    """The library as the score sees it."""

    liked: list[str]
    """Ids of the papers that count for (read, reading, to-read)."""
    dropped: list[str]
    """Ids of the papers that count against."""
    liked_weight: Floats
    """Each liked paper's weight (its status's)."""
    profile_names: list[str]
    """"" (the whole library), then each tag with a profile."""
    membership: Floats
    """liked papers x profiles: 1 where the paper belongs to the profile."""
    norms: Floats
    """The norm of each profile's centroid (inf for an empty one)."""


def library_plan(
    papers: Mapping[str, Record], docs: Ids, derived: Derived, weights: Weights, source_tags: frozenset[str]
) -> Plan:
    """The plan cached in ``derived``, or computed again when it is not this library's (another version's cache)."""
    try:
        plan = read_plan(docs, derived)
        if len(plan.liked) + len(plan.dropped) != len(papers) or not all(p in papers for p in plan.liked):
            raise ValueError("a plan for other papers")
    except (KeyError, ValueError, IndexError):  # a cache from another version, or a stamp reused
        plan = read_plan(docs, derive_plan(papers, docs, weights, source_tags))
    return plan


def derive_plan(papers: Mapping[str, Record], docs: Ids, weights: Weights, source_tags: frozenset[str]) -> Derived:
    """The plan as the arrays the cache keeps."""
    weight_of = {p: STATUS_WEIGHT.get(text_of(r.get("status")), 0.5) for p, r in papers.items()}
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


def read_plan(docs: Ids, derived: Derived) -> Plan:
    """The plan from the cached arrays; ValueError, KeyError or IndexError when they do not fit together."""
    liked = [docs.ids[r][2:] for r in derived["liked"].tolist()]
    dropped = [docs.ids[r][2:] for r in derived["dropped"].tolist()]
    sizes = derived["profile_sizes"].astype(np.int64)
    names = unpack(derived["profile_names"], len(sizes))
    norms = derived["profile_norms"].astype(np.float64)
    if len(norms) != len(names) or int(sizes.sum()) != len(derived["profile_members"]):
        raise ValueError("profiles do not match their norms")
    membership = np.zeros((len(liked), len(sizes)))
    membership[derived["profile_members"].astype(np.int64), np.repeat(np.arange(len(sizes)), sizes)] = 1.0
    return Plan(liked, dropped, derived["liked_weight"].astype(np.float64), names, membership, norms)


def _profile_groups(
    liked: list[str], papers: Mapping[str, Record], source_tags: frozenset[str]
) -> tuple[list[str], list[list[int]]]:
    """One profile per tag (and "" for the whole library): names, and members as indexes into ``liked``."""
    names: list[str] = [""]
    members: list[list[int]] = [list(range(len(liked)))]
    by_tag: dict[str, list[int]] = {}
    for i, paper_id in enumerate(liked):
        for tag in tags_of(papers[paper_id]):
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
