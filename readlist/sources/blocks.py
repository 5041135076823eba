"""Text, Markdown and HTML as one shape: a list of blocks (lines, paragraphs, list items, table rows).

Each block keeps its visible text, its links, its indentation (nested list
items are indented) and its kind, so a parser reads a Zeta Alpha post the same
way whether it was saved as text, Markdown or HTML.
"""

from __future__ import annotations

import html as html_lib
import re
from dataclasses import dataclass, field

_URL = re.compile(r"https?://[^\s<>()\[\]|\"']+[^\s<>()\[\]|\"'.,;:!?]")
_MD_LINK = re.compile(r"(!?)\[([^\]]*)\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_MD_AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")


@dataclass
class Link:
    text: str
    url: str


@dataclass
class Block:
    text: str
    links: list[Link] = field(default_factory=list)
    indent: int = 0
    kind: str = "p"  # p, h (heading), li (list item), row (table row)
    level: int = 0  # heading level
    cells: list[Block] = field(default_factory=list)  # a table row's cells
    bold: list[str] = field(default_factory=list)  # strongly emphasised phrases (Markdown **x**, HTML <b>)


def looks_like_html(text: str) -> bool:
    head = text.lstrip()[:2000].lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or bool(
        re.search(r"<(html|body|article|p|div|h[1-6]|li|table)[\s>]", head)
    )


def text_blocks(text: str) -> list[Block]:
    """Plain text: one block per non-blank line; bare URLs become links."""
    blocks = []
    for raw in text.splitlines():
        line = raw.rstrip().replace("\t", "    ")
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        stripped = line.strip()
        links = [Link(m.group(0), m.group(0)) for m in _URL.finditer(stripped)]
        blocks.append(Block(stripped, links, indent=indent))
    return blocks


def _md_inline(text: str) -> tuple[str, list[Link], list[str]]:
    """Markdown inline markup to text, links and bold phrases."""
    links: list[Link] = []

    def link(m: re.Match[str]) -> str:
        if m.group(1):  # an image
            return ""
        label = _md_plain(m.group(2))
        links.append(Link(label, m.group(3)))
        return label

    def autolink(m: re.Match[str]) -> str:
        links.append(Link(m.group(1), m.group(1)))
        return m.group(1)

    text = _MD_LINK.sub(link, text)
    text = _MD_AUTOLINK.sub(autolink, text)
    known = {link.url for link in links}
    for m in _URL.finditer(text):
        if m.group(0) not in known:
            links.append(Link(m.group(0), m.group(0)))
    bold = [_md_plain(x) for pair in re.findall(r"\*\*(.+?)\*\*|__(.+?)__", text) for x in pair if x]
    text = re.sub(r"<br\s*/?>", " ", text)
    text = re.sub(r"</?[a-zA-Z][^>]*>", "", text)  # inline HTML tags
    return html_lib.unescape(_md_plain(text)), links, bold


def _md_plain(text: str) -> str:
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])", r"\1", text)
    text = re.sub(r"(?<!\w)_(?!\s)(.+?)(?<!\s)_(?!\w)", r"\1", text)
    text = re.sub(r"`([^`]*)`", r"\1", text)
    text = text.replace("\\|", "|")
    return re.sub(r"\\([\\`*_{}\[\]()#+\-.!>])", r"\1", text)


def markdown_blocks(text: str) -> list[Block]:
    """Markdown: headings, list items, table rows and paragraph lines as blocks."""
    blocks: list[Block] = []
    in_code = False
    for raw in text.splitlines():
        line = raw.rstrip().replace("\t", "    ")
        if line.lstrip().startswith("```"):
            in_code = not in_code
            continue
        if in_code or not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        stripped = line.strip()
        if stripped.startswith(">"):
            stripped = stripped.lstrip("> ").strip()
            if not stripped:
                continue
        if re.fullmatch(r"[-*_=]{3,}", stripped.replace(" ", "")):
            continue  # a rule or a setext underline
        m = re.match(r"(#{1,6})\s+(.*?)\s*#*$", stripped)
        if m:
            content, links, bold = _md_inline(m.group(2))
            blocks.append(Block(content, links, kind="h", level=len(m.group(1)), bold=bold))
            continue
        if stripped.startswith("|") and stripped.count("|") >= 2:
            cells_text = _split_row(stripped)
            if all(re.fullmatch(r":?-{2,}:?", c.strip()) for c in cells_text if c.strip()):
                continue  # the header separator
            cells = []
            for cell in cells_text:
                content, links, bold = _md_inline(cell.strip())
                cells.append(Block(content, links, kind="cell", bold=bold))
            row_text = " | ".join(c.text for c in cells)
            blocks.append(
                Block(
                    row_text,
                    [lk for c in cells for lk in c.links],
                    kind="row",
                    cells=cells,
                    bold=[b for c in cells for b in c.bold],
                )
            )
            continue
        kind = "p"
        m = re.match(r"[-*+•]\s+(.*)", stripped)
        if m:
            kind, stripped = "li", m.group(1)
        elif re.match(r"\d{1,3}[.)]\s", stripped):
            kind = "li"
        content, links, bold = _md_inline(stripped)
        if content:
            blocks.append(Block(content, links, indent=indent, kind=kind, bold=bold))
    return blocks


def _split_row(row: str) -> list[str]:
    inner = row.strip()
    inner = inner[1:] if inner.startswith("|") else inner
    inner = inner[:-1] if inner.endswith("|") and not inner.endswith("\\|") else inner
    return re.split(r"(?<!\\)\|", inner)


_BLOCK_TAGS = frozenset(
    "html body p div h1 h2 h3 h4 h5 h6 li blockquote figcaption pre section article header footer main "
    "tr td th dt dd ul ol table tbody thead aside nav figure".split()
)
_SKIP_TAGS = frozenset("script style noscript svg head template button form iframe".split())


def html_blocks(text: str) -> list[Block]:
    """HTML: one block per innermost block element, with its links and list depth."""
    from lxml import html as lxml_html

    try:
        root = lxml_html.document_fromstring(text.encode("utf-8"))
    except Exception:  # lxml raises several types for empty or broken documents
        return []
    blocks: list[Block] = []
    _walk(root, blocks, depth=0)
    return [b for b in blocks if b.text or b.cells]


class _Inline:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.links: list[Link] = []
        self.bold: list[str] = []


def _clean(text: str) -> str:
    return " ".join(text.split())


def _walk(element: object, blocks: list[Block], depth: int) -> None:
    tag = _tag(element)
    if tag in _SKIP_TAGS:
        return
    if tag == "tr":
        cells = []
        for child in element:  # type: ignore[attr-defined]
            if _tag(child) in ("td", "th"):
                inline = _Inline()
                _collect(child, inline)
                cells.append(Block(_clean("".join(inline.parts)), inline.links, kind="cell", bold=inline.bold))
        if cells and not all(_tag(c) == "th" for c in element):  # type: ignore[attr-defined]
            blocks.append(
                Block(
                    " | ".join(c.text for c in cells),
                    [lk for c in cells for lk in c.links],
                    kind="row",
                    cells=cells,
                    bold=[b for c in cells for b in c.bold],
                )
            )
        return
    if tag in ("ol", "ul"):
        start = int(element.get("start", "1") or 1) if tag == "ol" else 0  # type: ignore[attr-defined]
        number = start
        for child in element:  # type: ignore[attr-defined]
            if _tag(child) == "li":
                prefix = f"{number}. " if tag == "ol" else ""
                _emit_item(child, blocks, depth, prefix)
                number += 1
            else:
                _walk(child, blocks, depth + 1)
        return
    inline = _Inline()
    _flush_mixed(element, blocks, depth, inline, tag)


def _emit_item(li: object, blocks: list[Block], depth: int, prefix: str) -> None:
    inline = _Inline()
    inline.parts.append(prefix)
    _flush_mixed(li, blocks, depth, inline, "li", indent=depth * 2)


def _flush_mixed(element: object, blocks: list[Block], depth: int, inline: _Inline, tag: str, indent: int = 0) -> None:
    """Text directly inside ``element`` forms blocks between its block children."""
    kind = "h" if re.fullmatch(r"h[1-6]", tag) else ("li" if tag == "li" else "p")
    level = int(tag[1]) if kind == "h" else 0

    def flush() -> None:
        text = _clean("".join(inline.parts))
        if text:
            blocks.append(
                Block(text, list(inline.links), indent=indent, kind=kind, level=level, bold=list(inline.bold))
            )
        inline.parts.clear()
        inline.links.clear()
        inline.bold.clear()

    if element.text:  # type: ignore[attr-defined]
        inline.parts.append(element.text)  # type: ignore[attr-defined]
    for child in element:  # type: ignore[attr-defined]
        child_tag = _tag(child)
        if child_tag in _BLOCK_TAGS:
            flush()
            _walk(child, blocks, depth + (1 if child_tag in ("ol", "ul") else 0))
        elif child_tag == "br":
            inline.parts.append(" ")
        else:
            _collect(child, inline)
        if child.tail:
            inline.parts.append(child.tail)
    flush()


def _collect(element: object, inline: _Inline) -> None:
    tag = _tag(element)
    if tag in _SKIP_TAGS:
        return
    if tag == "img":
        return
    start = len(inline.parts)
    if element.text:  # type: ignore[attr-defined]
        inline.parts.append(element.text)  # type: ignore[attr-defined]
    for child in element:  # type: ignore[attr-defined]
        if _tag(child) == "br":
            inline.parts.append(" ")
        else:
            _collect(child, inline)
        if child.tail:
            inline.parts.append(child.tail)
    if tag == "a" and element.get("href"):  # type: ignore[attr-defined]
        inline.links.append(Link(_clean("".join(inline.parts[start:])), element.get("href").strip()))  # type: ignore[attr-defined]
    if tag in ("b", "strong"):
        phrase = _clean("".join(inline.parts[start:]))
        if phrase:
            inline.bold.append(phrase)
    if tag in _BLOCK_TAGS or tag in ("td", "th"):
        inline.parts.append(" ")


def _tag(element: object) -> str:
    tag = getattr(element, "tag", "")
    return tag.lower() if isinstance(tag, str) else ""
