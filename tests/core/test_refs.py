"""Reading arXiv references in the forms people paste."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from readlist.core.errors import BadInput
from readlist.core.refs import ArxivRef, arxiv_ref_in, bare_arxiv_ref, find_arxiv_ref, parse_arxiv_ref, split_version


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2101.03961", ArxivRef("2101.03961")),
        ("2101.03961v2", ArxivRef("2101.03961", "v2")),
        ("arXiv:2101.03961", ArxivRef("2101.03961")),
        ("arxiv: 2101.03961v3", ArxivRef("2101.03961", "v3")),
        ("  2101.03961\n", ArxivRef("2101.03961")),
        ("https://arxiv.org/abs/2012.15723v2", ArxivRef("2012.15723", "v2")),
        ("http://www.arxiv.org/abs/2012.15723", ArxivRef("2012.15723")),
        ("https://export.arxiv.org/abs/2012.15723", ArxivRef("2012.15723")),
        ("https://arxiv.org/pdf/2101.08751.pdf", ArxivRef("2101.08751")),
        ("https://arxiv.org/pdf/2101.08751v1", ArxivRef("2101.08751", "v1")),
        ("https://arxiv.org/pdf/2101.08751v1.pdf", ArxivRef("2101.08751", "v1")),
        ("arxiv.org/abs/2101.08751?context=cs", ArxivRef("2101.08751")),
        ("https://arxiv.org/html/2101.08751v2/", ArxivRef("2101.08751", "v2")),
        ("https://huggingface.co/papers/2101.03961", ArxivRef("2101.03961")),
        ("hep-th/9711200", ArxivRef("hep-th/9711200")),
        ("hep-th/9711200v3", ArxivRef("hep-th/9711200", "v3")),
        ("arXiv:hep-th/9711200", ArxivRef("hep-th/9711200")),
        ("https://arxiv.org/abs/hep-th/9711200", ArxivRef("hep-th/9711200")),
        ("math.GT/0309136", ArxivRef("math.GT/0309136")),
        ("0704.0001", ArxivRef("0704.0001")),
        ("1412.9999", ArxivRef("1412.9999")),
        ("1501.00001", ArxivRef("1501.00001")),
    ],
)
def test_accepted_forms(text: str, expected: ArxivRef) -> None:
    assert find_arxiv_ref(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "not-an-id",
        "2101.0396",  # too short after 2015
        "1412.12345",  # five digits before 2015
        "2113.00001",  # month 13
        "0703.0001",  # before new-style ids existed
        "2101.03961v0",
        "https://example.com/paper",
        "https://example.com/abs/2101.03961",
        "foo-bar/9711200",  # not an old archive
        "hep-th/971120",
        "hep-th/1311200",  # old style ended in 2007
        "2101.03961 2101.03697",
    ],
)
def test_rejected_forms(text: str) -> None:
    assert find_arxiv_ref(text) is None
    with pytest.raises(BadInput, match="not an arXiv reference"):
        parse_arxiv_ref(text)


new_style = st.builds(
    lambda yy, mm, num, v: (f"{yy:02d}{mm:02d}.{num:05d}", f"v{v}" if v else None),
    st.integers(15, 99),
    st.integers(1, 12),
    st.integers(0, 99999),
    st.integers(0, 20),
)


@given(new_style, st.sampled_from(["{}", "arXiv:{}", "https://arxiv.org/abs/{}", "https://arxiv.org/pdf/{}.pdf"]))
def test_every_valid_new_style_id_round_trips(id_version: tuple[str, str | None], form: str) -> None:
    arxiv_id, version = id_version
    ref = find_arxiv_ref(form.format(arxiv_id + (version or "")))
    assert ref == ArxivRef(arxiv_id, version)
    assert find_arxiv_ref(ref.query_id) == ref


@given(st.text(max_size=40))
def test_arbitrary_text_never_crashes(text: str) -> None:
    ref = find_arxiv_ref(text)
    assert ref is None or find_arxiv_ref(ref.query_id) == ref


def test_split_version_of_entry_ids() -> None:
    assert split_version("http://arxiv.org/abs/2101.03961v3") == ArxivRef("2101.03961", "v3")
    assert split_version("http://arxiv.org/abs/hep-th/9711200v2") == ArxivRef("hep-th/9711200", "v2")
    assert split_version("2101.03961") == ArxivRef("2101.03961")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see https://arxiv.org/abs/2101.03961v2 for details", "2101.03961v2"),
        ("[Paper](https://arxiv.org/pdf/2101.03961.pdf)", "2101.03961"),
        ("https://huggingface.co/papers/2406.12345", "2406.12345"),
        ("arXiv preprint arXiv:1706.03762", "1706.03762"),
        ("doi = {10.48550/arXiv.2101.03961}", "2101.03961"),
        ("arXiv math/0307200v3", "math/0307200v3"),
        ("https://arxiv.org/abs/hep-th/9711200", "hep-th/9711200"),
        ("arXiv:2113.00001 is not a month", None),  # month 13
        ("no id here, just arxiv.org", None),
    ],
)
def test_arxiv_ref_in_text(text: str, expected: str | None) -> None:
    ref = arxiv_ref_in(text)
    assert (ref.query_id if ref else None) == expected


def test_bare_ids_stand_alone() -> None:
    assert bare_arxiv_ref("read 2101.03961 today") == ArxivRef("2101.03961")
    assert bare_arxiv_ref("v1.2101.03961 and /x/2101.03961") is None


def test_finding_ids_in_a_hostile_megabyte_is_linear() -> None:
    line = "arxiv" + " " * 1_000_000 + "x " + "arxiv:" * 100_000 + "1" * 100_000
    started = time.process_time()
    assert arxiv_ref_in(line) is None and bare_arxiv_ref(line) is None
    assert time.process_time() - started < 1.0
