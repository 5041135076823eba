"""The Suggestions view ranked by fit with the library (issue 14): the order, the fit bars, `S`, the why
line in the detail pane, and the tags an accept proposes.

The library reads two topics, sparse mixture-of-experts models (#moe) and image diffusion models
(#diffusion), with abstracts written for these tests; the curators' month puts three off-topic picks
first and the two on-topic ones fourth and fifth.
"""

from __future__ import annotations

import asyncio
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from readlist.core.library import Library
from readlist.core.suggestions import Pick, Suggestion, Suggestions
from readlist.tui.dialogs.accept import AcceptDialog
from readlist.tui.widgets.detail import DetailPane
from readlist.tui.widgets.ranker import Ranker
from readlist.tui.widgets.suggestion_list import SuggestionList
from tests.tui.conftest import (
    SIZE,
    _paper,
    detail_text,
    drain,
    keys,
    listing_text,
    settle,
    stored,
    text_of,
    words,
    workers_done,
)

MONTH = "2021-03"

# (id, title, status, tags, abstract)
LIBRARY = [
    ("2101.10001", "Learned Token Routing in Sparse Mixture-of-Experts Layers", "read", ["moe"],
     "A router sends each token to one expert of a sparse mixture-of-experts layer, so compute per token stays "
     "constant while parameters grow with the number of experts. An auxiliary loss balances the experts' load."),
    ("2101.10002", "Expert Capacity in Sparsely Gated Expert Networks", "read", ["moe"],
     "Tokens routed to an expert beyond its capacity are dropped. We measure how the capacity factor and the "
     "number of experts change quality and throughput of sparsely gated mixture-of-experts models."),
    ("2101.10003", "Stable Routers for Mixture-of-Experts Training", "reading", ["moe"],
     "Router collapse sends almost every token to a few experts. A router loss and expert dropout keep the "
     "routing spread over all experts and make sparse expert training stable."),
    ("2101.10004", "Denoising Diffusion Models for Image Synthesis", "read", ["diffusion"],
     "A diffusion model learns to reverse a gradual noising process: from Gaussian noise, a network removes "
     "noise step by step until an image appears. Its samples rival adversarial image generators."),
    ("2101.10005", "Score-Based Image Generation with Noise Schedules", "read", ["diffusion"],
     "Estimating the score of noisy images at many noise levels lets a sampler turn noise into images. The "
     "noise schedule of the diffusion process decides image quality and sampling speed."),
    ("2101.10006", "Guidance for Conditional Image Diffusion", "to-read", ["diffusion"],
     "Guidance trades diversity for fidelity when a diffusion model generates images from a text prompt."),
]  # fmt: skip

# (key, title, abstract), in the curators' order
PICKS = [
    ("2103.20001", "Federated Averaging on Mobile Keyboards",
     "Phones train a next-word model together without sending their typing to a server; the server averages "
     "their updates each round."),
    ("2103.20002", "Chip Floorplanning with Reinforcement Learning",
     "An agent places macros on a chip canvas and is rewarded for short wires and low congestion."),
    ("2103.20003", "Protein Contact Maps from Evolutionary Couplings",
     "Residues that mutate together in related sequences are likely in contact in the folded protein."),
    ("2103.20004", "Balanced Routing of Tokens to Experts in Sparse Models",
     "We route every token to its best experts in a sparse mixture-of-experts model while keeping the experts' "
     "load balanced, with no auxiliary loss and no dropped tokens."),
    ("2103.20005", "Fewer Denoising Steps for Diffusion Image Models",
     "A sampler for diffusion models generates images from noise in twenty denoising steps instead of a "
     "thousand, with the same image quality."),
]  # fmt: skip
ON_TOPIC = {"2103.20004": "moe", "2103.20005": "diffusion"}


def build(library: Library, papers: int = len(LIBRARY)) -> None:
    """``papers`` of the library's papers (all six: ranked; fewer than five: the curators' order), and the month."""
    records = [
        _paper(pid, title, ["Ann Author"], 2021, f"2024-03-{i + 1:02d}T09:00:00+00:00", status=status, tags=tags,
               abstract=abstract)
        for i, (pid, title, status, tags, abstract) in enumerate(LIBRARY[:papers])
    ]  # fmt: skip
    with library._transaction() as tx:
        tx.put_papers({r["id"]: r for r in records})
    picks = []
    for rank, (key, title, abstract) in enumerate(PICKS, 1):
        metadata = {"title": title, "authors": ["Bea Curated"], "abstract": abstract, "year": 2021}
        s = Suggestion(key=key, title=title, arxiv_id=key, authors=["Bea Curated"], metadata=metadata,
                       first_seen="2024-03-01T00:00:00+00:00")  # fmt: skip
        picks.append((s, Pick("zeta-alpha", MONTH, rank, f"Pick number {rank}.")))
    Suggestions(library).record_picks(picks)


@pytest.fixture
def ranked_library(library: Library) -> Library:
    build(library)
    return library


class Held:
    """Holds every ranking until released (so a test sees the view before the ranking arrives)."""

    def __init__(self) -> None:
        self.started = threading.Event()
        self.release = threading.Event()

    async def wait_started(self) -> None:
        assert await asyncio.to_thread(self.started.wait, 30), "no ranking started"


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> Iterator[Held]:
    from readlist.core.rank import ranking

    hold = Held()
    rank = ranking.rank_suggestions

    def held_rank(*args: Any, **kwargs: Any) -> Any:
        hold.started.set()
        hold.release.wait(10)
        return rank(*args, **kwargs)

    monkeypatch.setattr(ranking, "rank_suggestions", held_rank)
    yield hold
    hold.release.set()


async def open_ranked_suggestions(pilot: Any) -> SuggestionList:
    """The Suggestions view, once the library is read and the ranking has arrived."""
    await settle(pilot)
    pilot.app.screen.select_view("suggestions")
    await ranked(pilot)
    return pilot.app.screen.query_one(SuggestionList)


async def ranked(pilot: Any) -> None:
    """Wait (by events) until the ranking asked for has arrived and is shown."""
    screen = pilot.app.screen_stack[1]
    for _ in range(50):
        await drain(pilot.app)
        await workers_done(pilot.app)
        await drain(pilot.app)
        if screen.query_one(Ranker).done is not None and not screen.query_one(Ranker).busy:
            await pilot.pause()  # painted
            return
    raise AssertionError("the ranking did not arrive")


async def until(pilot: Any, done: Any, what: str) -> None:
    """Let the app handle what is queued (by events, no sleeping) until ``done()``, then let it paint."""
    for _ in range(50):
        if done():
            await pilot.pause()
            return
        await drain(pilot.app)
        await pilot.pause()
    raise AssertionError(f"never: {what}")


async def accept_dialog(pilot: Any) -> AcceptDialog:
    """The accept dialog ``enter`` opens, on screen."""
    app = pilot.app
    await until(pilot, lambda: isinstance(app.screen, AcceptDialog) and app.screen.query(".dialog-buttons"), "a dialog")
    await pilot.pause()
    return app.screen


def shown_keys(listing: SuggestionList) -> list[str]:
    return [o.id.split("|")[0] for o in listing.options if o.id in listing.by_option]


async def test_curators_order_first_then_fit_order_with_the_cursor_kept(
    ranked_library: Library, make_app, held: Held
) -> None:
    path = ranked_library.settings.library_path
    before = path.read_bytes(), path.stat().st_mtime_ns
    app = make_app(ranked_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.select_view("suggestions")
        await held.wait_started()
        await drain(app)
        await pilot.pause()  # painted
        listing = app.screen.query_one(SuggestionList)
        assert shown_keys(listing) == [key for key, _, _ in PICKS], "the curators' order while the ranking runs"
        assert text_of(app, "#suggestions-order") == "Curators' order for now: ranking by fit with your library…"
        assert "March 2021 · Best of arXiv: 5 new" in listing_text(app)
        await keys(pilot, "j", "j")
        assert listing.current.key == "2103.20003"

        held.release.set()
        await ranked(pilot)
        order = shown_keys(listing)
        assert set(order[:2]) == set(ON_TOPIC), f"the two on-topic picks first: {order}"
        assert listing.current.key == "2103.20003", "the cursor stays on the same suggestion"
        assert text_of(app, "#suggestions-order") == "By fit with your library (▁ low, █ high) · S: curators' order"
        text = listing_text(app)
        assert "March 2021 · by fit: 5 new" in text
        bars = [line.split("•")[0].strip() for line in text.splitlines() if " • " in line]
        assert len(bars) == 5 and all(b in "▁▂▃▄▅▆▇█" for b in bars), bars
        assert bars[0] > bars[-1], "the best fit has the higher bar"
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before, "ranking never writes library.json"


async def test_a_small_library_keeps_the_curators_order_and_says_why(library: Library, make_app) -> None:
    build(library, papers=3)
    app = make_app(library)
    async with app.run_test(size=SIZE) as pilot:
        listing = await open_ranked_suggestions(pilot)
        assert shown_keys(listing) == [key for key, _, _ in PICKS]
        assert "Your library holds 3 papers: suggestions keep the curators' order until it holds 5." in words(
            text_of(app, "#suggestions-order")
        )
        assert not any(c in listing_text(app) for c in "▁▂▃▄▅▆▇█"), "no fit bars without a ranking"
        await keys(pilot, "enter")  # no tags to propose: accepted at once, as without a ranking
        await settle(pilot)
        assert app.screen is app.screen_stack[1]
        assert stored(library, "2103.20001")["tags"] == ["zeta-alpha"]


async def test_s_switches_between_fit_order_and_the_curators_order(ranked_library: Library, make_app) -> None:
    app = make_app(ranked_library)
    async with app.run_test(size=SIZE) as pilot:
        listing = await open_ranked_suggestions(pilot)
        by_fit = shown_keys(listing)
        assert set(by_fit[:2]) == set(ON_TOPIC)
        assert listing.current.key == by_fit[0], "a cursor left on the first row is on the best fit"
        await keys(pilot, "S")
        assert shown_keys(listing) == [key for key, _, _ in PICKS]
        assert text_of(app, "#suggestions-order").startswith("Curators' order · S: by fit with your library")
        assert "  1. Federated Averaging on Mobile Keyboards" in listing_text(app)
        await keys(pilot, "S")
        assert shown_keys(listing) == by_fit
        assert text_of(app, "#suggestions-order").startswith("By fit with your library")
        await keys(pilot, "1")  # the status keys are the papers': nothing happens here
        assert app.screen.view == "suggestions"


async def test_the_detail_says_why_it_fits_naming_library_papers(ranked_library: Library, make_app) -> None:
    app = make_app(ranked_library)
    async with app.run_test(size=(200, 50)) as pilot:
        listing = await open_ranked_suggestions(pilot)
        while listing.current.key != "2103.20004":
            await keys(pilot, "j")
        await pilot.pause()
        ranked_item = listing.ranked("2103.20004")
        papers = ranked_library.snapshot().papers
        assert ranked_item.like and all(p in papers for p in ranked_item.like)
        assert all(papers[p]["tags"] == ["moe"] for p in ranked_item.like)
        why = app.screen.query_one(DetailPane).query_one("#detail-fit").content
        named = [why.plain[span.start : span.end] for span in why.spans if "italic" in str(span.style)]
        assert len(named) == 2 and "*" not in why.plain, "the titles it names, in italics, without asterisks"
        for name, paper_id in zip(named, ranked_item.like, strict=True):
            assert papers[paper_id]["title"].startswith(name.rstrip("…")), (name, papers[paper_id]["title"])
        shown = detail_text(app)
        assert re.search(r"Fit with your library  [▁▂▃▄▅▆▇█] 0\.\d\d", shown), "the bar and the fit"
        assert f"like {named[0]} and {named[1]} (#moe)" in words(shown)
        assert "On accept #moe" in words(shown)


async def test_enter_proposes_tags_enter_accepts_with_them_and_u_undoes_it_all(
    ranked_library: Library, make_app
) -> None:
    app = make_app(ranked_library)
    async with app.run_test(size=SIZE) as pilot:
        listing = await open_ranked_suggestions(pilot)
        while listing.current.key != "2103.20005":
            await keys(pilot, "j")
        await keys(pilot, "enter")
        dialog = await accept_dialog(pilot)
        assert dialog.field.value == "diffusion ", "the proposed tags, preselected (a word typed next is a tag)"
        assert text_of(app, "#dialog-help").startswith("Tags proposed from its nearest papers in your library")
        await keys(pilot, "enter")
        await settle(pilot)
        paper = stored(ranked_library, "2103.20005")
        assert paper is not None and paper["status"] == "to-read"
        assert sorted(paper["tags"]) == ["diffusion", "zeta-alpha"]
        assert Suggestions(ranked_library).get("2103.20005").state == "accepted"

        await keys(pilot, "u")
        await settle(pilot)
        assert stored(ranked_library, "2103.20005") is None
        assert Suggestions(ranked_library).get("2103.20005").state == "new"


async def test_tags_edited_in_the_dialog_are_the_ones_saved(ranked_library: Library, make_app) -> None:
    app = make_app(ranked_library)
    async with app.run_test(size=SIZE) as pilot:
        listing = await open_ranked_suggestions(pilot)
        by_fit = shown_keys(listing)
        assert by_fit[0] == "2103.20004"
        await keys(pilot, "enter")
        dialog = await accept_dialog(pilot)
        assert dialog.field.value == "moe "
        dialog.field.value = "moe routing"
        await keys(pilot, "enter")
        await settle(pilot)
        assert sorted(stored(ranked_library, "2103.20004")["tags"]) == ["moe", "routing", "zeta-alpha"]
        assert listing.current.key == "2103.20005", "the cursor moved on"
        assert shown_keys(listing) == by_fit, "the order holds still while accepting (a ranking came after it)"
        assert app.screen.query_one(Ranker).done[0] == ranked_library.stamp()
        await keys(pilot, "enter")
        await accept_dialog(pilot)
        await keys(pilot, "escape")  # esc: not accepted
        await settle(pilot)
        assert stored(ranked_library, "2103.20005") is None
        app.screen.select_view("to-read")
        await settle(pilot)
        app.screen.select_view("suggestions")
        await ranked(pilot)
        assert shown_keys(listing)[-1] == "2103.20004", "back in the view: the accepted pick after the new ones"


async def test_enter_before_the_ranking_opens_the_dialog_and_the_tags_follow(
    ranked_library: Library, make_app, held: Held
) -> None:
    app = make_app(ranked_library)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.screen.select_view("suggestions")
        await held.wait_started()
        await drain(app)
        await pilot.pause()  # painted
        await keys(pilot, "j", "j", "j")  # the curators' fourth: the #moe one
        assert app.screen.query_one(SuggestionList).current.key == "2103.20004"
        await keys(pilot, "enter")
        dialog = await accept_dialog(pilot)
        assert dialog.field.value == ""
        assert text_of(app, "#dialog-help").startswith("Finding the tags of its nearest papers")
        held.release.set()
        await ranked(pilot)
        assert dialog.field.value == "moe "
        await keys(pilot, "enter")
        await settle(pilot)
        assert sorted(stored(ranked_library, "2103.20004")["tags"]) == ["moe", "zeta-alpha"]
