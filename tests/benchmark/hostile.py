"""The hostile sizes of issue 21: ``python -m tests.benchmark.hostile [--runs N] [--out FILE]``.

Times the installed ``readlist`` as separate processes, each figure the median
of ``--runs`` runs with the peak memory (``ru_maxrss``) of the worst, on
payloads this module writes itself:

* ``import bibtex`` of 150,000 tiny entries (``@misc{kN,title={TN}}``, 4.4 MB);
* ``import bibtex`` of 6,000 and of 100,000 entries that all have one key;
* ``import bibtex`` of one entry with 1,000,000 keywords (capped at 1,000 tags);
* ``import bibtex`` of the user's own 87 MB library: the benchmark's generated
  papers (abstracts of ~1,200 characters, notes on a third), 52,000 of them,
  with no size cap (issue 18 item 6);
* the TUI, headless, from launch to the first painted detail pane of a paper
  whose note is 20 MB (written straight into the library, as a sync or an
  ``import markdown`` of a 19.5 MB file would leave it).

The drills in ``tests/drills`` hold the behaviour (the cap, the linear work,
the window of the note); these are the figures, not asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmark.run import installed_command

ROOT = Path(__file__).resolve().parents[2]
CPU: list[float] = []
"""CPU seconds (user + system) of each child measured, in order: a loaded machine inflates wall time more."""

PAINT_PROBE = """
import asyncio, json, sys, time
started = time.time()
from readlist.core.config import load_settings
from readlist.core.library import Library
from readlist.tui.app import ReadlistApp
from readlist.tui.widgets.detail import DetailPane

painted = {}
show = DetailPane.show_paper
def timed(self, paper, *args, **kwargs):
    show(self, paper, *args, **kwargs)
    if paper is not None and "notes" not in painted and paper.notes:
        painted["notes"] = time.time()
DetailPane.show_paper = timed

async def main():
    app = ReadlistApp(Library(load_settings()), opener=lambda url: None)
    async with app.run_test(size=(120, 36)) as pilot:
        for _ in range(6000):
            if "notes" in painted:
                break
            await pilot.pause(0.01)
        await pilot.pause()
        painted["after"] = time.time()
    print(json.dumps({"started": started, **painted}))

asyncio.run(main())
"""


GNU_TIME = Path("/usr/bin/time")
LIBRARY_PAPERS = 52_000
"""Papers in the generated library of about 87 MB."""


def measured(argv: list[str], env: dict[str, str]) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (KiB) and stdout of one child (its CPU seconds in :data:`CPU`).

    The child is started by /usr/bin/time where there is one: Linux keeps ru_maxrss across execve, so a
    child started by this process (which holds the payloads it made) would report that memory as its own."""
    report = Path(tempfile.mkstemp(prefix="readlist-bench-time-")[1]) if GNU_TIME.exists() else None
    command = [str(GNU_TIME), "-f", "%M", "-o", str(report), *argv] if report is not None else argv
    start = time.perf_counter()
    proc = subprocess.Popen(command, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    out = proc.stdout.read()
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    CPU.append(usage.ru_utime + usage.ru_stime)
    code = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss
    if report is not None:
        lines = report.read_text(encoding="utf-8").split()
        report.unlink()
        peak = int(lines[-1]) if lines and lines[-1].isdigit() else peak
    if code not in (0, 1):
        raise SystemExit(f"{' '.join(argv[:3])} exited {code}: {err.decode(errors='replace')[-500:]}")
    return elapsed, peak, out.decode(errors="replace")


def env_for(workdir: Path, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("EDITOR", "VISUAL", "READLIST_DEBUG")}
    env.update(
        READLIST_HOME=str(home),
        READLIST_CONFIG=str(workdir / "no-config.toml"),
        READLIST_CACHE=str(workdir / "cache"),
        READLIST_ARXIV_API="http://127.0.0.1:9/api/query",
        NO_COLOR="1",
        PYTHONPATH=str(ROOT),
    )
    return env


def write_payloads(workdir: Path) -> dict[str, Path]:
    files = {
        "150,000 tiny entries": workdir / "tiny.bib",
        "6,000 entries, one key": workdir / "same-6000.bib",
        "100,000 entries, one key": workdir / "same-100000.bib",
        "1,000,000 keywords on one entry": workdir / "keywords.bib",
    }
    with open(files["150,000 tiny entries"], "w", encoding="utf-8") as f:
        f.writelines(f"@misc{{k{i},title={{T{i}}}}}\n" for i in range(150_000))
    for n in (6_000, 100_000):
        with open(files[f"{n:,} entries, one key"], "w", encoding="utf-8") as f:
            f.writelines(f"@misc{{same,title={{Paper number {i}}}}}\n" for i in range(n))
    with open(files["1,000,000 keywords on one entry"], "w", encoding="utf-8") as f:
        f.write("@misc{kw,title={Keywords},keywords={" + ",".join(f"kw{i}" for i in range(1_000_000)) + "}}\n")
    library = workdir / "library.bib"
    # Written by a child: a child's peak memory (ru_maxrss) counts its parent's size when it was forked, and
    # the generated papers would be counted in every figure measured after them.
    make = "from tests.benchmark.corpus import make_papers, write_bibtex; import sys; "
    make += f"write_bibtex(make_papers({LIBRARY_PAPERS}, seed={LIBRARY_PAPERS}), sys.argv[1])"
    subprocess.run([sys.executable, "-c", make, str(library)], check=True, cwd=ROOT)
    files[f"the user's own {library.stat().st_size / 1e6:.0f} MB library, {LIBRARY_PAPERS:,} papers"] = library
    return files


def huge_note_home(workdir: Path, exe: str) -> Path:
    """A library of one paper whose note is 20 MB, written the way a user could: through `readlist note`
    with an "editor" that fills the file (the note lives in the text shards, not in library.json)."""
    home = workdir / "home-note"
    env = env_for(workdir, home)
    subprocess.run([exe, "add", "--title", "Huge Note"], env=env, check=True, capture_output=True)
    fill = workdir / "fill.py"
    line = "A line of a very long note, *with* some `Markdown` in it.\n"
    fill.write_text(
        f"import sys\nopen(sys.argv[1], 'w', encoding='utf-8').write({line!r} * {20_000_000 // len(line)})\n",
        encoding="utf-8",
    )
    paper = json.loads(subprocess.run([exe, "list", "--json"], env=env, check=True, capture_output=True).stdout)[0]
    editor = {**env, "EDITOR": f"{sys.executable} {fill}"}
    subprocess.run([exe, "note", paper["id"]], env=editor, check=True, capture_output=True)
    return home


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmark.hostile", description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per figure (median; default 3)")
    parser.add_argument("--out", type=Path, help="write the Markdown table here too")
    args = parser.parse_args(argv)
    exe = installed_command()
    if exe is None:
        raise SystemExit("the benchmark times the installed `readlist`: run `pip install -e .` first")
    workdir = Path(tempfile.mkdtemp(prefix="readlist-hostile-"))
    rows: list[tuple[str, float, float, int]] = []
    try:
        for name, path in write_payloads(workdir).items():
            samples, cpu, peak = [], [], 0
            for i in range(max(1, args.runs)):
                home = workdir / f"home-{path.stem}-{i}"
                seconds, rss, _ = measured([exe, "import", "bibtex", str(path)], env_for(workdir, home))
                samples.append(seconds)
                cpu.append(CPU[-1])
                peak = max(peak, rss)
                shutil.rmtree(home, ignore_errors=True)
            rows.append((f"import bibtex: {name}", statistics.median(samples), statistics.median(cpu), peak))
        home = huge_note_home(workdir, exe)
        samples, cpu, peak = [], [], 0
        for _ in range(max(1, args.runs)):
            launched = time.time()
            _, rss, out = measured([sys.executable, "-c", PAINT_PROBE], env_for(workdir, home))
            cpu.append(CPU[-1])
            figures = json.loads(out.strip().splitlines()[-1])
            if "notes" not in figures:
                raise SystemExit("the TUI never painted the note")
            samples.append(figures["notes"] - launched)
            peak = max(peak, rss)
        rows.append(
            ("TUI: launch to the first paint of a 20 MB note", statistics.median(samples), statistics.median(cpu), peak)
        )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    lines = [
        f"Hostile sizes (median of {max(1, args.runs)}; `python -m tests.benchmark.hostile`)",
        "",
        "| what | seconds (wall) | CPU seconds | peak memory |",
        "|---|---:|---:|---:|",
        *(f"| {name} | {seconds:.2f} | {cpu:.2f} | {rss / 1024:.0f} MB |" for name, seconds, cpu, rss in rows),
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
