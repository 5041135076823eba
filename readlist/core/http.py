"""readlist's one HTTP client: arXiv and every curated source go through it.

One policy for every request readlist makes:

* **One User-Agent**, :data:`USER_AGENT`, whatever the caller sends.
* **One deadline per request.** ``http_timeout`` (``READLIST_HTTP_TIMEOUT``)
  bounds connect to last byte, redirects included. requests' own ``timeout``
  bounds each socket read, so a server that trickles a byte every 2 s would
  never time out; here the request runs in a worker thread that the caller
  waits for at most ``http_timeout`` seconds, and a late answer fails exactly
  like a hanging server (:class:`DeadlineExceeded`).
* **One size cap**: a body larger than ``max_document_mb`` stops the download
  (:class:`TooLarge`), so an endless body costs at most that much memory.
* **One retry policy**: an answer 429 or 5xx, or a dropped connection, is tried
  again up to :data:`MAX_ATTEMPTS` times, with a growing pause, and no retry
  starts once :data:`TIME_BUDGET` seconds would be passed. A deadline overrun
  is never retried: the server already had its chance.

Every failure is a :class:`HttpFailure`, a :class:`~readlist.core.errors.NetworkError`
whose :meth:`HttpFailure.describe` words it for the service the caller names
("arXiv", "Best of arXiv (zeta-alpha)"). An answer >= 400 that is not retried
is raised as :class:`StatusError`, so callers only ever see usable answers.

The session returned by :func:`session` is a ``requests.Session``: the ``arxiv``
package's client uses it as its own. requests is imported on first use, not
with this module (start-up stays light).
"""

from __future__ import annotations

import contextlib
import functools
import io
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urljoin, urlparse

from readlist import __version__
from readlist.core.config import Settings
from readlist.core.errors import NetworkError

if TYPE_CHECKING:
    import requests
    from requests.structures import CaseInsensitiveDict

USER_AGENT = f"readlist/{__version__} (a terminal reading list for research papers)"
MAX_ATTEMPTS = 4
"""One request and up to three retries of a 429/5xx answer or a dropped connection."""
TIME_BUDGET = 25.0
"""No retry starts once it could end later than this many seconds after the first try."""
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_REDIRECTS = 10
CHUNK = 64 * 1024
MAX_PAUSE = 5.0
"""The longest pause between two tries (unless the caller's own pause between requests is longer)."""

Check = Callable[[bytes], "str | None"]
"""A check of a 200 answer's body: None if it is usable, else what is wrong with it."""


class HttpFailure(NetworkError):
    """A request that gave no usable answer. ``str()`` names the host; :meth:`describe` names the service too."""

    def __init__(self, url: str, attempts: int = 1) -> None:
        self.url = url
        self.attempts = attempts
        super().__init__(self.describe(self.host))

    @property
    def host(self) -> str:
        return urlparse(self.url).netloc or self.url

    def describe(self, service: str) -> str:
        return f"{service} ({self.host}) request failed"

    def after(self) -> str:
        return f" (after {self.attempts} tries)" if self.attempts > 1 else ""

    def again(self, attempts: int) -> HttpFailure:
        """This failure, counted as the last of ``attempts`` tries."""
        self.attempts = attempts
        self.args = (self.describe(self.host),)
        return self


class DeadlineExceeded(HttpFailure):
    """No complete answer within the deadline: a hanging server and a trickling one alike."""

    def __init__(self, url: str, timeout: float) -> None:
        self.timeout = timeout
        super().__init__(url)

    def describe(self, service: str) -> str:
        return f"{service} ({self.host}) did not answer within {self.timeout:g} s; try again later"


class TooLarge(HttpFailure):
    """A body over the size cap."""

    def __init__(self, url: str, limit: int) -> None:
        self.limit = limit
        super().__init__(url)

    def describe(self, service: str) -> str:
        return (
            f"{service} ({self.host}) sent more than {self.limit / 1_000_000:g} MB, readlist's limit; "
            "if the document is really that large, raise max_document_mb (READLIST_MAX_DOCUMENT_MB)"
        )


class StatusError(HttpFailure):
    """An answer with an HTTP error status (after the retries, for the statuses worth retrying)."""

    def __init__(self, url: str, status: int, attempts: int = 1) -> None:
        self.status = status
        super().__init__(url, attempts)

    def describe(self, service: str) -> str:
        return f"{service} ({self.host}) answered HTTP {self.status}{self.after()}"


class Unreachable(HttpFailure):
    """The connection could not be made, or dropped before the answer was complete."""

    def describe(self, service: str) -> str:
        return f"cannot reach {service} at {self.host}{self.after()}; check your connection"


class BadAnswer(HttpFailure):
    """An answer that is not what it should be (a truncated document, an undecodable body, a bad redirect)."""

    def __init__(self, url: str, reason: str) -> None:
        self.reason = reason
        super().__init__(url)

    def describe(self, service: str) -> str:
        return f"{service} ({self.host}) sent a malformed answer ({self.reason}); try again later"


class _Cancelled(Exception):
    """The caller stopped waiting: the worker drops the answer."""


def session(settings: Settings, *, min_pause: float = 0.0, check: Check | None = None) -> requests.Session:
    """A session with readlist's policy, configured from ``settings``.

    ``min_pause``: the least pause before a retry (arXiv asks for its delay
    between any two requests). ``check``: a test of each 200 answer's body;
    a body it rejects raises :class:`BadAnswer` (not retried).
    """
    return _session_class()(
        timeout=settings.http_timeout, max_bytes=settings.max_document_bytes, min_pause=min_pause, check=check
    )


_shared: dict[tuple[float, int], requests.Session] = {}
_shared_lock = threading.Lock()


def shared_session(settings: Settings) -> requests.Session:
    """The process's session for these settings (curated sources share it, and its connections)."""
    key = (settings.http_timeout, settings.max_document_bytes)
    with _shared_lock:
        if key not in _shared:
            _shared[key] = session(settings)
        return _shared[key]


@functools.cache
def _session_class() -> Callable[..., requests.Session]:
    """``HttpSession``, a ``requests.Session`` under readlist's policy.

    The class is made on first use so that requests is imported then, not with
    this module; it only holds the policy and hands each request to the
    functions below (:func:`_request`, :func:`_attempt`, :func:`_fetch`,
    :func:`_read_body`), one per stage of the policy.
    """
    import requests

    class HttpSession(requests.Session):
        """requests.Session with one deadline, one size cap, one retry policy (see the module)."""

        def __init__(self, *, timeout: float, max_bytes: int, min_pause: float, check: Check | None) -> None:
            super().__init__()
            self.policy = _Policy(timeout, max_bytes, min_pause, check)
            self.headers["User-Agent"] = USER_AGENT

        def request(self, method: str | bytes, url: str | bytes, *args: Any, **kwargs: Any) -> requests.Response:
            """One request under the policy: a usable answer, or an HttpFailure."""
            if args:
                raise TypeError("HttpSession.request takes its options as keyword arguments")
            return _request(self, self.policy, _text(method).upper(), _text(url), kwargs)

    return HttpSession


@dataclass(frozen=True)
class _Policy:
    """What one session promises: a deadline per try, a size cap, a least pause between tries, a body check."""

    timeout: float
    max_bytes: int
    min_pause: float
    check: Check | None

    def may_retry(self, attempt: int, start: float, pause: float) -> bool:
        """Whether another try, after ``pause``, can still end within :data:`TIME_BUDGET`."""
        elapsed = time.monotonic() - start
        return attempt < MAX_ATTEMPTS and elapsed + pause + self.timeout < TIME_BUDGET


def _request(
    session: requests.Session, policy: _Policy, method: str, url: str, kwargs: dict[str, Any]
) -> requests.Response:
    """The retry policy around :func:`_attempt`: a usable answer, or an HttpFailure."""
    from requests.structures import CaseInsensitiveDict

    headers = CaseInsensitiveDict(kwargs.pop("headers", None) or {})
    headers["User-Agent"] = USER_AGENT
    for ours in ("stream", "timeout", "allow_redirects"):
        kwargs.pop(ours, None)
    start = time.monotonic()
    attempt = 0
    while True:
        attempt += 1
        pause = max(policy.min_pause, min(0.25 * attempt * max(1.0, policy.min_pause), MAX_PAUSE))
        try:
            response = _attempt(session, policy, method, url, headers, kwargs)
        except Unreachable as exc:
            if not policy.may_retry(attempt, start, pause):
                raise exc.again(attempt) from None
        else:
            status = response.status_code
            if status in RETRY_STATUSES and policy.may_retry(attempt, start, pause):
                pause = max(pause, min(_retry_after(response), MAX_PAUSE))
                if policy.may_retry(attempt, start, pause):
                    time.sleep(pause)
                    continue
            if status >= 400:
                raise StatusError(url, status, attempt)
            if status == 200 and policy.check is not None:
                problem = policy.check(response.content)
                if problem is not None:
                    raise BadAnswer(url, problem)
            return response
        time.sleep(pause)


def _attempt(
    session: requests.Session,
    policy: _Policy,
    method: str,
    url: str,
    headers: CaseInsensitiveDict[str],
    kwargs: dict[str, Any],
) -> requests.Response:
    """One try, in a worker thread the caller waits for at most the policy's ``timeout`` seconds."""
    timeout = policy.timeout
    box: dict[str, Any] = {}
    done = threading.Event()
    cancel = threading.Event()

    def work() -> None:
        try:
            box["response"] = _fetch(session, policy, method, url, headers, kwargs, cancel, box)
        except BaseException as exc:  # handed to the caller's thread
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=work, name="readlist-http", daemon=True).start()
    try:
        finished = done.wait(timeout)
    finally:
        if not done.is_set():  # deadline passed, or Ctrl-C: let the worker go
            cancel.set()
            _shutdown(box.get("raw"))
    if not finished:
        raise DeadlineExceeded(url, timeout)
    if "error" in box:
        raise box["error"]
    response: requests.Response = box["response"]
    return response


def _fetch(
    session: requests.Session,
    policy: _Policy,
    method: str,
    url: str,
    headers: CaseInsensitiveDict[str],
    kwargs: dict[str, Any],
    cancel: threading.Event,
    box: dict[str, Any],
) -> requests.Response:
    """The worker's part: follow redirects (requests' own request, one hop at a time), then read the body."""
    import requests
    from requests.exceptions import InvalidSchema, InvalidURL, MissingSchema
    from urllib3.exceptions import DecodeError, ProtocolError, ReadTimeoutError

    timeout = policy.timeout
    current = url
    try:
        for _ in range(MAX_REDIRECTS + 1):
            response = requests.Session.request(
                session, method, current, headers=headers, stream=True, allow_redirects=False,
                timeout=(timeout, timeout), **kwargs,
            )  # fmt: skip
            box["raw"] = response.raw
            target = session.get_redirect_target(response) if response.is_redirect else None
            if cancel.is_set() or target is None:
                break
            response.close()  # the redirect's body is never read
            current = urljoin(response.url, target)
            if urlparse(current).scheme not in ("http", "https"):
                raise BadAnswer(url, "a redirect to an address that is not http(s)")
            if response.status_code == 303:
                method = "GET"
        else:
            response.close()
            raise BadAnswer(url, f"more than {MAX_REDIRECTS} redirects")
        if cancel.is_set():
            response.close()
            raise _Cancelled
        body = _read_body(url, response, policy.max_bytes, cancel)
    except (requests.Timeout, ReadTimeoutError):
        raise DeadlineExceeded(url, timeout) from None
    except (requests.ConnectionError, ProtocolError, OSError):
        raise Unreachable(url) from None
    except (requests.exceptions.ContentDecodingError, DecodeError):
        raise BadAnswer(url, "its body cannot be decoded") from None
    except (InvalidURL, InvalidSchema, MissingSchema):
        raise BadAnswer(url, "not an http(s) address") from None
    # The body is read: callers use .content and .text as with any response.
    response.raw = io.BytesIO(body)
    return response


def _read_body(url: str, response: requests.Response, max_bytes: int, cancel: threading.Event) -> bytes:
    """The whole body, decoded, within ``max_bytes``; the read stops when the caller stops waiting."""
    raw = response.raw
    length = response.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > max_bytes and not response.headers.get("Content-Encoding"):
        response.close()
        raise TooLarge(url, max_bytes)
    chunks: list[bytes] = []
    size = 0
    while True:
        chunk = raw.read(CHUNK, decode_content=True)
        if cancel.is_set():
            response.close()
            raise _Cancelled
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            response.close()
            raise TooLarge(url, max_bytes)
        chunks.append(chunk)
    raw.release_conn()
    return b"".join(chunks)


def _text(value: str | bytes) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value


def _retry_after(response: requests.Response) -> float:
    """A Retry-After given in seconds (dates are ignored), else 0."""
    value = response.headers.get("Retry-After", "").strip()
    return float(value) if value.isdigit() else 0.0


def _shutdown(raw: Any) -> None:
    """Unblock a worker reading ``raw`` (urllib3 >= 2.3 shuts its socket down); best effort."""
    shutdown = getattr(raw, "shutdown", None)
    if shutdown is None:
        return
    with contextlib.suppress(Exception):  # released to the pool already, or closed: nothing is blocked on it
        shutdown()
