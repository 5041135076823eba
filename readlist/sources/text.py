"""Small text helpers shared by the parsers and the resolver."""

from __future__ import annotations

import re
import unicodedata

from readlist.core.refs import arxiv_ref_in, bare_arxiv_ref

_DOI = re.compile(r"(?:doi\.org/|/doi/(?:abs/|full/|pdf/|epdf/)?|doi:\s*)(10\.\d{4,9}/[^\s\"'<>|]+)", re.IGNORECASE)
_EMOJI = re.compile(
    "[\U0001f000-\U0001faff\u2600-\u27bf\u2b00-\u2bff\ufe0f\u200d\u2190-\u21ff\u2300-\u23ff\U000e0000-\U000e007f]+"
)

STOPWORDS = frozenset(
    "a an the of for and or in on at to from with without by via as is are be can do does we you your our "
    "its it this that toward towards into over under using use than how what why when which where who "
    "not no all any more most".split()
)
SEQUEL_MARKERS = frozenset("ii iii iv v2 v3 v4 plus revisited extended continued reloaded second next".split())


def arxiv_id_in(text: str) -> str | None:
    """The arXiv id a URL or a text names (abs/pdf/html/HF papers URLs, arXiv:ID, arXiv DOIs)."""
    ref = arxiv_ref_in(text)
    return ref.id if ref else None


def bare_arxiv_id(text: str) -> str | None:
    """A new-style id standing alone in a text (``2101.03961``)."""
    ref = bare_arxiv_ref(text)
    return ref.id if ref else None


def doi_in(text: str) -> str | None:
    m = _DOI.search(text)
    return m.group(1).rstrip(".,;") if m else None


def strip_emoji(text: str) -> str:
    return " ".join(_EMOJI.sub(" ", text).split())


def ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def tokens(text: str) -> list[str]:
    """Lower-case ASCII words and numbers of a text."""
    return re.findall(r"[a-z0-9]+", ascii_fold(text).lower())


def compact(text: str) -> str:
    """A title with everything but letters and digits removed: equal for trivially different spellings."""
    return "".join(tokens(text))


def content_words(text: str) -> list[str]:
    """Words of a title that carry meaning (no stopwords), crudely singularised."""
    out = []
    for word in tokens(text):
        if word in STOPWORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        out.append(word)
    return out


def clean_title(text: str) -> str:
    """A pick's title without its nickname "(OpenAI CLIP)", its trailing "| Code" links and emoji."""
    title = re.split(r"(?<!\s)\s+\|(?:\s+|$)", text, maxsplit=1)[0]  # (?<!\s): tried once per run of spaces
    title = strip_emoji(title)
    title = re.sub(r"(?<!\s)\s*\([^()]*\)\s*$", "", title)  # a nickname at the end
    title = title.strip(" \t-–—:*_\"“”'")
    return " ".join(title.split())


def split_authors(text: str) -> list[str]:
    """ "Alec Radford, Jong Wook Kim et al." as names (et al. dropped)."""
    text = strip_emoji(text)
    text = re.sub(r"^\s*by\s+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"\([^()]*\)", " ", text)
    text = re.sub(r"\bet\.?\s*al\b\.?", "", text, flags=re.IGNORECASE)
    text = text.strip().rstrip(".").strip()
    names = re.split(r"(?<!\s)\s*(?:,|;|&|\band\b)\s*", text)
    return [" ".join(n.split()).strip(". ") for n in names if n.strip(". ")]


def surname(name: str) -> str:
    """The last word of a name, folded to ASCII lower-case ("Emily M. Bender" -> "bender")."""
    words = [w for w in tokens(name) if w not in ("jr", "sr", "ii", "iii", "et", "al")]
    return words[-1] if words else ""
