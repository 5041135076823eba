"""Full-text search figures: PDF text extraction, and ``text:`` searches over 1,000 PDFs and 10,000 papers.

``python -m tests.benchmark.fulltext [--papers 10000] [--pdfs 1000] [--runs 5]`` builds the benchmark's
library (generated papers, :mod:`tests.benchmark.corpus`) and gives its first ``--pdfs`` papers a PDF
each: 12 pages of about 2,500 characters of generated prose, written as real PDFs into ``files/``. It
prints:

* **extraction per page**: :func:`readlist.core.attachments.extract.extract_text` (a child process per
  file, pdfium) on the real papers of ``../shared/real/pdf`` and on 20 generated PDFs, cache empty;
* **index build**: the first sync of the search index with every PDF's pages (their text taken from the
  extraction cache, which the benchmark fills for the other 980 PDFs with exactly what extraction gives
  for these pages, checked on the 20 it extracted);
* **in-process query**: ``Library.select`` of a ``text:"…"`` query in a process that has read the
  library and the index once (median of ``--runs``), and ``text_hits`` for its rows;
* **whole command**: ``readlist list -q 'text:"…"' --json`` as a child process (median of ``--runs``);
* **TUI first paint**: the TUI's first painted table (``tests.benchmark.tui_probe``) on the library
  with the 1,000 PDFs indexed and on the same library without files.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from tests.benchmark.corpus import make_papers, seed_store
from tests.benchmark.run import installed_command

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / ".." / "shared" / "real" / "pdf"
PHRASE = "router z-loss keeps training stable"
PAGES = 12


def _pages(rng: random.Random, words: list[str], planted: bool) -> list[list[str]]:
    pages = []
    for number in range(PAGES):
        lines = [" ".join(rng.choice(words) for _ in range(9)) for _ in range(40)]  # within the page's width
        if planted and number == 6:
            lines[11] = f"we find that the {PHRASE} at scale"
        pages.append(lines)
    return pages


def build(home: Path, cache: Path, papers: int, pdfs: int) -> dict[str, Any]:
    """The library with ``pdfs`` PDFs attached (text cached as extraction gives it), and what it took."""
    from readlist.core.attachments.extract import CACHE_VERSION, cache_path, extract_text
    from readlist.core.config import Settings
    from readlist.core.library import Library
    from readlist.core.query import page_form
    from tests.files.pdfs import text_pdf

    home.mkdir(parents=True, exist_ok=True)
    records = seed_store(home / "library.json", papers)
    settings = Settings(home=home, cache_dir=cache)
    rng = random.Random(3)
    words = " ".join(p["abstract"] for p in make_papers(200, seed=5)).replace(".", "").replace(",", "").split()
    files = home / "files"
    files.mkdir(exist_ok=True)
    entries: dict[str, dict[str, Any]] = {}
    extract_seconds: list[float] = []
    planted = records[pdfs // 2]["id"]
    for n, record in enumerate(records[:pdfs]):
        pages = _pages(rng, words, record["id"] == planted)
        path = files / f"paper-{n}.pdf"
        path.write_bytes(text_pdf(pages))  # type: ignore[arg-type]
        if n < 20:
            start = time.perf_counter()
            text = extract_text(path, settings)
            extract_seconds.append(time.perf_counter() - start)
            assert [page_form(p) for p in text.pages] == [page_form(" ".join(lines)) for lines in pages]
        else:
            import hashlib

            sha = hashlib.sha256(path.read_bytes()).hexdigest()
            data = {"version": CACHE_VERSION, "count": PAGES, "pages": ["\n".join(lines) for lines in pages],
                    "failed": 0, "max_pages": settings.pdf_max_pages}  # fmt: skip
            cache_path(settings, sha).parent.mkdir(parents=True, exist_ok=True)
            cache_path(settings, sha).write_text(json.dumps(data), encoding="utf-8")
            text = None
        import hashlib

        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        entries[record["id"]] = {"path": f"files/{path.name}", "kind": "pdf", "size": path.stat().st_size,
                                 "pages": PAGES, "sha256": sha, "added": record["added"]}  # fmt: skip
    library = Library(settings)
    with library._transaction() as tx:
        tx.put_papers({pid: {**tx.papers[pid], "files": [entry]} for pid, entry in entries.items()})
    start = time.perf_counter()
    library.sync_search_index()
    built = time.perf_counter() - start
    return {"planted": planted, "extract_generated": extract_seconds, "index_build_s": built}


def real_extraction(cache: Path) -> list[tuple[str, int, float]]:
    from readlist.core.attachments.extract import extract_text
    from readlist.core.config import Settings

    out = []
    if not REAL.is_dir():
        return out
    for path in sorted(REAL.glob("*.pdf")):
        if path.name.startswith(("encrypted", "broken")):
            continue
        settings = Settings(home=cache / "h", cache_dir=cache / f"real-{path.stem}")
        start = time.perf_counter()
        text = extract_text(path, settings)
        out.append((path.name, text.page_count, time.perf_counter() - start))
    return out


def probe(runs: int) -> dict[str, Any]:
    """In this process: the library and index read once, then ``runs`` text: searches timed."""
    from readlist.core.config import load_settings
    from readlist.core.library import Library
    from readlist.core.query import compile_query

    library = Library(load_settings())
    query = compile_query(f'text:"{PHRASE}"')
    start = time.perf_counter()
    rows = library.select(query)
    first = time.perf_counter() - start
    again, hits = [], []
    for _ in range(runs):
        start = time.perf_counter()
        rows = library.select(query)
        again.append(time.perf_counter() - start)
        start = time.perf_counter()
        library.text_hits(query, rows)
        hits.append(time.perf_counter() - start)
    return {"first": first, "again": statistics.median(again), "hits": statistics.median(hits), "rows": len(rows)}


def _child(argv: list[str], env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, check=True).stdout
    return time.perf_counter() - start, out


def _tui_first_paint(env: dict[str, str], runs: int) -> float:
    paints = []
    for _ in range(runs):
        _, out = _child([sys.executable, "-m", "tests.benchmark.tui_probe", "ab"], env)
        result = json.loads(out.strip().splitlines()[-1])
        paints.append(result["first_paint"] - result["started"])
    return statistics.median(paints)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--pdfs", type=int, default=1_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--probe", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        print(json.dumps(probe(args.runs)))
        return
    root = Path(tempfile.mkdtemp(prefix="readlist-fulltext-"))
    try:
        home, cache, plain = root / "home", root / "cache", root / "plain"
        built = build(home, cache, args.papers, args.pdfs)
        seed_store(plain / "library.json", args.papers)
        real = real_extraction(root / "real")
        exe = installed_command() or "readlist"
        env = {**os.environ, "READLIST_HOME": str(home), "READLIST_CACHE": str(cache),
               "READLIST_CONFIG": str(root / "none.toml"), "PYTHONPATH": str(ROOT)}  # fmt: skip
        inproc = json.loads(_child([sys.executable, "-m", "tests.benchmark.fulltext", "--probe", "--runs",
                                    str(args.runs)], env)[1].strip().splitlines()[-1])  # fmt: skip
        whole = []
        for _ in range(args.runs):
            seconds, out = _child([exe, "list", "-q", f'text:"{PHRASE}"', "--json"], env)
            assert [r["id"] for r in json.loads(out)] == [built["planted"]], out[:200]
            whole.append(seconds)
        with_files = _tui_first_paint(env, min(args.runs, 3))
        plain_env = {**env, "READLIST_HOME": str(plain), "READLIST_CACHE": str(root / "plain-cache")}
        without = _tui_first_paint(plain_env, min(args.runs, 3))
    finally:
        shutil.rmtree(root, ignore_errors=True)
    generated = built["extract_generated"]
    lines = [f"{args.papers:,} papers, {args.pdfs:,} of them with a {PAGES}-page PDF ({args.pdfs * PAGES:,} pages)", ""]
    lines.append("| figure | value |")
    lines.append("|---|---|")
    for name, pages, seconds in real:
        lines.append(f"| extraction, {name} ({pages} pp., child process included) | {seconds * 1000:.0f} ms, "
                     f"{seconds * 1000 / pages:.1f} ms/page |")  # fmt: skip
    per_file = statistics.median(generated) * 1000
    lines.append(f"| extraction, generated {PAGES}-page PDF (median of {len(generated)}) | "
                 f"{per_file:.0f} ms, {per_file / PAGES:.1f} ms/page |")  # fmt: skip
    lines.append(
        f"| index build, first sync with every PDF's pages (text from the cache) | {built['index_build_s']:.2f} s |"
    )
    lines.append(f"| `text:` search in process, first (library and index read) | {inproc['first'] * 1000:.0f} ms |")
    lines.append(f"| `text:` search in process, again (median) | {inproc['again'] * 1000:.1f} ms (target ≤ 100 ms: "
                 f"{'yes' if inproc['again'] <= 0.1 else 'no'}) |")  # fmt: skip
    lines.append(f"| hits and snippets for its rows (median) | {inproc['hits'] * 1000:.1f} ms |")
    command = statistics.median(whole) * 1000
    lines.append(f"| `readlist list -q 'text:\"…\"' --json` (median of {len(whole)}) | {command:.0f} ms |")
    lines.append(f"| TUI first paint, library with {args.pdfs:,} PDFs indexed | {with_files * 1000:.0f} ms |")
    lines.append(f"| TUI first paint, the same library without files | {without * 1000:.0f} ms |")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
