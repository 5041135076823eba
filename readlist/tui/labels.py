"""Human names for suggestion sources."""

from __future__ import annotations

_WORDS = {"arxiv": "arXiv", "ai": "AI", "of": "of", "the": "the", "hf": "HF", "ml": "ML", "nlp": "NLP"}
_KNOWN = {"best-of-arxiv": "Best of arXiv"}


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
