"""Markdown export: one digest, or a directory of per-paper files with an index.

``export_markdown`` is what the CLI (`readlist export markdown`) and the TUI's
command palette call. Output depends only on the library (sorted, no export
time), so the same library always gives byte-identical files.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any
from urllib.parse import quote

from readlist.core.clean import clean_line, clean_text, excerpt
from readlist.core.errors import BadInput, ReadlistError
from readlist.core.files import kind
from readlist.core.library import Library
from readlist.core.models import Paper, Status
from readlist.core.query import Query
from readlist.formats.files import (
    MANIFEST_NAME,
    read_manifest,
    sha256,
    special_file,
    write_atomic,
    write_export,
    write_manifest,
)
from readlist.formats.markdown.document import DocumentError, render_document
from readlist.formats.markdown.naming import paper_file_name
from readlist.formats.markdown.sync import (
    INDEX_NAME,
    Found,
    file_status,
    file_tags,
    manifest_entry,
    norm_notes,
    paper_state,
    read_found,
    scan,
)
from readlist.formats.select import select_papers, stable_order

GROUP_BY = ("status", "tag", "month")
STATUS_TITLES = {"to-read": "To read", "reading": "Reading", "read": "Read", "dropped": "Dropped"}
MAX_AUTHORS = 10


def export_markdown(
    library: Library,
    out: Path | None,
    *,
    status: Status | str | None = None,
    tag: str | None = None,
    since: str | None = None,
    group_by: str = "status",
    force: bool = False,
    query: str | Query | None = None,
) -> str | None:
    """Export the (filtered) library as Markdown.

    ``out`` None: return the digest text. ``out`` ending in ``.md``: write the
    digest there (a regular file, or a symlink to one; an existing file that
    readlist did not write there needs ``force``). Any other ``out``: a
    directory with one file per paper and an ``index.md``; files edited since
    the last export and not imported yet are not overwritten (ReadlistError
    naming them) unless ``force``. Only regular files are read or replaced in
    it: others are skipped and named. Returns a one-line summary when it wrote
    files.
    """
    if group_by not in GROUP_BY:
        raise BadInput(f"cannot group by {excerpt(group_by)}: use one of {', '.join(GROUP_BY)}")
    papers = select_papers(library.papers(), library, status=status, tag=tag, since=since, query=query)
    caption = _caption(len(papers), status, tag, since, group_by)
    if out is None:
        return render_digest(papers, group_by, caption)
    out = Path(out).expanduser()
    if out.suffix.lower() == ".md":
        if out.is_dir():
            raise BadInput(f"{out} is a directory: give a file name ending in .md for a digest, or another directory")
        write_export(out, render_digest(papers, group_by, caption), home=library.settings.home, force=force)
        return f"Wrote a digest of {_count(len(papers))} to {out}"
    if out.exists() and not out.is_dir():
        what = "a file" if out.is_file() else kind(out.stat().st_mode)
        raise BadInput(f"{out} is {what}: give a directory (one file per paper) or a path ending in .md (a digest)")
    if os.path.lexists(out) and not out.exists():
        target = os.path.realpath(out)
        raise BadInput(f"{out} is a symlink to {target}, which does not exist: create it, or give another folder")
    return _export_directory(out, papers, group_by, caption, force=force, limit=library.settings.max_document_bytes)


# -- the digest ------------------------------------------------------------


def render_digest(papers: list[Paper], group_by: str = "status", caption: str = "") -> str:
    lines = ["# Reading list", ""]
    if caption:
        lines += [caption, ""]
    for heading, members in group_papers(papers, group_by):
        lines += [f"## {heading} ({len(members)})", ""]
        for paper in members:
            lines += _digest_entry(paper)
    return "\n".join(lines).rstrip("\n") + "\n"


def _digest_entry(paper: Paper) -> list[str]:
    lines = [f"### {_link(_title(paper), paper_link(paper))}", "", _meta_line(paper), ""]
    if paper.notes.strip():
        lines += [quote_block(paper.notes), ""]
    return lines


def _title(paper: Paper) -> str:
    """The title to show, or the id when the title holds nothing printable."""
    return paper.title if clean_line(paper.title).strip() else paper.id


def _meta_line(paper: Paper) -> str:
    bits = []
    if paper.authors:
        names = paper.authors[:MAX_AUTHORS]
        more = len(paper.authors) - len(names)
        bits.append(md_text(", ".join(names) + (f" and {more} more" if more else "")))
    if paper.year:
        bits.append(str(paper.year))
    bits.append(md_text(f"arXiv:{paper.id}" if paper.is_arxiv else paper.id))
    bits.append(md_text(paper.status))
    if paper.tags:
        bits.append("tags: " + ", ".join(md_text(t) for t in paper.tags))
    return line_start(" · ".join(bits))


def group_papers(papers: Iterable[Paper], group_by: str) -> list[tuple[str, list[Paper]]]:
    """(escaped heading, papers in stable order) per group, groups in a fixed order."""
    ordered = stable_order(papers)
    groups: dict[str, list[Paper]] = {}
    if group_by == "status":
        rank = {s.value: i for i, s in enumerate(Status)}
        for paper in sorted(ordered, key=lambda p: (rank.get(p.status, len(rank)), p.status)):
            groups.setdefault(STATUS_TITLES.get(paper.status) or md_text(paper.status), []).append(paper)
        return list(groups.items())
    if group_by == "tag":
        for paper in ordered:
            for tag in paper.tags or [""]:
                groups.setdefault(tag, []).append(paper)
        keys = sorted(k for k in groups if k) + ([""] if "" in groups else [])
        return [(md_text(k) if k else "Untagged", groups[k]) for k in keys]
    for paper in ordered:
        month = (paper.added or "")[:7]
        groups.setdefault(month if re.fullmatch(r"\d{4}-\d\d", month) else "", []).append(paper)
    keys = sorted((k for k in groups if k), reverse=True) + ([""] if "" in groups else [])
    return [(f"Added {k}" if k else "Undated", groups[k]) for k in keys]


# -- Markdown text ---------------------------------------------------------

# Every character Markdown may read as syntax inside a line, escaped with a backslash: one str.replace
# pass per character (the backslash first), linear and ~10x faster than a regex or a translate table.
_INLINE_SPECIAL = "\\`*_[]<>|#~$&!{}"


def md_text(text: str) -> str:
    """Inline text that Markdown (CommonMark, GitHub, Obsidian) shows literally, on one line, without controls."""
    text = " ".join(clean_line(text).split())
    for char in _INLINE_SPECIAL:
        if char in text:
            text = text.replace(char, "\\" + char)
    return text


def line_start(text: str) -> str:
    """Escape what would make a line a list item, quote, heading or rule."""
    m = re.match(r"(\d{1,9})([.)])", text)
    if m:
        return m[1] + "\\" + text[len(m[1]) :]
    if text[:1] in ("-", "+", "=", ">"):
        return "\\" + text
    return text


def _link(text: str, url: str | None) -> str:
    label = md_text(text)
    return f"[{label}]({url})" if url else label


def safe_url(url: str) -> str:
    """A URL usable as a Markdown link target (spaces, parentheses and <> percent-encoded)."""
    return quote(clean_line(url).strip(), safe=":/?#@!$&'*+,;=%~-._[]")


def paper_link(paper: Paper) -> str | None:
    url = paper.url or (f"https://doi.org/{paper.doi}" if paper.doi else None)
    return safe_url(url) if url else None


def quote_block(text: str) -> str:
    """Notes inside a block quote: whatever Markdown they hold stays inside it."""
    lines = clean_text(text).rstrip("\n").split("\n")
    return "\n".join(("> " + line) if line.strip() else ">" for line in lines)


def _count(n: int) -> str:
    return f"{n} paper{'s' if n != 1 else ''}"


def _caption(n: int, status: Status | str | None, tag: str | None, since: str | None, group_by: str) -> str:
    bits = [_count(n)]
    if status:
        bits.append(f"status {Status.parse(str(status)).value}")
    if tag:
        bits.append(f"tag {tag}")
    if since:
        bits.append(f"added since {since}")
    return md_text(", ".join(bits) + f"; grouped by {group_by}.")


# -- a directory of files --------------------------------------------------


def render_index(entries: list[tuple[Paper, str]], group_by: str, caption: str) -> str:
    names = {p.id: rel for p, rel in entries}
    lines = [
        "# Reading list",
        "",
        caption,
        "",
        "One file per paper. Edit notes, tags or status there, then run `readlist import markdown` on this folder.",
        "",
    ]
    for heading, members in group_papers([p for p, _ in entries], group_by):
        lines += [f"## {heading} ({len(members)})", ""]
        for paper in members:
            bits = [f"[{md_text(_title(paper))}]({quote(names[paper.id])})"]
            if paper.authors:
                bits.append(md_text(paper.first_author))
            if paper.year:
                bits.append(str(paper.year))
            if paper.tags:
                bits.append("tags: " + ", ".join(md_text(t) for t in paper.tags))
            lines.append("- " + " · ".join(bits))
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"


def _export_directory(out: Path, papers: list[Paper], group_by: str, caption: str, *, force: bool, limit: int) -> str:
    manifest = read_manifest(out) if out.is_dir() else {}
    existing = scan(out, quick=True, limit=limit) if out.is_dir() else []
    # A paper's file stays where it is if the user renamed or moved it.
    where: dict[str, str] = {}
    for found in existing:
        pid = found.paper_id
        if pid is not None and pid not in where:
            where[pid] = found.rel
    by_rel = {f.rel: f for f in existing}
    # Entries that are not regular files (or lead out of the folder) are neither read nor replaced.
    skipped = {f.rel: f.problem or "" for f in sorted(existing, key=lambda f: f.rel) if f.special}

    planned: list[tuple[str, bytes, Paper | None]] = []
    entries: list[tuple[Paper, str]] = []
    for paper in papers:
        default = paper_file_name(paper)
        rel = default if default in by_rel and by_rel[default].paper_id == paper.id else where.get(paper.id, default)
        entries.append((paper, rel))
        planned.append((rel, render_document(paper).encode("utf-8"), paper))
    planned.append((INDEX_NAME, render_index(entries, group_by, caption).encode("utf-8"), None))

    conflicts: list[str] = []
    writes: list[tuple[str, bytes]] = []
    unwritten: list[str] = []
    for rel, data, owner in planned:
        path = out / rel
        special = skipped.get(rel) or special_file(path, out)
        if special is not None:
            skipped[rel] = special
            unwritten.append(rel)
            continue
        if not path.exists():
            writes.append((rel, data))
            continue
        current = by_rel[rel] if rel in by_rel else read_found(path, rel, quick=True, root=out, limit=limit)
        if current.data == data:
            continue
        if current.document is None and current.problem is None:
            current = read_found(path, rel, root=out, limit=limit)  # the full document, to see what an overwrite loses
        entry = manifest_entry(manifest, rel, owner.id) if owner is not None else manifest.get(rel)
        if force or _safe_to_replace(current, entry, owner):
            writes.append((rel, data))
        else:
            conflicts.append(rel)
    if conflicts:
        shown = ", ".join(conflicts[:5]) + (f" and {len(conflicts) - 5} more" if len(conflicts) > 5 else "")
        raise ReadlistError(
            f"{len(conflicts)} file(s) in {out} changed since the last export and were not imported: {shown}; "
            f"nothing was written: run `readlist import markdown {out}` first, or export again with --force"
        )
    for rel, data in writes:
        write_atomic(out / rel, data.decode("utf-8"), durable=False)

    files = {rel: entry for rel, entry in manifest.items() if (out / rel).exists() and rel not in skipped}
    for rel, data, owner in planned:
        if rel in skipped:
            continue
        files[rel] = {"sha256": sha256(data)}
        if owner is not None:
            files[rel].update(id=owner.id, **paper_state(owner))
    manifest_problem = special_file(out / MANIFEST_NAME, out)
    if manifest_problem is not None:
        skipped[MANIFEST_NAME] = manifest_problem
    elif files != manifest:
        write_manifest(out, files)
    summary = f"Exported {_count(len(papers))} to {out} ({len(writes)} file(s) written, index in {out / INDEX_NAME})"
    if skipped:
        first = {rel: skipped[rel] for rel in unwritten}  # the files that were not written come first
        summary += "; skipped what is not a regular file in the folder: " + _listing({**first, **skipped})
    if unwritten:
        raise ReadlistError(
            f"{summary}; so {len(unwritten)} file(s) were not written: remove or rename those entries and export again"
        )
    return summary


def _listing(problems: dict[str, str]) -> str:
    items = [f"{rel} ({why.removeprefix('it is ')})" for rel, why in problems.items()]
    return ", ".join(items[:5]) + (f" and {len(items) - 5} more" if len(items) > 5 else "")


def _safe_to_replace(current: Found, entry: dict[str, Any] | None, paper: Paper | None) -> bool:
    """Whether overwriting ``current`` loses nothing: untouched since our export, or nothing to import."""
    if entry is not None and entry.get("sha256") == sha256(current.data):
        return True
    if paper is None or current.document is None or current.paper_id != paper.id:
        return False
    meta = current.document.meta
    try:
        tags = file_tags(meta["tags"]) if "tags" in meta else paper.tags
        status = file_status(meta["status"]) if "status" in meta else paper.status
    except (BadInput, DocumentError):
        return False
    same_notes = norm_notes(current.document.notes) == norm_notes(paper.notes)
    return same_notes and tags == paper.tags and status == paper.status
