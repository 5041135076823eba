"""Reading Zeta Alpha posts: the seed text, and the same post as HTML and as Markdown."""

from __future__ import annotations

from pathlib import Path

import pytest

from readlist.sources.blocks import html_blocks, markdown_blocks, text_blocks
from readlist.sources.detect import parse_document
from readlist.sources.model import Selection
from readlist.sources.zeta_alpha import looks_like_post, parse
from tests.suggest.conftest import fixture_text


def seed_selection(seed: Path) -> Selection:
    [selection] = parse_document(seed.read_text(encoding="utf-8"), name=seed.name)
    return selection


def test_seed_has_ten_ranked_picks_of_january_2021(seed: Path) -> None:
    s = seed_selection(seed)
    assert s.source == "zeta-alpha"
    assert s.month == "2021-01"
    assert s.title == "Best of arXiv — January 2021"
    assert [p.rank for p in s.picks] == list(range(1, 11))


def test_seed_titles_lose_nicknames_and_trailing_links(seed: Path) -> None:
    titles = {p.rank: p.title for p in seed_selection(seed).picks}
    assert titles[1] == "Learning Transferable Visual Models from Natural Language Supervision"
    assert titles[2] == "RepVGG: Making VGG-style ConvNets Great Again"
    assert titles[5] == "On the Dangers of Stochastic Parrots: Can Language Models Be Too Big?"
    # "| 👾 Code By Devendra ..." and "... Learning By Milad Nasr et al." share the title's line
    assert titles[7] == "End-to-End Training of Neural Retrievers for Open-Domain Question Answering"
    assert titles[8] == "Adversary Instantiation: Lower Bounds for Differentially Private Machine Learning"
    assert titles[9] == "GENIE: A Leaderboard for Human-in-the-loop Evaluation of Text"
    assert titles[10] == "Asymmetric Self-Play for Automatic Goal Discovery in Robotic Manipulation"
    assert not any("|" in t or "Code" in t or "(" in t for t in titles.values())


def test_seed_authors_from_own_line_or_title_line(seed: Path) -> None:
    authors = {p.rank: p.authors for p in seed_selection(seed).picks}
    assert authors[1] == ["Alec Radford", "Jong Wook Kim"]
    assert authors[3] == ["Tianyu Gao", "Adam Fisch", "Danqi Chen"]
    assert authors[5] == ["Emily M. Bender", "T. Gebru", "A. McMillan-Major", "Ss Shmitchell"]
    assert authors[7] == ["Devendra Singh Sachan"]
    assert authors[8] == ["Milad Nasr"]
    assert authors[10] == ["OpenAI"]  # "By OpenAI et al. (requested citation format from paper)"


def test_seed_blurbs_hold_why_and_key_insights_without_captions_or_outro(seed: Path) -> None:
    picks = {p.rank: p for p in seed_selection(seed).picks}
    one = picks[1].blurb
    assert one.startswith("OpenAI papers always make a lot of noise")
    assert "Key insights: The main gist of this work" in one
    assert "2. Meticulously engineer training" in one  # the nested list stays in the blurb...
    assert "Source:" not in one  # ...the figure captions do not
    assert picks[3].blurb.startswith("we won’t be deploying GPT-3")  # "🎖Why:" with a colon
    assert picks[7].blurb.startswith("unlike the previous paper")  # "🎖 Why →" with a space
    assert "Where to find it" not in picks[9].blurb
    ten = picks[10].blurb  # everything on one line
    assert ten.startswith("Self-play applied to robotic manipulation.")
    assert "Key insights: The paper presents the task of robotic manipulation" in ten
    assert "Our packed monthly selection" not in ten and "Twitter" not in ten
    assert all(len(p.blurb) > 200 for p in picks.values())


def test_nested_numbered_lists_are_not_picks(seed: Path) -> None:
    s = seed_selection(seed)
    assert not any(p.title.startswith(("Curate", "Meticulously", "Show how", "An initial")) for p in s.picks)


@pytest.mark.parametrize("name", ["zeta-alpha-2021-01.html", "zeta-alpha-2021-01.md"])
def test_html_and_markdown_posts_read_like_the_text(name: str) -> None:
    [s] = parse_document(fixture_text(name), name=name)
    assert (s.source, s.month, s.title) == ("zeta-alpha", "2021-01", "Best of arXiv — January 2021")
    picks = {p.rank: p for p in s.picks}
    assert sorted(picks) == [1, 2, 3, 4, 5, 6]
    assert picks[1].title == "Learning Transferable Visual Models from Natural Language Supervision"
    assert picks[1].authors == ["Alec Radford", "Jong Wook Kim"]
    assert picks[1].arxiv_id is None  # the post links OpenAI's PDF, not arXiv
    assert {lk["label"] for lk in picks[1].links} == {"title", "blog post", "code"}
    assert picks[2].arxiv_id == "2101.03697"
    assert picks[3].arxiv_id == "2012.15723"  # versioned abs link
    assert picks[4].arxiv_id == "2101.03961"  # pdf link
    assert picks[5].doi == "10.1145/3442188.3445922" and picks[5].arxiv_id is None
    assert picks[6].authors == ["Daniel Khashabi"]  # "By" inside the heading
    assert picks[1].blurb.startswith("A contrastive image-text model")
    assert "Key insights:" in picks[1].blurb and "Source:" not in picks[1].blurb
    assert picks[2].blurb.startswith("plain networks are back")
    assert "Follow us" not in picks[6].blurb and "Where to find it" not in picks[6].blurb


def test_html_nested_ordered_list_is_indented_not_a_pick() -> None:
    blocks = html_blocks(fixture_text("zeta-alpha-2021-01.html"))
    nested = [b for b in blocks if b.text.startswith("2. Train both encoders")]
    assert nested and nested[0].indent > 0
    assert looks_like_post(blocks)


def test_month_override_and_plain_numbered_text_is_not_a_post() -> None:
    text = "Shopping\n1. Eggs\n2. Milk\n"
    assert not looks_like_post(text_blocks(text))
    blocks = markdown_blocks(fixture_text("zeta-alpha-2021-01.md"))
    assert parse(blocks).month == "2021-01"
    [s] = parse_document(fixture_text("zeta-alpha-2021-01.md"), name="x.md", month="2021-02")
    assert s.month == "2021-02"
