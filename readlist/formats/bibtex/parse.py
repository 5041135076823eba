"""Reading ``.bib`` text: entries with their type, key and every field as written.

A small hand scanner, linear in the file and never recursive (readlist's own
rules for outside text), that reads what BibTeX reads:

* ``@type{key, name = value, ...}`` and ``@type(key, ...)``; names are kept as
  written (``archivePrefix``), types lower-cased (BibTeX ignores their case);
* values in braces or quotes, numbers, ``@string`` macros and ``#``
  concatenation. Macros are resolved; a month (``month = sep``) or a macro the
  file never defines stays a bare macro, as BibTeX styles expect;
* braces are counted the way BibTeX counts them (a backslash does not escape
  a brace); nesting deeper than :data:`~readlist.formats.bibtex.latex.MAX_DEPTH` is
  refused with the entry's line;
* ``@comment``, ``@preamble`` and text between entries (JabRef's ``%``
  lines too) are counted, not kept: readlist keeps papers, not files.

Values are cleaned at this boundary (:mod:`readlist.core.clean`): fields that
hold prose on several lines (:data:`MULTILINE`, plus the notes field) keep
their line breaks; every other field becomes one line with single spaces, as
BibTeX itself reads it.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Collection, Iterable, Iterator
from dataclasses import dataclass, field

from readlist.core.clean import clean_line, clean_text
from readlist.formats.bibtex.latex import MAX_DEPTH

MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MULTILINE = frozenset(("abstract", "annote", "annotation", "note", "comment", "review"))

_AT_TYPE = re.compile(r"[ \t\r\n]*([A-Za-z][A-Za-z0-9_\-]*)[ \t\r\n]*([{(])")
_SPACE = re.compile(r"[ \t\r\n]*")
_INDENT = re.compile(r"[ \t]*")
_NAME = re.compile(r"[^\s\"#%'(),={}]+")
_NUMBER = re.compile(r"[0-9]+")
_BRACES = re.compile(r"[{}]")
_QUOTED = re.compile(r'[{}"]')
# The usual field, read in one match: name = {text, braces at most two deep} | "text" | 123, then , or the end.
_FIELD_FAST = re.compile(
    r"[ \t\r\n]*([^\s\"#%'(),={}]+)[ \t\r\n]*=[ \t\r\n]*"
    r'(?:\{((?:[^{}]++|\{[^{}]*+\})*+)\}|"([^"{}]*+)"|([0-9]++))[ \t\r\n]*([,})])'
)
# What readlist.core.clean removes or replaces, but newline and tab (handled field by field).
_UNCLEAN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# A key is every character but whitespace, comma, braces and % (BibTeX and biber agree); ")" also ends
# the key of an entry opened with "(".
_KEY_END = {"}": re.compile(r"[,\s{}%]"), ")": re.compile(r"[,\s{}%)]")}
# A line that starts a new entry ("@type{" or "@type("): it ends the entry before it, even an unclosed one.
# Found as "@type{" with nothing but spaces and tabs before it on its line (a pattern that begins with "@" is
# searched for fast; one that begins with "^" is tried at every character).
_ENTRY_AT = re.compile(r"@[ \t]*[A-Za-z][A-Za-z0-9_\-]*[ \t]*[{(]")


def _entry_lines(text: str, offset: int = 0) -> list[int]:
    """Where the ``@`` of each line that starts an entry is (plus ``offset``); ``text`` begins a line."""
    found = []
    rfind = text.rfind
    last, line = -1, 0  # the last "@type{" seen (-1: none yet), the start of its line
    for m in _ENTRY_AT.finditer(text):
        at = m.start()
        newline = rfind("\n", max(last, 0), at)  # bounded by the last one: linear even on one long line
        if newline >= 0:
            line = newline + 1
        elif last >= 0:  # on the line of the last one, which stands before it
            last = at
            continue
        last = at
        if line == at or not text[line:at].strip(" \t"):
            found.append(offset + at)
    return found


class BibSyntaxError(ValueError):
    """The file is not BibTeX: ``line`` (1-based) and ``head`` name the block that is broken."""

    def __init__(self, line: int, head: str, reason: str, short: bool = False) -> None:
        super().__init__(reason)
        self.line = line
        self.head = head
        self.reason = reason
        self.short = short
        """Whether the block ran into the end of the text held (a file read in pieces: more may close it)."""


@dataclass(slots=True)
class BibEntry:
    """One entry as written: type (lower case), key, fields in file order."""

    type: str
    key: str
    fields: dict[str, str]
    """Field name as written -> its text (macros resolved), or a BibTeX expression if the name is in ``bare``."""
    bare: list[str] = field(default_factory=list)
    """Fields whose value is kept as an expression of bare macros (``month = sep``, ``sep # {~1}``)."""
    line: int = 0
    duplicate_fields: list[str] = field(default_factory=list)
    span: tuple[int, int] = (0, 0)
    """Where the entry is in the file's text: its ``@`` to just after its closing brace."""
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)
    """Field name -> where its value's text is (inside the braces or quotes), for single-part values, in the
    order of the file."""
    _lower: dict[str, str] = field(default_factory=dict, repr=False, compare=False)

    def get(self, name: str) -> str | None:
        """The text of a field, whatever the case of its name (None if absent or a bare macro)."""
        found = self.name(name)
        if found is None or found in self.bare:
            return None
        return self.fields[found]

    def name(self, name: str) -> str | None:
        """The field's name as written in this entry (any case), or None."""
        if name in self.fields:
            return name
        if len(self._lower) != len(self.fields):
            self._lower = {written.lower(): written for written in reversed(list(self.fields))}
        return self._lower.get(name.lower())


@dataclass
class Skipped:
    """An entry BibTeX could not read, left out so that the rest of the file is read."""

    line: int
    key: str
    reason: str


@dataclass
class BibFile:
    entries: list[BibEntry] = field(default_factory=list)
    """The entries read (none when a callback took each as it was read: see :func:`parse_bibtex`)."""
    read: int = 0
    """How many entries were read."""
    text: str = ""
    """The text read, which :attr:`BibEntry.span` points into ("" when read in pieces: :func:`parse_pieces`)."""
    skipped: list[Skipped] = field(default_factory=list)
    """Broken entries: each ends where the next line starting ``@type{`` begins."""
    strings: int = 0
    preambles: int = 0
    comments: int = 0


def parse_bibtex(
    text: str, multiline: Collection[str] = MULTILINE, on_entry: Callable[[BibEntry], None] | None = None
) -> BibFile:
    """Every entry of a .bib text; a broken entry is skipped (:attr:`BibFile.skipped`) and the rest read.

    ``on_entry`` takes each entry as it is read, instead of :attr:`BibFile.entries` keeping them all (a large
    file's entries need not all be alive at once)."""
    return _Scanner(text, frozenset(n.lower() for n in multiline), on_entry).run()


@dataclass
class Window:
    """The part of a file read in pieces (:func:`parse_pieces`) that is held now."""

    text: str = ""
    """The text held: while an entry is handed over, its :attr:`BibEntry.span` points into it."""
    base: int = 0
    """Where ``text`` begins in the file's whole text."""
    keep: int | None = None
    """The first position in the file's whole text that the taker of the entries still needs (None: none)."""
    clean: bool = False
    """True when no text read so far holds a control character (but tab and newline), a line or paragraph
    separator or a bidi control: then none needs looking for in an entry."""
    plain: bool = False
    """Set by the giver of the pieces: True when it knows that none given so far holds such a character."""


def parse_pieces(
    pieces: Iterable[str],
    window: Window,
    multiline: Collection[str] = MULTILINE,
    on_entry: Callable[[BibEntry], None] | None = None,
) -> BibFile:
    """Every entry of a .bib text given in pieces, each beginning at the start of a line: the same entries,
    skipped entries, counts and messages as :func:`parse_bibtex` of the pieces joined, without holding the
    whole text. The text before the block being read and before ``window.keep`` is let go as the scan goes on;
    only a block that reads on past the next line starting an entry (an ``@comment`` never closed, say) makes
    it hold more."""
    scanner = _Scanner("", frozenset(n.lower() for n in multiline), on_entry, iter(pieces), window)
    return scanner.run()


_MIN_READ = 1 << 17
"""The fewest characters a scan of pieces asks for when it needs more (it asks for as many as it holds, too)."""


class _Scanner:
    def __init__(
        self,
        text: str,
        multiline: frozenset[str],
        on_entry: Callable[[BibEntry], None] | None,
        pieces: Iterator[str] | None = None,
        window: Window | None = None,
    ) -> None:
        self.text = text
        self.n = len(text)
        self.multiline = multiline
        self.strings: dict[str, str] = {}
        self.result = BibFile(text=text)
        self.take = on_entry if on_entry is not None else self.result.entries.append
        self.counted = (0, 1)  # (a position, its line): lines are counted on from the last position asked for
        self.block = 0  # start of the block being read, for errors
        self.key = ""  # the key of the entry being read, for errors
        self.value_span: tuple[int, int] | None = None  # where the last single-part value's text is
        # Where each line that starts an entry begins: no block reads past the next one.
        self.entry_lines = _entry_lines(text)
        self.unclean = _UNCLEAN.search(text) is not None  # once: most files need no cleaning field by field
        # Each field name as written, kept once for the whole file, with its lower case and whether its
        # value keeps its line breaks.
        self.names: dict[str, tuple[str, str, bool]] = {}
        self.pieces = pieces  # what is left of a file read in pieces (None: ``text`` is the whole file)
        self.eof = pieces is None
        self.window = window if window is not None else Window(text)
        self.window.clean = not self.unclean
        self.shared: dict[str, str] = {}  # each short value (a year, "arXiv", a type) kept once for the whole file

    # -- positions and errors ---------------------------------------------------

    def line_of(self, pos: int) -> int:
        """The line (1-based) of a position. Entries are read in order, so counting on from the last position
        asked for keeps the scan linear without a list of every line's start (a large file has millions)."""
        last, line = self.counted
        if pos >= last:
            line += self.text.count("\n", last, pos)
        else:  # back to the block being read, from the next entry an error message named
            line -= self.text.count("\n", pos, last)
        self.counted = (pos, line)
        return line

    def fail(self, reason: str, short: bool = False) -> BibSyntaxError:
        end = self.text.find("\n", self.block)
        head = " ".join(self.text[self.block : end if end >= 0 else self.n].split())[:60]
        return BibSyntaxError(self.line_of(self.block), head, reason, short)

    def skip_space(self, i: int) -> int:
        m = _SPACE.match(self.text, i)
        return m.end() if m else i

    # -- blocks -------------------------------------------------------------------

    def run(self) -> BibFile:
        text = self.text
        pos = 0
        line_start, commented, started = 0, False, False
        while True:
            at = text.find("@", pos)
            if at < 0:
                if self.eof:
                    break
                moved = self.more(pos)
                text, pos, line_start = self.text, pos - moved, line_start - moved
                continue
            newline = text.rfind("\n", pos, at)  # bounded by pos: the whole scan stays linear
            if newline >= 0 or not started:
                started = True
                line_start = newline + 1 if newline >= 0 else text.rfind("\n", 0, at) + 1
                indent = _INDENT.match(text, line_start)
                commented = indent is not None and text.startswith("%", indent.end())
            if commented and at > line_start:  # a commented-out line (JabRef, hand-kept files)
                pos = at + 1
                continue
            following = bisect.bisect_right(self.entry_lines, at)
            if following == len(self.entry_lines) and not self.eof:  # read on to the next entry's line
                moved = self.more(pos)
                text, pos, line_start = self.text, pos - moved, line_start - moved
                continue
            m = _AT_TYPE.match(text, at + 1)
            if m is None:
                pos = at + 1  # an @ in the text between entries (an e-mail address)
                continue
            self.block = at
            self.key = ""
            kind = m[1].lower()
            kind = self.shared.setdefault(kind, kind)
            close = "}" if m[2] == "{" else ")"
            next_entry = self.entry_lines[following] if following < len(self.entry_lines) else len(text)
            try:
                pos = self.block_at(kind, m.end(), close, next_entry)
            except BibSyntaxError as exc:
                if exc.short and not self.eof and kind in ("comment", "preamble", "string"):
                    # Not closed in the text held, which ends before the file does: read it again with more.
                    self.uncount(kind)
                    self.more(None)
                    text = self.text
                    self.n = len(text)
                    continue
                self.result.skipped.append(Skipped(exc.line, self.key or f"@{kind}", exc.reason))
                pos = next_entry  # a line that starts an entry ends the broken one
            self.n = len(text)
        return self.result

    def more(self, pos: int | None) -> int:
        """Read on in the pieces: at least as much text again as is held, so that the whole scan stays linear.
        The text before ``pos`` (None: none) and before what the taker keeps is let go first; returns how far
        positions moved back. At the end of the pieces, :attr:`eof` is set."""
        assert self.pieces is not None
        window = self.window
        text = self.text
        drop = 0
        if pos is not None:
            drop = pos if window.keep is None else max(0, min(pos, window.keep - window.base))
        if drop:
            line = self.line_of(drop)
            self.counted = (0, line)
            self.entry_lines = [p - drop for p in self.entry_lines if p >= drop]
            self.block = max(0, self.block - drop)
        parts = [text[drop:]] if drop < len(text) else []
        held = len(text) - drop
        wanted = max(held, _MIN_READ)
        added = 0
        for piece in self.pieces:
            self.entry_lines += _entry_lines(piece, held + added)
            if not self.unclean and not window.plain:
                self.unclean = _UNCLEAN.search(piece) is not None
                window.clean = not self.unclean
            parts.append(piece)
            added += len(piece)
            if added >= wanted:
                break
        else:
            self.eof = True
        self.text = parts[0] if len(parts) == 1 else "".join(parts)
        self.n = len(self.text)
        window.text = self.text
        window.base += drop
        return drop

    def uncount(self, kind: str) -> None:
        """Take back the count of a block that is read again."""
        if kind == "comment":
            self.result.comments -= 1
        elif kind == "preamble":
            self.result.preambles -= 1
        else:
            self.result.strings -= 1

    def block_at(self, kind: str, i: int, close: str, next_entry: int) -> int:
        if kind == "comment":  # may hold whole entries, commented out: only the file's end bounds it
            self.result.comments += 1
            return self.skip_group(i, close) if close == "}" else self.skip_line(i)
        if kind == "preamble":
            self.result.preambles += 1
            _, i = self.value(i, {})
            return self.expect_close(i, close)
        if kind == "string":
            self.result.strings += 1
            return self.string(i, close)
        self.n = next_entry
        return self.entry(kind, i, close)

    def limit(self) -> str:
        """What cuts a block short: the file's end, or the next line that starts an entry."""
        if self.n >= len(self.text) and self.eof:
            return "the end of the file"
        return f"the next entry (line {self.line_of(self.n)})"

    def ends(self) -> str:
        return "the file ends" if self.n >= len(self.text) and self.eof else f"{self.limit()} begins"

    def skip_line(self, i: int) -> int:
        end = self.text.find("\n", i)
        return self.n if end < 0 else end + 1

    def skip_group(self, i: int, close: str) -> int:
        """Past the matching brace of a group whose ``{`` ends just before ``i``."""
        _, after = self.braced(i - 1)
        return after

    def expect_close(self, i: int, close: str) -> int:
        i = self.skip_space(i)
        if i < self.n and self.text[i] == close:
            return i + 1
        raise self.fail(f"expected {close!r} to end it", short=i >= self.n)

    def string(self, i: int, close: str) -> int:
        i = self.skip_space(i)
        m = _NAME.match(self.text, i)
        if m is None:
            raise self.fail("an @string needs a name", short=i >= self.n)
        i = self.skip_space(m.end())
        if i >= self.n or self.text[i] != "=":
            raise self.fail(f"expected '=' after @string {m[0]}", short=i >= self.n)
        parts, i = self.value(i + 1, self.strings)
        self.strings[m[0].lower()] = "".join(text for is_macro, text in parts if not is_macro)
        return self.expect_close(i, close)

    def entry(self, kind: str, i: int, close: str) -> int:
        text = self.text
        i = self.skip_space(i)
        m = _KEY_END[close].search(text, i, self.n)
        end = m.start() if m else self.n
        key = clean_line(text[i:end]).strip().replace("\\", "-")  # a backslash would run TeX in a .bbl
        self.key = key
        i = self.skip_space(end)
        entry = BibEntry(type=kind, key=key, fields={}, line=self.line_of(self.block))
        seen: set[str] = set()
        if i < self.n and text[i] == ",":
            i += 1
        elif i < self.n and text[i] == close:
            entry.span = (self.block, i + 1)
            self.result.read += 1
            self.take(entry)
            return i + 1
        else:
            raise self.fail("expected ',' after the citation key")
        fast = _FIELD_FAST.match
        names = self.names
        fields, spans, n = entry.fields, entry.spans, self.n
        while True:
            m = fast(text, i, n)
            if m is not None:
                written, braced, quoted, number, after = m.groups()
                if after == "," or after == close:  # one field, braces at most two deep
                    known = names.get(written)
                    if known is None:
                        lowered = written.lower()
                        known = names[written] = (written, lowered, lowered in self.multiline)
                    name, lowered, multiline = known
                    if lowered in seen:
                        entry.duplicate_fields.append(name)
                    else:
                        seen.add(lowered)
                        if braced is not None:
                            fields[name] = self.tidy(braced, multiline)
                            spans[name] = m.span(2)
                        elif quoted is not None:
                            fields[name] = self.tidy(quoted, multiline)
                            spans[name] = m.span(3)
                        else:
                            fields[name] = self.tidy(number, multiline)
                            spans[name] = m.span(4)
                    i = m.end()
                    if after == close:
                        break
                    continue
            i = self.skip_space(i)
            if i >= self.n:
                raise self.fail(f"{self.ends()} inside the entry (a missing {close!r})")
            if text[i] == close:
                i += 1
                break
            m = _NAME.match(text, i, self.n)
            if m is None:
                raise self.fail(f"expected a field name, found {text[i]!r}")
            name = m[0]
            i = self.skip_space(m.end())
            if i >= self.n or text[i] != "=":
                raise self.fail(f"expected '=' after the field name {name!r}")
            parts, i = self.value(i + 1, self.strings)
            lowered = name.lower()
            if lowered in seen:
                entry.duplicate_fields.append(name)  # BibTeX keeps the first and warns
            else:
                seen.add(lowered)
                self.store(entry, name, parts, lowered in self.multiline)
                if self.value_span is not None:
                    entry.spans[name] = self.value_span
            i = self.skip_space(i)
            if i < self.n and text[i] == ",":
                i += 1
            elif i < self.n and text[i] == close:
                i += 1
                break
            else:
                raise self.fail(f"expected ',' or {close!r} after the field {name!r}")
        entry.span = (self.block, i)
        self.result.read += 1
        self.take(entry)
        return i

    def tidy(self, value: str, multiline: bool) -> str:
        if multiline:
            return clean_text(value) if self.unclean else value
        value = " ".join((clean_line(value) if self.unclean else value).split())
        return self.shared.setdefault(value, value) if len(value) <= 8 else value

    def store(self, entry: BibEntry, name: str, parts: list[tuple[bool, str]], multiline: bool) -> None:
        def tidy(value: str) -> str:
            return self.tidy(value, multiline)

        merged: list[tuple[bool, str]] = []
        for is_macro, value in parts:
            if not is_macro and merged and not merged[-1][0]:
                merged[-1] = (False, merged[-1][1] + value)
            else:
                merged.append((is_macro, value))
        if len(merged) == 1 and not merged[0][0]:
            entry.fields[name] = tidy(merged[0][1])
            return
        entry.bare.append(name)
        entry.fields[name] = " # ".join(value if is_macro else "{" + tidy(value) + "}" for is_macro, value in merged)

    # -- values ---------------------------------------------------------------------

    def value(self, i: int, strings: dict[str, str]) -> tuple[list[tuple[bool, str]], int]:
        """The parts of a value: (is a bare macro, text); defined macros resolved to text."""
        text = self.text
        parts: list[tuple[bool, str]] = []
        self.value_span = None
        while True:
            i = self.skip_space(i)
            if i >= self.n:
                raise self.fail("the file ends where a value was expected", short=True)
            c = text[i]
            if c == "{":
                content, after = self.braced(i)
                parts.append((False, content))
                span = (i + 1, after - 1)
                i = after
            elif c == '"':
                content, after = self.quoted(i)
                parts.append((False, content))
                span = (i + 1, after - 1)
                i = after
            else:
                m = _NUMBER.match(text, i, self.n) or _NAME.match(text, i, self.n)
                if m is None:
                    raise self.fail(f"expected a value, found {c!r}")
                word = m[0]
                span = m.span()
                i = m.end()
                if word.isdigit():
                    parts.append((False, word))
                elif word.lower() in strings:
                    parts.append((False, strings[word.lower()]))
                else:
                    parts.append((True, word.lower() if word.lower() in MONTHS else word))
            i = self.skip_space(i)
            if i < self.n and text[i] == "#":
                i += 1
                continue
            self.value_span = span if len(parts) == 1 and not parts[0][0] else None
            return parts, i

    def braced(self, i: int) -> tuple[str, int]:
        """The text inside the brace group opening at ``i``, and the index after it."""
        depth = 0
        for m in _BRACES.finditer(self.text, i, self.n):
            if m[0] == "{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise self.fail(f"braces nested more than {MAX_DEPTH} deep")
            else:
                depth -= 1
                if depth == 0:
                    return self.text[i + 1 : m.start()], m.end()
        raise self.fail(
            f"a '{{' is never closed before {self.limit()} (BibTeX counts every brace, even after a backslash)",
            short=True,
        )

    def quoted(self, i: int) -> tuple[str, int]:
        depth = 0
        for m in _QUOTED.finditer(self.text, i + 1, self.n):
            c = m[0]
            if c == "{":
                depth += 1
                if depth > MAX_DEPTH:
                    raise self.fail(f"braces nested more than {MAX_DEPTH} deep")
            elif c == "}":
                depth -= 1
                if depth < 0:
                    raise self.fail("a '}' closes nothing inside a quoted value")
            elif depth == 0:
                return self.text[i + 1 : m.start()], m.end()
        raise self.fail(f'a quoted value is never closed before {self.limit()} (a missing ")', short=True)
