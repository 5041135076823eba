"""The ranking's figures: a month of suggestions ranked against the benchmark's library.

``python -m tests.benchmark.ranking [--papers 10000] [--suggestions 300] [--runs 5]`` builds a
library (the benchmark's generated papers, with their readers' statuses and tags) and a month of
suggestions (generated papers of their own, picked by one to three curators, a third of them with
Hugging Face upvotes), then prints the figures. The full benchmark (``python -m tests.benchmark``)
runs the same probe on its own libraries. Each figure is measured in a fresh child process:

* ``cold``: the first ranking, with no cache (every paper and suggestion tokenised);
* ``fresh``: ranking when the cache matches the library (the cache file read from disk), as a new
  ``readlist suggestions`` process does; this is the figure issue 14 bounds (<= 300 ms);
* ``memory``: ranking again in the same process (the index kept in memory), as the TUI does;
* ``changed``: ranking after one paper's notes changed (one paper tokenised again, the cache rewritten);
* ``import`` and ``snapshot``: importing numpy and the ranking modules, and the first parse of the library,
  which a ranking command pays besides the ranking.
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

from tests.benchmark.corpus import make_papers

MONTH = "2026-10"
ROOT = Path(__file__).resolve().parents[2]


def seed_suggestions(home: Path, count: int, seed: int = 7) -> int:
    """Store a month of ``count`` resolved suggestions in the library in ``home``."""
    from readlist.core.config import Settings
    from readlist.core.library import Library
    from readlist.core.suggestions import Suggestion

    rng = random.Random(seed)
    records = {}
    for rank, paper in enumerate(make_papers(count, seed=seed), 1):
        key = "29" + paper["id"][2:]  # ids no library paper has
        s = Suggestion(key=key, title=paper["title"], arxiv_id=key, authors=paper["authors"], blurb="A pick.")
        s.picks.append({"source": "zeta-alpha", "month": MONTH, "rank": rank, "blurb": s.blurb, "url": None})
        if rng.random() < 0.2:
            s.picks.append({"source": "potw", "month": MONTH, "rank": rng.randint(1, 40), "blurb": "", "url": None})
        if rng.random() < 0.33:
            votes = rng.randint(1, 900)
            blurb = f"{votes} upvotes on Hugging Face daily papers ({MONTH}-{rng.randint(1, 28):02d})."
            s.picks.append({"source": "hf-daily", "month": MONTH, "rank": rank, "blurb": blurb, "url": None})
        s.metadata = {key: paper[key] for key in ("title", "authors", "abstract", "published", "categories")}
        records[key] = s.to_dict()
    with Library(Settings(home=home))._transaction() as tx:
        tx.put_suggestions(records)
    return len(records)


def _probe(stage: str) -> dict[str, Any]:
    """One stage, in this process (a child of :func:`measure`); prints nothing, returns the figures."""
    start = time.perf_counter()
    import numpy  # noqa: F401

    from readlist.core.config import load_settings
    from readlist.core.library import Library
    from readlist.core.rank import ranking
    from readlist.core.suggestions import Suggestions

    imported = time.perf_counter()
    library = Library(load_settings())
    rows = Suggestions(library).select(month=MONTH)
    loaded = time.perf_counter()
    if stage == "cold":
        shutil.rmtree(library.settings.cache_dir, ignore_errors=True)
    elif stage == "changed":
        some = sorted(library.snapshot().papers)[len(library.snapshot().papers) // 3]
        library.set_notes(some, f"Changed at {time.time()}.")
        library.snapshot()
    ready = ranking.ranking_ready(library)
    t0, c0 = time.perf_counter(), time.process_time()
    result = ranking.rank_suggestions(library, rows)
    first, first_cpu = time.perf_counter() - t0, time.process_time() - c0
    again, again_cpu = [], []
    if stage == "memory":
        for _ in range(3):
            t0, c0 = time.perf_counter(), time.process_time()
            ranking.rank_suggestions(library, rows)
            again.append(time.perf_counter() - t0)
            again_cpu.append(time.process_time() - c0)
    return {
        "stage": stage,
        "seconds": statistics.median(again) if again else first,
        "cpu": statistics.median(again_cpu) if again_cpu else first_cpu,
        "import": imported - start,
        "snapshot": loaded - imported,
        "ready_before": ready,
        "ranked": result.ranked,
        "suggestions": len(rows),
        "papers": len(library.snapshot().papers),
    }


STAGES = ("cold", "fresh", "memory", "changed")


def measure(env: dict[str, str], runs: int) -> dict[str, list[dict[str, Any]]]:
    """Every stage ``runs`` times (cold and changed: at most 3), each in a child process."""
    results: dict[str, list[dict[str, Any]]] = {stage: [] for stage in STAGES}
    for stage in STAGES:
        for _ in range(min(runs, 3) if stage in ("cold", "changed") else runs):
            out = subprocess.run(
                [sys.executable, "-m", "tests.benchmark.ranking", "--probe", stage],
                env={**env, "PYTHONPATH": str(ROOT)},
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            ).stdout
            results[stage].append(json.loads(out.strip().splitlines()[-1]))
    return results


def summary(results: dict[str, list[dict[str, Any]]]) -> dict[str, tuple[float, float, float | None]]:
    """Each figure's median and best wall time, and its median CPU time (where measured)."""
    figures = {
        stage: _spread([r["seconds"] for r in runs], [r["cpu"] for r in runs])
        for stage, runs in results.items()
        if runs
    }
    every = [r for runs in results.values() for r in runs]
    figures["import"] = _spread([r["import"] for r in every])
    figures["snapshot"] = _spread([r["snapshot"] for r in every])
    return figures


def _spread(samples: list[float], cpu: list[float] | None = None) -> tuple[float, float, float | None]:
    return statistics.median(samples), min(samples), statistics.median(cpu) if cpu else None


def report(figures: dict[str, tuple[float, float, float | None]], papers: int, suggestions: int, runs: int) -> str:
    rows = [
        ("ranking, cache fresh (a new process reads the cache file)", "fresh", 0.3),
        ("ranking again in the same process (the TUI)", "memory", 0.3),
        ("ranking after one paper changed (incremental rebuild)", "changed", None),
        ("first ranking, no cache (everything tokenised)", "cold", None),
        ("import numpy and the ranking modules", "import", None),
        ("first parse of library.json (any command pays it)", "snapshot", None),
    ]
    lines = [
        f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f} when done; {runs} runs (cold and changed: 3).",
        "",
        f"| {papers:,} papers × {suggestions} suggestions | median | best | CPU (median) | target |",
        "|---|---|---|---|---|",
    ]
    for label, key, bound in rows:
        median, best, cpu = figures[key]
        verdict = f"≤ {bound * 1000:.0f} ms: " + ("yes" if median <= bound else "**no**") if bound else ""
        cpu_text = f"{cpu * 1000:.0f} ms" if cpu is not None else ""
        lines.append(f"| {label} | {median * 1000:.0f} ms | {best * 1000:.0f} ms | {cpu_text} | {verdict} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmark.ranking", description=__doc__.split("\n\n")[0])
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--suggestions", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--probe", choices=STAGES, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.probe:
        print(json.dumps(_probe(args.probe)))
        return
    from tests.benchmark.corpus import seed_store

    workdir = Path(tempfile.mkdtemp(prefix="readlist-rank-benchmark-"))
    env = {
        **os.environ,
        "READLIST_HOME": str(workdir / "home"),
        "READLIST_CACHE": str(workdir / "cache"),
        "READLIST_CONFIG": str(workdir / "no-config.toml"),
    }
    try:
        seed_store(workdir / "home" / "library.json", args.papers)
        seed_suggestions(workdir / "home", args.suggestions)
        figures = summary(measure(env, max(1, args.runs)))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(report(figures, args.papers, args.suggestions, max(1, args.runs)))


if __name__ == "__main__":
    main()
