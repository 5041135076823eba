"""Recognise arXiv references in the forms people paste.

``2101.03961``, ``2101.03961v2``, ``arXiv:2101.03961``, abs/pdf/html URLs (with
or without ``.pdf`` and a version), and old-style ids such as
``hep-th/9711200`` or ``math.GT/0309136``. Every id is validated before it is
sent: one malformed id makes arXiv answer 400 for a whole batch.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from readlist.core.errors import BadInput


class _LazyPattern:
    """A pattern compiled on first use: most commands never parse a reference (~2 ms of start-up)."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled: re.Pattern[str] | None = None

    @property
    def compiled(self) -> re.Pattern[str]:
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return self._compiled

    def fullmatch(self, text: str) -> re.Match[str] | None:
        return self.compiled.fullmatch(text)

    def match(self, text: str) -> re.Match[str] | None:
        return self.compiled.match(text)

    def sub(self, repl: str, text: str, count: int = 0) -> str:
        return self.compiled.sub(repl, text, count=count)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        return self.compiled.finditer(text)


# Archives that used old-style ids (before April 2007).
OLD_ARCHIVES = frozenset(
    "acc-phys adap-org alg-geom ao-sci astro-ph atom-ph bayes-an chao-dyn chem-ph "
    "cmp-lg comp-gas cond-mat cs dg-ga funct-an gr-qc hep-ex hep-lat hep-ph hep-th "
    "math math-ph mtrl-th nlin nucl-ex nucl-th patt-sol physics plasm-ph q-alg q-bio "
    "quant-ph solv-int supr-con".split()
)

_NEW = _LazyPattern(r"(?P<yy>\d\d)(?P<mm>\d\d)\.(?P<num>\d{4,5})(?P<version>v[1-9]\d*)?")
_OLD = _LazyPattern(
    r"(?P<archive>[a-z]+(?:-[a-z]+)?)(?:\.(?P<subject>[A-Z]{2}))?/"
    r"(?P<yy>\d\d)(?P<mm>\d\d)(?P<num>\d{3})(?P<version>v[1-9]\d*)?"
)
_URL = _LazyPattern(
    r"(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format)/"
    r"(?P<rest>.+?)(?:\.pdf)?/?(?:[?#].*)?",
    re.IGNORECASE,
)
_HF_URL = _LazyPattern(r"(?:https?://)?(?:www\.)?huggingface\.co/papers/(?P<rest>[^/?#]+)/?(?:[?#].*)?")
_PREFIX = _LazyPattern(r"arxiv:\s*", re.IGNORECASE)
# An id inside free text, after what announces it: an arxiv.org or huggingface.co/papers link, an arXiv DOI,
# or the word arXiv ("arXiv:2101.03961", "arXiv preprint arXiv:2101.03961", "arXiv 2101.03961").
# Linear: each repetition is followed by something it cannot match.
_IN_TEXT = _LazyPattern(
    r"(?:arxiv\.org/(?:abs|pdf|html|format)/|huggingface\.co/papers/|10\.48550/arxiv\.|\barxiv\s*(?:[:.]\s*)?(?:abs/)?)"
    r"([a-z][a-z-]*(?:\.[a-z]{2})?/\d{7}|\d{4}\.\d{4,5})(v[1-9]\d*)?",
    re.IGNORECASE,
)
# A new-style id standing alone ("2101.03961"), not part of a longer number, path or URL.
_BARE_NEW = _LazyPattern(r"(?<![\w./])(\d{4}\.\d{4,5})(v[1-9]\d*)?(?![\w/])")


@dataclass(frozen=True)
class ArxivRef:
    """An arXiv id without its version, and the version asked for (or None)."""

    id: str
    version: str | None = None

    @property
    def query_id(self) -> str:
        """The id as sent to arXiv: with the version when one was asked for."""
        return self.id + (self.version or "")

    def __str__(self) -> str:
        return self.query_id


def _valid_new(m: re.Match[str]) -> bool:
    yymm = int(m["yy"] + m["mm"])
    if not 1 <= int(m["mm"]) <= 12 or yymm < 704:
        return False
    # Four-digit numbers until 1412, five-digit from 1501 on.
    return len(m["num"]) == (4 if yymm < 1501 else 5)


def _valid_old(m: re.Match[str]) -> bool:
    year = int(m["yy"])
    return m["archive"] in OLD_ARCHIVES and 1 <= int(m["mm"]) <= 12 and (year >= 91 or year <= 7) and int(m["num"]) > 0


def match_id(text: str) -> ArxivRef | None:
    """An exact bare id (``2101.03961v2``, ``hep-th/9711200``), or None."""
    m = _NEW.fullmatch(text)
    if m and _valid_new(m):
        return ArxivRef(f"{m['yy']}{m['mm']}.{m['num']}", m["version"])
    m = _OLD.fullmatch(text)
    if m and _valid_old(m):
        subject = f".{m['subject']}" if m["subject"] else ""
        return ArxivRef(f"{m['archive']}{subject}/{m['yy']}{m['mm']}{m['num']}", m["version"])
    return None


def find_arxiv_ref(text: str) -> ArxivRef | None:
    """The arXiv reference that ``text`` is, in any accepted form, or None."""
    text = text.strip()
    for pattern in (_URL, _HF_URL):
        m = pattern.fullmatch(text)
        if m:
            return match_id(m["rest"])
    return match_id(_PREFIX.sub("", text, count=1) if _PREFIX.match(text) else text)


def arxiv_ref_in(text: str) -> ArxivRef | None:
    """The first valid arXiv paper a text names by a link, a DOI or the word arXiv (not a bare number)."""
    for m in _IN_TEXT.finditer(text):
        ref = match_id(m[1] + (m[2] or ""))
        if ref is not None:
            return ref
    return None


def bare_arxiv_ref(text: str) -> ArxivRef | None:
    """The first valid new-style id standing alone in a text (``2101.03961``)."""
    for m in _BARE_NEW.finditer(text):
        ref = match_id(m[1] + (m[2] or ""))
        if ref is not None:
            return ref
    return None


def parse_arxiv_ref(text: str) -> ArxivRef:
    """Like :func:`find_arxiv_ref`, but a reference it cannot read is bad input."""
    ref = find_arxiv_ref(text)
    if ref is None:
        raise BadInput(
            f"{text!r} is not an arXiv reference: use an id such as 2101.03961 or "
            "hep-th/9711200, or an arxiv.org/abs or /pdf URL"
        )
    return ref


def split_version(entry_id: str) -> ArxivRef:
    """Split an id as arXiv returns it (``http://arxiv.org/abs/2101.03961v3``)."""
    short = entry_id.rsplit("/abs/", 1)[-1]
    m = re.fullmatch(r"(?P<id>.+?)(?P<version>v\d+)?", short)
    assert m is not None  # the pattern matches any non-empty string
    return ArxivRef(m["id"], m["version"])
