"""Human names for months and suggestion sources."""

from __future__ import annotations

import calendar

_WORDS = {"arxiv": "arXiv", "ai": "AI", "of": "of", "the": "the", "hf": "HF", "ml": "ML", "nlp": "NLP"}
_KNOWN = {"best-of-arxiv": "Best of arXiv"}


def month_label(month: str) -> str:
    """'2021-01' -> 'January 2021' (anything else unchanged)."""
    try:
        year, number = month.split("-")
        return f"{calendar.month_name[int(number)]} {int(year)}"
    except (ValueError, IndexError):
        return month


def source_label(source: str) -> str:
    """A source's name for people: 'zeta-alpha' -> 'Best of arXiv', 'my-list' -> 'My List'."""
    from readlist.sources.registry import label

    known = label(source)
    if known != source:
        return known
    if source in _KNOWN:
        return _KNOWN[source]
    words = [w for w in source.replace("_", "-").split("-") if w]
    if not words:
        return source
    out = [_WORDS.get(w.lower(), w.capitalize()) for w in words]
    if out[0][0].islower():
        out[0] = out[0][0].upper() + out[0][1:]
    return " ".join(out)
