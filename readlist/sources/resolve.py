"""Find each pick on arXiv, and accept a match only when title and first author agree.

Picks that link arXiv are fetched in one id_list request. The others are
searched: first the title as a phrase, then the title's distinctive words with
the first author's surname. A candidate is accepted when

* its first author agrees with the pick's (surname, accents and order of names
  ignored; an organisation such as "OpenAI" matches "OpenAI OpenAI"), and
* its title is the same up to case, punctuation and spelling variants
  ("exact"/"close"), or it is the same named work renamed: the same name
  before the colon ("GENIE: ..."), at least half of the pick's content words,
  no sequel marker (a number, "II", "v2", "Revisited"...) the pick lacks, and
  submitted no later than two months after the selection's month.

A look-alike sequel by the same authors therefore fails (new words, a number,
a different name, or a later date), and a wrong match is never recorded:
when in doubt, the pick stays a suggestion without an arXiv id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from difflib import SequenceMatcher
from typing import TYPE_CHECKING, Any

from readlist.core.errors import NetworkError
from readlist.core.month import Month
from readlist.core.refs import ArxivRef
from readlist.sources.model import RawPick
from readlist.sources.text import SEQUEL_MARKERS, STOPWORDS, compact, content_words, surname, tokens

if TYPE_CHECKING:
    from readlist.core.arxiv_api import ArxivClient

Progress = Callable[[str, int, int], None]

PHRASE_RESULTS = 10
WORDS_RESULTS = 25


@dataclass
class Resolution:
    """What resolving a selection's picks found."""

    resolved: int = 0
    searched: int = 0
    not_found: list[RawPick] = field(default_factory=list)  # not on arXiv as far as arXiv says
    unresolved: list[RawPick] = field(default_factory=list)  # could not ask arXiv (network)
    error: NetworkError | None = None
    requests: int = 0


def title_agreement(wanted: str, found: str) -> str | None:
    """ "exact", "close", "renamed" or None: how far a candidate's title is the pick's."""
    if not wanted or not found:
        return None
    if compact(wanted) == compact(found):
        return "exact"
    want_words, found_words = Counter(content_words(wanted)), Counter(content_words(found))
    extra_want = list((want_words - found_words).elements())
    extra_found = list((found_words - want_words).elements())
    if _sequel_words(extra_found) - _sequel_words(extra_want):
        return None
    spelled = len(extra_want) == len(extra_found) <= 2 and _spelling_pairs(extra_want, extra_found)
    if spelled and SequenceMatcher(None, compact(wanted), compact(found)).ratio() >= 0.9:
        return "close"
    want_name, found_name = _name(wanted), _name(found)
    if want_name and want_name == found_name:
        rest = Counter(content_words(_after_name(wanted)))
        if rest:
            shared = sum((rest & found_words).values())
            if shared / sum(rest.values()) >= 0.5:
                return "renamed"
    return None


def _sequel_words(words: list[str]) -> set[str]:
    return {w for w in words if w in SEQUEL_MARKERS or w.isdigit()}


def _spelling_pairs(left: list[str], right: list[str]) -> bool:
    """Every word of ``left`` has a spelling variant in ``right`` (generalisation/generalization)."""
    remaining = list(right)
    for word in left:
        match = next((r for r in remaining if SequenceMatcher(None, word, r).ratio() >= 0.75), None)
        if match is None or any(c.isdigit() for c in word + match):
            return False
        remaining.remove(match)
    return True


def _name(title: str) -> str:
    """The name a title gives its work: the words before its colon ("GENIE", "RepVGG")."""
    if ":" not in title:
        return ""
    head = title.split(":", 1)[0]
    words = tokens(head)
    return " ".join(words) if 0 < len(words) <= 4 else ""


def _after_name(title: str) -> str:
    return title.split(":", 1)[1] if ":" in title else title


def author_agreement(wanted: list[str], found: list[str]) -> bool:
    """The pick's first author is the candidate's first author."""
    if not wanted or not found:
        return False
    want_tokens, found_tokens = set(tokens(wanted[0])), set(tokens(found[0]))
    want_last, found_last = surname(wanted[0]), surname(found[0])
    if not want_last or not found_last:
        return False
    return want_last in found_tokens or found_last in want_tokens


def accept(pick: RawPick, candidate: dict[str, Any], month: str | None) -> str | None:
    """How a search result matches a pick ("exact", "close", "renamed"), or None to reject it."""
    agreement = title_agreement(pick.title, candidate.get("title", ""))
    if agreement is None:
        return None
    if pick.authors:
        if not author_agreement(pick.authors, candidate.get("authors") or []):
            return None
    elif agreement != "exact":
        return None  # without an author to check, only an identical title will do
    if agreement != "exact" and month and not _in_window(candidate, month):
        return None
    return agreement


def _in_window(candidate: dict[str, Any], month: str) -> bool:
    """Submitted no later than two months after the selection's month, and not years before it."""
    published = candidate.get("published")
    selected = Month.from_key(month)
    if not published or selected is None:
        return True
    day = date.fromisoformat(published[:10])
    return selected.first - timedelta(days=3 * 365) <= day <= selected.last + timedelta(days=62)


_RANK = {"exact": 0, "close": 1, "renamed": 2}


def best_match(pick: RawPick, candidates: list[dict[str, Any]], month: str | None) -> dict[str, Any] | None:
    scored = [(kind, c) for c in candidates if (kind := accept(pick, c, month))]
    if not scored:
        return None
    scored.sort(key=lambda kc: (_RANK[kc[0]], kc[1].get("published") or "", kc[1]["id"]))
    return scored[0][1]


def phrase_query(title: str) -> str:
    return 'ti:"' + " ".join(tokens(title)) + '"'


def words_query(pick: RawPick) -> str | None:
    words = list(dict.fromkeys(w for w in tokens(pick.title) if w not in STOPWORDS and len(w) > 2))
    if not words:
        return None
    name = _name(pick.title).split()
    ordered = list(dict.fromkeys([*name, *sorted(words, key=len, reverse=True)]))[:8]
    last = surname(pick.authors[0]) if pick.authors else ""
    if last:
        return "(" + " OR ".join(f"ti:{w}" for w in ordered) + f") AND au:{last}"
    return " AND ".join(f"ti:{w}" for w in ordered)


def resolve(
    picks: list[RawPick],
    client: ArxivClient,
    *,
    month: str | None,
    progress: Progress | None = None,
    label: str = "arXiv",
) -> Resolution:
    """Fill ``pick.arxiv_id`` and ``pick.metadata`` for every pick arXiv has; see the module doc."""
    report = Resolution()
    total = len(picks)
    done = 0

    def tick() -> None:
        if progress:
            progress(label, done, total)

    tick()
    linked = [p for p in picks if p.arxiv_id and p.metadata is None]
    if linked:
        try:
            ids = list(dict.fromkeys(p.arxiv_id for p in linked if p.arxiv_id))  # one request, each id once
            result = client.fetch([ArxivRef(arxiv_id) for arxiv_id in ids])
            report.requests += 1
        except NetworkError as exc:
            report.error = exc
            report.unresolved += [p for p in picks if p.metadata is None and not p.arxiv_id]
            done = total
            tick()
            return report
        for pick in linked:
            meta = result.found.get(pick.arxiv_id or "")
            if meta is not None:
                pick.metadata = meta
                report.resolved += 1
            else:
                pick.arxiv_id = None  # a dead link: search by title below
    done = sum(1 for p in picks if p.metadata is not None)
    tick()
    for pick in picks:
        if pick.metadata is not None:
            continue
        if pick.arxiv_id is None and pick.title and not pick.search:
            report.not_found.append(pick)  # a list without authors: a title alone cannot confirm a match
        elif pick.arxiv_id is None and pick.title:
            try:
                found = _search(pick, client, month, report)
            except NetworkError as exc:
                report.error = exc
                report.unresolved += [p for p in picks if p.metadata is None and p not in report.not_found]
                break
            if found is not None:
                pick.arxiv_id, pick.metadata = found["id"], found
                report.resolved += 1
            else:
                report.not_found.append(pick)
        done += 1
        tick()
    if progress:
        progress(label, total, total)
    return report


def _search(pick: RawPick, client: ArxivClient, month: str | None, report: Resolution) -> dict[str, Any] | None:
    report.searched += 1
    queries = [(phrase_query(pick.title), PHRASE_RESULTS)]
    second = words_query(pick)
    if second:
        queries.append((second, WORDS_RESULTS))
    for query, limit in queries:
        candidates = client.search(query, max_results=limit)
        report.requests += 1
        match = best_match(pick, candidates, month)
        if match is not None:
            return match
    return None
