"""Servers that trickle, never stop, lie about their size, loop or hang up: one deadline, one cap, one message.

READLIST_HTTP_TIMEOUT bounds the whole request, connect to last byte, so a
server that sends a byte every 2 s fails exactly like one that sends nothing.
A body over max_document_mb stops the download. Everything the user typed is
kept (as a pending paper) when arXiv fails this way.
"""

from __future__ import annotations

import json
import time
import tracemalloc
from pathlib import Path

import pytest

from readlist.core.config import load_settings
from readlist.core.errors import BadInput, NetworkError
from readlist.sources.fetch import get_text, read_document
from tests.conftest import run_process
from tests.drills.hostile_server import HostileServer

TIMEOUT = 2  # READLIST_HTTP_TIMEOUT in these drills


@pytest.fixture(autouse=True)
def short_deadline(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READLIST_HTTP_TIMEOUT", str(TIMEOUT))


def test_add_against_a_trickling_arxiv_ends_within_the_deadline_and_keeps_the_paper_pending() -> None:
    with HostileServer("trickle", interval=2.0) as server:
        env = {"READLIST_ARXIV_API": server.url + "/api/query"}
        start = time.monotonic()
        r = run_process("add", "2101.03961", "--tag", "t", "--note", "my first thought", env=env, timeout=30)
        elapsed = time.monotonic() - start
    assert elapsed < TIMEOUT + 5, f"add took {elapsed:.1f} s against a server trickling a byte every 2 s"
    assert r.returncode == 1, r.stderr
    last = r.stderr.strip().splitlines()[-1]
    assert f"did not answer within {TIMEOUT} s" in last and "kept as pending: 2101.03961" in last, last
    assert server.hits == 1, "a deadline overrun is not retried"
    [kept] = json.loads(run_process("list", "--json").stdout)
    assert (kept["id"], kept["pending"], kept["tags"], kept["notes"]) == ("2101.03961", True, ["t"], "my first thought")


def test_trickled_headers_fail_like_a_hanging_server() -> None:
    with HostileServer("trickle-headers", interval=0.5) as server:
        start = time.monotonic()
        with pytest.raises(NetworkError, match=rf"^Curated \(127\.0\.0\.1:\d+\) did not answer within {TIMEOUT} s"):
            get_text(server.url + "/list.md", load_settings(), "Curated")
        assert time.monotonic() - start < TIMEOUT + 1


def test_pull_from_a_trickling_url_ends_within_the_deadline(home: Path) -> None:
    with HostileServer("trickle", interval=2.0) as server:
        start = time.monotonic()
        r = run_process("pull", "--from", server.url + "/best-of.md", "--month", "2021-01", timeout=30)
        elapsed = time.monotonic() - start
    assert elapsed < TIMEOUT + 5 and r.returncode == 1, (elapsed, r.stderr)
    assert r.stderr.strip().splitlines()[-1].endswith(f"did not answer within {TIMEOUT} s; try again later")
    assert "Traceback" not in r.stderr


def test_an_endless_body_stops_at_the_size_cap_without_filling_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READLIST_MAX_DOCUMENT_MB", "2")
    with HostileServer("endless") as server:
        tracemalloc.start()
        try:
            start = time.monotonic()
            with pytest.raises(NetworkError, match=r"sent more than 2 MB, readlist's limit.*max_document_mb"):
                get_text(server.url + "/feed", load_settings(), "Curated")
            elapsed = time.monotonic() - start
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
    assert elapsed < TIMEOUT, elapsed
    assert peak < 12_000_000, f"peak {peak / 1e6:.1f} MB for a 2 MB cap"


def test_an_endless_body_from_the_command_line_is_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("READLIST_MAX_DOCUMENT_MB", "1")
    with HostileServer("endless") as server:
        r = run_process("pull", "--from", server.url + "/huge.md", "--month", "2021-01", timeout=30)
    assert r.returncode == 1 and "Traceback" not in r.stderr and "MemoryError" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "sent more than 1 MB" in r.stderr, r.stderr


def test_a_content_length_over_the_cap_is_refused_before_reading() -> None:
    with HostileServer("huge-length") as server:
        start = time.monotonic()
        with pytest.raises(NetworkError, match=r"sent more than 20 MB"):
            get_text(server.url + "/x", load_settings(), "Curated")
        assert time.monotonic() - start < 1.5


def test_a_redirect_loop_is_cut_off() -> None:
    with HostileServer("redirect-loop") as server:
        with pytest.raises(NetworkError, match=r"malformed answer \(more than 10 redirects\)"):
            get_text(server.url + "/hop/0", load_settings(), "Curated")
        assert server.hits == 11


def test_a_dropped_connection_is_retried_then_named() -> None:
    with HostileServer("drop") as server:
        start = time.monotonic()
        with pytest.raises(NetworkError, match=r"^cannot reach Curated at 127\.0\.0\.1:\d+ \(after 4 tries\)"):
            get_text(server.url + "/x", load_settings(), "Curated")
        assert server.hits == 4 and time.monotonic() - start < 5


def test_every_request_carries_readlists_user_agent(cli, monkeypatch: pytest.MonkeyPatch) -> None:
    with HostileServer("body", body=b"<feed/>") as server:
        get_text(server.url + "/a", load_settings(), "Curated")
        monkeypatch.setenv("READLIST_ARXIV_API", server.url + "/api/query")
        cli("add", "2101.03961")  # arxiv sends its own User-Agent: readlist's replaces it
    agents = [line for head in server.heads for line in head.split("\r\n") if line.lower().startswith("user-agent:")]
    assert len(agents) == 2 and all(a.startswith("User-Agent: readlist/") for a in agents), agents


def test_a_file_that_never_ends_is_refused(tmp_path: Path) -> None:
    for special in ("/dev/zero", "/dev/urandom"):
        if not Path(special).exists():
            continue
        with pytest.raises(BadInput, match="a character device, not a regular file"):
            read_document(special, load_settings())
