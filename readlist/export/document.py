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
undoes :func:`render_document` exactly. The blurb section is written whenever
the paper has a blurb, and also when the notes themselves hold a line equal to
the marker, so the last marker line in a file is always readlist's own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

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
    """The values the front matter holds, in order; empty optional fields are left out."""
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
    return {k: values[k] for k in FRONT_MATTER_KEYS if values[k] is not None}


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
    text = yaml.dump(values, allow_unicode=True, **options)
    if load_yaml(text) != values:
        text = yaml.dump(values, allow_unicode=False, **options)
    return text


def load_yaml(text: str) -> Any:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(text, Loader=loader)  # a safe loader (libyaml's when present)


def render_document(paper: Paper) -> str:
    parts = ["---\n", dump_yaml(front_matter(paper)), "---\n"]
    if paper.notes:
        parts += ["\n", paper.notes, "\n"]
    if paper.blurb or _holds_marker(paper.notes):
        parts += ["\n", MARKER, "\n", BLURB_HEADING, "\n\n"]
        if paper.blurb:
            parts += [_one_line_end(paper.blurb).rstrip("\n"), "\n"]
    return "".join(parts)


def _one_line_end(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


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
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
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
