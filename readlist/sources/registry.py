"""The built-in sources, their defaults, and the ``[sources.NAME]`` tables that override them.

config.toml::

    [sources.zeta-alpha]            # Zeta Alpha's monthly "Best of arXiv" / "Trends in AI" posts
    url = "https://www.zeta-alpha.com/blog"     # the blog's listing page or its RSS/Atom feed
    enabled = true

    [sources.papers-of-the-week]    # dair-ai's ML Papers of the Week ({year} is replaced)
    url = "https://raw.githubusercontent.com/dair-ai/ML-Papers-of-the-Week/main/README.md"

    [sources.hf-daily]              # Hugging Face daily papers API; the month's `top` most upvoted
    url = "https://huggingface.co/api/daily_papers"
    top = 30                        # keep the month's 30 most upvoted papers

    [sources.builtin]               # the January 2021 selection shipped with readlist
    enabled = true

Any other ``[sources.NAME]`` table with a ``url`` is a list of your own (a
Markdown/HTML page or a plain list of arXiv ids; ``{month}`` and ``{year}`` in
the URL are replaced), pulled like the built-in ones.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from readlist.core.config import Settings
from readlist.core.errors import BadInput

ZETA_ALPHA = "zeta-alpha"
PAPERS_OF_THE_WEEK = "papers-of-the-week"
HF_DAILY = "hf-daily"
BUILTIN = "builtin"

DEFAULTS: dict[str, dict[str, Any]] = {
    ZETA_ALPHA: {"url": "https://www.zeta-alpha.com/blog", "enabled": True},
    PAPERS_OF_THE_WEEK: {
        "url": "https://raw.githubusercontent.com/dair-ai/ML-Papers-of-the-Week/main/README.md",
        "enabled": True,
    },
    HF_DAILY: {"url": "https://huggingface.co/api/daily_papers", "enabled": True, "top": 30},
}

READS: dict[str, str] = {ZETA_ALPHA: "blog", HF_DAILY: "daily"}
"""How a built-in source's months are read (see :class:`SourceConfig`); every other source reads a document."""

LABELS = {
    ZETA_ALPHA: "Best of arXiv",
    PAPERS_OF_THE_WEEK: "ML Papers of the Week",
    HF_DAILY: "Hugging Face daily papers",
    "best-of-arxiv": "Best of arXiv",
}
_WORDS = {"arxiv": "arXiv", "ai": "AI", "of": "of", "the": "the", "hf": "HF", "ml": "ML", "nlp": "NLP"}


def source_label(source: str) -> str:
    """A source's name for people, the same in the CLI and the TUI: "Best of arXiv" for zeta-alpha, and a
    list of your own by its name in words ("my-ml-list" -> "My ML List")."""
    if source in LABELS:
        return LABELS[source]
    words = [w for w in source.replace("_", "-").split("-") if w]
    if not words:
        return source
    out = [_WORDS.get(w.lower(), w.capitalize()) for w in words]
    out[0] = out[0][0].upper() + out[0][1:]
    return " ".join(out)


@dataclass(frozen=True)
class SourceConfig:
    name: str
    url: str
    enabled: bool = True
    options: Mapping[str, Any] = field(default_factory=dict)
    reads: str = "document"
    """How its months are read: "blog" (the month's post, found in the blog's listing or feed), "daily" (one
    answer per day of the month) or "document" (a document per year or per month, ``{year}``/``{month}``)."""

    @property
    def label(self) -> str:
        return source_label(self.name)

    @property
    def builtin(self) -> bool:
        return self.name in DEFAULTS


def _where(settings: Settings) -> str:
    return str(settings.config_file) if settings.config_file else "config.toml"


def _table(settings: Settings, name: str) -> Mapping[str, Any]:
    table = settings.sources.get(name, {})
    if not isinstance(table, Mapping):
        raise BadInput(f"[sources.{name}] in {_where(settings)} must be a table (url = ..., enabled = ...)")
    return table


def _enabled(settings: Settings, name: str, table: Mapping[str, Any], default: bool) -> bool:
    value = table.get("enabled", default)
    if not isinstance(value, bool):
        raise BadInput(f"enabled in [sources.{name}] of {_where(settings)} must be true or false, not {value!r}")
    return value


def sources(settings: Settings) -> list[SourceConfig]:
    """Every configured source (built-in ones first), enabled or not."""
    out = []
    for name, default in DEFAULTS.items():
        table = _table(settings, name)
        url = table.get("url", default["url"])
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise BadInput(f"url in [sources.{name}] of {_where(settings)} must be an http(s) URL, not {url!r}")
        options = {k: v for k, v in {**default, **table}.items() if k not in ("url", "enabled")}
        enabled = _enabled(settings, name, table, default["enabled"])
        out.append(SourceConfig(name, url, enabled, options, reads=READS.get(name, "document")))
    for name in settings.sources:
        if name in DEFAULTS or name == BUILTIN:
            continue
        table = _table(settings, name)
        url = table.get("url")
        if not isinstance(url, str) or not url.startswith(("http://", "https://")):
            raise BadInput(f'[sources.{name}] in {_where(settings)} needs url = "https://..." (a list to pull)')
        options = {k: v for k, v in table.items() if k not in ("url", "enabled")}
        out.append(SourceConfig(name, url, _enabled(settings, name, table, True), options))
    return out


def top(source: SourceConfig, default: int = 30) -> int:
    value = source.options.get("top", default)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise BadInput(f"top in [sources.{source.name}] must be a positive whole number, not {value!r}")
    return value
