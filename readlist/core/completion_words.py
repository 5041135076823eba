"""The words shell completion offers (paper ids, citation keys, tags, source names), in a small file.

Shell completion must answer within 150 ms at 10,000 papers, and starting
Python and reading library.json takes longer than that. So every command that
wrote the library (and the TUI when it closes) leaves this file beside it,
one word a line with its kind (``i`` id, ``k`` key, ``t`` tag, ``s``
source, ``g`` suggestion key), and the completion scripts read it with ``awk``:

    # readlist completion words
    i	2101.03961
    k	fedus2021switch
    t	moe

It is a cache: rebuilt from the library, never read by readlist itself;
a word holding whitespace or a control character is left out.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readlist.core.files import replace_atomically

FILE_NAME = "completion-words.txt"
HEADER = "# readlist completion words"
MAX_BYTES = 64 * 1024 * 1024
"""The largest words file added to in place (50,000 papers' words are 1.7 MB): a larger one, planted or
grown by hand, is written again from the library, never read into memory."""
KINDS = "iktsg"
"""The kinds of word, in the file's order: ids, keys, tags, sources, suggestion keys."""
_UNFIT = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def words_path(library_path: Path) -> Path:
    return library_path.with_name(FILE_NAME)


def words_text(
    records: Iterable[Mapping[str, Any]], sources: Iterable[str] = (), suggestions: Iterable[str] = (), stamp: str = ""
) -> str:
    """The file's text for these paper records, source names and suggestion keys (``stamp``: the library's)."""
    ids: list[Any] = []
    keys: list[Any] = []
    tags: dict[Any, None] = {}
    for r in records:  # one pass: at 50,000 papers each record read is a cache miss (two passes more: 30 ms)
        get = r.get
        ids.append(get("id"))
        keys.append(get("key"))
        for tag in get("tags") or ():
            tags[tag] = None
    parts = [f"{HEADER} {stamp}".rstrip()]
    words_of: dict[str, Iterable[Any]] = {
        "i": ids, "k": keys, "t": sorted(t for t in tags if isinstance(t, str)), "s": dict.fromkeys(sources),
        "g": suggestions,
    }  # fmt: skip
    for kind, words in words_of.items():
        fit = _fit([w for w in words if isinstance(w, str) and w])
        if fit:
            parts.append(f"{kind}\t" + f"\n{kind}\t".join(fit))
    return "\n".join(parts) + "\n"


def _fit(words: list[str]) -> list[str]:
    """The words without whitespace or control characters (one search over all of them, most times)."""
    if _UNFIT.search("".join(words)) is None:
        return words
    return [w for w in words if _UNFIT.search(w) is None]


def written_stamp(library_path: Path) -> str | None:
    """The library stamp the words file was written for (None if there is no such file)."""
    try:
        with open(words_path(library_path), "rb") as handle:
            first = handle.readline(200).decode("utf-8", "replace").strip()
    except OSError:
        return None
    return first[len(HEADER) :].strip() if first.startswith(HEADER) else None


def write_words(
    library_path: Path,
    records: Iterable[Mapping[str, Any]],
    sources: Iterable[str] = (),
    suggestions: Iterable[str] = (),
    stamp: str = "",
) -> bool:
    """Replace the words file; False (and nothing written) where it cannot be, or is not a regular file.

    A symlink in its place is replaced by a file, never followed; a folder, a FIFO or a device is left alone.
    """
    path = words_path(library_path)
    try:
        mode = os.lstat(path).st_mode
    except FileNotFoundError:
        mode = None
    except OSError:
        return False
    if mode is not None and not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
        return False
    try:
        if mode is not None and stat.S_ISLNK(mode):
            os.unlink(path)  # a planted link: replaced by a file of our own, its target untouched
        text = words_text(records, sources, suggestions, stamp)
        replace_atomically(path, text.encode("utf-8"), durable=False, new_mode=0o600)
    except OSError:
        return False
    return True


@dataclass(frozen=True)
class WordsAdded:
    """What a write added to the words, where adding is all it did to them: the new papers' ids and keys, and
    tags new to a paper. Empty for a write that changed no word (a status, a note)."""

    ids: list[Any] = field(default_factory=list)
    keys: list[Any] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)


def add_words(library_path: Path, old: str, new: str, added: WordsAdded) -> bool:
    """Bring a words file written for library state ``old`` to state ``new`` by adding the words ``added`` (ids
    and keys after their kind's, tags in order), without the pass over every paper that writing it whole takes
    (100 ms at 50,000 papers). The completion scripts read the words by kind, in any order. False, and nothing
    written, when the file is not one written for ``old`` in readlist's layout (then it is rebuilt)."""
    path = words_path(library_path)
    try:
        found = os.lstat(path)
        if not stat.S_ISREG(found.st_mode) or found.st_size > MAX_BYTES:
            return False
        with open(path, "rb") as handle:
            text = handle.read(MAX_BYTES + 1)
        first, newline, body = text.partition(b"\n")
        if not newline or first.decode("utf-8", "replace").strip() != f"{HEADER} {old}".rstrip():
            return False
        blocks = _blocks(body)
        if blocks is None:
            return False
        more = {"i": _fit([w for w in added.ids if isinstance(w, str) and w]),
                "k": _fit([w for w in added.keys if isinstance(w, str) and w])}  # fmt: skip
        if added.tags:
            tags = {line[2:] for line in blocks.get("t", b"").decode("utf-8").splitlines()}
            blocks["t"] = b""
            more["t"] = sorted(tags | set(_fit([t for t in added.tags if t])))
        parts = [f"{HEADER} {new}".rstrip().encode("utf-8"), b"\n"]
        for kind in KINDS:
            parts.append(blocks.get(kind, b""))
            if more.get(kind):
                parts.append((f"{kind}\t" + f"\n{kind}\t".join(more[kind]) + "\n").encode("utf-8"))
        replace_atomically(path, b"".join(parts), durable=False, new_mode=0o600)
    except (OSError, UnicodeError):
        return False
    return True


def _blocks(body: bytes) -> dict[str, bytes] | None:
    """The file's lines after its header, by kind, each kind's lines together and the kinds in
    :data:`KINDS` order (None when they are not). A word holds no whitespace, so a tab follows a line's kind
    only."""
    if body and not body.endswith(b"\n"):
        return None
    starts: list[tuple[int, str]] = []
    for kind in KINDS:
        mark = f"{kind}\t".encode()
        at = 0 if body.startswith(mark) else body.find(b"\n" + mark)
        if at > 0:
            at += 1
        if at >= 0:
            starts.append((at, kind))
    if body and (not starts or starts[0][0] != 0 or sorted(starts) != starts):
        return None
    ends = [at for at, _ in starts[1:]] + [len(body)]
    return {kind: body[at:end] for (at, kind), end in zip(starts, ends, strict=True)}
