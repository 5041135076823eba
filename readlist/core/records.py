"""What a stored record may hold: checked and cleaned as library.json is read.

library.json is a file people edit by hand, sync between machines and
restore from backups, so its records are outside text like any other. Each
record is checked against the shape readlist writes (a title is text, tags
are a list of text, a status is one of four words) and its text is cleaned
with :mod:`readlist.core.clean`. A record that does not fit is never guessed
at: reading commands skip it and name it, writing commands refuse to run
until it is fixed, so nothing the user wrote is rewritten silently.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import orjson

from readlist.core.clean import clean_line, clean_value, excerpt
from readlist.core.links import browsable

Record = dict[str, Any]
Check = Callable[[Any], bool]

# Fields whose text may span lines; every other string is one line.
MULTILINE_FIELDS = frozenset({"abstract", "notes", "blurb", "comment", "annote", "note", "summary", "why"})
# The characters clean_text/clean_line would change (see readlist.core.clean); one regex pass per string.
_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _is_str(value: Any) -> bool:
    return isinstance(value, str)


def _is_opt_str(value: Any) -> bool:
    return value is None or isinstance(value, str)


def _is_opt_int(value: Any) -> bool:
    return value is None or (isinstance(value, int) and not isinstance(value, bool))


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_bool(value: Any) -> bool:
    return isinstance(value, bool)


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _is_dict_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, dict) for v in value)


def _is_pair_list(value: Any) -> bool:
    return isinstance(value, list) and all(
        isinstance(v, list) and len(v) == 2 and isinstance(v[0], str) and isinstance(v[1], str) for v in value
    )


def _is_opt_dict(value: Any) -> bool:
    return value is None or isinstance(value, dict)


def _is_str_dict(value: Any) -> bool:
    return value is None or (isinstance(value, dict) and all(isinstance(v, str) for v in value.values()))


def _one_of(*allowed: str) -> Check:
    return lambda value: value in allowed


_TYPE_NAMES: dict[Check, str] = {
    _is_str: "text",
    _is_opt_str: "text or null",
    _is_opt_int: "a whole number or null",
    _is_int: "a whole number",
    _is_bool: "true or false",
    _is_str_list: "a list of text",
    _is_dict_list: "a list of objects",
    _is_opt_dict: "an object or null",
    _is_pair_list: "a list of [status, date] pairs",
    _is_str_dict: "an object of text or null",
}

PAPER_FIELDS: dict[str, Check] = {
    "id": _is_str, "title": _is_str, "version": _is_opt_str, "authors": _is_str_list, "year": _is_opt_int,
    "published": _is_opt_str, "updated": _is_opt_str, "abstract": _is_str, "categories": _is_str_list,
    "primary_category": _is_opt_str, "url": _is_opt_str, "pdf_url": _is_opt_str, "doi": _is_opt_str,
    "journal_ref": _is_opt_str, "comment": _is_opt_str,
    "status": _one_of("to-read", "reading", "read", "dropped"),
    "status_history": _is_dict_list, "tags": _is_str_list, "notes": _is_str, "blurb": _is_str,
    "added": _is_str, "modified": _is_opt_str, "pending": _is_bool, "source": _is_str,
    "latest_version": _is_opt_str,
    "key": _is_opt_str, "venue": _is_str_dict, "origin": _is_opt_dict, "other_entries": _is_dict_list,
    "type": _is_opt_str, "edited": _is_str_list,
    "files": _is_dict_list,
    "seq": _is_opt_int, "text": _is_str, "other_keys": _is_str_list,
    "history": _is_pair_list,  # status changes after the first, as stored since schema 3 (readlist.core.light)
}  # fmt: skip

SUGGESTION_FIELDS: dict[str, Check] = {
    "key": _is_str, "title": _is_str, "arxiv_id": _is_opt_str, "authors": _is_str_list, "blurb": _is_str,
    "url": _is_opt_str, "links": _is_dict_list, "doi": _is_opt_str, "picks": _is_dict_list,
    "state": _one_of("new", "accepted", "dismissed"), "state_date": _is_opt_str, "first_seen": _is_str,
    "metadata": _is_opt_dict,
}  # fmt: skip

PICK_FIELDS: dict[str, Check] = {"source": _is_str, "month": _is_str, "rank": _is_int}

# The field each table keys its records by (None: no key field, any object).
TABLE_SHAPES: dict[str, tuple[str | None, dict[str, Check]]] = {
    "papers": ("id", PAPER_FIELDS),
    "suggestions": ("key", SUGGESTION_FIELDS),
}


def _describe(check: Check, value: Any) -> str:
    wanted = _TYPE_NAMES.get(check, "one of the known words")
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:39] + "…"
    return f"is {clean_line(shown)}, not {wanted}"


def problem(table: str, key: str, record: Any) -> str | None:
    """Why a stored record does not fit its table's shape, or None when it does."""
    if not isinstance(record, dict):
        return f"is {type(record).__name__}, not an object"
    shape = TABLE_SHAPES.get(table)
    if shape is None:
        return None
    key_field, fields = shape
    if key_field is not None:
        if key_field not in record:
            return f"has no {key_field!r}"
        if record[key_field] != key:
            return f"is stored under {clean_line(key)!r} but its {key_field} is {clean_line(str(record[key_field]))!r}"
    for name, check in fields.items():
        if name in record and not check(record[name]):
            return f"{name} {_describe(check, record[name])}"
    if table == "suggestions":
        for pick in record.get("picks", ()):
            for name, check in PICK_FIELDS.items():
                if not check(pick.get(name)):
                    return f"a pick's {name} {_describe(check, pick.get(name))}"
    return None


LINK_FIELDS = ("url", "pdf_url")
"""Links a browser may be handed: only absolute http(s) URLs are kept (see :mod:`readlist.core.links`)."""


def _bad_links(record: Mapping[str, Any]) -> list[str]:
    return [name for name in LINK_FIELDS if record.get(name) is not None and not browsable(record[name])]


def dropped_values(table: str, key: str, record: Mapping[str, Any]) -> list[str]:
    """One line per value :func:`clean_record` drops from the record (a link that is not http(s))."""
    shown = clean_line(key if len(key) <= 60 else key[:59] + "…")
    return [
        f"{table} record {shown!r}: its {name} {excerpt(record[name])} is not an http(s) URL; ignored"
        for name in _bad_links(record)
    ]


# The same characters in a record's JSON (orjson's): C0 controls but tab and newline are escaped (\b, \f, \r,
# \u00XX), the others appear as their UTF-8 bytes (DEL as itself).
_UNSAFE_UTF8 = re.compile(rb"\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]")
_ESCAPES = re.compile(rb"\\(?:u00|[bfr])")


def _clean_json(data: bytes) -> bool:
    """Whether a record's JSON shows it clean: no unsafe character, and at most 32 brackets (each level
    opens one, so it is no deeper than clean_value allows). False may be wrong (a backslash in the text
    before a ``b`` reads as an escape here): the caller then looks the slow way."""
    if data.count(b"{") + data.count(b"[") > 32 or b"\x7f" in data:
        return False
    if not data.isascii() and (b"\xc2" in data or b"\xe2" in data) and _UNSAFE_UTF8.search(data) is not None:
        return False
    # The escapes of those characters (\u00XX, \b, \f, \r): one search (four substring tests cost ~5 us a record).
    return b"\\" not in data or _ESCAPES.search(data) is None


def clean_json(record: Mapping[str, Any]) -> bytes | None:
    """The record's JSON when it shows the record clean (no link to drop, no character to clean, not too deep);
    None when it may not be (:func:`needs_cleaning` then decides, the slow way)."""
    if _bad_links(record):
        return None
    try:
        data = orjson.dumps(record)
    except TypeError:  # lone surrogates, values that are not JSON
        return None
    return data if _clean_json(data) else None


def needs_cleaning(record: Mapping[str, Any]) -> bool:
    """Whether any text in the record holds a character readlist never stores, or a link it never opens."""
    if _bad_links(record):
        return True
    # Fast: a few scans of the record's JSON (orjson's, in C) instead of a walk over every value in Python.
    try:
        data = orjson.dumps(record)
    except TypeError:  # lone surrogates, values that are not JSON: the slow way decides
        pass
    else:
        if _clean_json(data):
            return False
    for value in record.values():
        if isinstance(value, str):
            if _UNSAFE.search(value) is not None:
                return True
        elif isinstance(value, list | dict) and value and _nested_needs_cleaning(value):
            return True
    return False


def _nested_needs_cleaning(value: Any, depth: int = 0) -> bool:
    if depth > 32:
        return True  # clean_value will refuse it
    if isinstance(value, str):
        return _UNSAFE.search(value) is not None
    if isinstance(value, dict):
        return any(_UNSAFE.search(str(k)) or _nested_needs_cleaning(v, depth + 1) for k, v in value.items())
    if isinstance(value, list):
        return any(_nested_needs_cleaning(v, depth + 1) for v in value)
    return False


def clean_record(record: Mapping[str, Any]) -> Record:
    """The record with every string cleaned (multi-line fields keep their newlines), and without a link
    that is not an http(s) URL.

    Raises ValueError when the record is nested deeper than any readlist writes.
    """
    cleaned: Record = clean_value(record, MULTILINE_FIELDS)
    for name in _bad_links(cleaned):
        cleaned[name] = None
    return cleaned
