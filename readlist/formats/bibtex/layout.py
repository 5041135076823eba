"""A .bib file's own layout, kept so that an unedited export of exactly its papers gives it back byte for byte.

Each imported entry keeps, in its origin (:attr:`readlist.core.models.Paper.origin`):

* ``layout``: the entry's text as written, with each field value that readlist
  stores unchanged replaced by its field's name between two U+E000 (a
  private-use character) marks (``title = {\ue000title\ue000}``), so the text is not stored twice; alignment,
  field order, case of names and line breaks are all in the text around them
  (one string per entry: a 10,000-entry library holds no more objects for it);
* ``file``: which file it came from (a digest of its bytes, its name), its
  place in it, how many entries the file gave, the key as written, and
  whether the file has blocks of its own (``blocks``);
* ``lead``: the text between the entry before it and this one (``%`` lines,
  ``@comment{jabref-meta: ...}``, ``@preamble``, ``@string``, blank lines),
  and on the last entry ``tail``, what follows it.

An export whose entries are exactly one file's writes those blocks back
(see :func:`readlist.formats.bibtex_export.export_bibtex`); any other export
leaves them out and says so. Text with control characters other than tab,
newline and carriage return keeps no layout: such an entry is written the
usual way.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from readlist.formats.bibtex.parse import BibEntry, Window

# C0 controls but tab, newline and carriage return; DEL; C1; line/paragraph separators; bidi overrides.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# A block that BibTeX reads outside an entry: its text goes into the .bbl (@preamble) or the fields (@string).
_BLOCK = re.compile(r"@[ \t]*(comment|preamble|string)[ \t]*[{(]", re.IGNORECASE)


def file_id(text: str) -> str:
    """A file's id: the digest of its text as UTF-8, taken a slice at a time (a large file is not encoded whole)."""
    digest = hashlib.sha256()
    step = 1 << 20
    for start in range(0, len(text), step):
        digest.update(text[start : start + step].encode("utf-8", "replace"))
    return digest.hexdigest()[:16]


class Layouts:
    """Each read entry's layout, its place in the file and the text around it, kept in its origin as the
    entries are read one by one (:meth:`keep`), then what only the whole file tells (:meth:`finish`).

    The text is the file's whole text, or the part of it held while it is read in pieces (a
    :class:`~readlist.formats.bibtex.parse.Window`, told to keep the text from the end of the last entry kept);
    ``ident`` (the file's id) may then be given once the file is read, before :meth:`finish`."""

    def __init__(self, text: str | Window, name: str, ident: str) -> None:
        self.window = Window(text) if isinstance(text, str) else text
        self.name = name
        self.ident = ident
        self.previous = 0
        """Where the last entry kept ends, in the file's whole text."""
        self.count = 0
        self.stopped = False
        self.window.keep = 0  # the text before the first entry is its lead

    def keep(self, entry: BibEntry, origin: dict[str, Any]) -> None:
        """Add to the origin of the next entry read (in the file's order) its layout and lead."""
        index = self.count
        self.count += 1
        if self.stopped:
            return
        start, end = entry.span
        if end <= start:
            self.stopped = True  # not read from this text: keep nothing more
            self.window.keep = None
            return
        text, base = self.window.text, self.window.base
        parts = layout(text, entry, self.window.clean)
        if parts is not None:
            origin["layout"] = parts
            origin["file"] = {"id": self.ident, "name": self.name, "index": index, "entries": 0, "key": entry.key}
            lead = text[self.previous - base : start]
            if lead:
                origin["lead"] = lead if self.window.clean else _clean(lead)
        self.previous = self.window.keep = base + end

    def finish(self, origins: list[dict[str, Any]]) -> None:
        """The count of entries read, the text after the last one, and whether the file has blocks of its own."""
        tail = self.window.text[self.previous - self.window.base :]
        if not self.stopped and origins and tail and "file" in origins[-1]:
            origins[-1]["tail"] = _clean(tail)
        blocks = not self.stopped and any(
            holds_blocks(str(o.get(around, ""))) for o in origins for around in ("lead", "tail")
        )
        for origin in origins:
            if "file" in origin:
                origin["file"]["id"] = self.ident
                origin["file"]["entries"] = self.count
                if blocks:
                    origin["file"]["blocks"] = True  # what an export of only some of its entries leaves out


def _clean(text: str) -> str:
    return _UNSAFE.sub("", text)


MARK = "\ue000"
"""What surrounds a field's name in a layout: a private-use character, which the store keeps as it is."""


def layout(text: str, entry: BibEntry, clean: bool = False) -> str | None:
    """The entry's text with ``\ue000name\ue000`` for each value stored as written; None if it holds control
    characters (``clean``: the text is known to hold none), or the mark itself."""
    start, end = entry.span
    if (not clean and _UNSAFE.search(text, start, end) is not None) or text.find(MARK, start, end) >= 0:
        return None
    parts: list[str] = []
    pos = start
    fields = entry.fields
    for name, (value_start, value_end) in entry.spans.items():  # in the file's order
        value = fields.get(name)
        if (
            value_start < pos
            or value is None
            or len(value) != value_end - value_start
            or not text.startswith(value, value_start)  # the value as written (compared without a copy)
            or name in entry.bare
        ):
            continue  # the value as written stays in the literal text
        parts += [text[pos:value_start], MARK, name, MARK]
        pos = value_end
    parts.append(text[pos:end])
    return "".join(parts)


def render(stored: Any, fields: dict[str, str]) -> str | None:
    """The entry's text from its layout and its fields; None if the layout does not fit them."""
    if not isinstance(stored, str):
        return None
    parts = stored.split(MARK)
    if len(parts) % 2 == 0:
        return None
    for i in range(1, len(parts), 2):
        value = fields.get(parts[i])
        if value is None:
            return None
        parts[i] = value
    return "".join(parts)


def holds_blocks(text: str) -> bool:
    """Whether text between entries holds a block of its own (a comment, a preamble, a macro)."""
    return _BLOCK.search(text) is not None
