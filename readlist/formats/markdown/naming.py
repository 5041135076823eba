"""File names for exported papers: readable, stable, safe on every OS, never shared.

A name is ``<id part> <title slug>.md``, e.g.
``2101.03961 switch-transformers-scaling-to-trillion-parameter.md`` or
``hep-th_9711200 the-large-n-limit-of-superconformal-field.md``.

* The id part comes first and never holds a space; the slug never holds one
  either, so the name splits back at its first space. The id part is an
  injective encoding of the id: arXiv ids and simple DOIs / manual slugs only
  have ``/`` and ``:`` replaced by ``_`` (neither id holds ``_``); any other
  id is cut down to safe characters and marked with ``+`` and a hash of the
  exact id, so two papers can never get the same name, even on a file system
  that ignores case.
* Only ASCII letters, digits, ``. - _ +`` and one space: nothing Windows,
  macOS or Linux reserves, no leading dot, no trailing dot or space.
* Bounded length (at most ~110 characters), far below every OS limit.
"""

from __future__ import annotations

import hashlib
import re

from readlist.core.models import Paper, slugify
from readlist.core.refs import match_id

SLUG_LIMIT = 48
ID_LIMIT = 48
_SIMPLE_REST = re.compile(r"[a-z0-9][a-z0-9.\-]*(?:/[a-z0-9.\-]+)*")


def id_part(paper_id: str) -> str:
    """The id as it appears at the start of a file name (see the module doc)."""
    ref = match_id(paper_id)
    if ref is not None and ref.id == paper_id:
        return paper_id.replace("/", "_")
    prefix, sep, rest = paper_id.partition(":")
    if sep and prefix in ("doi", "manual") and _SIMPLE_REST.fullmatch(rest) and len(rest) <= ID_LIMIT:
        return f"{prefix}_{rest.replace('/', '_')}"
    cleaned = re.sub(r"[^a-z0-9.\-]+", "-", paper_id.lower()).strip(".-")[:ID_LIMIT].rstrip(".-")
    digest = hashlib.sha256(paper_id.encode("utf-8")).hexdigest()[:10]
    return f"{cleaned or 'paper'}+{digest}"


def title_slug(title: str) -> str:
    """The title's slug, cut at a word boundary within SLUG_LIMIT characters."""
    slug = slugify(title or "untitled", 1000)
    if len(slug) <= SLUG_LIMIT:
        return slug
    cut = slug[: SLUG_LIMIT + 1].rsplit("-", 1)[0]
    return cut if len(cut) >= SLUG_LIMIT // 2 else slug[:SLUG_LIMIT].rstrip("-")


def paper_file_name(paper: Paper) -> str:
    """The file name of one paper's Markdown file."""
    return f"{id_part(paper.id)} {title_slug(paper.title)}.md"
