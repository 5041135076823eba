"""Where readlist keeps its files, and its settings.

Settings come from one TOML file (``$READLIST_CONFIG``, default ``config.toml``
in the platform's user config directory); environment variables override it.
Nothing here writes the config file or creates directories: paths are computed
on demand so that importing this module has no side effects.
"""

from __future__ import annotations

import contextlib
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from readlist.core.clean import clean_line, excerpt
from readlist.core.errors import BadInput

APP_NAME = "readlist"
DEFAULT_ARXIV_API = "https://export.arxiv.org/api/query"
DEFAULT_DOI_API = "https://doi.org"
_EMAIL = re.compile(r"[^@\s<>()\[\];:,\\\"]+@[^@\s<>()\[\];:,\\\"]+\.[A-Za-z]{2,}")
DEFAULT_ARXIV_PDF = "https://arxiv.org/pdf/{id}"
DOWNLOAD_PDFS = ("never", "on-add", "on-accept")


def default_home() -> Path:
    """The platform's user data directory for readlist."""
    import platformdirs

    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_cache() -> Path:
    """The platform's user cache directory for readlist (derived data only: safe to delete)."""
    import platformdirs

    return platformdirs.user_cache_path(APP_NAME, appauthor=False)


def config_path(environ: Mapping[str, str] = os.environ) -> Path:
    """``$READLIST_CONFIG``, else ``config.toml`` in the user config directory."""
    if environ.get("READLIST_CONFIG"):
        return Path(environ["READLIST_CONFIG"]).expanduser()
    import platformdirs

    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "config.toml"


@dataclass(frozen=True)
class Settings:
    """Everything configurable, loaded once per process by :func:`load_settings`."""

    home: Path
    """Folder holding library.json and its backup (``READLIST_HOME``, ``home``)."""
    arxiv_api: str = DEFAULT_ARXIV_API
    """arXiv query endpoint (``READLIST_ARXIV_API``, ``arxiv_api``)."""
    arxiv_delay: float = 3.0
    """Seconds between two arXiv requests (``READLIST_ARXIV_DELAY``, ``arxiv_delay``)."""
    http_timeout: float = 15.0
    """Seconds one HTTP request may take, connect to last byte (``READLIST_HTTP_TIMEOUT``, ``http_timeout``)."""
    max_document_mb: float = 20.0
    """Largest document readlist reads, in MB: an HTTP answer, a file given to ``pull --from``, a
    Markdown note in an import folder (``READLIST_MAX_DOCUMENT_MB``, ``max_document_mb``)."""
    editor: str | tuple[str, ...] | None = None
    """Command for editing notes (``editor``: a command line, or a list of its words such as
    ``["code", "-w"]``; else ``$VISUAL``, ``$EDITOR``)."""
    sources: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    """Per-source tables of the config file (``[sources.NAME]``), read by readlist.sources."""
    config_file: Path | None = None
    """The config file these settings were read from, if it exists."""
    cache_dir: Path = field(default_factory=default_cache)
    """Folder for derived data such as the ranking's vectors (``READLIST_CACHE``, ``cache_dir``).
    Deleting it loses nothing: readlist rebuilds what it needs."""
    doi_api: str = DEFAULT_DOI_API
    """The DOI resolver asked for a DOI's CSL JSON, as ``{doi_api}/{doi}`` (``READLIST_DOI_API``, ``doi_api``)."""
    contact_email: str | None = None
    """An address the DOI resolver may write to, sent in the User-Agent as its polite pool asks
    (``contact_email``; unset: none is sent)."""
    bibtex_notes_field: str = "annote"
    """The BibTeX field that holds a paper's notes in imports and exports (``[bibtex] notes_field``)."""
    keys: Mapping[str, str] = field(default_factory=dict)
    """The TUI's keys the user rebound (``[keys]``): an action's id to its keys, comma-separated. Which ids
    exist and which keys clash is the TUI's to check (readlist.tui.keymap)."""
    arxiv_pdf: str = DEFAULT_ARXIV_PDF
    """Where `readlist pdf` fetches an arXiv paper's PDF: ``{id}`` is the id without version, with the saved
    version appended when the paper was saved at a chosen one (``READLIST_ARXIV_PDF``, ``arxiv_pdf``)."""
    download_pdfs: str = "never"
    """Fetch the PDF of arXiv papers as they are added or accepted: never, on-add or on-accept
    (``READLIST_DOWNLOAD_PDFS``, ``download_pdfs``)."""
    max_pdf_mb: float = 100.0
    """Largest file `pdf` downloads or `attach` copies, in MB (``READLIST_MAX_PDF_MB``, ``max_pdf_mb``)."""
    pdf_max_pages: int = 2000
    """Pages of one PDF whose text is extracted and searched; the rest are left out, and said so
    (``READLIST_PDF_MAX_PAGES``, ``pdf_max_pages``)."""
    pdf_seconds: float = 60.0
    """Time one PDF's text extraction may take, in its own process (``READLIST_PDF_SECONDS``, ``pdf_seconds``)."""
    pdf_viewer: str | None = None
    """Command that opens local PDFs, e.g. ``zathura`` (``READLIST_PDF_VIEWER``, ``pdf_viewer``); evince,
    okular, zathura and mupdf are opened at a search hit's page. Unset: the platform's opener."""
    pdf_memory_mb: float = 1024.0
    """Memory (address space) that process may use, in MB (``READLIST_PDF_MEMORY_MB``, ``pdf_memory_mb``)."""

    @property
    def library_path(self) -> Path:
        return self.home / "library.json"

    @property
    def max_document_bytes(self) -> int:
        """:attr:`max_document_mb` in bytes."""
        return int(self.max_document_mb * 1_000_000)

    @property
    def max_pdf_bytes(self) -> int:
        """:attr:`max_pdf_mb` in bytes."""
        return int(self.max_pdf_mb * 1_000_000)


_ENV_FIELDS = {
    "READLIST_HOME": "home",
    "READLIST_ARXIV_API": "arxiv_api",
    "READLIST_ARXIV_DELAY": "arxiv_delay",
    "READLIST_HTTP_TIMEOUT": "http_timeout",
    "READLIST_MAX_DOCUMENT_MB": "max_document_mb",
    "READLIST_CACHE": "cache_dir",
    "READLIST_DOI_API": "doi_api",
    "READLIST_ARXIV_PDF": "arxiv_pdf",
    "READLIST_DOWNLOAD_PDFS": "download_pdfs",
    "READLIST_MAX_PDF_MB": "max_pdf_mb",
    "READLIST_PDF_MAX_PAGES": "pdf_max_pages",
    "READLIST_PDF_SECONDS": "pdf_seconds",
    "READLIST_PDF_MEMORY_MB": "pdf_memory_mb",
    "READLIST_PDF_VIEWER": "pdf_viewer",
}

# The numbers a setting accepts: (lowest, whether the lowest itself is allowed, highest, unit).
_RANGES: dict[str, tuple[float, bool, float, str]] = {
    "arxiv_delay": (0.0, True, 60.0, "seconds"),
    "http_timeout": (0.0, False, 600.0, "seconds"),
    "max_document_mb": (0.0, False, 1000.0, "MB"),
    "max_pdf_mb": (0.0, False, 10000.0, "MB"),
    "pdf_max_pages": (1.0, True, 100000.0, "pages"),
    "pdf_seconds": (0.0, False, 3600.0, "seconds"),
    "pdf_memory_mb": (64.0, True, 65536.0, "MB"),
}
_WHOLE = frozenset({"pdf_max_pages"})


def _number(name: str, value: object, source: str) -> float:
    """A finite number in the setting's range, else BadInput naming the setting, where it was set and the range."""
    low, low_ok, high, unit = _RANGES[name]
    bound = f"{'at least' if low_ok else 'more than'} {low:g} and at most {high:g} {unit}"
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        with contextlib.suppress(ValueError):
            number = float(value)
    if number is None:
        raise BadInput(f"{name} in {source} must be a number of {unit}, not {excerpt(value)}; nothing was changed")
    if number < 0:
        raise BadInput(
            f"{name} in {source} must not be negative, got {excerpt(value)} (use {bound}); nothing was changed"
        )
    if not (math.isfinite(number) and (number >= low if low_ok else number > low) and number <= high):
        raise BadInput(f"{name} in {source} must be {bound}, not {excerpt(value)}; nothing was changed")
    return number


def _toml_type(value: object) -> str:
    names = {bool: "a boolean", int: "a number", float: "a number", list: "a list", dict: "a table"}
    return next((words for kind, words in names.items() if isinstance(value, kind)), "a date")


def _editor(value: object, where: str) -> str | tuple[str, ...] | None:
    """``editor`` from config.toml: a command line (text), or the words of one (a list of text)."""
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(word, str) for word in value):
        return tuple(value)
    raise BadInput(
        f'editor in {where} must be a command as text ("code -w") or a list of text (["code", "-w"]), '
        f"not {_toml_type(value)} {excerpt(value)}; nothing was changed"
    )


def load_settings(environ: Mapping[str, str] = os.environ) -> Settings:
    """Read the config file, then let environment variables override it."""
    path = config_path(environ)
    values: dict[str, Any] = {}
    source_file: Path | None = None
    if path.is_file():
        import tomllib  # only when there is a file to read (~2 ms of start-up otherwise)

        try:
            values = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise BadInput(f"cannot read the config file {path}: {clean_line(str(exc))[:160]}") from None
        source_file = path
    raw: dict[str, tuple[object, str]] = {
        key: (values[key], str(path)) for key in _ENV_FIELDS.values() if key in values
    }
    for var, key in _ENV_FIELDS.items():
        if environ.get(var):
            raw[key] = (environ[var], var)

    for key in ("home", "cache_dir"):
        if key in raw and not isinstance(raw[key][0], str):
            value, where = raw[key]
            raise BadInput(
                f'{key} in {where} must be a folder path as text (a TOML string such as "~/papers"), '
                f"not {_toml_type(value)} {excerpt(value)}; nothing was changed"
            )
    home_value = raw.get("home", (None, ""))[0]
    home = Path(str(home_value)).expanduser() if home_value else default_home()
    settings: dict[str, Any] = {"home": home, "config_file": source_file}
    if raw.get("cache_dir", (None, ""))[0]:
        settings["cache_dir"] = Path(str(raw["cache_dir"][0])).expanduser()
    if "arxiv_api" in raw:
        api, where = raw["arxiv_api"]
        if not isinstance(api, str) or not api.startswith(("http://", "https://")):
            raise BadInput(f"arxiv_api in {where} must be an http(s) URL, not {excerpt(api)}; nothing was changed")
        settings["arxiv_api"] = api
    if "doi_api" in raw:
        api, where = raw["doi_api"]
        if not isinstance(api, str) or not api.startswith(("http://", "https://")) or not api.isprintable():
            raise BadInput(f"doi_api in {where} must be an http(s) URL, not {excerpt(api)}; nothing was changed")
        settings["doi_api"] = api
    contact = values.get("contact_email")
    if contact is not None and contact != "":
        if (
            not isinstance(contact, str)
            or len(contact) > 254
            or not (contact.isascii() and contact.isprintable())
            or not _EMAIL.fullmatch(contact)
        ):
            raise BadInput(
                f"contact_email in {path} must be an e-mail address such as you@example.org, "
                f"not {excerpt(contact)}; nothing was changed"
            )
        settings["contact_email"] = contact
    for key in _RANGES:
        if key in raw:
            number = _number(key, *raw[key])
            settings[key] = int(number) if key in _WHOLE else number
    if "arxiv_pdf" in raw:
        template, where = raw["arxiv_pdf"]
        if not isinstance(template, str) or not template.startswith(("http://", "https://")) or "{id}" not in template:
            raise BadInput(
                f"arxiv_pdf in {where} must be an http(s) URL with {{id}} in it (like {DEFAULT_ARXIV_PDF}), "
                f"not {excerpt(template)}; nothing was changed"
            )
        settings["arxiv_pdf"] = template
    if "pdf_viewer" in raw:
        viewer, where = raw["pdf_viewer"]
        if not isinstance(viewer, str):
            raise BadInput(f"pdf_viewer in {where} must be a command, not {excerpt(viewer)}; nothing was changed")
        settings["pdf_viewer"] = viewer
    if "download_pdfs" in raw:
        when, where = raw["download_pdfs"]
        if when not in DOWNLOAD_PDFS:
            raise BadInput(
                f"download_pdfs in {where} must be one of {', '.join(DOWNLOAD_PDFS)}, not {excerpt(when)}; "
                "nothing was changed"
            )
        settings["download_pdfs"] = when
    settings["editor"] = _editor(values.get("editor"), str(path)) or environ.get("VISUAL") or environ.get("EDITOR")
    sources = values.get("sources", {})
    if not isinstance(sources, dict) or not all(isinstance(table, dict) for table in sources.values()):
        raise BadInput(f"[sources] in {path} must be a table of tables ([sources.NAME]); nothing was changed")
    settings["sources"] = sources
    bibtex = values.get("bibtex", {})
    notes_field = bibtex.get("notes_field") if isinstance(bibtex, dict) else None
    if notes_field is not None:
        if not isinstance(notes_field, str) or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_\-]*", notes_field):
            raise BadInput(
                f"[bibtex] notes_field in {path} must be a BibTeX field name such as annote, "
                f"not {excerpt(notes_field)}; nothing was changed"
            )
        settings["bibtex_notes_field"] = notes_field
    settings["keys"] = _keys(values.get("keys", {}), path)
    return Settings(**settings)


def _keys(table: object, path: Path) -> dict[str, str]:
    """``[keys]``: each action id to a key or a list of keys (kept as Textual's comma-separated string)."""
    if not isinstance(table, dict):
        raise BadInput(f'[keys] in {path} must be a table such as "move(1)" = "down,j"; nothing was changed')
    keys: dict[str, str] = {}
    for name, value in table.items():
        listed = value if isinstance(value, list) else [value]
        if not listed or not all(isinstance(k, str) and k.strip() and k == clean_line(k) for k in listed):
            raise BadInput(
                f'[keys] {excerpt(name)} in {path} must be a key or a list of keys ("j", ["down", "j"]), '
                f"not {excerpt(value)}; nothing was changed"
            )
        keys[str(name)] = ",".join(k.strip() for k in listed)
    return keys
