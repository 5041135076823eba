"""Any list or table that links arXiv papers, and plain lists of arXiv ids or URLs.

Each block (a line, a list item, a table row) that names an arXiv paper is one
pick, in document order. Its title is the link text when that is a title (not
"Paper" or a bare URL), else its bold phrase; the rest of the row is the blurb.
A document whose headings are months (``## 2024-07``, ``## July 2024``) and
holds picks under two or more of them is one selection per month
(:func:`parse_months`): the month is the group, as the curator wrote it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from readlist.core.errors import BadInput
from readlist.core.links import browsable
from readlist.core.month import Month
from readlist.sources.blocks import Block
from readlist.sources.model import RawPick, Selection
from readlist.sources.text import arxiv_id_in, bare_arxiv_id, compact, doi_in, strip_emoji

_GENERIC_LABEL = re.compile(
    r"^(paper|papers|arxiv|abs|pdf|link|here|read|tweet|thread|code|github|blog|html|hf|project|"
    r"arxiv\.org.*|https?://.*|\d{4}\.\d{4,5}(v\d+)?)$",
    re.IGNORECASE,
)


def arxiv_of(block: Block) -> str | None:
    for link in block.links:
        found = arxiv_id_in(link.url)
        if found:
            return found
    return arxiv_id_in(block.text) or bare_arxiv_id(block.text)


def looks_like_list(blocks: Sequence[Block]) -> bool:
    return any(arxiv_of(b) for b in blocks)


def parse(blocks: Sequence[Block], *, source: str, url: str | None = None, fmt: str = "list") -> Selection:
    picks: list[RawPick] = []
    seen: set[str] = set()
    for block in blocks:
        pick = pick_from(block, len(picks) + 1)
        if pick is None or pick.arxiv_id in seen:
            continue
        seen.add(pick.arxiv_id or "")
        picks.append(pick)
    heading = next((b.text for b in blocks if b.kind == "h"), "")
    month = Month.named_in(heading) or next((m for b in blocks[:10] if (m := Month.named_in(b.text))), None)
    return Selection(source, month.key if month else None, picks, title=heading, url=url, format=fmt)


def month_heading(block: Block) -> Month | None:
    """The month a heading is, whole ("2024-07", "July 2024"); None for any other block or heading."""
    if block.kind != "h" or len(block.text) > 40:
        return None
    try:
        return Month.parse(block.text.strip(" #*_:"))
    except (BadInput, ValueError):
        return None


def parse_months(
    blocks: Sequence[Block], *, source: str, url: str | None = None, fmt: str = "list"
) -> list[Selection] | None:
    """One selection per month heading, for a document whose headings are months and that holds picks under
    two or more of them; None for any other document (one selection, :func:`parse`).

    Picks before the first month heading are a selection of their own, dated by :func:`parse`'s rules."""
    marks = [(i, m) for i, b in enumerate(blocks) if (m := month_heading(b)) is not None]
    if len(marks) < 2:
        return None
    title = next((b.text for b in blocks[: marks[0][0]] if b.kind == "h"), "")
    selections: list[Selection] = []
    head = parse(blocks[: marks[0][0]], source=source, url=url, fmt=fmt)
    if head.picks:
        selections.append(head)
    for n, (start, month) in enumerate(marks):
        end = marks[n + 1][0] if n + 1 < len(marks) else len(blocks)
        section = parse(blocks[start + 1 : end], source=source, url=url, fmt=fmt)
        if section.picks:
            section.month, section.title = month.key, title or section.title
            selections.append(section)
    return selections if sum(1 for s in selections if s.month in {m.key for _, m in marks}) >= 2 else None


def pick_from(block: Block, rank: int) -> RawPick | None:
    arxiv_id = arxiv_of(block)
    if arxiv_id is None:
        return None
    title = ""
    paper_url = None
    links = []
    for link in block.links:
        label = strip_emoji(link.text).strip()
        if arxiv_id_in(link.url) == arxiv_id and paper_url is None:
            paper_url = link.url
            if label and not _GENERIC_LABEL.match(label) and len(label) > 3:
                title = label
        if browsable(link.url):
            links.append({"label": label.lower() if _GENERIC_LABEL.match(label) else "link", "url": link.url})
    if not title and block.bold:
        title = block.bold[0]
    text = block.cells[0].text if block.cells else block.text
    blurb = _blurb(text, title)
    if not title and blurb and not block.bold:
        # "2101.03961 Switch Transformers" or "Switch Transformers - https://arxiv.org/abs/..."
        candidate = re.split(r"\s+[-–—:]\s+|\.\s", blurb, maxsplit=1)[0]
        if 3 <= len(candidate.split()) <= 25:
            title, blurb = candidate, blurb[len(candidate) :].lstrip(" -–—:.")
    m = re.match(r"\s*(\d{1,3})\s*[.)]\s", text)
    return RawPick(
        rank=int(m.group(1)) if m else rank,
        title=title.strip(" *_:-–—"),
        blurb=blurb,
        links=links,
        arxiv_id=arxiv_id,
        doi=next((d for lk in block.links if (d := doi_in(lk.url))), None),
        url=paper_url or f"https://arxiv.org/abs/{arxiv_id}",
    )


def _blurb(text: str, title: str) -> str:
    text = strip_emoji(text)
    text = re.sub(r"https?://\S+", "", text)
    text = re.sub(r"\barXiv:\s*\S+", "", text, flags=re.IGNORECASE)
    text = re.sub(r"(?<![\w./])\d{4}\.\d{4,5}(v\d+)?(?![\w/])", "", text)
    text = " ".join(text.split())  # single spaces, so no pattern below backtracks over a run of them
    text = re.sub(r"^[-*•]? ?\d{1,3} ?[.)] ?", "", text)
    if title:
        idx = compact(text).find(compact(title))
        if idx == 0 and text.lower().startswith(title.lower()[:3]):
            text = text[len(title) :] if text[: len(title)].lower() == title.lower() else text
    text = re.sub(r"\s+", " ", text).strip(" -–—:|,;")
    return text
