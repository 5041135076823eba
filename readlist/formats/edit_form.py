"""The form `readlist edit` opens: a paper's fields as YAML, and the checks they pass on save.

:func:`render_form` writes title, authors, year, venue, type, key, DOI, URL
and abstract as a small YAML document (a problem from the last save, if any,
at the top as comments); :func:`read_form` reads the saved text back, checks
every field and returns only what changed, or raises :class:`FormError`
naming the field. Nothing is applied here: :meth:`readlist.core.library.Library.edit_fields`
applies the changes, all or none. YAML is read without aliases and bounded in
depth (:func:`readlist.formats.markdown.document.load_yaml`).
"""

from __future__ import annotations

import re
from typing import Any

from readlist.core.clean import clean_line, clean_text
from readlist.core.errors import BadInput
from readlist.core.library import EDITABLE, normalize_doi
from readlist.core.models import Paper
from readlist.formats.csl import CSL_TYPES

CSL_TYPE_NAMES = frozenset(
    "article article-journal article-magazine article-newspaper bill book broadcast chapter classic collection "
    "dataset document entry entry-dictionary entry-encyclopedia event figure graphic hearing interview legal_case "
    "legislation manuscript map motion_picture musical_score pamphlet paper-conference patent performance "
    "periodical personal_communication post post-weblog regulation report review review-book software song "
    "speech standard thesis treaty webpage".split()
)
"""CSL 1.0.2's item types."""
_KEY = re.compile(r"[^\s\"#%'(),={}\\~$^]{1,100}")
_VENUE_NAME = re.compile(r"[a-z][a-z-]{0,30}")
MAX_TEXT = 20_000
MAX_AUTHORS = 2_000
HEADER = (
    "# readlist edit {id}: change the fields below, save and close.\n"
    "# authors: one name per line; venue: journal or booktitle, volume, number, pages, publisher, ...;\n"
    "# type: a CSL type (article-journal, paper-conference, chapter, book, thesis, report, ...) or a BibTeX one\n"
    "# (article, inproceedings, incollection, ...; article is a journal article).\n"
    "# Saving it unchanged changes nothing; an empty file cancels.\n"
)


class FormError(BadInput):
    """A saved form that does not check: the message names the field and what is wrong."""


def paper_type(paper: Paper) -> str:
    """The paper's kind as a CSL type: its own, else its entry's, else what its venue suggests."""
    if paper.type:
        return paper.type
    origin = paper.origin if isinstance(paper.origin, dict) else {}
    if origin.get("format") == "csl" and isinstance(origin.get("item"), dict):
        kind = origin["item"].get("type")
        if isinstance(kind, str) and kind:
            return kind
    if origin.get("format") == "bibtex" and isinstance(origin.get("type"), str):
        return CSL_TYPES.get(origin["type"].lower(), "document")
    if paper.venue.get("journal"):
        return "article-journal"
    if paper.venue.get("booktitle"):
        return "paper-conference"
    return "document"


def form_values(paper: Paper) -> dict[str, Any]:
    """The fields as the form shows them."""
    return {
        "title": paper.title,
        "authors": list(paper.authors),
        "year": paper.year,
        "venue": dict(paper.venue),
        "type": paper_type(paper),
        "key": paper.key or "",
        "doi": paper.doi or "",
        "url": paper.url or "",
        "abstract": paper.abstract,
    }


def render_form(paper: Paper, problem: str | None = None) -> str:
    """The form's text: the header (and the problem, first), then the fields in YAML."""
    import yaml

    top = ""
    if problem:
        lines = clean_text(problem).splitlines() or [""]
        top = "".join(f"# ERROR: {clean_line(line)}\n" for line in lines) + "#\n"
    body = yaml.safe_dump(form_values(paper), sort_keys=False, allow_unicode=True, width=100)
    return top + HEADER.format(id=clean_line(paper.id)) + body


def read_form(text: str, paper: Paper) -> dict[str, Any]:
    """The checked fields that differ from the paper's (empty: nothing changed). Raises FormError."""
    import yaml

    from readlist.formats.markdown.document import load_yaml

    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "it is not YAML"
        raise FormError(f"the form is not valid YAML{where}: {clean_line(str(problem))}") from None
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise FormError("the form must be the fields, one `name: value` per line")
    unknown = [str(k) for k in data if k not in EDITABLE]
    if unknown:
        raise FormError(f"unknown field {clean_line(unknown[0])[:40]!r}: the fields are {', '.join(EDITABLE)}")
    checked = {name: _CHECKS[name](data.get(name), paper) for name in EDITABLE}
    shown = form_values(paper)
    changes = {}
    for name, value in checked.items():
        try:
            before = _CHECKS[name](shown[name], paper)  # what the form showed, read as a save reads it
        except FormError:
            before = shown[name]  # a stored value that does not check (a hand-edited library)
        if value != before:
            changes[name] = value
    return changes


def _one_line(name: str, value: Any, *, required: bool = False) -> str:
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise FormError(f"{name} must be text, not {type(value).__name__}")
    text = " ".join(clean_line(str(value)).split())
    if required and not text:
        raise FormError(f"{name} cannot be empty")
    if len(text) > MAX_TEXT:
        raise FormError(f"{name} is longer than {MAX_TEXT:,} characters")
    return text


def _title(value: Any, paper: Paper) -> str:
    return _one_line("title", value, required=True)


def _authors(value: Any, paper: Paper) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):  # "A. One and B. Two" or "A. One; B. Two" on one line
        value = [v for v in re.split(r";|\s+and\s+", value) if v.strip()]
    if not isinstance(value, list):
        raise FormError("authors must be a list of names, one per line (- Ada Lovelace)")
    if len(value) > MAX_AUTHORS:
        raise FormError(f"authors lists more than {MAX_AUTHORS:,} names")
    names = [_one_line("an author", v) for v in value]
    if any(not n for n in names):
        raise FormError("authors holds an empty name")
    return names


def _year(value: Any, paper: Paper) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
        raise FormError(f"year must be a year such as 2021, not {clean_line(str(value))[:40]!r}")
    year = int(str(value).strip())
    if not 1000 <= year <= 2999:
        raise FormError(f"year {year} is not a year")
    return year


def _venue(value: Any, paper: Paper) -> dict[str, str]:
    if value is None or value == "":
        return {}
    if not isinstance(value, dict):
        raise FormError("venue must be names and values (journal: Nature), one per line")
    if len(value) > 40:
        raise FormError("venue has more than 40 names")
    venue: dict[str, str] = {}
    for name, text in value.items():
        if not isinstance(name, str) or not _VENUE_NAME.fullmatch(name):
            raise FormError(f"venue name {clean_line(str(name))[:40]!r} is not a field name such as journal")
        line = _one_line(f"venue {name}", text)
        if line:
            venue[name] = line
    return venue


def _type(value: Any, paper: Paper) -> str:
    text = _one_line("type", value).lower()
    if not text:
        return paper_type(paper)
    if text == "article":  # BibTeX's @article, a journal's; CSL's own "article" (a preprint) is rare
        return "article-journal"
    if text in CSL_TYPE_NAMES:
        return text
    if text in CSL_TYPES:  # a BibTeX type
        return CSL_TYPES[text]
    raise FormError(f"type {text[:40]!r} is not a CSL type (article-journal, paper-conference, chapter, book, ...) "
                    "nor a BibTeX one (article, inproceedings, incollection, ...)")  # fmt: skip


def _key(value: Any, paper: Paper) -> str | None:
    text = _one_line("key", value)
    if not text:
        if paper.key:
            raise FormError("key cannot be empty: exports cite the paper by it")
        return None
    if not _KEY.fullmatch(text):
        raise FormError(f"key {text[:40]!r} has a space or one of \" # % ' ( ) , = {{ }} \\ ~ $ ^, or is too long")
    return text


def _doi(value: Any, paper: Paper) -> str | None:
    text = _one_line("doi", value)
    if not text:
        return None
    try:
        return normalize_doi(text)
    except BadInput as exc:
        raise FormError(f"doi: {exc}") from None


def _url(value: Any, paper: Paper) -> str | None:
    text = _one_line("url", value)
    if not text:
        return None
    if not re.match(r"https?://[^\s/]+\S*$", text, re.IGNORECASE) or len(text) > 2000:
        raise FormError(f"url {text[:60]!r} is not an http(s) address")
    return text


def _abstract(value: Any, paper: Paper) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise FormError("abstract must be text")
    text = clean_text(str(value)).strip()
    if len(text) > 10 * MAX_TEXT:
        raise FormError(f"abstract is longer than {10 * MAX_TEXT:,} characters")
    return text


_CHECKS = {
    "title": _title, "authors": _authors, "year": _year, "venue": _venue, "type": _type, "key": _key,
    "doi": _doi, "url": _url, "abstract": _abstract,
}  # fmt: skip


def edit_in_editor(paper: Paper, editor: Any) -> dict[str, Any] | None:
    """Open the paper's form in the editor until it checks; the changes ({}: none), or None for an empty file.

    A form that does not check reopens as saved, with the problem at the top. Closing it again
    without a change gives up: BadInput naming the problem, and nothing is changed. ``editor`` is the
    configured editor command, handed to :func:`readlist.core.editor.edit_text` as it is.
    """
    from readlist.core.editor import edit_text

    text = render_form(paper)
    problem: str | None = None
    while True:
        saved = edit_text(text, editor)
        if not saved.strip():
            return None
        if problem is not None and saved == text:  # closed without fixing it: stop asking
            raise BadInput(f"{paper.id} unchanged: {problem}")
        try:
            return read_form(saved, paper)
        except FormError as exc:
            problem = str(exc)
            text = with_problem(saved, problem)


def with_problem(text: str, problem: str) -> str:
    """The form as the user saved it, with the problem at the top (in place of the last one)."""
    lines = text.splitlines(keepends=True)
    while lines and lines[0].startswith("# ERROR: "):
        lines.pop(0)
    if lines and lines[0].strip() == "#":
        lines.pop(0)
    top = "".join(f"# ERROR: {clean_line(line)}\n" for line in clean_text(problem).splitlines()) + "#\n"
    return top + "".join(lines)
