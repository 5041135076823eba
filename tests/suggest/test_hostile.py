"""Curated documents written by an attacker: long lines of markup openers, deep nesting, odd attributes.

Every parser must read a 1 MB hostile line in linear time (issue 11: <= 1 s for
the Markdown inline parser), and deep nesting or a strange attribute gives a
one-line error or is read as text, never a RecursionError or a traceback.
Timings are this process's CPU time, taken a second time when over the bound, so a busy
machine does not fail them.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable

import pytest

from readlist.core.errors import BadInput
from readlist.sources.blocks import _md_inline, html_blocks, markdown_blocks, text_blocks
from readlist.sources.detect import parse_document

MB = 1_000_000
OPENERS = ["*a ", "**a ", "_a ", "a_", "[", "](", "[](", "[a](", "![", "`", "``a", "<a", "<", "<http://a", "\\"]


def line_of(pattern: str) -> str:
    return pattern * (MB // len(pattern))


def timed(work: Callable[[], object], bound: float) -> float:
    """CPU seconds the work took (other processes' load does not count); a second try when over the bound."""
    best = float("inf")
    for _ in range(2):
        start = time.process_time()
        with contextlib.suppress(BadInput):
            work()
        best = min(best, time.process_time() - start)
        if best <= bound:
            break
    return best


@pytest.mark.parametrize("pattern", OPENERS)
def test_a_megabyte_of_openers_parses_in_a_second(pattern: str) -> None:
    line = line_of(pattern)
    assert timed(lambda: _md_inline(line), 1.0) <= 1.0
    row = "| 1) " + line + " | [Paper](https://arxiv.org/abs/2101.03961) |"
    assert timed(lambda: markdown_blocks(row), 1.0) <= 1.0


@pytest.mark.parametrize("pattern", ["*a ", "_a ", "[](", "<a", "`", "a ", "| ", " By A", "2101.03961 "])
@pytest.mark.parametrize("shape", ["markdown", "text", "html", "weekly", "zeta"])
def test_every_parser_reads_a_hostile_megabyte_in_linear_time(pattern: str, shape: str) -> None:
    line = line_of(pattern)
    documents = {
        "markdown": ("x.md", line),
        "text": ("x.txt", line),
        "html": ("x.html", "<p>" + line + "</p>"),
        "weekly": (
            "x.md",
            "## Top ML Papers of the Week (Jan 1 - Jan 7) - 2024\n| 1) "
            + line
            + " | [Paper](https://arxiv.org/abs/2401.00001) |",
        ),
        "zeta": ("x.md", "1. Title" + line + "\nBy A B\nWhy → x\n2. T\nBy C\nWhy → y\n"),
    }
    name, text = documents[shape]
    assert timed(lambda: parse_document(text, name=name, month="2024-01"), 3.0) <= 3.0


def test_the_markdown_inline_parser_still_reads_markup() -> None:
    text, links, bold = _md_inline(
        r"**Bold** and *em* `co*de*` snake_case \* [Paper](https://arxiv.org/abs/2101.03961 "
        '"t") <br> <https://x.org/a> ![img](i.png) Q\\&A &amp;'
    )
    assert text == "Bold and em co*de* snake_case * Paper  https://x.org/a  Q&A &"  # 3+ spaces become 2
    assert bold == ["Bold"]
    assert [(lk.text, lk.url) for lk in links] == [
        ("Paper", "https://arxiv.org/abs/2101.03961"),
        ("https://x.org/a", "https://x.org/a"),
    ]


def test_deep_html_nesting_is_one_line_bad_input() -> None:
    deep = "<html><body>" + "<div>" * 100_000 + "x" + "</div>" * 100_000 + "</body></html>"
    with pytest.raises(BadInput, match="nested more than"):
        html_blocks(deep)
    with pytest.raises(BadInput, match="nested more than"):
        parse_document(deep, name="deep.html")


def test_deep_nesting_from_the_command_line(cli, tmp_path, no_builtin) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "deep.html"
    page.write_text("<p>" + "<span>" * 50_000 + "x", encoding="utf-8")
    result = cli("pull", "--from", str(page))
    assert result.code == 2 and "Traceback" not in result.err
    assert len(result.err.strip().splitlines()) == 1


@pytest.mark.parametrize("start", ["x", "", "-3", "99999999999999999999999", "1e9", " 7 "])
def test_ol_start_attribute_of_any_kind(start: str) -> None:
    blocks = html_blocks(f'<ol start="{start}"><li>first</li><li>second</li></ol>')
    numbers = [b.text.split(".", 1)[0] for b in blocks]
    expected = int(start) if start.strip().lstrip("-").isdigit() and len(start.strip()) <= 6 else 1
    assert numbers == [str(expected), str(expected + 1)]


def test_huge_documents_are_refused() -> None:
    with pytest.raises(BadInput, match="larger than 20 MB"):
        parse_document("a" * 20_000_001, name="huge.txt")


def test_text_lines_keep_links_but_lose_long_runs_of_spaces() -> None:
    [block] = text_blocks("Title" + " " * 100 + "https://arxiv.org/abs/2101.03961")
    assert block.text == "Title  https://arxiv.org/abs/2101.03961"
    assert block.links[0].url == "https://arxiv.org/abs/2101.03961"
