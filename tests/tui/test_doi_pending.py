"""R in the TUI completes pending papers saved by DOI too, from the DOI resolver."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from readlist.core.library import Library
from tests.doi_server import DoiServer
from tests.tui.conftest import SIZE, said, settle, stored

DOI = "10.1145/3442188.3445922"
ITEM = {"type": "paper-conference", "DOI": DOI, "title": "On the Dangers of Stochastic Parrots",
        "author": [{"family": "Bender", "given": "Emily M."}], "issued": {"date-parts": [[2021, 3]]}}  # fmt: skip


@pytest.fixture
def resolver(seeded: Library, monkeypatch: pytest.MonkeyPatch) -> Iterator[DoiServer]:
    """A loopback DOI resolver that knows ITEM, set as the library's (a loaded machine can take longer than
    the suite's 3 s timeout to answer: these tests are not about timeouts)."""
    server = DoiServer({DOI: ITEM}).start()
    settings = seeded.settings.__class__(**{**seeded.settings.__dict__, "doi_api": server.url, "http_timeout": 30.0})
    monkeypatch.setattr(seeded, "settings", settings)
    yield server
    server.stop()


async def test_R_completes_a_pending_doi_paper(seeded: Library, resolver: DoiServer, make_app) -> None:
    seeded.add_doi(DOI, None, tags=["later"])
    app = make_app(seeded)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("R")
        await pilot.pause()
        await settle(pilot)
        record = stored(seeded, f"doi:{DOI}")
        assert record is not None and not record["pending"] and record["title"].startswith("On the Dangers")
        assert record["tags"] == ["later"]
        assert "Fetched 1 pending paper" in said(app)


async def test_the_add_dialog_takes_a_doi_and_u_undoes_it(seeded: Library, resolver: DoiServer, make_app) -> None:
    app = make_app(seeded)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press(*f"https://doi.org/{DOI}", "tab", *"ethics", "enter")
        await settle(pilot)
        record = stored(seeded, f"doi:{DOI}")
        assert record is not None and record["title"] == "On the Dangers of Stochastic Parrots"
        assert record["tags"] == ["ethics"] and not record["pending"]
        assert "Added On the Dangers of Stochastic Parrots" in said(app)
        await pilot.press("u")
        await settle(pilot)
        assert stored(seeded, f"doi:{DOI}") is None
    assert [doi for doi, _, _ in resolver.requests] == [DOI]
