"""Reading a document from a file or over HTTP, with errors that name the service.

HTTP goes through readlist's one client (:mod:`readlist.core.http`): one
deadline for the whole request, one size cap, one retry policy. A file must
be a regular file no larger than the same cap (``max_document_mb``): a FIFO
or a device such as ``/dev/zero`` is refused at once instead of hanging or
filling memory.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlparse

from readlist.core.config import Settings
from readlist.core.errors import NetworkError
from readlist.core.files import read_regular


def is_url(text: str) -> bool:
    return text.startswith(("http://", "https://"))


def get_text(url: str, settings: Settings, service: str, *, missing_ok: bool = False) -> str | None:
    """The body of a GET within settings.http_timeout (the whole request); None for a 404 when ``missing_ok``."""
    from readlist.core import http

    try:
        response = http.shared_session(settings).get(url)
    except http.StatusError as exc:
        if exc.status == 404 and missing_ok:
            return None
        raise NetworkError(f"{exc.describe(service)} for {url}") from None
    except http.HttpFailure as exc:
        raise NetworkError(exc.describe(service)) from None
    response.encoding = response.encoding if "charset" in response.headers.get("content-type", "") else "utf-8"
    return response.text  # requests decodes with "replace", and falls back for a charset it does not know


def read_document(ref: str, settings: Settings) -> tuple[str, str, str | None]:
    """(text, name, url) of a file path or an http(s) URL."""
    if is_url(ref):
        text = get_text(ref, settings, urlparse(ref).netloc or ref)
        assert text is not None
        return text, urlparse(ref).path, ref
    path = Path(ref).expanduser()
    data = read_regular(path, settings.max_document_bytes, shown=ref, hint="give a path or an http(s) URL")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    return text, path.name, None
