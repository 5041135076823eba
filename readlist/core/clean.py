"""Outside text made inert: the one place that decides which characters may be stored or shown.

Titles, abstracts, notes and links come from strangers (arXiv, a ``.bib``
file, a curated page, a hand-edited ``library.json``). A terminal obeys ESC,
the C1 controls (U+0080 to U+009F, among them CSI U+009B and OSC U+009D) and
BEL, so any of them in a title could clear the screen, retitle the window or
write the clipboard. Bidi overrides and isolates reorder what is shown around
them. Rich's ``strip_control_codes`` removes only BEL, BS, VT, FF and CR, so
readlist keeps its own table:

* :func:`clean_line` for one-line fields (title, author, tag, key, URL): every
  control character, newline and tab included, becomes a space; bidi
  controls are removed.
* :func:`clean_text` for multi-line fields (abstract, notes, blurb): the same,
  but newline and tab are kept and CR LF becomes LF.

Text is cleaned where it enters (stored clean) and again where it leaves (the
CLI, the TUI, every export), as a second wall for libraries written before.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# C0 controls, DEL and C1 controls; ESC (U+001B) and BEL (U+0007) are among them.
_CONTROLS = [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]
# Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): removed, not replaced.
_BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
# Line and paragraph separators end a line in some terminals and editors.
_SEPARATORS = [0x2028, 0x2029]

_LINE_TABLE: dict[int, str | None] = {c: " " for c in (*_CONTROLS, *_SEPARATORS)}
_LINE_TABLE.update(dict.fromkeys(_BIDI))
_TEXT_TABLE = dict(_LINE_TABLE)
_TEXT_TABLE[ord("\n")] = "\n"
_TEXT_TABLE[ord("\t")] = "\t"
_TEXT_TABLE[ord("\r")] = None  # CR LF -> LF; a lone CR would move the cursor back over the line

_UNSAFE = frozenset(chr(c) for c in (*_CONTROLS, *_SEPARATORS, *_BIDI))
_UNSAFE_IN_TEXT = _UNSAFE - {"\n", "\t"}


def clean_line(text: str) -> str:
    """One-line text with no control or bidi characters (each control becomes a space)."""
    if _UNSAFE.isdisjoint(text):
        return text
    return text.translate(_LINE_TABLE)


def clean_text(text: str) -> str:
    """Multi-line text: newlines and tabs kept, every other control and bidi character gone."""
    if _UNSAFE_IN_TEXT.isdisjoint(text):
        return text
    return text.replace("\r\n", "\n").translate(_TEXT_TABLE)


# In JSON text, every unsafe character but the white space JSON allows between tokens may be written
# as a \uXXXX escape, which a JSON reader turns back into the same string.
_JSON_ESCAPES = re.compile("[" + "".join(sorted(re.escape(c) for c in _UNSAFE - {"\n", "\t", "\r"})) + "]")


def inert_json(text: str) -> str:
    """JSON text with every control, bidi and separator character written as a ``\\uXXXX`` escape.

    The data stays exact (a JSON reader gets the same strings back) and the
    text is inert on a terminal. JSON writers escape C0 controls themselves;
    DEL, C1 controls, bidi controls and separators they may leave raw.
    """
    if _JSON_ESCAPES.search(text) is None:
        return text
    return _JSON_ESCAPES.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


# The same characters as raw UTF-8 bytes (JSON writers escape C0 controls, so only these can be raw).
_RAW_UNSAFE_UTF8 = re.compile(rb"\x7f|\xc2[\x80-\x9f]|\xe2(?:\x80[\xa8-\xae]|\x81[\xa6-\xa9])")


def _has_raw_unsafe(data: bytes) -> bool:
    """Whether UTF-8 bytes hold one of those characters raw (bytes.find of each lead byte: many times faster
    than a regex over a long text)."""
    if b"\x7f" in data:
        return True
    for lead in (b"\xc2", b"\xe2"):
        at = data.find(lead)
        while at >= 0:
            if _RAW_UNSAFE_UTF8.match(data, at) is not None:
                return True
            at = data.find(lead, at + 1)
    return False


def inert_json_bytes(data: bytes) -> bytes:
    """:func:`inert_json` for UTF-8 JSON bytes, without decoding them when nothing needs escaping."""
    if not _has_raw_unsafe(data):
        return data
    return inert_json(data.decode("utf-8")).encode("utf-8")


# In JSON text, a backslash that may begin an escape of a character that :func:`clean_text` changes (\b, \f,
# \r, or \u of a C0 control but newline and tab, DEL, a C1 control, a separator or a bidi control).
_ESCAPE_START = re.compile(rb"\\[bfru]")
_UNSAFE_CODE = re.compile(rb"00[01][0-9a-fA-F]|007[fF]|00[89][0-9a-fA-F]|202[89a-eA-E]|206[6-9]")


def json_is_clean(data: bytes) -> bool:
    """Whether UTF-8 JSON text holds no string that :func:`clean_text` would change, raw or escaped (one
    pass over the bytes instead of a check of every parsed string; False when unsure)."""
    if _has_raw_unsafe(data):
        return False
    for found in _ESCAPE_START.finditer(data):
        at = before = found.start()
        while before > 0 and data[before - 1] == 0x5C:  # the backslashes before it (each run is walked once)
            before -= 1
        if (at - before) % 2:
            continue  # an escaped backslash, then a letter
        if data[at + 1] != 0x75 or _UNSAFE_CODE.match(data, at + 2) is not None:  # not \u: \b, \f or \r
            return False
    return True


def is_clean(text: str, multiline: bool = True) -> bool:
    """Whether ``text`` holds nothing :func:`clean_text` (or :func:`clean_line`) would change."""
    return (_UNSAFE_IN_TEXT if multiline else _UNSAFE).isdisjoint(text)


MAX_DEPTH = 32
"""Nesting deeper than this in a stored record is not data readlist wrote."""


def clean_value(value: Any, multiline: frozenset[str] = frozenset(), _depth: int = 0) -> Any:
    """A JSON value with every string cleaned: keys in ``multiline`` with :func:`clean_text`, others one line.

    Raises ValueError for nesting deeper than :data:`MAX_DEPTH`.
    """
    if _depth > MAX_DEPTH:
        raise ValueError(f"nested more than {MAX_DEPTH} levels deep")
    if isinstance(value, str):
        return clean_line(value)
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            name = clean_line(str(key))
            if isinstance(item, str):
                out[name] = clean_text(item) if name in multiline else clean_line(item)
            else:
                out[name] = clean_value(item, multiline, _depth + 1)
        return out
    if isinstance(value, list):
        return [clean_value(item, multiline, _depth + 1) for item in value]
    return value


EXCERPT = 80
"""At most this many characters of a value are quoted in a message."""


def excerpt(value: Any, limit: int = EXCERPT) -> str:
    """A value quoted for a one-line message: its repr, at most ``limit`` characters of it, with ``…`` when cut.

    ``repr`` escapes every control, bidi and separator character, so the quote is
    inert on a terminal; a 1 MB string or a deeply nested list costs no more
    than a short one.
    """
    if isinstance(value, str):
        return repr(value[:limit]) + ("…" if len(value) > limit else "")
    import reprlib

    short = reprlib.Repr()
    short.maxlevel, short.maxstring, short.maxother = 3, limit, limit
    short.maxlist = short.maxdict = short.maxtuple = short.maxset = 8
    shown = short.repr(value)
    return clean_line(shown[:limit]) + ("…" if len(shown) > limit else "")
