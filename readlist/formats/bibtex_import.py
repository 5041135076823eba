"""`import bibtex`: a .bib file into the library, offline, in one transaction, keeping every entry whole.

* Each entry keeps its type, its citation key and every field as written
  (``@string`` macros resolved, ``month = sep`` kept as a month, unknown
  fields included): `export bibtex` gives it back, with readlist's own
  changes (title, authors, tags, notes, status) on top.
* ``keywords`` (and JabRef's ``groups``) become tags, the notes field
  (``annote`` unless configured) becomes the note, ``readstatus`` the status
  (see :mod:`readlist.formats.bibtex.entry`).
* Entries that name an arXiv paper (``eprint`` with ``archivePrefix`` or
  ``eprinttype`` arXiv, an arxiv.org URL, an arXiv DOI) become arXiv papers
  with the file's metadata (pending only when the entry has no title;
  `readlist refresh` completes them later); others are ``doi:...`` or
  ``manual:...`` records.
* Which entries are the same paper, and what is reported as a likely
  duplicate: :mod:`readlist.formats.importing`.
* **The file's own layout is kept** (:mod:`readlist.formats.bibtex.layout`):
  each entry's text as written and the blocks between entries
  (``@comment{jabref-meta: ...}``, ``@preamble``, ``%`` lines), so that an
  unedited export of exactly this file's papers gives the file back byte for
  byte.
* **A broken entry is skipped, not the file**: the rest is imported and each
  skipped entry is reported with its line and key (`import bibtex` then exits
  1). A line that starts with ``@type{`` ends the entry before it, even one
  whose braces never closed. A file with no readable entry changes nothing
  (BadInput naming the line).
"""

from __future__ import annotations

import codecs
import hashlib
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from readlist.core.errors import BadInput
from readlist.core.files import read_regular, read_regular_chunks
from readlist.core.library import Library
from readlist.core.models import Status
from readlist.formats.bibtex.entry import TAG_FIELDS, entry_origin, fingerprint, paper_values, view
from readlist.formats.bibtex.latex import TooDeep
from readlist.formats.bibtex.layout import Layouts, file_id
from readlist.formats.bibtex.parse import MULTILINE, BibEntry, BibFile, Skipped, Window, parse_bibtex, parse_pieces
from readlist.formats.importing import Candidate, ImportReport, TooLarge, bulk_work, check_sizes, link_files, place


def import_bibtex(
    library: Library,
    path: Path,
    *,
    tags: Iterable[str] = (),
    status: Status | None = None,
    notes_field: str = "annote",
) -> ImportReport:
    with bulk_work():
        return _import_bibtex(library, path, tags, status, notes_field)


def _import_bibtex(
    library: Library, path: Path, tags: Iterable[str], status: Status | None, notes_field: str
) -> ImportReport:
    started = time.perf_counter()
    report = ImportReport(file=path, kind="BibTeX")
    # The user's own file: no size cap, each entry is bounded instead.
    try:
        made, bib = _read_in_pieces(path, notes_field)
    except _ReadWhole:
        made, bib = _read_whole(path, notes_field)
    report.entries = bib.read
    candidates = made.finish(bib, path)
    report.skipped = [f"line {s.line} ({s.key or 'no key'}): {s.reason}" for s in bib.skipped]
    counts = ((bib.preambles, "@preamble"), (bib.comments, "@comment"), (bib.strings, "@string"))
    blocks = [f"{n} {what}" for n, what in counts if n]
    if blocks:
        report.notes.append(
            f"Kept with this file's entries: {', '.join(blocks)} (an export of exactly its papers writes them back)"
        )
    if made.repeated:
        report.notes.append(
            f"Fields given twice in one entry, the first kept as BibTeX does: {', '.join(made.repeated[:10])}"
        )
    del bib, made  # the parsed file (its text): the candidates hold what is kept, so free it
    link_files(
        candidates, [_file_field(c) for c in candidates], path.resolve().parent, library.settings.max_pdf_bytes, report
    )
    report.seconds = time.perf_counter() - started
    place(library, candidates, report, tags=tags, status=status, source="bibtex")
    return report


_CROSSREF = re.compile("crossref", re.IGNORECASE)
_CHUNK = 1 << 17
"""How many bytes of a .bib file are read at a time."""


class _ReadWhole(Exception):
    """The file is read whole after all: it is not UTF-8, or it uses crossref."""


def _read_in_pieces(path: Path, notes_field: str) -> tuple[Candidates, BibFile]:
    """The file read a piece at a time, each entry made a candidate as it is read: the file's text is never
    held whole (an 84 MB file is 168 MB of text when one character needs two bytes). _ReadWhole if it is not
    UTF-8 (it is Windows-1252 then, as a whole) or uses crossref (a parent may follow its children)."""
    window = Window()
    digest = hashlib.sha256()
    made = Candidates(notes_field, window, path.name)
    bib = parse_text(_pieces(path, digest, window), path, notes_field, on_entry=made.take, window=window)
    made.layouts.ident = digest.hexdigest()[:16]  # the same as file_id of the text: UTF-8 read back is its bytes
    return made, bib


def _read_whole(path: Path, notes_field: str) -> tuple[Candidates, BibFile]:
    text = read_text(path, limit=None)
    made = Candidates(notes_field, text, path.name)
    # Without crossref, each entry becomes its candidate as soon as it is read and is let go; with it, a
    # parent may come after its children (as BibTeX wants), so the entries are read first.
    streamed = _CROSSREF.search(text) is None
    bib = parse_text(text, path, notes_field, on_entry=made.take if streamed else None)
    del text
    if not streamed:
        made.take_all(bib)
    return made, bib


# The bytes that begin, in UTF-8, every character readlist cleans away (readlist.formats.bibtex.parse._UNCLEAN):
# C0 controls but tab and newline, DEL, and the lead bytes of C1 controls (U+0080-U+009F) and of the line
# separators and bidi controls (U+2028-U+202E, U+2066-U+2069). Chunks with none of them need no search.
_PLAIN_BYTES = bytes(b for b in range(256) if not ((b < 0x20 and b not in (0x09, 0x0A)) or b in (0x7F, 0xC2, 0xE2)))


def _pieces(path: Path, digest: hashlib._Hash, window: Window | None = None) -> Iterator[str]:
    """The text of a UTF-8 .bib file in pieces that end at the end of a line (see :func:`read_text`), its
    bytes (without a byte order mark) added to ``digest``; ``window.plain`` says whether every piece so far is
    free of the characters readlist cleans away. _ReadWhole if it is not UTF-8 or names crossref."""
    chunks = read_regular_chunks(path, _CHUNK, hint="give a .bib file")
    first = next(chunks, b"")
    while len(first) < 4096 and (more := next(chunks, b"")):  # a regular file gives whole chunks at once
        first += more
    if b"\x00" in first[:4096]:
        raise BadInput(f"{path} is not a BibTeX file (it is binary); nothing was imported")
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    digest.update(first[3:] if first.startswith(codecs.BOM_UTF8) else first)
    held: list[str] = []  # text after the last line end, until a line end comes
    # Whether the text holds _CROSSREF is asked of the bytes, faster than of the text: in UTF-8 only ASCII
    # bytes stand for ASCII letters, and bytes.lower() lowers just those. The pattern also takes a long s
    # (U+017F) for an s: from the first one on, it looks at the text itself.
    edge = b""  # the end of the chunk before, for a word cut in two
    long_s = False
    plain = True
    if window is not None:
        window.plain = True
    chunk, first, more = first, b"", b""  # no buffer stays alive but the one read
    unread: list[bytes] = []  # chunks of a line not ended yet
    while True:
        final = not chunk
        if chunk:
            around = (edge + chunk[:16]).lower()
            if b"crossref" in chunk.lower() or b"crossref" in around:
                raise _ReadWhole
            long_s = long_s or b"\xc5\xbf" in chunk or b"\xc5\xbf" in around
            edge = (edge + chunk[-16:])[-16:]
            if plain and chunk.translate(None, _PLAIN_BYTES):
                plain = False
                if window is not None:
                    window.plain = False
            if b"\n" not in chunk:  # a long line: its bytes are decoded at once when it ends
                unread.append(chunk)
                chunk = next(chunks, b"")
                digest.update(chunk)
                continue
        if unread:
            chunk = b"".join([*unread, chunk])
            unread = []
        try:
            text = decoder.decode(chunk, final=final)
        except UnicodeDecodeError:
            raise _ReadWhole from None
        chunk = b""
        cut = text.rfind("\n") + 1 if not final else len(text)
        if cut or (final and held):
            piece = "".join([*held, text[:cut]]) if held else text[:cut]
            held = [text[cut:]] if cut < len(text) else []
            text = ""  # only what the scanner holds stays alive while it reads the piece
            if long_s and _CROSSREF.search(piece) is not None:
                raise _ReadWhole
            if piece:
                yield piece
            piece = ""
        elif text:
            held.append(text)
            text = ""
        if final:
            return
        chunk = next(chunks, b"")
        digest.update(chunk)


def _file_field(c: Candidate) -> str | None:
    """The entry's ``file`` field as written (any case of its name), from the entry kept in its origin."""
    fields = c.origin.get("fields") or {}
    found = next((value for name, value in fields.items() if name.lower() == "file"), None)
    return found if isinstance(found, str) else None


def read_file(path: Path, notes_field: str = "annote", *, limit: int | None = 20_000_000) -> BibFile:
    """The entries of a .bib file; BadInput (nothing imported) if it is not one.

    Only a regular file of at most ``limit`` bytes (None: any size) is read: a FIFO or a device is named,
    never opened.
    """
    return parse_text(read_text(path, limit=limit), path, notes_field)


def read_text(path: Path, *, limit: int | None) -> str:
    """The text of a .bib file (UTF-8, else Windows-1252); BadInput if it is binary. See :func:`read_file`."""
    raw = read_regular(path, sys.maxsize if limit is None else limit, hint="give a .bib file")
    if b"\x00" in raw[:4096]:
        raise BadInput(f"{path} is not a BibTeX file (it is binary); nothing was imported")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")  # older .bib files are often Latin-1 / Windows-1252


def parse_text(
    text: str | Iterable[str],
    path: Path,
    notes_field: str = "annote",
    on_entry: Callable[[BibEntry], None] | None = None,
    window: Window | None = None,
) -> BibFile:
    """The entries of a .bib file's text (each handed to ``on_entry`` as it is read, when given); BadInput
    (nothing imported) if it holds none that can be read. The text may come in pieces, each beginning a line,
    held in ``window`` as they are read (:func:`readlist.formats.bibtex.parse.parse_pieces`)."""
    multiline = MULTILINE | {notes_field.lower()}
    if isinstance(text, str):
        bib = parse_bibtex(text, multiline, on_entry)
    else:
        bib = parse_pieces(text, window if window is not None else Window(), multiline, on_entry)
    if not bib.read and bib.skipped:
        first = bib.skipped[0]
        raise BadInput(
            f"cannot read {path}: the entry at line {first.line} ({first.key or 'no key'}) is broken: "
            f"{first.reason}; nothing was imported"
        )
    if not bib.read:
        raise BadInput(f"{path} holds no BibTeX entries (@article{{...}}, @misc{{...}}); nothing was imported")
    return bib


class Candidates:
    """One candidate per entry, made as each entry is read (:meth:`take`) or from the entries read
    (:meth:`take_all`, which finds crossref parents); an entry too deep or too large to keep is skipped."""

    def __init__(self, notes_field: str, text: str | Window, name: str) -> None:
        """``text``: the file's whole text, or the window it is read through (the file's id is then given to
        ``layouts.ident`` before :meth:`finish`)."""
        self.notes_field = notes_field
        self.layouts = Layouts(text, name, file_id(text) if isinstance(text, str) else "")
        self.made: list[Candidate] = []
        self.skipped: list[Skipped] = []
        self.repeated: list[str] = []
        """Entries that give a field twice: "key (fields)"."""

    def take(self, entry: BibEntry, parent: BibEntry | None = None) -> None:
        if entry.duplicate_fields:
            self.repeated.append(f"{entry.key} ({', '.join(entry.duplicate_fields)})")
        try:
            c = candidate(entry, self.notes_field, parent)
        except (TooDeep, TooLarge) as exc:
            self.skipped.append(Skipped(entry.line, entry.key, str(exc)))
            return
        self.layouts.keep(entry, c.origin)
        self.made.append(c)

    def take_all(self, bib: BibFile) -> None:
        """Every entry read, with its crossref parent; ``bib.entries`` is emptied as each is taken, so only the
        parents stay alive to the end."""
        entries = bib.entries
        bib.entries = []
        wanted = {ref.strip().lower() for e in entries if (ref := e.get("crossref"))}
        parents = {e.key.lower(): e for e in entries if e.key.lower() in wanted} if wanted else {}
        entries.reverse()  # taken from the end, in the file's order
        while entries:
            entry = entries.pop()
            parent_key = entry.get("crossref")
            self.take(entry, parents.get(parent_key.strip().lower()) if parent_key else None)

    def finish(self, bib: BibFile, path: Path) -> list[Candidate]:
        """The candidates; the skipped entries join ``bib.skipped`` (by line). BadInput if none is left."""
        self.layouts.finish([c.origin for c in self.made])
        bib.skipped += self.skipped
        bib.skipped.sort(key=lambda s: s.line)
        if not self.made:
            first = bib.skipped[0]
            raise BadInput(
                f"cannot read {path}: the entry at line {first.line} ({first.key or 'no key'}) is broken: "
                f"{first.reason}; nothing was imported"
            )
        return self.made


def candidates_of(bib: BibFile, notes_field: str, path: Path) -> list[Candidate]:
    """One candidate per entry of a file read whole (:func:`read_file`); see :class:`Candidates`."""
    made = Candidates(notes_field, bib.text, path.name)
    made.take_all(bib)
    return made.finish(bib, path)


def candidate(entry: BibEntry, notes_field: str = "annote", parent: BibEntry | None = None) -> Candidate:
    """Raises TooDeep or TooLarge (the entry is skipped and named)."""
    check_sizes(entry.fields, (notes_field.lower(), "keywords", *TAG_FIELDS))
    v = view(entry, notes_field, parent)
    has_title = entry.get("title") is not None
    values = paper_values(v, v.title if has_title or v.arxiv is None else "", pending=not has_title)
    shared = {}
    for name, attr in (("title", "title"), ("abstract", "abstract"), (notes_field, "notes")):
        written = entry.name(name)
        if written is not None and written not in entry.bare:
            shared[written] = (attr, values.get(attr, "") if attr != "notes" else v.notes)
    origin = entry_origin(entry)
    origin["seen"] = fingerprint(notes_field, v.title, v.authors, v.tags, v.notes, v.status)
    label = entry.key or f"the entry at line {entry.line}"
    return Candidate.from_view(
        v, values, label=label, key=entry.key or None, origin=origin, titled=has_title, mirror=shared
    )
