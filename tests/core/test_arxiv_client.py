"""The arXiv client against a loopback arXiv: batching, versions, faults, time bounds."""

from __future__ import annotations

import os
import time

import pytest

from readlist.core.arxiv_api import ArxivClient
from readlist.core.config import load_settings
from readlist.core.errors import NetworkError
from readlist.core.refs import ArxivRef
from tests.arxiv_server import ArxivServer


def client(**env: str) -> ArxivClient:
    """A client with the test's settings, ``env`` (READLIST_... variables) over them."""
    return ArxivClient(load_settings({**os.environ, **env}))


def test_fetch_batches_all_ids_in_one_request(arxiv: ArxivServer) -> None:
    refs = [ArxivRef("2101.03697"), ArxivRef("2012.15723", "v1"), ArxivRef("hep-th/9711200"), ArxivRef("2101.99001")]
    result = client().fetch(refs)
    assert len(arxiv.requests) == 1
    assert "id_list=2101.03697%2C2012.15723v1%2Chep-th%2F9711200%2C2101.99001" in arxiv.requests[0]
    assert set(result.found) == {"2101.03697", "2012.15723", "hep-th/9711200"}
    assert result.missing == [ArxivRef("2101.99001")]
    assert result.found["2012.15723"]["version"] == "v1"
    assert result.found["2101.03697"]["version"] == "v3"  # latest when none asked
    maldacena = result.found["hep-th/9711200"]
    assert maldacena["authors"] == ["Juan M. Maldacena"]
    assert maldacena["year"] == 1997 and maldacena["published"] == "1997-11-27"
    assert maldacena["doi"] == "10.1023/A:1026654312961"
    assert maldacena["url"] == "https://arxiv.org/abs/hep-th/9711200"
    assert maldacena["pdf_url"] == "https://arxiv.org/pdf/hep-th/9711200v3"


def test_search_finds_by_title_phrase(arxiv: ArxivServer) -> None:
    hits = client().search('ti:"Switch Transformers" AND au:Fedus', max_results=5)
    assert [h["id"] for h in hits] == ["2101.03961"]


def test_a_503_is_retried(arxiv: ArxivServer) -> None:
    arxiv.fail_next = 2
    result = client().fetch([ArxivRef("2101.00408")])
    assert "2101.00408" in result.found
    assert len(arxiv.requests) == 3


def test_persistent_503_gives_up_with_a_message(arxiv: ArxivServer) -> None:
    arxiv.fail_next = 100
    with pytest.raises(NetworkError, match=r"arXiv \(127\.0\.0\.1:\d+\) answered HTTP 503 \(after 4 tries\)"):
        client().fetch([ArxivRef("2101.00408")])
    assert len(arxiv.requests) == 4


def test_a_400_is_not_retried(arxiv: ArxivServer) -> None:
    arxiv.fail_next, arxiv.fail_status = 1, 400
    with pytest.raises(NetworkError, match="HTTP 400"):
        client().fetch([ArxivRef("2101.00408")])
    assert len(arxiv.requests) == 1


def test_a_hanging_server_times_out(arxiv: ArxivServer) -> None:
    arxiv.hang = True
    start = time.monotonic()
    with pytest.raises(NetworkError, match="did not answer within 1 s"):
        client(READLIST_HTTP_TIMEOUT="1").fetch([ArxivRef("2101.00408")])
    assert time.monotonic() - start < 5


def test_a_truncated_answer_is_reported_not_taken_for_no_results(arxiv: ArxivServer) -> None:
    arxiv.malformed = True
    with pytest.raises(NetworkError, match="malformed answer"):
        client().fetch([ArxivRef("2101.00408")])


def test_an_unreachable_server_is_named() -> None:
    start = time.monotonic()
    with pytest.raises(NetworkError, match=r"cannot reach arXiv at 127\.0\.0\.1:\d+ \(after 4 tries\)"):
        client().fetch([ArxivRef("2101.00408")])
    assert time.monotonic() - start < 10


def test_the_delay_between_requests_is_kept(arxiv: ArxivServer) -> None:
    c = client(READLIST_ARXIV_DELAY="0.4")
    c.fetch([ArxivRef("2101.00408")])
    c.search('ti:"Attention Is All You Need"')
    gap = arxiv.request_times[1] - arxiv.request_times[0]
    assert gap >= 0.38
