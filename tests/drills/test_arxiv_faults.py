"""arXiv answering 503, hanging, sending malformed XML or 400: bounded time, a clear message, nothing lost.

Everything the user typed (the id, tags, status, note) is kept as a pending
record, and a later `refresh` against a healthy arXiv completes it.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest

from tests.arxiv_server import ArxivServer
from tests.conftest import run_process

BOUND = 20.0  # seconds; the real figures are ~1-4 s (see the messages' retry counts)


def _fault(server: ArxivServer, fault: str) -> None:
    if fault == "503":
        server.fail_next, server.fail_status = 1000, 503
    elif fault == "400":
        server.fail_next, server.fail_status = 1000, 400
    elif fault == "hang":
        server.hang = True
    elif fault == "malformed":
        server.malformed = True


def _heal(server: ArxivServer) -> None:
    server.fail_next, server.hang, server.malformed = 0, False, False


EXPECTED = {
    "503": "answered HTTP 503 (after 4 tries)",
    "400": "answered HTTP 400",
    "hang": "did not answer within 1 s",
    "malformed": "sent a malformed answer",
}


@pytest.fixture(autouse=True)
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READLIST_HTTP_TIMEOUT", "1")


@pytest.mark.parametrize("fault", sorted(EXPECTED))
def test_add_under_fault_is_bounded_clear_and_keeps_everything(cli, arxiv: ArxivServer, fault: str) -> None:
    _fault(arxiv, fault)
    start = time.monotonic()
    r = cli("add", "arXiv:2101.03961v2", "--tag", "moe", "--status", "reading", "--note", "read section 3 first")
    elapsed = time.monotonic() - start
    assert elapsed < BOUND, f"add took {elapsed:.1f} s against a {fault} arXiv"
    assert r.code == 1, (r.code, r.err)
    assert "Traceback" not in r.err
    line = r.err.strip().splitlines()[-1]
    assert line.startswith("readlist: arXiv (127.0.0.1:"), line
    assert EXPECTED[fault] in line and "kept as pending: 2101.03961" in line, line
    if fault == "400":
        assert len(arxiv.requests) == 1, "a 400 is not worth retrying"

    (kept,) = cli("list", "--json").json
    assert kept["id"] == "2101.03961" and kept["pending"] is True
    assert kept["tags"] == ["moe"] and kept["status"] == "reading" and kept["notes"] == "read section 3 first"
    assert kept["version"] == "v2"

    # refresh under the same fault: bounded, clear, the pending record untouched.
    start = time.monotonic()
    r = cli("refresh")
    assert time.monotonic() - start < BOUND
    assert r.code == 1 and "arXiv (127.0.0.1:" in r.err and "still pending: 2101.03961" in r.err, r.err
    assert cli("list", "--json").json == [kept]

    # arXiv heals: refresh completes the paper and keeps what the user typed.
    _heal(arxiv)
    r = cli("refresh")
    assert r.code == 0, r.err
    (done,) = cli("list", "--json").json
    assert done["pending"] is False and done["title"].startswith("Switch Transformers")
    assert (done["tags"], done["status"], done["notes"], done["version"]) == (["moe"], "reading", kept["notes"], "v2")


def test_a_hanging_arxiv_does_not_hang_the_process(arxiv: ArxivServer) -> None:
    """The real executable exits in bounded time, with no thread left waiting on the socket."""
    arxiv.hang = True
    start = time.monotonic()
    r = run_process("add", "2101.03961", "--tag", "later", env={"READLIST_HTTP_TIMEOUT": "1"}, timeout=BOUND)
    elapsed = time.monotonic() - start
    assert r.returncode == 1 and elapsed < 10, (elapsed, r.stderr)
    assert r.stderr.strip().splitlines()[-1].startswith("readlist: arXiv (127.0.0.1:"), r.stderr
    [kept] = json.loads(run_process("list", "--json").stdout)
    assert kept["id"] == "2101.03961" and kept["pending"] is True and kept["tags"] == ["later"]


def test_503_then_recovery_within_one_add_is_retried(cli, arxiv: ArxivServer) -> None:
    """Two 503s and then an answer: the add succeeds, after bounded retries."""
    arxiv.fail_next, arxiv.fail_status = 2, 503
    start = time.monotonic()
    r = cli("add", "2101.03961")
    assert r.code == 0, r.err
    assert time.monotonic() - start < BOUND
    assert len(arxiv.requests) == 3
    assert cli("show", "2101.03961", "--json").json["pending"] is False


def test_search_based_commands_name_arxiv(arxiv: ArxivServer) -> None:
    """The client's search (used by suggestions) fails with the same bounded, named error."""
    from readlist.core.arxiv_api import ArxivClient
    from readlist.core.config import load_settings
    from readlist.core.errors import NetworkError

    for fault in sorted(EXPECTED):
        _heal(arxiv)
        _fault(arxiv, fault)
        client: Any = ArxivClient(load_settings())
        start = time.monotonic()
        with pytest.raises(NetworkError, match=r"arXiv \(127\.0\.0\.1:") as caught:
            client.search('ti:"switch transformers"', max_results=5)
        assert time.monotonic() - start < BOUND
        assert EXPECTED[fault] in str(caught.value)
