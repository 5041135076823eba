"""readlist's benchmark: ``python -m tests.benchmark [--full] [--runs N] [--out FILE]``.

Builds libraries of 1,000 and 10,000 realistic papers (50,000 with ``--full``)
by importing a generated .bib file with ``readlist import bibtex`` (then giving
the papers their readers' statuses, tags and notes on a third, which a .bib
file does not carry), and times the installed ``readlist`` as separate
processes, each figure the median of several runs, beside a floor measured in
the same run:

* ``--help`` beside Python start-up plus ``import typer``;
* ``list --json``, ``list --search``, ``show`` beside Python start-up plus
  ``json.load`` of library.json;
* ``status`` and ``add`` (against a loopback arXiv) beside Python start-up plus
  ``json.load``, ``json.dump`` to a temporary file and ``os.replace``;
* ``export markdown --out DIR``, ``export bibtex --out FILE`` and ``import bibtex``
  (absolute targets; the .bib file carries keywords, annote and readstatus);
* one TAB of bash completion (``readlist completion bash``) after half a paper id,
  bash's own start-up included;
* the TUI, headless (``App.run_test(size=(120, 36))``) in a child process: from
  launching the process to the first painted table row; the installed
  ``readlist`` in a detached tmux session (120x36), from launch to the first
  table row on the screen (polling ``tmux capture-pane``), and its peak memory
  (``/usr/bin/time``) once ``q`` has quit it; and from each
  keystroke typed into the filter to the repainted table; opened on the
  Suggestions view (300 suggestions), from launching to the first painted row,
  with the ranking by fit in the background and without it, and from that
  paint to the rows painted in fit order;
* peak memory (``ru_maxrss``) of every child.

Prints a Markdown table for the README and writes it to ``--out``. It is not a
test: pytest never collects this folder, and CI does not run it.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tests.arxiv_server import ArxivServer
from tests.benchmark.corpus import apply_user_data, make_papers, write_bibtex

ROOT = Path(__file__).resolve().parents[2]
SEARCH = "protein folding diffusion"
DIALOG_ROUNDS = 25
"""Rounds of opening and closing the TUI's four dialogs (help, add, tags, the palette): 100 dialogs."""
RANKED = 300  # suggestions in the month the ranking figures rank
FILTER_KEYS = "protein fold"

FLOOR_TYPER = "import typer"
FLOOR_LOAD = "import json, sys\njson.load(open(sys.argv[1], encoding='utf-8'))"
FLOOR_WRITE = (
    "import json, os, sys, tempfile\n"
    "p = sys.argv[1]\n"
    "d = json.load(open(p, encoding='utf-8'))\n"
    "fd, t = tempfile.mkstemp(dir=os.path.dirname(p))\n"
    "with os.fdopen(fd, 'w', encoding='utf-8') as f:\n"
    "    json.dump(d, f, ensure_ascii=False)\n"
    "os.replace(t, p)"
)


@dataclass
class Figure:
    seconds: float | None
    maxrss_kb: int = 0
    note: str = ""
    samples: list[float] = field(default_factory=list)


class ChildFailed(RuntimeError):
    pass


def run_child(argv: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[float, int, str]:
    """Wall seconds, peak RSS (KiB) and stdout of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    out, err = proc.communicate()
    elapsed = time.perf_counter() - start
    # communicate() reaped the child; its peak memory is in RUSAGE_CHILDREN only in aggregate,
    # so the per-child figure comes from wait4 in measure() (below) when it matters.
    if proc.returncode != 0:
        raise ChildFailed(f"{' '.join(argv)} exited {proc.returncode}: {err.decode(errors='replace')[-800:]}")
    return elapsed, 0, out.decode(errors="replace")


_FIRST_BLOCK = (
    "import sys, time; sys.stdin.readline(); open(sys.argv[1], 'w').write(repr(time.time())); sys.stdin.read()"
)


def first_screen(runs: int, argv: list[str], env: dict[str, str], workdir: Path) -> Figure:
    """Launch to the first rows handed to the pager, with stdout on a pseudo-terminal (150x40)."""
    import fcntl
    import pty
    import struct
    import termios

    samples = []
    stamp = workdir / "first-screen.txt"
    for _ in range(runs):
        controller, terminal = pty.openpty()
        fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 150, 0, 0))
        pager = f'{sys.executable} -c "{_FIRST_BLOCK}" {stamp}'
        launched = time.time()
        proc = subprocess.Popen(argv, stdout=terminal, stderr=subprocess.DEVNULL, env={**env, "PAGER": pager})
        os.close(terminal)
        with contextlib.suppress(OSError):
            while os.read(controller, 65536):
                pass
        os.close(controller)
        proc.wait()
        samples.append(float(stamp.read_text()) - launched)
    return Figure(statistics.median(samples), samples=samples)


ROW_MARKS = ("○", "◐", "●", "✕")  # Status.mark: each row of the TUI's table starts with its paper's status


def tmux_first_row(runs: int, exe: str, env: dict[str, str], workdir: Path) -> Figure:
    """The installed `readlist` in a detached tmux session of 120x36: launch to the first table row on the
    screen (the pane polled every 10 ms), then `q`; peak memory and CPU time (launch to quit) from /usr/bin/time."""
    if shutil.which("tmux") is None or not Path("/usr/bin/time").exists():
        return Figure(None, note="tmux n/a (tmux or /usr/bin/time missing)")
    # A server of our own (its environment is `env`), kept up by an idle session so no launch pays for its start.
    tmux = ["tmux", "-S", str(workdir / "tmux.sock"), "-f", os.devnull]
    subprocess.run([*tmux, "new-session", "-d", "-s", "idle", "sleep 3600"], env=env, check=True)
    samples, cpu, peak, usage = [], [], 0, workdir / "tmux-usage.txt"
    try:
        for i in range(runs):
            usage.unlink(missing_ok=True)
            session = f"run-{i}"
            launched = time.perf_counter()
            command = ["/usr/bin/time", "-f", "%M %U %S", "-o", str(usage), exe]
            subprocess.run([*tmux, "new-session", "-d", "-s", session, "-x", "120", "-y", "36", *command], check=True)
            while True:
                pane = subprocess.run([*tmux, "capture-pane", "-p", "-t", session], capture_output=True, text=True)
                if any(line.startswith(ROW_MARKS) for line in pane.stdout.splitlines()):
                    break
                if pane.returncode or time.perf_counter() - launched > 60:
                    raise ChildFailed(f"readlist in tmux showed no table row (or quit): {pane.stdout or pane.stderr}")
                time.sleep(0.01)
            samples.append(time.perf_counter() - launched)
            subprocess.run([*tmux, "send-keys", "-t", session, "q"], check=True)
            deadline = time.monotonic() + 30
            while not (usage.exists() and usage.read_text().strip()):  # written by /usr/bin/time once readlist quit
                if time.monotonic() > deadline:
                    raise ChildFailed("readlist in tmux did not quit within 30 s of q")
                time.sleep(0.05)
            rss, user, system = usage.read_text().split()[-3:]
            peak, cpu = max(peak, int(rss)), [*cpu, float(user) + float(system)]
    finally:
        subprocess.run([*tmux, "kill-server"], capture_output=True)
    return Figure(statistics.median(samples), peak, f"CPU {_time(statistics.median(cpu))} to quit", samples)


GNU_TIME = Path("/usr/bin/time")


def run_measured(argv: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[float, int]:
    """Wall seconds and peak RSS (KiB) of one child, output discarded.

    Linux keeps ru_maxrss across execve, so a child started by this process (some 700 MB at 50,000 papers)
    reports at least this process's memory: the child is started by /usr/bin/time where there is one, and
    its peak is what time reports of a process it forked itself."""
    report = Path(tempfile.mkstemp(prefix="readlist-bench-time-")[1]) if GNU_TIME.exists() else None
    command = [str(GNU_TIME), "-f", "%M", "-o", str(report), *argv] if report is not None else argv
    start = time.perf_counter()
    proc = subprocess.Popen(
        command, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    assert proc.stderr is not None
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    peak = usage.ru_maxrss
    if report is not None:
        lines = report.read_text(encoding="utf-8").split()
        report.unlink()
        peak = int(lines[-1]) if lines and lines[-1].isdigit() else peak
    if proc.returncode != 0:
        raise ChildFailed(f"{' '.join(argv)} exited {proc.returncode}: {err.decode(errors='replace')[-800:]}")
    return elapsed, peak


def measure(runs: int, make_argv: Callable[[int], list[str]], env: dict[str, str], cwd: Path | None = None) -> Figure:
    samples, peak = [], 0
    for i in range(runs):
        seconds, rss = run_measured(make_argv(i), env, cwd)
        samples.append(seconds)
        peak = max(peak, rss)
    return Figure(statistics.median(samples), peak, samples=samples)


class Bench:
    def __init__(self, workdir: Path, runs: int, exe: str) -> None:
        self.workdir = workdir
        self.runs = runs
        self.exe = exe
        self.arxiv = ArxivServer(catalog=[])
        self.arxiv.synthesize = True
        self.arxiv.start()
        self.import_available = _has_command(exe, ["import", "bibtex", "--help"])
        self.export_available = _has_command(exe, ["export", "markdown", "--help"])
        self.tui_available = _importable("readlist.tui.app")

    def env(self, home: Path) -> dict[str, str]:
        # PYTHONDONTWRITEBYTECODE (set on some machines) would make every child compile every module again:
        # an installed readlist runs from byte-code caches.
        skipped = ("EDITOR", "VISUAL", "READLIST_DEBUG", "PYTHONDONTWRITEBYTECODE")
        env = {k: v for k, v in os.environ.items() if k not in skipped}
        env.update(
            READLIST_HOME=str(home),
            READLIST_CONFIG=str(self.workdir / "no-config.toml"),
            READLIST_CACHE=str(self.workdir / f"cache-{home.name}"),  # the search index: not the user's cache
            READLIST_ARXIV_API=self.arxiv.url,
            READLIST_ARXIV_DELAY="0",
            READLIST_HTTP_TIMEOUT="10",
            NO_COLOR="1",
            PYTHONPATH=str(ROOT),
        )
        return env

    def warm_up(self) -> None:
        """Write the byte-code caches of readlist and what it imports, as an installed readlist has them."""
        env = self.env(self.workdir / "warm-up")
        subprocess.run([self.exe, "--help"], env=env, capture_output=True, check=False)
        code = "import readlist.tui.app, readlist.formats.importing, readlist.core.search_index"
        subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, check=False)

    def build(self, size: int) -> tuple[Path, dict[str, Figure]]:
        """The library of ``size`` papers, and the import figure."""
        papers = make_papers(size, seed=size)
        bib = self.workdir / f"library-{size}.bib"
        write_bibtex(papers, bib)
        home = self.workdir / f"home-{size}"
        figures: dict[str, Figure] = {}
        if self.import_available:
            heavy = self._heavy_runs(size)
            samples, peak = [], 0
            for i in range(heavy):
                target = home if i == 0 else self.workdir / f"scratch-import-{size}-{i}"
                seconds, rss = run_measured([self.exe, "import", "bibtex", str(bib)], self.env(target))
                samples.append(seconds)
                peak = max(peak, rss)
                if i:
                    shutil.rmtree(target)
            figures["import"] = Figure(statistics.median(samples), peak, samples=samples)
        else:
            from readlist.core.store import Store

            store = Store(home / "library.json")
            with store.transaction() as tx:
                tx.put_papers({p["id"]: p for p in papers})
            figures["import"] = Figure(None, note="import n/a (`readlist import bibtex` missing: built with put_many)")
        applied = apply_user_data(home / "library.json", papers)
        if applied != size:
            raise SystemExit(f"the import of {size} papers left {applied} in the library")
        return home, figures

    def _heavy_runs(self, size: int) -> int:
        return max(1, min(self.runs, 3 if size <= 10_000 else 2))

    def floors(self, library: Path, home: Path) -> dict[str, Figure]:
        py = sys.executable
        env = self.env(home)
        scratch = self.workdir / "floor-copy.json"
        shutil.copyfile(library, scratch)
        figures = {
            "floor_typer": measure(self.runs, lambda i: [py, "-c", FLOOR_TYPER], env),
            "floor_load": measure(self.runs, lambda i: [py, "-c", FLOOR_LOAD, str(library)], env),
            "floor_write": measure(self.runs, lambda i: [py, "-c", FLOOR_WRITE, str(scratch)], env),
        }
        scratch.unlink()
        return figures

    def commands(self, size: int, home: Path) -> dict[str, Figure]:
        env = self.env(home)
        exe = self.exe
        records = json.loads((home / "library.json").read_text(encoding="utf-8"))["papers"]
        some_id = sorted(records)[len(records) // 2]
        statuses = ["reading", "read", "to-read", "dropped"]
        figures = {
            "help": measure(self.runs, lambda i: [exe, "--help"], env),
            # The first list after the import makes the light rows again, the first search builds the index:
            # each once, measured apart from the figures of a library whose derived files are current.
            "list_cold": measure(1, lambda i: [exe, "list"], env),
            "list": measure(self.runs, lambda i: [exe, "list"], env),
            "list_terminal": first_screen(self.runs, [exe, "list"], env, self.workdir),
            "list_json": measure(self.runs, lambda i: [exe, "list", "--json"], env),
            "search_cold": measure(1, lambda i: [exe, "list", "--search", SEARCH], env),
            "list_search": measure(self.runs, lambda i: [exe, "list", "--search", SEARCH], env),
            "show": measure(self.runs, lambda i: [exe, "show", some_id], env),
            "status": measure(self.runs, lambda i: [exe, "status", some_id, statuses[i % 4]], env),
            "tag": measure(self.runs, lambda i: [exe, "tag", some_id, f"bench-{i}"], env),
            "add": measure(self.runs, lambda i: [exe, "add", f"2611.{10000 + size // 1000 * 100 + i}"], env),
        }
        if self.export_available:
            heavy = self._heavy_runs(size)
            out = self.workdir / f"export-{size}"
            figures["export"] = measure(heavy, lambda i: [exe, "export", "markdown", "--out", f"{out}-{i}"], env)
            for i in range(heavy):
                shutil.rmtree(f"{out}-{i}", ignore_errors=True)
        else:
            figures["export"] = Figure(None, note="export n/a (`readlist export markdown` missing)")
        bib = self.workdir / f"export-{size}.bib"
        figures["export_bibtex"] = measure(
            self._heavy_runs(size), lambda i: [exe, "export", "bibtex", "--out", str(bib)], env
        )
        bib.unlink(missing_ok=True)
        figures["completion"] = self.completion(home, some_id)
        return figures

    def completion(self, home: Path, some_id: str) -> Figure:
        """One TAB in bash: `readlist show <half an id>`, through the script `readlist completion bash` prints."""
        if shutil.which("bash") is None or not _has_command(self.exe, ["completion", "--help"]):
            return Figure(None, note="completion n/a")
        env = self.env(home)
        script = self.workdir / "readlist.bash"
        script.write_text(run_child([self.exe, "completion", "bash"], env)[2], encoding="utf-8")
        line = f"readlist show {some_id[: max(3, len(some_id) // 2)]}"
        snippet = f'source {script}; COMP_LINE="{line}"; COMP_POINT=${{#COMP_LINE}}; _readlist; echo ${{#COMPREPLY[@]}}'
        return measure(self.runs, lambda i: ["bash", "--norc", "-c", snippet], env)

    def tui(self, size: int, home: Path) -> dict[str, Figure]:
        if not self.tui_available:
            note = "TUI n/a (readlist.tui.app missing)"
            return {
                "tui_first": Figure(None, note=note), "tui_key": Figure(None, note=note),
                "tui_dialogs": Figure(None, note=note), "tui_tmux": Figure(None, note=note),
            }  # fmt: skip
        firsts, keys, peak = [], [], 0
        for _ in range(max(1, min(self.runs, 3))):
            launched = time.time()
            _, _, out = run_child(
                [sys.executable, "-m", "tests.benchmark.tui_probe", FILTER_KEYS], self.env(home), ROOT
            )
            result = json.loads(out.strip().splitlines()[-1])
            firsts.append(result["first_paint"] - launched)
            keys += [k / 1000 for k in result["keystrokes_ms"]]
            peak = max(peak, result["maxrss_kb"])
        key = Figure(statistics.median(keys), peak, samples=keys)
        key.note = f"max {max(keys) * 1000:.0f} ms"
        _, _, out = run_child(
            [sys.executable, "-m", "tests.benchmark.tui_probe", "--dialogs", str(DIALOG_ROUNDS)], self.env(home), ROOT
        )
        result = json.loads(out.strip().splitlines()[-1])
        first, last = result["rss_after_first_kb"], result["rss_after_last_kb"]
        dialogs = Figure(last / first - 1 if first else None)
        dialogs.note = (
            f"{first / 1024:.0f} MB after the first round, {last / 1024:.0f} MB after {DIALOG_ROUNDS} "
            f"({result['dialogs_per_round'] * DIALOG_ROUNDS} dialogs)"
        )
        return {
            "tui_first": Figure(statistics.median(firsts), peak, samples=firsts), "tui_key": key,
            "tui_dialogs": dialogs, "tui_tmux": tmux_first_row(len(firsts), self.exe, self.env(home), self.workdir),
        }  # fmt: skip

    def ranking(self, size: int, home: Path) -> dict[str, Figure]:
        """A month of suggestions ranked by fit against the library (issue 14; see tests.benchmark.ranking)."""
        from tests.benchmark.ranking import MONTH, seed_suggestions
        from tests.benchmark.ranking import measure as measure_stages

        env = {**self.env(home), "READLIST_CACHE": str(self.workdir / f"cache-{size}")}
        seed_suggestions(home, RANKED)
        stages = measure_stages(env, self.runs)
        figures = {
            f"rank_{stage}": Figure(statistics.median(r["seconds"] for r in runs), samples=[r["seconds"] for r in runs])
            for stage, runs in stages.items()
        }
        argv = [self.exe, "suggestions", "-m", MONTH, "--json"]
        run_measured(argv, env)  # the last stage changed a paper: the cache catches up first
        figures["suggestions"] = measure(self.runs, lambda i: argv, env)
        figures.update(self.tui_suggestions(env))
        return figures

    def tui_suggestions(self, env: dict[str, str]) -> dict[str, Figure]:
        """The TUI opened on the Suggestions view: launch to the first painted row, with the ranking in the
        background and without it (the view before issue 14), and from that paint to the fit order painted."""
        if not self.tui_available:
            note = "TUI n/a (readlist.tui.app missing)"
            return {key: Figure(None, note=note) for key in ("tui_sugg_plain", "tui_sugg_first", "tui_sugg_fit")}
        samples: dict[str, list[float]] = {"tui_sugg_plain": [], "tui_sugg_first": [], "tui_sugg_fit": []}
        peaks = {key: 0 for key in samples}
        for _ in range(max(1, min(self.runs, 3))):
            for key, extra in (("tui_sugg_plain", ["--no-rank"]), ("tui_sugg_first", [])):
                launched = time.time()
                argv = [sys.executable, "-m", "tests.benchmark.tui_probe", "--suggestions", *extra]
                _, _, out = run_child(argv, env, ROOT)
                result = json.loads(out.strip().splitlines()[-1])
                if result["rows"] < RANKED or result["ranked"] != (key == "tui_sugg_first"):
                    raise SystemExit(f"the Suggestions view showed {result['rows']} rows, ranked {result['ranked']}")
                samples[key].append(result["first_paint"] - launched)
                peaks[key] = max(peaks[key], result["maxrss_kb"])
                if result["fit_paint"] is not None:
                    samples["tui_sugg_fit"].append(result["fit_paint"] - result["first_paint"])
        return {key: Figure(statistics.median(values), peaks[key], samples=values) for key, values in samples.items()}

    def run(self, size: int) -> dict[str, Figure]:
        print(f"[{size:,} papers] building the library ...", file=sys.stderr, flush=True)
        home, figures = self.build(size)
        library = home / "library.json"
        print(f"[{size:,} papers] floors, commands, TUI ...", file=sys.stderr, flush=True)
        figures.update(self.floors(library, home))
        figures.update(self.commands(size, home))
        figures.update(self.tui(size, home))
        print(f"[{size:,} papers] ranking {RANKED} suggestions ...", file=sys.stderr, flush=True)
        figures.update(self.ranking(size, home))
        figures["size_mb"] = Figure(library.stat().st_size / 1e6)
        texts = home / "library.texts"
        figures["texts_mb"] = Figure(sum(p.stat().st_size for p in texts.glob("*.json")) / 1e6 if texts.exists() else 0)
        return figures

    def close(self) -> None:
        self.arxiv.stop()


def _has_command(exe: str, args: list[str]) -> bool:
    return subprocess.run([exe, *args], capture_output=True).returncode == 0


def _importable(module: str) -> bool:
    import importlib.util

    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


# -- the report ----------------------------------------------------------------------------------

# (key, label, floor key, target at 10k: ("ratio", x) or ("seconds", s))
ROWS: list[tuple[str, str, str | None, tuple[str, float] | None]] = [
    ("help", "`readlist --help`", "floor_typer", ("ratio", 1.3)),
    ("list_cold", "`list`, piped, first after an outside write (light rows made)", "floor_load", None),
    ("list", "`list`, piped", "floor_load", ("seconds", 0.2)),
    ("list_terminal", "`list` on a terminal, first screen (through the pager)", None, ("seconds", 1.0)),
    ("list_json", "`list --json`", "floor_load", ("seconds", 0.35)),
    ("search_cold", f"`list --search '{SEARCH}'`, first (search index built)", "floor_load", None),
    ("list_search", f"`list --search '{SEARCH}'`", "floor_load", ("seconds", 0.2)),
    ("show", "`show ID`", "floor_load", ("seconds", 0.2)),
    ("status", "`status ID STATUS`", "floor_write", ("seconds", 0.25)),
    ("tag", "`tag ID TAG`", "floor_write", ("seconds", 0.25)),
    ("add", "`add ID` (loopback arXiv)", "floor_write", ("seconds", 0.4)),
    ("export", "`export markdown --out DIR`", None, ("seconds", 5.0)),
    ("export_bibtex", "`export bibtex --out FILE`", None, ("seconds", 2.0)),
    ("import", "`import bibtex FILE`", None, ("seconds", 5.0)),
    ("completion", "bash completion: one TAB after half an id (bash start-up included)", None, ("seconds", 0.15)),
    ("tui_first", "TUI: launch to first painted table (headless)", None, ("seconds", 0.65)),
    ("tui_tmux", "TUI in tmux (120x36): launch to the first row on screen", None, ("reported", 0.65)),
    ("tui_key", "TUI: filter keystroke to repainted table (median; abstracts searched too)", None, ("seconds", 0.05)),
    ("tui_dialogs", f"TUI: memory after {DIALOG_ROUNDS * 4} dialogs opened and closed", None, ("growth", 0.10)),
    ("rank_fresh", f"ranking {RANKED} suggestions by fit, cache fresh (new process)", None, ("seconds", 0.3)),
    ("rank_changed", f"ranking {RANKED} suggestions after one paper changed", None, None),
    ("rank_cold", f"ranking {RANKED} suggestions, first time (no cache)", None, None),
    ("suggestions", f"`suggestions --json` ({RANKED} suggestions, by fit)", "floor_load", None),
    ("tui_sugg_plain", f"TUI: launch to first painted Suggestions view ({RANKED} suggestions), no ranking (as before "
     "issue 14)", None, ("seconds", 1.0)),
    ("tui_sugg_first", "TUI: launch to first painted Suggestions view, ranking in the background", "tui_sugg_plain",
     ("ratio", 1.1)),
    ("tui_sugg_fit", "TUI: Suggestions view, first paint to the rows painted in fit order", None, None),
]  # fmt: skip
FLOORS = [
    ("floor_typer", "floor: Python + `import typer`"),
    ("floor_load", "floor: Python + `json.load(library.json)`"),
    ("floor_write", "floor: Python + `json.load` + `json.dump` + `os.replace`"),
]
MEMORY_LIMIT_MB = 250


def _time(seconds: float | None) -> str:
    if seconds is None:
        return "n/a"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def _cell(results: dict[str, Figure], key: str, floor: str | None) -> str:
    figure = results[key]
    if figure.seconds is None:
        return figure.note or "n/a"
    if key == "tui_dialogs":
        return f"{figure.seconds * 100:+.1f}% ({figure.note})"
    text = _time(figure.seconds)
    if floor:
        text += f" ({figure.seconds / results[floor].seconds:.2f}×)"
    if key in ("tui_key", "tui_tmux") and figure.note:
        text += f", {figure.note}"
    return text


def _verdict(results: dict[str, Figure], key: str, floor: str | None, target: tuple[str, float] | None) -> str:
    if target is None:
        return "—"
    figure = results[key]
    if figure.seconds is None:
        return "not measured"
    kind, bound = target
    value = figure.seconds / results[floor].seconds if kind == "ratio" and floor else figure.seconds
    if kind == "reported":  # the target is another row's: this figure is shown beside it
        return f"reported: {value / bound:.2f}× the headless target ({_time(bound)})"
    goal = f"≤ {bound:g}×" if kind == "ratio" else f"≤ +{bound * 100:.0f}%" if kind == "growth" else f"≤ {_time(bound)}"
    if value <= bound:
        return f"{goal}: yes"
    over = value / bound
    return f"{goal}: **no** ({over:.2f}× the target)"


def machine() -> list[str]:
    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return [
        f"Machine: {os.cpu_count()} cores, {model}; Python {platform.python_version()} on {platform.system()}; "
        f"{datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}; readlist at commit {commit.stdout.strip() or '?'}.",
    ]


def report(all_results: dict[int, dict[str, Figure]], runs: int) -> str:
    sizes = sorted(all_results)
    target_size = 10_000 if 10_000 in sizes else sizes[-1]
    header = ["", *(f"{n:,} papers" for n in sizes), f"target at {target_size:,}"]
    lines = [
        *machine(),
        "",
        f"Median of {runs} runs (export and import: of up to 3; TUI first table, headless and in tmux: of up to 3), "
        "wall time of the installed `readlist` run as a child process; (n×) is the ratio to the floor measured in "
        "the same run.",
        "",
        "| " + " | ".join(header) + " |",
        "|" + "---|" * len(header),
    ]
    size_row = [
        "library.json size (light records)",
        *(f"{all_results[n]['size_mb'].seconds:.1f} MB" for n in sizes),
        "",
    ]
    lines.append("| " + " | ".join(size_row) + " |")
    texts_row = [
        "library.texts/ size (64 shards)",
        *(f"{all_results[n]['texts_mb'].seconds:.1f} MB" for n in sizes),
        "",
    ]
    lines.append("| " + " | ".join(texts_row) + " |")
    for key, label in FLOORS:
        lines.append("| " + " | ".join([label, *(_time(all_results[n][key].seconds) for n in sizes), ""]) + " |")
    for key, label, floor, target in ROWS:
        cells = [_cell(all_results[n], key, floor) for n in sizes]
        lines.append("| " + " | ".join([label, *cells, _verdict(all_results[target_size], key, floor, target)]) + " |")
    cli_peak = {
        n: max(f.maxrss_kb for k, f in all_results[n].items() if not k.startswith(("tui", "floor"))) for n in sizes
    }
    tui_peak = {n: all_results[n]["tui_first"].maxrss_kb for n in sizes}
    tmux_peak = {n: all_results[n]["tui_tmux"].maxrss_kb for n in sizes}
    ranked_peak = {n: all_results[n]["tui_sugg_first"].maxrss_kb for n in sizes}
    for label, peaks in (
        ("peak memory, readlist commands (max)", cli_peak),
        ("peak memory, TUI", tui_peak),
        ("peak memory, TUI in tmux (launch, first row, q)", tmux_peak),
        ("peak memory, TUI on the Suggestions view (ranked: numpy and the ranking's index)", ranked_peak),
    ):
        cells = [f"{peaks[n] / 1024:.0f} MB" if peaks[n] else "n/a" for n in sizes]
        top = peaks[target_size] / 1024
        verdict = f"≤ {MEMORY_LIMIT_MB} MB: " + (
            "yes" if top and top <= MEMORY_LIMIT_MB else "**no**" if top else "n/a"
        )
        lines.append("| " + " | ".join([label, *cells, verdict]) + " |")
    if 50_000 in sizes and 10_000 in sizes:
        lines += ["", "Growth from 10,000 to 50,000 papers (5× the papers; at most linear means ≤ 5×):", ""]
        growth = []
        for key, label, _, _ in ROWS:
            if key == "tui_dialogs":
                continue
            a, b = all_results[10_000][key].seconds, all_results[50_000][key].seconds
            if a and b:
                growth.append(f"{label} ×{b / a:.1f}" + ("" if b / a <= 5 else " (**more than linear**)"))
        lines.append("; ".join(growth) + ".")
    if 50_000 in sizes:
        at = all_results[50_000]
        shown = [
            f"{how} {_time(at[key].seconds)}, {at[key].maxrss_kb / 1024:.0f} MB"
            for how, key in (("headless", "tui_first"), ("in tmux", "tui_tmux"))
            if at[key].seconds is not None
        ]
        head = at["tui_first"]
        met = head.seconds is not None and head.seconds <= 1.2 and head.maxrss_kb <= 300 * 1024
        lines += ["", f"TUI first table at 50,000 papers (target ≤ 1.2 s, ≤ 300 MB headless): {'; '.join(shown)} "
                  f"({'met' if met else '**not met**'})."]  # fmt: skip
    return "\n".join(lines) + "\n"


def installed_command() -> str | None:
    """The `readlist` installed for this Python (the floors run this Python too), else the one on PATH.

    On PATH there may be a version manager's shim in its place (pyenv's is a shell script that starts the
    interpreter through ``pyenv exec``: 65 ms more a command on the benchmark machine), which is not readlist's
    time."""
    beside = Path(sys.executable).parent / "readlist"
    if beside.is_file() and os.access(beside, os.X_OK):
        return str(beside)
    return shutil.which("readlist")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m tests.benchmark", description=__doc__.split("\n\n")[0])
    parser.add_argument("--full", action="store_true", help="also run 50,000 papers (minutes; not for CI)")
    parser.add_argument("--sizes", help="comma-separated library sizes instead (e.g. 1000,10000)")
    parser.add_argument("--runs", type=int, default=5, help="runs per figure (median; default 5)")
    parser.add_argument("--out", type=Path, help="write the Markdown table here too")
    parser.add_argument("--keep", action="store_true", help="keep the generated libraries")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")] if args.sizes else [1_000, 10_000] + ([50_000] if args.full else [])
    exe = installed_command()
    if exe is None:
        raise SystemExit("the benchmark times the installed `readlist`: run `pip install -e .` first")
    workdir = Path(tempfile.mkdtemp(prefix="readlist-benchmark-"))
    out = args.out or Path(tempfile.gettempdir()) / "readlist-benchmark.md"
    bench = Bench(workdir, max(1, args.runs), exe)
    try:
        bench.warm_up()
        results = {size: bench.run(size) for size in sizes}
    finally:
        bench.close()
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)
    text = report(results, bench.runs)
    print(text)
    out.write_text(text, encoding="utf-8")
    print(f"(written to {out}{'; libraries kept in ' + str(workdir) if args.keep else ''})", file=sys.stderr)
