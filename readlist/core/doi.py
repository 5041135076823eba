"""DOIs: recognising them in the forms people paste, and asking the resolver for their CSL JSON.

``10.1145/3442188.3445922``, ``doi:10.1145/...``, ``https://doi.org/10.1145/...``
and publisher pages whose address holds the DOI (``dl.acm.org/doi/abs/10.1145/...``,
``link.springer.com/chapter/10.1007/...``, ``onlinelibrary.wiley.com/doi/full/10.1111/...``).

The metadata comes by DOI content negotiation: ``GET {READLIST_DOI_API}/{doi}``
with ``Accept: application/vnd.citationstyles.csl+json``, through readlist's one
HTTP client (:mod:`readlist.core.http`: one deadline, a size cap, retries,
redirects within limits). The default base, ``https://doi.org``, redirects to
whichever agency registered the DOI (Crossref, DataCite, mEDRA), and each of
them answers in CSL JSON. The DOI's ``/`` stays literal in the path; every other
character that is not unreserved (``<``, ``;``, ``#``, ``?``, spaces, ...) is
percent-encoded.
"""

from __future__ import annotations

import re
import threading
from typing import Any
from urllib.parse import quote, unquote, urlparse

from readlist.core.clean import clean_line, excerpt
from readlist.core.config import Settings
from readlist.core.errors import BadInput, NetworkError, NotFound
from readlist.core.refs import ArxivRef, find_arxiv_ref, match_id

CSL_JSON = "application/vnd.citationstyles.csl+json"
ARXIV_PREFIX = "10.48550/"
"""arXiv's own DOIs (``10.48550/arXiv.2101.03961``) name arXiv papers: they are fetched from arXiv."""

_DOI = re.compile(r"10\.\d{4,9}/\S+")
_DOI_IN_PATH = re.compile(r"10\.\d{4,9}/")
_PREFIX = re.compile(r"(?:doi:\s*|https?://(?:dx\.)?doi\.org/)", re.IGNORECASE)
_ARXIV_DOI = re.compile(r"10\.48550/arxiv\.(.+)", re.IGNORECASE)
# Publisher page suffixes that follow a DOI in an address but are not part of it.
_PAGE_SUFFIXES = (".pdf", "/full", "/abstract", "/epdf", "/pdf")


def looks_like_doi(text: str) -> bool:
    """Whether ``text`` means to be a DOI (``10.``, ``doi:``, a doi.org address), well-formed or not."""
    text = text.strip()
    return bool(_PREFIX.match(text) or text.startswith("10.") or "doi.org/" in text.lower())


def find_doi(text: str) -> str | None:
    """The DOI ``text`` is, as a DOI, ``doi:``, a doi.org address or a publisher page holding one; else None.

    DOIs compare without case: the result is lower-cased.
    """
    text = clean_line(text).strip()
    if not text:
        return None
    bare = _PREFIX.sub("", text, count=1) if _PREFIX.match(text) else text
    if bare is not text:  # doi:... or https://doi.org/...: the rest is the DOI, with %-escapes undone
        bare = unquote(bare.split("#", 1)[0]) if "://" in text else bare
        return _checked(bare)
    if _DOI.fullmatch(bare):
        return _checked(bare)
    if re.match(r"https?://", text, re.IGNORECASE):
        return _in_address(text)
    return None


def _in_address(url: str) -> str | None:
    """The DOI in a publisher page's address (its path), if it holds one."""
    parts = urlparse(url)
    path = unquote(parts.path)
    m = _DOI_IN_PATH.search(path)
    if m is None:
        return None
    doi = path[m.start() :].rstrip("/")
    lowered = doi.lower()
    for suffix in _PAGE_SUFFIXES:
        if lowered.endswith(suffix) and len(doi) > len(suffix):
            doi = doi[: -len(suffix)]
            lowered = doi.lower()
    return _checked(doi)


def _checked(doi: str) -> str | None:
    doi = doi.strip()
    return doi.lower() if _DOI.fullmatch(doi) and len(doi) <= 300 else None


# A DOI as a paper prints it about itself: "DOI 10.7717/peerj-cs.118", "doi:10.1155/2010/157939",
# "https://doi.org/10.1145/...". Linear: the DOI runs to the first white space or quote.
_LABELLED = re.compile(r"(?:\bdoi\s*[:.]?\s*|doi\.org/)(10\.\d{4,9}/[^\s\"<>]{1,200})", re.IGNORECASE)
_TRAILING = ".,;:)]}'"


def doi_in_text(text: str) -> str | None:
    """The first DOI a text announces ("DOI 10....", "doi:10....", a doi.org link), without trailing punctuation."""
    for m in _LABELLED.finditer(text):
        doi = m[1]
        while doi and doi[-1] in _TRAILING and not (doi[-1] == ")" and doi.count("(") >= doi.count(")")):
            doi = doi[:-1]
        found = _checked(doi)
        if found is not None and arxiv_of(found) is None:
            return found
    return None


def parse_doi(text: str) -> str:
    """Like :func:`find_doi`, but a reference that means to be a DOI and is not one is bad input."""
    doi = find_doi(text)
    if doi is None:
        raise BadInput(f"{excerpt(text)} is not a DOI: DOIs look like 10.1145/3442188.3445922 (or doi:..., "
                       "https://doi.org/...)")  # fmt: skip
    return doi


def paper_reference(text: str) -> ArxivRef | str | None:
    """What a typed reference names: an arXiv paper (arXiv's own DOIs included), a DOI, or None.

    A reference that means to be a DOI and is not one is bad input (:func:`parse_doi`)."""
    found = find_arxiv_ref(text)
    if found is not None:
        return found
    doi = parse_doi(text) if looks_like_doi(text) else find_doi(text)
    if doi is None:
        return None
    return arxiv_of(doi) or doi


def arxiv_of(doi: str) -> ArxivRef | None:
    """The arXiv paper an arXiv DOI (``10.48550/arXiv.2101.03961``) names, else None."""
    m = _ARXIV_DOI.fullmatch(doi.strip())
    return match_id(m[1]) if m else None


def doi_url(base: str, doi: str) -> str:
    """The resolver's address for a DOI: its ``/`` literal, everything else not unreserved percent-encoded."""
    return base.rstrip("/") + "/" + quote(doi, safe="/")


def user_agent(contact: str | None) -> str:
    """A polite User-Agent: readlist, and the address the resolver may write to (``contact_email``)."""
    from readlist.core.http import USER_AGENT

    return f"{USER_AGENT[:-1]}; mailto:{contact})" if contact else USER_AGENT


class Unknown(NotFound):
    """The resolver knows no such DOI (404): exit 1, nothing saved."""

    def __init__(self, doi: str, host: str) -> None:
        self.doi = doi
        super().__init__(f"{doi}: the DOI resolver ({host}) knows no such DOI; nothing saved")


def _item(body: bytes) -> dict[str, Any] | None:
    """The CSL item of an answer (an object, or an array of one), or None for anything else."""
    import orjson

    try:
        data = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    if isinstance(data, list) and len(data) == 1:
        data = data[0]
    if not isinstance(data, dict) or not isinstance(data.get("type", ""), str):
        return None
    if not any(isinstance(data.get(k), str | list) and data.get(k) for k in ("title", "DOI")):
        return None
    return data


def fetch_csl(settings: Settings, doi: str) -> dict[str, Any]:
    """The DOI's record as a CSL item, from ``{doi_api}/{doi}``.

    Raises :class:`Unknown` for a 404 (or 410), :class:`~readlist.core.errors.ReadlistError` for an
    answer that is not CSL JSON (HTML, junk: exit 1), and :class:`~readlist.core.errors.NetworkError`
    when the resolver cannot be reached, answers 5xx or times out (the caller keeps the paper pending).
    """
    from readlist.core import http
    from readlist.core.errors import ReadlistError

    url = doi_url(settings.doi_api, doi)
    host = urlparse(settings.doi_api).netloc or settings.doi_api
    try:
        response = _session(settings).get(url, headers={"Accept": CSL_JSON})
    except http.StatusError as exc:
        if exc.status in (404, 410):
            raise Unknown(doi, host) from None
        if exc.status >= 500 or exc.status == 429:
            raise NetworkError(f"{doi}: {exc.describe('the DOI resolver')}") from None
        raise ReadlistError(f"{doi}: {exc.describe('the DOI resolver')}; nothing saved") from None
    except http.HttpFailure as exc:
        raise NetworkError(f"{doi}: {exc.describe('the DOI resolver')}") from None
    item = _item(response.content)
    if item is None:
        kind = clean_line(response.headers.get("Content-Type", "")).split(";")[0].strip()[:60] or "no content type"
        raise ReadlistError(f"{doi}: the DOI resolver ({host}) answered {kind}, not CSL JSON; nothing saved")
    return item


def _session(settings: Settings) -> Any:
    """The process's session for the resolver: the one client's policy, with the polite User-Agent."""
    from readlist.core import http

    key = (settings.http_timeout, settings.max_document_bytes, settings.contact_email)
    with _sessions_lock:
        if key not in _sessions:
            _sessions[key] = http.session(settings, agent=user_agent(settings.contact_email))
        return _sessions[key]


_sessions: dict[tuple[float, int, str | None], Any] = {}
_sessions_lock = threading.Lock()
