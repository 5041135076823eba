"""Zeta Alpha's monthly posts ("Best of arXiv", later "Trends in AI"), as text, Markdown or HTML.

A post is a numbered list of picks. Each pick has a title line ("1. Title
(Nickname) | ✍️ Blog Post | 👾 Code"), an author line ("By A, B et al.", on
its own line or on the title's), then the curator's "🎖Why →" and
"💡Key insights →" paragraphs (arrow or colon, with or without a space after
the emoji), sometimes all on one line. Nested numbered lists inside the
insights are not picks: a pick has an author line or a Why right after it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from readlist.core.month import Month
from readlist.sources.blocks import Block, Link
from readlist.sources.model import RawPick, Selection
from readlist.sources.text import (
    arxiv_id_in,
    clean_title,
    compact,
    doi_in,
    split_authors,
    strip_emoji,
    tokens,
)

SOURCE = "zeta-alpha"

_PICK = re.compile(r"^(\d{1,2})\s*[.)]\s+(\S.*)$")
_ARROW = r"\s*(?:→|->|⟶|:|—|–)\s*"
_WHY = re.compile(r"(?:🎖\ufe0f?\s*)?\bWhy\b" + _ARROW)
_INSIGHTS = re.compile(r"(?:💡\s*)?\bKey\s+insights?\b" + _ARROW, re.IGNORECASE)
_OTHER_LABEL = re.compile(r"(?:🔗|📌|👉)\s*[^→:]{0,40}(?:→|:)")
_MARKERS = re.compile(f"(?P<why>{_WHY.pattern})|(?P<ins>{_INSIGHTS.pattern})|(?P<other>{_OTHER_LABEL.pattern})", re.I)
_BY_LINE = re.compile(r"^By\s+\S")
_INLINE_BY = re.compile(r"(?<!\s)\s+By\s+(?=[A-Z])")  # (?<!\s): tried once per run of spaces
_OUTRO = re.compile(
    r"^(our (packed )?monthly selection|that'?s (it|all)|references:|©|\(c\) ?\d{4})|"
    r"\b(follow us|subscribe to|see you (soon|next)|next (month'?s )?selection)\b",
    re.IGNORECASE,
)
_CAPTION = re.compile(r"\bSource:\s*(\S.{0,80})?$")
_LINK_LABEL = re.compile(r"^(blog( post)?|code|demo|website|paper|video|project( page)?|dataset|github|slides)$", re.I)


def looks_like_post(blocks: Sequence[Block]) -> bool:
    """Numbered picks with author lines or Why paragraphs."""
    return len(_pick_starts(blocks, strict=True)) >= 2


def parse(blocks: Sequence[Block], *, url: str | None = None) -> Selection:
    starts = _pick_starts(blocks, strict=True) or _pick_starts(blocks, strict=False)
    head = blocks[: starts[0]] if starts else blocks
    title = next((b.text for b in head if b.kind == "h"), "") or next(
        (b.text for b in head if re.search(r"best of arxiv|trends in ai", b.text, re.I)), ""
    )
    month = Month.named_in(title) or next((m for b in head if (m := Month.named_in(b.text))), None)
    if month is None:
        month = next((m for b in blocks if (m := Month.named_in(b.text))), None)
    picks = []
    for n, start in enumerate(starts):
        end = starts[n + 1] if n + 1 < len(starts) else len(blocks)
        picks.append(_pick(blocks[start:end]))
    return Selection(
        SOURCE, month.key if month else None, picks, title=strip_emoji(title), url=url, format="zeta-alpha"
    )


def _pick_starts(blocks: Sequence[Block], *, strict: bool) -> list[int]:
    starts = []
    expected = 1
    for i, block in enumerate(blocks):
        if block.indent > 0 or block.kind == "row":
            continue
        m = _PICK.match(block.text)
        if not m or int(m.group(1)) != expected:
            continue
        if strict and not _has_pick_body(blocks, i):
            continue
        starts.append(i)
        expected += 1
    return starts


def _has_pick_body(blocks: Sequence[Block], i: int) -> bool:
    if _INLINE_BY.search(blocks[i].text) or _WHY.search(blocks[i].text):
        return True
    after = blocks[i + 1 : i + 4]
    if any(_BY_LINE.match(b.text) for b in after):
        return True
    return any(_WHY.search(b.text) for b in blocks[i + 1 : i + 5])


def _pick(section: Sequence[Block]) -> RawPick:
    first = section[0]
    m = _PICK.match(first.text)
    assert m is not None
    rank, head = int(m.group(1)), m.group(2)
    marker = _MARKERS.search(head)
    rest = head[marker.start() :] if marker else ""
    head = head[: marker.start()] if marker else head

    authors: list[str] = []
    by = list(_INLINE_BY.finditer(head))
    if by:
        authors = split_authors(head[by[-1].end() :])
        head = head[: by[-1].start()]
    body = list(section[1:])
    if not authors:
        for j, block in enumerate(body[:3]):
            if _BY_LINE.match(block.text):
                author_text = block.text
                inline_marker = _MARKERS.search(author_text)
                if inline_marker:
                    rest = (rest + " " if rest else "") + author_text[inline_marker.start() :]
                    author_text = author_text[: inline_marker.start()]
                authors = split_authors(author_text)
                del body[j]
                break

    title = clean_title(head)
    links = _links(section, title)
    arxiv_id = next((a for lk in links if (a := arxiv_id_in(lk["url"]))), None)
    doi = next((d for lk in links if (d := doi_in(lk["url"]))), None)
    title_link = next((lk["url"] for lk in links if lk.get("label") == "title"), None)
    texts = ([rest] if rest else []) + [b.text if b.indent == 0 else b.text.strip() for b in body]
    return RawPick(
        rank=rank,
        title=title,
        authors=authors,
        blurb=_blurb(texts),
        links=links,
        arxiv_id=arxiv_id,
        doi=doi,
        url=title_link,
    )


def _links(section: Sequence[Block], title: str) -> list[dict[str, str]]:
    """The pick's links: its title link first, then "Code", "Blog Post"... (not links inside the blurb)."""
    out: list[dict[str, str]] = []
    seen: set[str] = set()
    head_links: list[Link] = list(section[0].links)
    for block in section[1:3]:
        if _BY_LINE.match(block.text):
            head_links += block.links
    title_key = compact(title)
    for link in head_links:
        label = strip_emoji(link.text)
        if link.url in seen or not link.url.startswith(("http://", "https://")):
            continue
        seen.add(link.url)
        text_key = compact(label)
        if text_key and title_key and (text_key in title_key or title_key in text_key) and len(text_key) > 8:
            out.insert(0, {"label": "title", "url": link.url})
        elif _LINK_LABEL.match(label):
            out.append({"label": label.lower(), "url": link.url})
        elif arxiv_id_in(link.url) or doi_in(link.url):
            out.append({"label": "paper", "url": link.url})
    if out and out[0]["label"] != "title" and out[0]["label"] == "paper":
        out[0]["label"] = "title"
    return out


def _blurb(texts: list[str]) -> str:
    """The Why paragraph, then the Key insights paragraphs, without captions, labels or the outro."""
    why: list[str] = []
    insights: list[str] = []
    current: list[str] | None = None
    for text in texts:
        if _OUTRO.search(text) and current is not None and not _MARKERS.match(text):
            break
        pieces = _split_markers(text)
        for kind, piece in pieces:
            if kind == "why":
                current = why
            elif kind == "ins":
                current = insights
            elif kind == "other":
                current = None
            piece = piece.strip()
            if not piece or current is None:
                continue
            if _OUTRO.search(piece) and kind is None:
                current = None
                break
            if _CAPTION.search(piece) and len(tokens(piece)) < 40:
                continue  # a figure caption ("... Source: ...")
            current.append(piece)
    parts = []
    if why:
        parts.append("\n\n".join(why))
    if insights:
        parts.append("Key insights: " + "\n\n".join(insights))
    return "\n\n".join(parts)


def _split_markers(text: str) -> list[tuple[str | None, str]]:
    """A text cut at its Why / Key insights / other labels: [(label kind or None, text after it)]."""
    out: list[tuple[str | None, str]] = []
    last = 0
    kind: str | None = None
    for m in _MARKERS.finditer(text):
        if m.start() > last or kind is not None:
            out.append((kind, text[last : m.start()]))
        kind = m.lastgroup if m.lastgroup in ("why", "ins", "other") else None
        last = m.end()
    out.append((kind, text[last:]))
    return [(k, t) for k, t in out if k is not None or t.strip()]
