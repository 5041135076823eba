"""Text, Markdown and HTML as one shape: a list of blocks (lines, paragraphs, list items, table rows).

Each block keeps its visible text, its links, its indentation (nested list
items are indented) and its kind, so a parser reads a Zeta Alpha post the same
way whether it was saved as text, Markdown or HTML.
"""

from __future__ import annotations

import functools
import html as html_lib
import re
import string
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from readlist.core.errors import BadInput

if TYPE_CHECKING:
    from lxml.html import HtmlElement

_URL = re.compile(r"https?://[^\s<>()\[\]|\"']+[^\s<>()\[\]|\"'.,;:!?]")


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


_RUN_OF_SPACES = re.compile(r"\s{3,}")
MAX_CELLS = 64
"""A table row with more cells than this is read as a line of text."""


def _squeeze(text: str) -> str:
    """Runs of three or more spaces as two: two still part a title from its blurb, and no pattern that
    reads the text later can backtrack over a long run of them."""
    return _RUN_OF_SPACES.sub("  ", text) if "   " in text or "\t" in text else text


def text_blocks(text: str) -> list[Block]:
    """Plain text: one block per non-blank line; bare URLs become links."""
    blocks = []
    for raw in text.splitlines():
        line = raw.rstrip().replace("\t", "    ")
        if not line.strip():
            continue
        indent = len(line) - len(line.lstrip())
        stripped = _squeeze(line.strip())
        links = [Link(m.group(0), m.group(0)) for m in _URL.finditer(stripped)]
        blocks.append(Block(stripped, links, indent=indent))
    return blocks


def _md_inline(text: str) -> tuple[str, list[Link], list[str]]:
    """Markdown inline markup to text, links and bold phrases, in one linear pass (see :class:`_Inline`)."""
    scanner = _InlineScanner(text)
    plain, bold = scanner.render()
    plain = _squeeze(plain)
    links = scanner.links
    known = {link.url for link in links}
    for m in _URL.finditer(plain):
        if m.group(0) not in known:
            links.append(Link(m.group(0), m.group(0)))
    return plain, links, bold


_ESCAPABLE = frozenset(string.punctuation)
_SPACE = re.compile(r"\s")
MAX_MARKS = 10_000
"""A line with more emphasis marks (or link brackets) than this is not prose: they are read as text."""


@functools.cache
def _special(links: bool, tags: bool, emphasis: bool) -> re.Pattern[str]:
    """The characters that may start markup, given what is still possible on the line."""
    chars = "\\\\`" + ("*_" if emphasis else "") + ("\\[!" if links else "") + ("<" if tags else "")
    return re.compile(f"[{chars}]")


_SPACE_KIND, _PUNCT_KIND, _WORD_KIND = 0, 1, 2
_ASCII_KINDS = tuple(
    _SPACE_KIND if chr(c).isspace() else _PUNCT_KIND if not chr(c).isalnum() else _WORD_KIND for c in range(128)
)


def _kind(char: str) -> int:
    """Whitespace, punctuation or a word character, as CommonMark's flanking rules need."""
    code = ord(char)
    if code < 128:
        return _ASCII_KINDS[code]
    return _SPACE_KIND if char.isspace() else _WORD_KIND if char.isalnum() else _PUNCT_KIND


class _Next:
    """Where a character (or any whitespace) next occurs at or after a position, searched once per stretch.

    Queries come at growing positions, so a search resumes past the last
    answer and every character is looked at a bounded number of times.
    """

    def __init__(self, text: str, char: str | None) -> None:
        self.text = text
        self.char = char  # None: any whitespace
        self.found = -1  # the last answer...
        self.asked = 0  # ...for a query at this position
        self.none_from = len(text) + 1  # nothing at or after this position

    def at(self, pos: int) -> int:
        """The first occurrence at or after ``pos``, or -1."""
        if pos >= self.none_from:
            return -1
        if self.asked <= pos <= self.found:
            return self.found
        if self.char is None:
            m = _SPACE.search(self.text, pos)
            found = m.start() if m else -1
        else:
            found = self.text.find(self.char, pos)
        if found < 0:
            self.none_from = pos
        else:
            self.found, self.asked = found, pos
        return found


_HREF = re.compile(r"""\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)


class _InlineScanner:
    """One line of Markdown read left to right once: escapes, code spans, links, autolinks, tags, emphasis.

    Plain text is skipped with one regex search to the next special character.
    Emphasis follows CommonMark's delimiter runs (left- and right-flanking)
    with one stack of openers per character, so a closer only looks at the top
    of its stack. A link's text ends at the first ``]`` after its ``[`` (no
    nested brackets). The next ``]``, ``)``, ``>``, ``<``, ``"`` and
    whitespace are remembered and each ``](`` is read once, so a line of a
    million ``[`` or ``](`` is still read in linear time.
    """

    def __init__(self, text: str, *, links: bool = True) -> None:
        self.text = text
        self.allow_links = links and text.count("[") <= MAX_MARKS
        self.tags_possible = True  # False once no ">" is left
        self.emphasis = text.count("*") + text.count("_") <= MAX_MARKS
        self.links: list[Link] = []
        self.pieces: list[str] = []
        self.delims: dict[int, list[int]] = {}  # piece index -> [unmatched count] of a * or _ run
        self.strong: list[tuple[int, int]] = []  # (opener piece, closer piece) of each **strong** pair
        self._next = {c: _Next(text, c) for c in '])><"'}
        self._space = _Next(text, None)
        self._targets: dict[int, tuple[str, int] | None] = {}  # "(" position -> (url, end) or None
        self._code_runs: dict[int, tuple[int, int]] | None = None
        self._anchor: tuple[str, int] | None = None  # an open HTML <a href>: (url, its first piece)

    def render(self) -> tuple[str, list[str]]:
        """The plain text and the **bold** phrases."""
        self._scan()
        pieces = self.pieces
        for index, (count,) in self.delims.items():
            pieces[index] = pieces[index][:count]  # unmatched delimiters stay as text
        joined = "".join(pieces)
        bold = []
        if self.strong:
            offsets = [0]
            for piece in pieces:
                offsets.append(offsets[-1] + len(piece))
            for opener, closer in self.strong:
                phrase = " ".join(html_lib.unescape(joined[offsets[opener + 1] : offsets[closer]]).split())
                if phrase:
                    bold.append(phrase)
        return html_lib.unescape(joined), bold

    def _scan(self) -> None:
        text = self.text
        n = len(text)
        stacks: dict[str, list[int]] = {"*": [], "_": []}
        literal_from = 0
        i = 0
        while True:
            m = _special(self.allow_links, self.tags_possible, self.emphasis).search(text, i)
            if m is None:
                break
            i = m.start()
            char = text[i]
            handled: int | None = None  # the position after what was handled here
            if char == "\\":
                if i + 1 < n and text[i + 1] in _ESCAPABLE:
                    self._literal(literal_from, i)
                    self.pieces.append(text[i + 1])
                    handled = i + 2
            elif char == "`":
                handled = self._code(i, literal_from)
                if handled < 0:  # unmatched backticks are text
                    i = -handled
                    continue
            elif char in "*_":
                handled = self._delimiter(i, literal_from, stacks)
                if handled < 0:  # a run that neither opens nor closes is text
                    i = -handled
                    continue
            elif char == "[":
                if self.allow_links:
                    handled = self._link(i, i, literal_from, image=False)
            elif char == "!":
                if self.allow_links and i + 1 < n and text[i + 1] == "[":
                    handled = self._link(i + 1, i, literal_from, image=True)
            else:  # "<"
                handled = self._angle(i, literal_from)
            if handled is None:
                i += 1
            else:
                i = literal_from = handled
        self._literal(literal_from, n)

    def _literal(self, start: int, end: int) -> None:
        if end > start:
            self.pieces.append(self.text[start:end])

    # -- code spans: a run of N backticks up to the next run of exactly N -----

    def _runs(self) -> dict[int, tuple[int, int]]:
        """Each backtick run's start -> (its length, the start of its closing run or -1)."""
        text = self.text
        out: dict[int, tuple[int, int]] = {}
        pending: dict[int, int] = {}  # run length -> start of an unclosed run
        i = text.find("`")
        while i >= 0:
            j = i + 1
            while j < len(text) and text[j] == "`":
                j += 1
            length = j - i
            out[i] = (length, -1)
            if length in pending:
                out[pending.pop(length)] = (length, i)
            else:
                pending[length] = i
            i = text.find("`", j)
        return out

    def _code(self, i: int, literal_from: int) -> int:
        """The position after a code span; negated (past the backticks) when they open none."""
        if self._code_runs is None:
            self._code_runs = self._runs()
        length, closing = self._code_runs.get(i, (1, -1))
        if closing < 0:
            return -(i + length)  # text: the caller goes on past it
        self._literal(literal_from, i)
        inner = self.text[i + length : closing]
        if len(inner) > 2 and inner[0] == " " and inner[-1] == " ":
            inner = inner[1:-1]
        self.pieces.append(inner)
        return closing + length

    # -- emphasis ------------------------------------------------------------

    def _delimiter(self, i: int, literal_from: int, stacks: dict[str, list[int]]) -> int:
        """The position after a run of ``*`` or ``_``; negated when the run is plain text."""
        text = self.text
        n = len(text)
        char = text[i]
        j = i + 1
        while j < n and text[j] == char:
            j += 1
        before = _kind(text[i - 1]) if i else _SPACE_KIND
        after = _kind(text[j]) if j < n else _SPACE_KIND
        left = after != _SPACE_KIND and (after == _WORD_KIND or before != _WORD_KIND)
        right = before != _SPACE_KIND and (before == _WORD_KIND or after != _WORD_KIND)
        if char == "*":
            can_open, can_close = left, right
        else:
            can_open = left and (not right or before == _PUNCT_KIND)
            can_close = right and (not left or after == _PUNCT_KIND)
        stack = stacks[char]
        if not can_open and not (can_close and stack):
            return -j
        pieces = self.pieces
        if i > literal_from:
            pieces.append(text[literal_from:i])
        index = len(pieces)
        pieces.append(text[i:j])
        count = [j - i]
        self.delims[index] = count
        if can_close:
            while count[0] and stack:
                opener_index = stack[-1]
                opener = self.delims[opener_index]
                use = 2 if opener[0] >= 2 and count[0] >= 2 else 1
                opener[0] -= use
                count[0] -= use
                if use == 2:
                    self.strong.append((opener_index, index))
                if opener[0] == 0:
                    stack.pop()
        if can_open and count[0]:
            stack.append(index)
        return j

    # -- links, images, autolinks and inline HTML -----------------------------

    def _link(self, i: int, start: int, literal_from: int, *, image: bool) -> int | None:
        """``[text](url "title")`` with its ``[`` at i (``![...]`` from ``start``); None when it is not one."""
        text = self.text
        close = self._next["]"].at(i + 1)
        if close < 0:
            self.allow_links = False  # no "]" is left: no "[" from here on starts a link
            return None
        if close + 1 >= len(text) or text[close + 1] != "(":
            return None
        if close + 1 not in self._targets:
            self._targets[close + 1] = self._target(close + 1)
        target = self._targets[close + 1]
        if target is None:
            return None
        url, end = target
        self._literal(literal_from, start)
        if not image:
            label, _ = _InlineScanner(text[i + 1 : close], links=False).render()
            self.links.append(Link(label, url))
            self.pieces.append(label)
        return end

    def _skip_blanks(self, pos: int) -> int:
        text = self.text
        while pos < len(text) and text[pos] in " \t":
            pos += 1
        return pos

    def _target(self, paren: int) -> tuple[str, int] | None:
        """The ``(url "title")`` opening at ``paren``: (url, the position after its ``)``), or None."""
        text = self.text
        n = len(text)
        pos = self._skip_blanks(paren + 1)
        if pos < n and text[pos] == "<":
            end = self._next[">"].at(pos + 1)
            if end < 0:
                return None
            url = text[pos + 1 : end]
            pos = self._skip_blanks(end + 1)
        else:
            end = self._next[")"].at(pos)
            if end < 0:
                return None
            space = self._space.at(pos)
            if 0 <= space < end:
                end = space
            url = text[pos:end]
            pos = self._skip_blanks(end)
        if pos < n and text[pos] == '"':
            quote = self._next['"'].at(pos + 1)
            if quote < 0:
                return None
            pos = self._skip_blanks(quote + 1)
        if pos >= n or text[pos] != ")" or not url or _SPACE.search(url):
            return None
        return url, pos + 1

    def _angle(self, i: int, literal_from: int) -> int | None:
        """``<https://...>`` (an autolink) or an inline HTML tag (dropped; ``<br>`` is a space)."""
        text = self.text
        end = self._next[">"].at(i + 1)
        if end < 0:
            self.tags_possible = False  # no ">" is left: no "<" from here on starts a tag
            return None
        other = self._next["<"].at(i + 1)
        if 0 <= other < end:
            return None
        inner = text[i + 1 : end]
        if inner.startswith(("http://", "https://")):
            space = self._space.at(i + 1)
            if 0 <= space < end:
                return None
            self._literal(literal_from, i)
            self.links.append(Link(inner, inner))
            self.pieces.append(inner)
            return end + 1
        name = inner[1:] if inner.startswith("/") else inner
        if not name[:1].isascii() or not name[:1].isalpha() or "\n" in inner:
            return None
        self._literal(literal_from, i)
        if name[:2].lower() == "br" and (len(name) == 2 or not name[2].isalnum()):
            self.pieces.append(" ")
        elif name[:1].lower() == "a" and (len(name) == 1 or not name[1].isalnum()):
            self._html_anchor(inner)
        return end + 1

    def _html_anchor(self, inner: str) -> None:
        """HTML inside Markdown: ``<a href="URL">text</a>`` is a link, as ``[text](URL)`` is."""
        if inner.startswith("/"):
            if self._anchor is not None:
                url, first = self._anchor
                label = " ".join(html_lib.unescape("".join(self.pieces[first:])).replace("*", "").split())
                self.links.append(Link(label or url, url))
                self._anchor = None
            return
        m = _HREF.search(inner)
        if m is not None:
            url = html_lib.unescape(m[1] or m[2] or "")
            if url.startswith(("http://", "https://")):
                self._anchor = (url, len(self.pieces))


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
        heading = _heading(stripped) or _html_heading(stripped)
        if heading is not None:
            level, inner = heading
            content, links, bold = _md_inline(inner)
            blocks.append(Block(content, links, kind="h", level=level, bold=bold))
            continue
        if stripped.startswith("|") and 2 <= stripped.count("|") <= MAX_CELLS + 1:
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


_HTML_HEADING = re.compile(r"<h([1-6])(?:\s[^<>]*)?>(.*)</h\1\s*>", re.IGNORECASE)


def _html_heading(line: str) -> tuple[int, str] | None:
    """HTML inside Markdown: a line that is one ``<h2 align='center'>Title</h2>`` is a heading."""
    m = _HTML_HEADING.fullmatch(line) if line[:2].lower() == "<h" else None
    return (int(m[1]), m[2]) if m is not None else None


def _heading(line: str) -> tuple[int, str] | None:
    """``## Title ##`` as (2, "Title"); None when the line is not an ATX heading."""
    level = len(line) - len(line.lstrip("#"))
    if not 1 <= level <= 6 or (len(line) > level and line[level] not in " \t"):
        return None
    inner = line[level:].strip()
    closing = inner.rstrip("#")
    if closing != inner and (not closing or closing[-1] in " \t"):
        inner = closing.rstrip()
    return level, inner


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
    try:
        _walk(root, blocks, depth=0, nesting=0)
    except RecursionError:  # a guard below should come first; this is the last wall
        raise BadInput(f"this HTML page is nested more than {MAX_HTML_DEPTH} elements deep") from None
    return [b for b in blocks if b.text or b.cells]


MAX_HTML_DEPTH = 200
"""Elements nested deeper than this are not a page readlist reads (lxml itself stops at 255)."""


def _deeper(nesting: int) -> int:
    if nesting >= MAX_HTML_DEPTH:
        raise BadInput(f"this HTML page is nested more than {MAX_HTML_DEPTH} elements deep")
    return nesting + 1


class _Inline:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.links: list[Link] = []
        self.bold: list[str] = []


def _clean(text: str) -> str:
    return " ".join(text.split())


def _walk(element: HtmlElement, blocks: list[Block], depth: int, nesting: int) -> None:
    nesting = _deeper(nesting)
    tag = _tag(element)
    if tag in _SKIP_TAGS:
        return
    if tag == "tr":
        cells = []
        for child in element:
            if _tag(child) in ("td", "th"):
                inline = _Inline()
                _collect(child, inline, nesting)
                cells.append(Block(_clean("".join(inline.parts)), inline.links, kind="cell", bold=inline.bold))
        if cells and not all(_tag(c) == "th" for c in element):
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
        number = _list_start(element.get("start")) if tag == "ol" else 0
        for child in element:
            if _tag(child) == "li":
                prefix = f"{number}. " if tag == "ol" else ""
                _emit_item(child, blocks, depth, prefix, nesting)
                number += 1
            else:
                _walk(child, blocks, depth + 1, nesting)
        return
    inline = _Inline()
    _flush_mixed(element, blocks, depth, inline, tag, nesting)


def _list_start(value: object) -> int:
    """An ``<ol start="...">`` as a number: 1 unless it is a whole number a list could start at."""
    text = value.strip() if isinstance(value, str) else ""
    if text.lstrip("-").isdigit() and len(text) <= 6:
        return int(text)
    return 1


def _emit_item(li: HtmlElement, blocks: list[Block], depth: int, prefix: str, nesting: int) -> None:
    inline = _Inline()
    inline.parts.append(prefix)
    _flush_mixed(li, blocks, depth, inline, "li", nesting, indent=depth * 2)


def _flush_mixed(
    element: HtmlElement, blocks: list[Block], depth: int, inline: _Inline, tag: str, nesting: int, indent: int = 0
) -> None:
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

    if element.text:
        inline.parts.append(element.text)
    for child in element:
        child_tag = _tag(child)
        if child_tag in _BLOCK_TAGS:
            flush()
            _walk(child, blocks, depth + (1 if child_tag in ("ol", "ul") else 0), nesting)
        elif child_tag == "br":
            inline.parts.append(" ")
        else:
            _collect(child, inline, nesting)
        if child.tail:
            inline.parts.append(child.tail)
    flush()


def _collect(element: HtmlElement, inline: _Inline, nesting: int) -> None:
    nesting = _deeper(nesting)
    tag = _tag(element)
    if tag in _SKIP_TAGS:
        return
    if tag == "img":
        return
    start = len(inline.parts)
    if element.text:
        inline.parts.append(element.text)
    for child in element:
        if _tag(child) == "br":
            inline.parts.append(" ")
        else:
            _collect(child, inline, nesting)
        if child.tail:
            inline.parts.append(child.tail)
    if tag == "a" and element.get("href"):
        inline.links.append(Link(_clean("".join(inline.parts[start:])), str(element.get("href")).strip()))
    if tag in ("b", "strong"):
        phrase = _clean("".join(inline.parts[start:]))
        if phrase:
            inline.bold.append(phrase)
    if tag in _BLOCK_TAGS or tag in ("td", "th"):
        inline.parts.append(" ")


def _tag(element: object) -> str:
    tag = getattr(element, "tag", "")
    return tag.lower() if isinstance(tag, str) else ""
