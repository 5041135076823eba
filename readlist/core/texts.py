"""The heavy half of the store: papers' abstracts, notes, blurbs and BibTeX/CSL origins, apart.

``library.json`` keeps the light record of each paper (what ``list``, the
filters, sorting and the TUI's table need); the fields in :data:`HEAVY_FIELDS`
live in ``library.texts/``, a folder beside the (resolved) ``library.json``,
split over :data:`SHARDS` small JSON files by a hash of the paper's id
(``library.texts/2a.json``), so that ``show`` of one paper reads one small
file and a tag or status change writes none.

* Each light record names the generation of its text (``"text"``: a hash of
  the heavy fields); the shard keeps the same name beside the text
  (``"gen"``); ``"text": ""`` means none (since schema 3 it is left out, as
  every default is: see :mod:`readlist.core.light`). A light record without
  ``"text"`` in a library of schema 1, not yet upgraded, holds its text inline.
  ``"other_keys"`` names the citation keys of the paper's other entries, so
  that keys are checked without reading any text.
* A write puts the heavy text first and the light records after, each file
  replaced atomically under the library's one lock, the previous state kept as
  ``NN.json.bak`` (a hard link, as for ``library.json``).
* So a crash, or a sync that delivered only one of the two, never loses a
  paper: a text newer than its light record is simply the newer text, and a
  missing or older one is shown as it is, with a one-line warning
  (:class:`TextProblem`), never as an error.
* Shards are outside text like ``library.json``: checked and cleaned as they
  are read; one that cannot be parsed counts as missing (and is never written
  over without its backup).
* A shard is written one entry a line, its generation first and every heavy
  field after it (a default too), so that ``list --json`` prints each text as
  written (:meth:`JoinedPapers.joined_json`) instead of parsing it into objects
  and printing them again; each line is still parsed and checked. Any JSON of
  the same shape reads the same, the line layout only the faster.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
from _blake2 import blake2b  # hashlib's own blake2b, without loading OpenSSL (~3-8 ms of every start)
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, BinaryIO

import orjson

from readlist.core.clean import json_is_clean
from readlist.core.errors import BadInput
from readlist.core.files import NotRegularFile, read_regular, replace_atomically
from readlist.core.light import LightRecords
from readlist.core.records import LINK_FIELDS, PAPER_FIELDS, clean_record, needs_cleaning

Record = dict[str, Any]

HEAVY_FIELDS = ("abstract", "notes", "blurb", "origin", "other_entries")
"""The fields of a paper kept in ``library.texts/`` rather than ``library.json``."""
SHARDS = 64
_DERIVED = ("text", "other_keys")
_EMPTY: dict[str, Any] = {"abstract": "", "notes": "", "blurb": "", "origin": None, "other_entries": []}
_NOT_LIGHT_ORDER = (*HEAVY_FIELDS, *_DERIVED)
"""The names split takes out of a light record: the heavy fields first, in the order their text keeps them."""
_ABSENT = object()
_LINKS = frozenset(LINK_FIELDS)
_HEAVY = frozenset(HEAVY_FIELDS)
_NO_TEXT = b',"abstract":"","notes":"","blurb":"","origin":null,"other_entries":[]}'
"""The end of the JSON of a joined record without a text (the defaults of :data:`_EMPTY`)."""


def shard_of(paper_id: str) -> int:
    return blake2b(paper_id.encode("utf-8", "surrogatepass"), digest_size=2).digest()[0] % SHARDS


def generation(heavy: Mapping[str, Any]) -> str:
    """The name of one state of a paper's heavy text (a short hash of it)."""
    return generation_of(dump_json(heavy, "the library"))  # key order is kept: it is data


def generation_of(data: bytes) -> str:
    """:func:`generation` of a heavy text from its JSON (orjson's, as :func:`dump_json` gives it)."""
    return blake2b(data, digest_size=6).hexdigest()


def split(record: Mapping[str, Any]) -> tuple[Record, Record]:
    """A full paper record as (light record without its generation, its heavy fields that are not empty).

    A heavy field left out is empty: joined records have every heavy field.
    """
    light = dict(record)  # a copy in C, then the few heavy and derived names taken out (keeps the order)
    heavy: Record = {}
    for name in _NOT_LIGHT_ORDER:
        value = light.pop(name, _ABSENT)
        if value is not _ABSENT and name in _EMPTY and value != _EMPTY[name]:
            heavy[name] = value
    return light, heavy


def folder_of(library_file: Path) -> Path:
    """``library.texts`` beside the library file (the resolved one: a synced folder carries both)."""
    return library_file.with_name(library_file.name.removesuffix(".json") + ".texts")


class Shards:
    """The shard files of one library: read once per state of each file, written atomically."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._cache: dict[int, tuple[tuple[int, int, int] | None, dict[str, Record]]] = {}

    def path(self, n: int) -> Path:
        return self.folder / f"{n:02x}.json"

    def load(self, n: int) -> dict[str, Record]:
        """The texts of one shard, by paper id (empty when the file is absent or unreadable)."""
        path = self.path(n)
        try:
            st = os.stat(path)
            stamp: tuple[int, int, int] | None = (st.st_ino, st.st_mtime_ns, st.st_size)
        except OSError:
            stamp = None
        cached = self._cache.get(n)
        if cached is not None and cached[0] == stamp:
            return cached[1]
        texts = _read(path) if stamp is not None else {}
        self._cache[n] = (stamp, texts)
        return texts

    def get(self, paper_id: str) -> Record | None:
        return self.load(shard_of(paper_id)).get(paper_id)

    def load_encoded(self, n: int) -> EncodedTexts:
        """The texts of one shard as ``list --json`` prints them (:data:`EncodedTexts`): read for it alone, and
        not kept in this cache (the caller holds it while it prints, each paper once)."""
        encoded = _read_encoded(self.path(n))
        return encoded if encoded is not None else dict(self.load(n))

    def is_loaded(self, n: int) -> bool:
        """Whether one shard's texts are held (read before, whatever the state of its file now)."""
        return n in self._cache

    def forget(self, n: int) -> None:
        """Let one shard's texts go (the next :meth:`load` reads the file again)."""
        self._cache.pop(n, None)

    def get_backup(self, paper_id: str) -> Record | None:
        """A paper's text in its shard's backup (the state before the shard's last write)."""
        path = self.path(shard_of(paper_id))
        return _read(path.with_name(path.name + ".bak")).get(paper_id)

    def write(self, n: int, texts: Mapping[str, Record], backup: Mapping[str, Record] | None = None) -> None:
        """Replace one shard atomically, keeping the one before as its backup (raises OSError).

        ``backup``, when given, is written as the backup instead (the state before, repaired)."""
        path = self.path(n)
        self.folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        payload = _shard_json(texts, path)  # never sorted: an origin's field order is the user's
        for stale in self.folder.glob(f".{path.name}.*.tmp"):  # a killed writer's (writes hold the lock)
            with contextlib.suppress(OSError):
                stale.unlink()
        if backup is not None:
            bak = path.with_name(path.name + ".bak")
            replace_atomically(bak, _shard_json(backup, bak), new_mode=0o600)
            replace_atomically(path, payload, new_mode=0o600)
        else:
            keep = lambda: _keep_backup(path) if path.exists() else None  # noqa: E731
            replace_atomically(path, payload, before_replace=keep, new_mode=0o600)
        self._cache.pop(n, None)

    def update(self, changed: Mapping[str, Record | None], named: Mapping[str, Record]) -> None:
        """Put (or, for None, remove) the texts of these papers, one write per shard touched.

        ``named`` are the light records as committed: a text in a rewritten shard of another generation
        than its record names, left by a write killed before its record, is put back as the record names it
        when the shard's backup holds it.
        """
        by_shard: dict[int, dict[str, Record | None]] = {}
        for paper_id, heavy in changed.items():
            by_shard.setdefault(shard_of(paper_id), {})[paper_id] = heavy
        for n, entries in sorted(by_shard.items()):
            before = self.load(n)
            backup: dict[str, Record] | None = None
            repaired = dict(before)
            for paper_id, entry in before.items():
                gen = (named.get(paper_id) or {}).get("text")
                if gen and entry.get("gen") != gen:
                    if backup is None:
                        backup = _read(self.path(n).with_name(self.path(n).name + ".bak"))
                    kept = backup.get(paper_id)
                    if kept is not None and kept.get("gen") == gen:
                        repaired[paper_id] = kept
            texts = dict(repaired)
            for paper_id, heavy in entries.items():
                if heavy is None:
                    texts.pop(paper_id, None)
                else:
                    texts[paper_id] = heavy
            if texts != before:
                # After an interrupted write the backup is the repaired state (what the records name), written
                # first, so that a crash at any moment leaves every committed text in the shard or its backup.
                self.write(n, texts, backup=repaired if repaired != before else None)


def dump_json(data: Any, target: object) -> bytes:
    """``data`` as JSON, or BadInput naming the text that is not valid UTF-8 (lone surrogates from argv)."""
    try:
        return orjson.dumps(data)
    except TypeError:
        # Bytes that are not UTF-8 reach Python's argv (and so the library) as lone
        # surrogates; the json module's error says which characters they are.
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError as exc:
            bad = exc.object[exc.start : exc.end]
        else:  # pragma: no cover - orjson refused something else
            raise
        raise BadInput(
            f"cannot save {bad!r}: it is not valid UTF-8 text (check your terminal's encoding); {target} is unchanged"
        ) from None


def write_json(handle: BinaryIO, tables: Mapping[str, Any], target: object, step: int = 1000) -> None:
    """Write ``tables`` (name -> records by key) as :func:`dump_json` gives it, byte for byte, a slice of
    ``step`` records at a time: 50,000 papers' light records are never one 22 MB string."""
    handle.write(b"{")
    for n, (name, table) in enumerate(tables.items()):
        handle.write(b"," if n else b"")
        handle.write(dump_json(name, target) + b":")
        if not isinstance(table, dict) or len(table) <= step:
            handle.write(dump_json(table, target))
            continue
        handle.write(b"{")
        items = iter(table.items())
        first = True
        while piece := dict(itertools.islice(items, step)):
            handle.write((b"" if first else b",") + dump_json(piece, target)[1:-1])
            first = False
        handle.write(b"}")
    handle.write(b"}")


def _read(path: Path) -> dict[str, Record]:
    """A shard's texts; a shard that is not a regular file (a FIFO, a link, a folder) or not JSON counts as
    missing: it is never followed, waited on or trusted."""
    try:
        raw = read_regular(path, 1 << 31, follow=False)
        data = orjson.loads(raw)
    except (OSError, NotRegularFile, orjson.JSONDecodeError):
        return {}
    texts = data.get("texts") if isinstance(data, dict) else None
    if not isinstance(texts, dict):
        return {}
    clean = json_is_clean(raw)  # the usual case: one pass over the bytes, no check of every string
    out: dict[str, Record] = {}
    for paper_id, entry in texts.items():
        kept = _checked(entry, clean)
        if kept is not None:
            out[paper_id] = kept
    return out


def _checked(entry: object, clean: bool) -> Record | None:
    """A shard's entry as it may be used: itself, a cleaned copy, or None (not a text: counted as missing).
    ``clean``: the shard's bytes hold nothing to clean (:func:`readlist.core.clean.json_is_clean`)."""
    # JSON gives exact types: the usual entry passes a few type tests, else each field's own check.
    if type(entry) is not dict or type(entry.get("gen")) is not str:
        return None
    origin, others = entry.get("origin"), entry.get("other_entries", ())
    usual = (
        type(entry.get("abstract", "")) is str and type(entry.get("notes", "")) is str
        and type(entry.get("blurb", "")) is str and (origin is None or type(origin) is dict)
        and (others == () or (type(others) is list and all(type(o) is dict for o in others)))
    )  # fmt: skip
    if not usual and any(name in entry and not PAPER_FIELDS[name](entry[name]) for name in HEAVY_FIELDS):
        return None
    if (not clean or not _LINKS.isdisjoint(entry)) and needs_cleaning(entry):
        try:
            return clean_record(entry)
        except ValueError:
            return None
    return entry


_HEAD = b'{"texts":{\n'
_TAIL = b"\n}}"
_LAYOUT = ("gen", *HEAVY_FIELDS)
"""The keys of an entry as :meth:`Shards.write` lays it out, in order (none of them a link to clean)."""


def _shard_json(texts: Mapping[str, Record], target: object) -> bytes:
    """A shard's JSON as readlist writes it: one entry a line, each with its generation first and every heavy
    field (its default too), so that ``list --json`` can print an entry's fields as they are written
    (:func:`_read_encoded`). Any JSON of the same shape reads the same (:func:`_read`)."""
    if not texts:
        return b'{"texts":{}}'
    lines = []
    for paper_id, entry in texts.items():
        laid_out = {"gen": None, **_EMPTY, "other_entries": []}
        laid_out.update(entry)  # its values in that order, and any other key after them
        lines.append(dump_json(paper_id, target) + b":" + dump_json(laid_out, target))
    return b"".join((_HEAD, b",\n".join(lines), _TAIL))


EncodedTexts = dict[str, "tuple[str, memoryview] | Record"]
"""A shard's texts by paper id: ``(generation, the JSON of its heavy fields)`` for an entry laid out as
readlist writes it (``"abstract":...,"other_entries":[...]}``: a record's JSON ends with it), else the
entry itself (as :func:`_read` gives it)."""


def _read_encoded(path: Path) -> EncodedTexts | None:
    """A shard's texts as ``list --json`` prints them (:data:`EncodedTexts`), each line parsed and checked as
    :func:`_read` checks an entry; None when the file is not laid out one entry a line (read it whole)."""
    try:
        raw = read_regular(path, 1 << 31, follow=False)
    except (OSError, NotRegularFile):
        return {}
    if not (raw.startswith(_HEAD) and raw.endswith(_TAIL)) or not json_is_clean(raw):
        return None  # another layout, or something to clean: the whole file is read and checked
    view = memoryview(raw)  # slices of it are not copies
    out: EncodedTexts = {}
    at, end = len(_HEAD), len(raw) - len(_TAIL)
    while at < end:
        # A line: "<id>":{"gen":"<generation>",...} and a comma but on the last one.
        stop = raw.find(b"\n", at, end)
        stop = end if stop < 0 else stop
        line_end = stop - 1 if stop < end else stop
        if stop < end and raw[line_end] != 0x2C:  # ","
            return None
        split = raw.find(b'":{', at, line_end)
        name = raw[at + 1 : split] if raw[at] == 0x22 and split > 0 else b"\\"
        if b"\\" in name or b'"' in name:  # an id with an escape (or not a line of ours): read as JSON
            return None
        try:
            paper_id = name.decode("utf-8")
            entry = orjson.loads(view[split + 2 : line_end])
        except (UnicodeDecodeError, orjson.JSONDecodeError):
            return None
        at = stop + 1
        if type(entry) is dict and tuple(entry) == _LAYOUT:
            # Laid out as readlist writes it, in a clean file and without links: what _checked would find
            # is its fields' types (a text of another shape is checked the long way below).
            gen, origin, others = entry["gen"], entry["origin"], entry["other_entries"]
            if (
                type(gen) is str and type(entry["abstract"]) is str and type(entry["notes"]) is str
                and type(entry["blurb"]) is str and (origin is None or type(origin) is dict)
                and type(others) is list and all(type(o) is dict for o in others)
            ):  # fmt: skip
                head = b'{"gen":"' + gen.encode("utf-8", "surrogatepass") + b'",'
                if raw.startswith(head, split + 2):
                    out[paper_id] = (gen, view[split + 2 + len(head) : line_end])
                    continue
        kept = _checked(entry, True)
        if kept is not None:
            out[paper_id] = kept
    return out


def _keep_backup(path: Path) -> None:
    backup = path.with_name(path.name + ".bak")
    staging = backup.with_name(backup.name + ".tmp")
    with contextlib.suppress(FileNotFoundError):
        os.unlink(staging)
    try:
        os.link(path, staging)
    except OSError:
        staging.write_bytes(path.read_bytes())
    os.replace(staging, backup)


class TextProblem(Exception):
    """A paper's text is missing or of another generation than its record (a sync in progress, a crash)."""


class JoinedPapers(Mapping[str, Record]):
    """Full paper records: each light record joined with its text, read from its shard when asked for.

    ``overrides`` are texts written in a transaction but not yet committed.
    ``warn`` hears one line per paper whose text is missing or of another generation.
    """

    def __init__(
        self,
        light: Mapping[str, Record],
        shards: Shards,
        overrides: Mapping[str, Record | None] | None = None,
        warn: Callable[[str], None] | None = None,
    ) -> None:
        self.light = light
        self._shards = shards
        self._overrides = overrides if overrides is not None else {}
        self._warn = warn
        self._warned: set[str] = set()
        self._loaded: dict[int, dict[str, Record]] = {}  # each shard read (or its stamp checked) once per view
        self._encoded: dict[int, EncodedTexts] = {}  # the shards joined_json read

    def __getitem__(self, paper_id: str) -> Record:
        return self.join(self.light[paper_id])

    def __iter__(self) -> Iterator[str]:
        return iter(self.light)

    def __len__(self) -> int:
        return len(self.light)

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self.light

    def values(self) -> Iterator[Record]:  # type: ignore[override]
        return (self.join(r) for r in self.light.values())

    def items(self) -> Iterator[tuple[str, Record]]:  # type: ignore[override]
        return ((k, self.join(r)) for k, r in self.light.items())

    def by_shard(self, paper_ids: Iterable[str]) -> Iterator[list[tuple[str, Record]]]:
        """The full records of these papers, one shard's papers at a time (in the order of their first paper):
        a shard read for them is let go once its papers are given (one held before is kept), so that joining
        every paper of a large library holds one shard's texts, not all of them."""
        groups: dict[int, list[str]] = {}
        for paper_id in paper_ids:
            groups.setdefault(shard_of(paper_id), []).append(paper_id)
        light = self.light
        look = light.peek if isinstance(light, LightRecords) else light.__getitem__  # light records not kept
        for n, ids in groups.items():
            held = n in self._loaded or self._shards.is_loaded(n)
            yield [(paper_id, self.join(look(paper_id))) for paper_id in ids]
            if not held:
                self._loaded.pop(n, None)
                self._shards.forget(n)

    def heavy(self, paper_id: str) -> Record | None:
        """The stored text of a paper as its record names it (None when it has none or it is missing)."""
        light = self.light[paper_id]
        gen = light.get("text")
        if not gen:
            return None
        if paper_id in self._overrides:
            return self._overrides[paper_id]
        n = shard_of(paper_id)
        shard = self._loaded.get(n)
        if shard is None:
            shard = self._loaded[n] = self._shards.load(n)
        entry = shard.get(paper_id)
        if entry is not None and entry.get("gen") != gen:
            # A write that put the text but failed or was killed before its record: the text the
            # record names is the one before, kept in the shard's backup.
            before = self._shards.get_backup(paper_id)
            if before is not None and before.get("gen") == gen:
                return before
        if entry is None:
            self._tell(paper_id, f"the text (abstract, notes) of {paper_id} is missing from {self._shards.folder}")
        elif entry.get("gen") != gen:
            self._tell(paper_id, f"the text of {paper_id} in {self._shards.folder} is of another generation")
        return entry

    def _fresh(self, paper_ids: Iterable[str]) -> Iterator[tuple[str, Record]]:
        """Those of these papers that there are, each with its light record as a new dict to make its joined
        record of (a light record not expanded before is expanded for it, and not kept)."""
        light_of = self.light
        fresh = light_of.fresh if isinstance(light_of, LightRecords) else lambda key: dict(light_of[key])
        for paper_id in paper_ids:
            if paper_id in light_of:
                yield paper_id, fresh(paper_id)

    def joined(self, paper_ids: Iterable[str]) -> list[Record]:
        """The full records of those of these papers that there are, in their order: :meth:`join` of each,
        without a call per field or a second lookup of the record (``list --json`` joins every paper)."""
        overrides, loaded, shards = self._overrides, self._loaded, self._shards
        out: list[Record] = []
        append = out.append
        for paper_id, record in self._fresh(paper_ids):
            if "text" not in record or "gen" in record or record.get("id") != paper_id:
                append(self.join(record))  # not yet migrated, or a record of an unusual shape: the long way
                continue
            gen = record.pop("text")
            record.pop("other_keys", None)
            entry: Record | None = None
            if gen:
                if paper_id not in overrides:
                    n = shard_of(paper_id)
                    shard = loaded.get(n)
                    if shard is None:
                        shard = loaded[n] = shards.load(n)
                    entry = shard.get(paper_id)
                    if entry is not None and entry.get("gen") != gen:
                        entry = None
                if entry is None:  # overridden, missing or of another generation: the long way (it warns)
                    entry = self.heavy(paper_id)
            append(_with_text(record, entry))
        return out

    def joined_json(self, paper_ids: Iterable[str]) -> list[bytes]:
        """The JSON of :meth:`joined`'s records, byte for byte what ``orjson.dumps`` gives for each: a text
        laid out as readlist writes it is printed as it is written, not parsed into objects and printed again
        (the light half is; every shard is checked as it is read). ``list --json`` of every paper."""
        overrides, encoded, dumps = self._overrides, self._encoded, orjson.dumps
        out: list[bytes] = []
        append = out.append
        for paper_id, record in self._fresh(paper_ids):
            gen = record.get("text")
            if (
                gen is None or "gen" in record or record.get("id") != paper_id or paper_id in overrides
                or not _HEAVY.isdisjoint(record)
            ):  # fmt: skip
                append(dumps(self.join(record)))  # not yet migrated, an unusual shape, or a text not written yet
                continue
            del record["text"]
            record.pop("other_keys", None)
            if not gen:
                append(dumps(record)[:-1] + _NO_TEXT)
                continue
            n = shard_of(paper_id)
            shard = encoded.get(n)
            if shard is None:
                shard = encoded[n] = self._shards.load_encoded(n)
            entry = shard.get(paper_id)
            if type(entry) is tuple and entry[0] == gen:
                append(dumps(record)[:-1] + b"," + entry[1])
                continue
            # Parsed (another layout), or missing or of another generation: the long way (it warns), as joined().
            text = entry if type(entry) is dict and entry.get("gen") == gen else self.heavy(paper_id)
            append(dumps(_with_text(record, text)))
        return out

    def join(self, light: Record) -> Record:
        if "text" not in light:
            return dict(light)  # no text, or one not yet migrated (held inline)
        record = dict(light)
        del record["text"]
        record.pop("other_keys", None)
        record.update(_EMPTY)
        record["other_entries"] = []
        heavy = self.heavy(str(light.get("id"))) if light["text"] else None
        if heavy is not None:  # else none, or missing (shown without it: heavy() warned)
            record.update((k, v) for k, v in heavy.items() if k != "gen")
        return record

    def _tell(self, paper_id: str, line: str) -> None:
        if self._warn is not None and paper_id not in self._warned:
            self._warned.add(paper_id)
            self._warn(line + " (a sync in progress, or an interrupted write?); shown as it is")


def _with_text(record: Record, text: Record | None) -> Record:
    """A light record (its generation and other keys taken out) made its joined record: every heavy field,
    from ``text`` (a shard's entry) or empty."""
    record.update(_EMPTY)
    record["other_entries"] = []
    if text is not None:
        record.update(text)
        record.pop("gen", None)
    return record


def entries(records: Iterable[tuple[str, Record]]) -> dict[str, Record]:
    """Shard entries (heavy text with its generation) for full records: {id: entry}."""
    out: dict[str, Record] = {}
    for paper_id, record in records:
        _, heavy = split(record)
        if heavy:
            out[paper_id] = {**heavy, "gen": generation(heavy)}
    return out
