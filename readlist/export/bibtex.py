"""BibTeX export: one entry per paper, stable citation keys, LaTeX-safe text.

arXiv papers get ``eprint``, ``archivePrefix = {arXiv}``, ``primaryClass``,
``doi`` (the journal's, else arXiv's own 10.48550/arXiv.ID) and ``url``; they
are ``@article`` when arXiv knows a journal reference, else ``@misc``. Papers
added by hand are ``@article`` (with a journal reference) or ``@misc`` with
their DOI and URL.

Citation keys are ``<first author's surname><year><first title word>``
(``fedus2021switch``), ASCII. Papers that would share a key are told apart
with ``b``, ``c``, ... in the order they were added, so saving another paper
never changes the key of one you already cite. Entries are sorted by key.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from readlist.core.models import Paper
from readlist.export.latex import encode

STOP_WORDS = frozenset(
    "a an the on of in for to and with from by at as is are via towards toward into over under do does".split()
)
_NAME_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())
_TRANSLITERATE = str.maketrans({
    "ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D", "ı": "i", "þ": "th", "Þ": "Th", "ð": "d", "Ð": "D",
})  # fmt: skip


def export_bibtex(papers: list[Paper]) -> str:
    """The BibTeX text of these papers (empty string for none)."""
    keys = citation_keys(papers)
    entries = sorted((keys[p.id], p) for p in papers)
    return "\n".join(render_entry(key, paper) for key, paper in entries)


def ascii_word(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text.translate(_TRANSLITERATE)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def surname(name: str) -> str:
    """The family name of "First Last", "Last, First" or "First van der Last"."""
    name = name.strip()
    if "," in name:
        return name.split(",", 1)[0].strip()
    words = [w for w in name.split() if w.lower() not in _NAME_SUFFIXES]
    return words[-1] if words else ""


def base_key(paper: Paper) -> str:
    author = ascii_word(surname(paper.authors[0])) if paper.authors else ""
    year = str(paper.year) if paper.year else "nd"
    word = ""
    for raw in re.split(r"[\s\-:/]+", paper.title):
        candidate = ascii_word(raw)
        if candidate and candidate not in STOP_WORDS:
            word = candidate
            break
    return (author or "anon") + year + word


def citation_keys(papers: Iterable[Paper]) -> dict[str, str]:
    """Paper id -> a unique citation key; the result never depends on the input order."""
    keys: dict[str, str] = {}
    used: set[str] = set()
    for paper in sorted(papers, key=lambda p: (p.added or "", p.id)):
        base = base_key(paper)
        key = base
        n = 1
        while key in used:
            n += 1
            key = base + _suffix(n)
        used.add(key)
        keys[paper.id] = key
    return keys


def _suffix(n: int) -> str:
    """2 -> b, 3 -> c, ..., 26 -> z, 27 -> ba, ..."""
    letters = ""
    n -= 1
    while True:
        letters = chr(ord("a") + n % 26) + letters
        n //= 26
        if n == 0:
            return letters


def render_entry(key: str, paper: Paper) -> str:
    fields: list[tuple[str, str]] = [("title", encode(paper.title or paper.id, protect_caps=True))]
    if paper.authors:
        fields.append(("author", " and ".join(_author(a) for a in paper.authors)))
    if paper.year:
        fields.append(("year", str(paper.year)))
    if paper.journal_ref:
        fields.append(("journal", encode(paper.journal_ref)))
    if paper.is_arxiv:
        fields += [("eprint", encode(paper.id)), ("archivePrefix", "arXiv")]
        if paper.primary_category:
            fields.append(("primaryClass", encode(paper.primary_category)))
        fields.append(("doi", encode(paper.doi or f"10.48550/arXiv.{paper.id}")))
        fields.append(("url", f"https://arxiv.org/abs/{_url(paper.id)}"))
    else:
        if paper.doi:
            fields.append(("doi", encode(paper.doi)))
        if paper.url:
            fields.append(("url", _url(paper.url)))
    kind = "article" if paper.journal_ref else "misc"
    body = "".join(f"  {name} = {{{value}}},\n" for name, value in fields)
    return f"@{kind}{{{key},\n{body}}}\n"


def _author(name: str) -> str:
    """An author as BibTeX reads it: "Last, First"; one-word or corporate names braced whole."""
    name = " ".join(name.split())
    words = name.split()
    if "," in name or len(words) == 1 or re.search(r"\sand\s", name, re.IGNORECASE):
        return "{" + encode(name) + "}"
    suffix = ""
    if len(words) > 2 and words[-1].lower() in _NAME_SUFFIXES:
        suffix, words = words[-1], words[:-1]
    last, first = words[-1], " ".join(words[:-1])
    # "van der Waals": lower-case particles belong to the surname.
    while first and first.split()[-1][:1].islower():
        *rest, particle = first.split()
        last, first = f"{particle} {last}", " ".join(rest)
    if not first:
        return "{" + encode(name) + "}"
    return f"{encode(last)}, {encode(suffix) + ', ' if suffix else ''}{encode(first)}"


def _url(url: str) -> str:
    # Inside a braced field only unbalanced braces, % (LaTeX comments) and # hurt; encode them.
    return url.strip().replace("%", "\\%").replace("#", "\\#").replace("{", "%7B").replace("}", "%7D")
