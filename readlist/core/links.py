"""Which links readlist hands to a web browser: absolute http(s) URLs, nothing else.

A link comes from outside (arXiv, a BibTeX or CSL file, a curated page, a
hand-edited or synced ``library.json``) and leaves as the argument of
``$BROWSER``, ``xdg-open`` or ``www-browser``. A value such as
``--renderer-cmd-prefix=touch X`` would be read there as an option (Chromium
and lynx run commands from such options), and ``file:`` or ``javascript:``
URLs open what no paper's page should. :func:`browsable` is the one rule, and
it is checked where links enter (imports, sources, ``add --url``), where
``library.json`` is read, and where they leave (``readlist open``, the TUI's
``o`` and ``p``).
"""

from __future__ import annotations

from readlist.core.clean import excerpt
from readlist.core.errors import BadInput

SCHEMES = ("http", "https")
MAX_URL = 8192
"""Longer links are refused: no page of a paper needs more."""


def browsable(url: object) -> bool:
    """Whether ``url`` is an absolute http(s) URL with a host, and nothing a browser could read as an option."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL:
        return False
    if any(ord(ch) < 0x20 or 0x7F <= ord(ch) < 0xA0 for ch in url):  # a space in a path is the page's business
        return False
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.lower() not in SCHEMES or not rest:
        return False
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0].rsplit("@", 1)[-1]
    return bool(host) and not host.startswith((":", "-", ".")) and not any(ch.isspace() for ch in host)


def link_or_none(url: object) -> str | None:
    """``url`` when :func:`browsable`, else None: for links where they enter (an import, a source)."""
    return url if isinstance(url, str) and browsable(url) else None


def check_link(url: str, owner: str, what: str = "link") -> str:
    """``url`` when it may be opened, else BadInput naming ``owner`` (a paper or suggestion) and the URL."""
    if not browsable(url):
        raise BadInput(
            f"{owner}'s {what} {excerpt(url)} is not an http(s) URL; readlist opens only those "
            "(fix it in the library, or open it yourself)"
        )
    return url


def no_browser(url: str) -> str:
    """What ``readlist open`` and the TUI's ``o``/``p`` say when no web browser took ``url`` (SSH, headless:
    no ``$BROWSER`` and no opener Python's ``webbrowser`` knows)."""
    return f"no web browser found to open {url} (set $BROWSER)"
