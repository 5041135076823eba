"""Reading the other formats: Hugging Face daily JSON, plain id lists, generic tables, listings."""

from __future__ import annotations

import pytest

from readlist.core.errors import BadInput
from readlist.core.month import Month
from readlist.sources.detect import parse_document
from readlist.sources.feeds import find_post
from tests.suggest.conftest import fixture_text


def test_hf_daily_json_ranks_by_upvotes() -> None:
    [s] = parse_document(fixture_text("hf-daily-2021-01-13.json"), name="daily.json")
    assert (s.source, s.month) == ("hf-daily", "2021-01")
    assert [(p.rank, p.arxiv_id) for p in s.picks] == [(1, "2101.03961"), (2, "2101.04882"), (3, "2101.04535")]
    assert s.picks[0].authors == ["William Fedus"]
    assert s.picks[0].blurb.startswith("88 upvotes on Hugging Face daily papers (2021-01-13).")


def test_plain_list_of_ids_and_urls_takes_its_month_from_the_ids() -> None:
    [s] = parse_document(fixture_text("ids.txt"), name="ids.txt")
    assert s.source == "ids"
    assert s.month == "2021-01"
    assert [p.arxiv_id for p in s.picks] == ["2101.03961", "2101.03697", "2012.15723", "2101.08751"]
    [named] = parse_document("2101.03961\n2101.03697\n", name="x.txt", source="colleague", month="2022-03")
    assert (named.source, named.month, len(named.picks)) == ("colleague", "2022-03", 2)


def test_generic_markdown_table_of_titled_links() -> None:
    text = (
        "# Reading group, March 2021\n\n| Paper | Why |\n|---|---|\n"
        "| [Switch Transformers: Scaling to Trillion Parameter Models](https://arxiv.org/abs/2101.03961) | sparse |\n"
        "| [Paper](https://arxiv.org/abs/2101.03697) **RepVGG** | plain nets |\n"
    )
    [s] = parse_document(text, name="group.md")
    assert s.month == "2021-03"
    assert [(p.arxiv_id, p.title) for p in s.picks] == [
        ("2101.03961", "Switch Transformers: Scaling to Trillion Parameter Models"),
        ("2101.03697", "RepVGG"),
    ]


def test_documents_without_picks_are_bad_input() -> None:
    with pytest.raises(BadInput, match="empty"):
        parse_document("   \n", name="empty.txt")
    with pytest.raises(BadInput, match="found no picks"):
        parse_document("Just some prose about papers.\nNothing numbered here.", name="prose.txt")
    with pytest.raises(BadInput, match="JSON"):
        parse_document('{"hello": "world"}', name="x.json")


def test_post_found_in_blog_listing_and_feed() -> None:
    base = "https://www.zeta-alpha.com/blog"
    listing = fixture_text("zeta-alpha-blog.html")
    assert (
        find_post(listing, Month.parse("2021-01"), base) == "https://www.zeta-alpha.com/post/best-of-arxiv-january-2021"
    )
    assert find_post(listing, Month.parse("2021-03"), base) == "https://www.zeta-alpha.com/post/trends-in-ai-march-2021"
    assert find_post(listing, Month.parse("2021-04"), base) is None
    feed = fixture_text("zeta-alpha-feed.xml")
    assert find_post(feed, Month.parse("2021-01"), base) == "https://www.zeta-alpha.com/post/best-of-arxiv-january-2021"
    assert find_post(feed, Month.parse("2021-02"), base) is None
