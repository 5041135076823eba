"""One paper as a Markdown document: YAML front matter, the notes, the blurb.

    ---
    id: '2101.03961'
    title: 'Switch Transformers: Scaling to Trillion Parameter Models ...'
    ...
    tags:
    - moe
    ---

    <the notes, exactly as written>

    <!-- readlist: curator's blurb below; `readlist import markdown` ignores everything after this line -->
    ## Why it was picked
    ...

The notes sit between the blank line after the front matter and the blurb
marker (or the end of the file), followed by one newline; :func:`parse_document`
undoes :func:`render_document` exactly (for text as readlist stores it: no
control characters but newline and tab, see :mod:`readlist.core.clean`;
others are left out of the file). Front matter is read without aliases and
with bounded nesting (:func:`load_yaml`). The blurb section is written whenever
the paper has a blurb, and also when the notes themselves hold a line equal to
the marker, so the last marker line in a file is always readlist's own.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, cast

from readlist.core.clean import EXCERPT, clean_line, clean_text
from readlist.core.models import Paper

MARKER = "<!-- readlist: curator's blurb below; `readlist import markdown` ignores everything after this line -->"
BLURB_HEADING = "## Why it was picked"

# Front matter keys, in the order they are written.
FRONT_MATTER_KEYS = (
    "id", "title", "authors", "year", "url", "pdf", "doi", "version", "status", "tags", "added", "read", "source",
)  # fmt: skip


class DocumentError(ValueError):
    """A file that is not a readlist paper document (the message says why)."""


@dataclass
class Document:
    meta: dict[str, Any]
    notes: str


def front_matter(paper: Paper) -> dict[str, Any]:
    """The values the front matter holds, in order; empty optional fields are left out.

    Strings are one line each, without control or bidi characters (a second
    wall for libraries stored before readlist cleaned what it stores).
    """
    values: dict[str, Any] = {
        "id": paper.id,
        "title": paper.title,
        "authors": list(paper.authors),
        "year": paper.year,
        "url": f"https://arxiv.org/abs/{paper.id}" if paper.is_arxiv else paper.url,
        "pdf": paper.pdf_url,
        "doi": paper.doi,
        "version": paper.version,
        "status": paper.status,
        "tags": list(paper.tags),
        "added": paper.added,
        "read": paper.read_date,
        "source": paper.source,
    }
    return {k: _clean(values[k]) for k in FRONT_MATTER_KEYS if values[k] is not None}


def _clean(value: Any) -> Any:
    if isinstance(value, str):
        return clean_line(value)
    if isinstance(value, list):
        return [_clean(item) for item in value]
    return value


def dump_yaml(values: dict[str, Any]) -> str:
    """YAML that ``yaml.safe_load`` reads back to exactly ``values``.

    Front matter holds strings, ints and lists of strings. Each string is
    written plain when YAML reads it back as that same string (``to-read``,
    ``https://...``), single-quoted when it is one printable line, and in
    the rare remaining cases (line breaks, control characters) the whole
    block is left to PyYAML's pure-Python dumper (the same bytes on every
    machine), checked by loading it back and written all-ASCII if that
    differs (PyYAML writes NEL, LS and PS raw, then reads them as line breaks).
    A plain string starts with a letter, so it cannot read as a number, date
    or null; the few words YAML 1.1 reads as booleans are quoted.
    """
    lines: list[str] = []
    for key, value in values.items():
        if isinstance(value, list):
            if not value:
                lines.append(f"{key}: []")
                continue
            lines.append(f"{key}:")
            for item in value:
                text = _scalar(item)
                if text is None:
                    return _pyyaml(values)
                lines.append(f"- {text}")
        else:
            text = _scalar(value)
            if text is None:
                return _pyyaml(values)
            lines.append(f"{key}: {text}")
    return "\n".join(lines) + "\n"


_PLAIN = re.compile(r"[^\W\d_][\w .,/+\-():'#?!&*%=~@]*")
_RESERVED = frozenset("y n yes no true false on off null".split())
_ONE_LINE = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd\U00010000-\U0010ffff]*")


def _scalar(value: Any) -> str | None:
    """One value as YAML text, or None when PyYAML must write it."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    if isinstance(value, int):
        return str(value)
    if (
        _PLAIN.fullmatch(value)
        and value.lower() not in _RESERVED
        and ": " not in value
        and " #" not in value
        and not value.endswith((" ", ":"))
    ):
        return value
    if _ONE_LINE.fullmatch(value):
        return "'" + value.replace("'", "''") + "'"
    return None


def _pyyaml(values: dict[str, Any]) -> str:
    import yaml

    options: dict[str, Any] = {
        "Dumper": yaml.SafeDumper, "sort_keys": False, "default_flow_style": False, "width": 1_000_000,
        "indent": 2, "line_break": "\n", "explicit_start": False,
    }  # fmt: skip
    text = str(yaml.dump(values, allow_unicode=True, **options))
    if load_yaml(text) != values:
        text = str(yaml.dump(values, allow_unicode=False, **options))
    return text


MAX_DEPTH = 32
"""Front matter nested deeper than this is not a paper's (readlist writes two levels)."""


def load_yaml(text: str) -> Any:
    """Front matter as YAML, bounded: aliases are refused, and so is nesting deeper than :data:`MAX_DEPTH`.

    ``yaml.safe_load`` expands aliases, so 400 bytes of nested aliases become
    gigabytes; front matter needs none. With libyaml (the usual case), a walk
    over the document's parse events, which builds nothing, refuses the first
    alias and bounds the nesting (libyaml composes recursively in C: 200,000
    nested ``[`` crash it); then libyaml loads it. Without libyaml,
    :func:`front_matter_loader`'s ``SafeLoader`` refuses both as it composes.
    Raises ``yaml.YAMLError``.
    """
    import yaml

    c_loader = getattr(yaml, "CSafeLoader", None)
    if c_loader is None:
        return yaml.load(text, Loader=front_matter_loader())
    depth = 0
    try:
        for event in yaml.parse(text, Loader=c_loader):
            if isinstance(event, yaml.AliasEvent):
                raise yaml.MarkedYAMLError(problem=ALIASES_REFUSED, problem_mark=cast(Any, event.start_mark))
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise yaml.MarkedYAMLError(problem=TOO_DEEP, problem_mark=cast(Any, event.start_mark))
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # The libyaml of PyYAML 6.0.4's wheels bounds flow nesting itself (1,000 levels, scanned ahead of the
        # events): the same refusal, said in readlist's words.
        if "maximum nesting depth" in str(exc.problem):
            raise yaml.MarkedYAMLError(problem=TOO_DEEP, problem_mark=exc.problem_mark) from None
        raise
    return yaml.load(text, Loader=c_loader)


ALIASES_REFUSED = "aliases (*name) are not allowed in front matter"
TOO_DEEP = f"it is nested more than {MAX_DEPTH} levels deep"


@functools.cache
def front_matter_loader() -> type:
    """A ``yaml.SafeLoader`` that refuses alias events and nesting deeper than :data:`MAX_DEPTH`."""
    import yaml
    from yaml.composer import ComposerError

    class FrontMatterLoader(yaml.SafeLoader):
        def __init__(self, stream: str) -> None:
            super().__init__(stream)
            self.depth = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            events: Any = self  # PyYAML's event methods carry no annotations
            if events.check_event(yaml.AliasEvent):
                mark = events.peek_event().start_mark
                raise ComposerError(None, None, ALIASES_REFUSED, mark)
            self.depth += 1
            try:
                if self.depth > MAX_DEPTH:
                    mark = events.peek_event().start_mark
                    raise ComposerError(None, None, TOO_DEEP, mark)
                return super().compose_node(parent, index)
            finally:
                self.depth -= 1

    return FrontMatterLoader


def render_document(paper: Paper) -> str:
    """The paper's document; notes and blurb as written, less control and bidi characters (CR LF becomes LF)."""
    notes, blurb = clean_text(paper.notes), clean_text(paper.blurb)
    parts = ["---\n", dump_yaml(front_matter(paper)), "---\n"]
    if notes:
        parts += ["\n", notes, "\n"]
    if blurb or _holds_marker(notes):
        parts += ["\n", MARKER, "\n", BLURB_HEADING, "\n\n"]
        if blurb:
            parts += [blurb.rstrip("\n"), "\n"]
    return "".join(parts)


def _holds_marker(notes: str) -> bool:
    return MARKER in notes.replace("\r\n", "\n").split("\n")


_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*$", re.MULTILINE)


def parse_document(text: str) -> Document:
    """Front matter values and notes of a document; DocumentError if it is not one."""
    text = text.removeprefix("\ufeff")
    if text.startswith("---\r\n"):  # an editor saved the whole file with Windows line ends
        text = text.replace("\r\n", "\n")
    if not re.match(r"---[ \t]*\n", text):
        raise DocumentError("it has no YAML front matter (it must start with a line ---)")
    start = text.index("\n") + 1
    close = _CLOSE.search(text, start)
    if close is None:
        raise DocumentError("its front matter is not closed by a line ---")
    try:
        meta = load_yaml(text[start : close.start()])
    except Exception as exc:  # yaml.YAMLError and friends
        where = getattr(exc, "problem_mark", None)
        line = f" at line {where.line + 2}" if where is not None else ""
        problem = getattr(exc, "problem", None) or (str(exc).split("\n", 1)[0] if str(exc) else type(exc).__name__)
        problem = clean_line(problem)[:EXCERPT]  # a scanner's message may quote the text
        raise DocumentError(f"its front matter is not valid YAML ({problem}{line})") from None
    if not isinstance(meta, dict):
        raise DocumentError("its front matter is not a set of key: value lines")
    body = text[close.end() :]
    body = body.removeprefix("\n")  # the end of the --- line
    body = body.removeprefix("\n")  # the blank line before the notes
    lines = body.split("\n")
    cut = [i for i, line in enumerate(lines) if line == MARKER]
    if cut:
        body = "\n".join(lines[: cut[-1]])  # ends with the notes' newline (the blank line is the join's)
    return Document(meta=meta, notes=body.removesuffix("\n"))
