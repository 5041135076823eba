"""Libraries built directly through Library (fast), for the export tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from readlist.core.config import load_settings
from readlist.core.library import Library
from readlist.core.models import Paper, Status

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def lib(home: Path) -> Library:
    return Library(load_settings())


def exported_both_ways(cli, kind: str, args: list[str], path: Path) -> tuple[str, str]:
    """An export's text as printed on stdout and as written to a file (``--out path``)."""
    printed = cli("export", kind, *args).out
    assert cli("export", kind, "--out", str(path), *args).code == 0
    return printed, path.read_text(encoding="utf-8")


def make_paper(paper_id: str, **fields) -> Paper:
    status = Status(fields.pop("status", "to-read"))
    when = fields.pop("added", "2026-01-05T10:00:00+00:00")
    read_on = fields.pop("read_on", None)
    paper = Paper(id=paper_id, added=when, **fields)
    paper.set_status(Status.TO_READ, when)
    if status is not Status.TO_READ:
        paper.set_status(status, read_on or "2026-02-01T09:00:00+00:00")
    return paper


@pytest.fixture
def save(lib: Library) -> Callable[..., Paper]:
    def put(paper_id: str, **fields) -> Paper:
        paper = make_paper(paper_id, **fields)
        lib._save(paper)
        return paper

    return put


def sample_papers() -> list[Paper]:
    """A small library with the characters that break naive exporters."""
    return [
        make_paper(
            "2101.03961",
            title="Switch Transformers: Scaling to Trillion Parameter Models with Simple and Efficient Sparsity",
            authors=["William Fedus", "Barret Zoph", "Noam Shazeer"],
            year=2021,
            version="v3",
            primary_category="cs.LG",
            url="https://arxiv.org/abs/2101.03961",
            pdf_url="https://arxiv.org/pdf/2101.03961v3",
            status="read",
            tags=["moe", "sparsity"],
            notes="Capacity factor 1.25 was enough. *Key*: top-1 routing.\n\n# A heading in my notes\n- a list",
            added="2026-01-03T08:00:00+00:00",
        ),
        make_paper(
            "2101.03697",
            title="RepVGG: Making VGG-style ConvNets Great Again",
            authors=["Xiaohan Ding", "Xiangyu Zhang"],
            year=2021,
            url="https://arxiv.org/abs/2101.03697",
            status="reading",
            tags=["vision"],
            notes="Re-param trick | pipes | and #hashes\n---\nnot front matter: yes",
            blurb="A clean re-parameterisation trick: train multi-branch, deploy a plain VGG.",
            source="best-of-arxiv",
            added="2026-01-04T08:00:00+00:00",
        ),
        make_paper(
            "hep-th/9711200",
            title="The Large N Limit of Superconformal Field Theories and Supergravity",
            authors=["Juan M. Maldacena"],
            year=1997,
            url="https://arxiv.org/abs/hep-th/9711200",
            added="2026-01-02T08:00:00+00:00",
        ),
        make_paper(
            "doi:10.1145/3442188.3445922",
            title='On the Dangers of "Stochastic Parrots": Can Language Models Be Too Big? 🦜',
            authors=["Emily M. Bender", "Timnit Gebru"],
            year=2021,
            doi="10.1145/3442188.3445922",
            url="https://doi.org/10.1145/3442188.3445922",
            journal_ref="FAccT '21",
            source="manual",
            tags=["ethics"],
            notes="- starts with a dash\n: and a colon\n'quoted' \"twice\"",
            added="2026-01-04T08:00:00+00:00",
        ),
    ]


@pytest.fixture
def sample(lib: Library) -> list[Paper]:
    papers = sample_papers()
    with lib._transaction() as tx:
        tx.put_papers({p.id: p.to_dict() for p in papers})
    return papers
