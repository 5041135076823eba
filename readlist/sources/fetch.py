"""Reading a document from a file or over HTTP, with errors that name the service."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from readlist import __version__
from readlist.core.config import Settings
from readlist.core.errors import BadInput, NetworkError


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def get_text(url: str, settings: Settings, service: str, *, missing_ok: bool = False) -> str | None:
    """The body of a GET, within settings.http_timeout; None for a 404 when ``missing_ok``."""
    import requests

    host = urlparse(url).netloc or url
    try:
        response = requests.get(
            url,
            timeout=settings.http_timeout,
            headers={"User-Agent": f"readlist/{__version__} (reading list; +https://github.com/)"},
        )
    except requests.Timeout:
        raise NetworkError(f"{service} ({host}) did not answer within {settings.http_timeout:g} s") from None
    except requests.ConnectionError:
        raise NetworkError(f"cannot reach {service} at {host}; check your connection") from None
    except requests.RequestException as exc:
        raise NetworkError(f"{service} ({host}) request failed: {exc}") from None
    if response.status_code == 404 and missing_ok:
        return None
    if response.status_code >= 400:
        raise NetworkError(f"{service} ({host}) answered HTTP {response.status_code} for {url}")
    response.encoding = response.encoding if "charset" in response.headers.get("content-type", "") else "utf-8"
    return response.text


def read_document(ref: str, settings: Settings) -> tuple[str, str, str | None]:
    """(text, name, url) of a file path or an http(s) URL."""
    if is_url(ref):
        text = get_text(ref, settings, urlparse(ref).netloc or ref)
        assert text is not None
        return text, urlparse(ref).path, ref
    path = Path(ref).expanduser()
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise BadInput(f"no file {ref!r}: give a path or an http(s) URL") from None
    except OSError as exc:
        raise BadInput(f"cannot read {ref!r}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text, path.name, None
