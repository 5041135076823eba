"""Why a suggestion fits, in one line: the papers it is like, their tag, what pulls it down, what curators say.

Also the tags accepting it proposes (those of the papers it is like). Plain Python over the score's numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from readlist.core.rank.curators import Curators
from readlist.core.rank.texts import Record, tags_of, text_of

LIKE_MIN = 0.12  # a paper below this cosine is not "like" a suggestion
WHY_AGAINST = 0.04  # a pull-down this strong is named in the why line


@dataclass(frozen=True)
class Explanation:
    why: str
    tags: tuple[str, ...]
    """The tags to propose on accept."""
    like: tuple[str, ...]
    """Ids of the library papers the why line names."""


@dataclass(frozen=True)
class Against:
    """One thing that pulls a suggestion down: a dropped paper or a dismissed suggestion, and how much."""

    word: str  # "dropped", "dismissed"
    pull: float  # its weighted part of the score
    title: str  # of the closest such record


def explain(
    nearest: list[tuple[str, float, float]],
    profile_sims: Mapping[str, float],
    papers: Mapping[str, Record],
    source_tags: frozenset[str],
    against: Sequence[Against],
    curators: Curators,
) -> Explanation:
    """The why line of one suggestion.

    ``nearest``: its nearest liked papers, best first, as (id, status-weighted cosine, cosine);
    ``profile_sims``: its similarity to each profile, by name.
    """
    like, tag, proposed = _neighbours(nearest, profile_sims, papers, source_tags)
    why = []
    if like:
        names = " and ".join(f"*{_short_title(text_of(papers[p].get('title')) or p)}*" for p in like)
        why.append(f"like {names}" + (f" (#{tag})" if tag else ""))
    else:
        why.append("nothing like it in your library")
    for pull in against:
        if pull.pull >= WHY_AGAINST:
            why.append(f"close to {pull.word} *{_short_title(pull.title)}*")
    why += curators.why()
    return Explanation(" · ".join(why), tuple(proposed), tuple(like))


def _short_title(title: str, limit: int = 56) -> str:
    """The name a paper goes by: its title before a colon, shortened on a word boundary."""
    name = " ".join(title.split())
    head = name.split(": ", 1)[0]
    if len(head) >= 8:
        name = head
    if len(name) > limit:
        name = name[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:-") + "…"
    return name.replace("*", "")


def _neighbours(
    top: list[tuple[str, float, float]],
    profile_sims: Mapping[str, float],
    papers: Mapping[str, Record],
    source_tags: frozenset[str],
) -> tuple[list[str], str | None, list[str]]:
    """The papers a suggestion is like (at most 2), the tag to name, and the tags to propose."""
    best = top[0][1] if top else 0.0
    close = [(p, w) for p, w, cosine in top if cosine >= LIKE_MIN and w >= 0.5 * best]
    votes: dict[str, float] = {}
    for paper_id, weight in close:
        for t in tags_of(papers[paper_id]):
            if t not in source_tags:
                votes[t] = votes.get(t, 0.0) + weight
    proposed = sorted((t for t in votes if votes[t] >= 0.5 * max(votes.values())), key=lambda t: (-votes[t], t))[:3]
    like = [p for p, _ in close[:2]]
    carried = {t for p in like for t in tags_of(papers[p])}
    named = [(profile_sims[name], name) for name in carried if name in profile_sims]
    return like, (max(named)[1] if named else None), proposed
