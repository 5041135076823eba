"""Ctrl-C while `readlist add` waits for arXiv: what the user typed is kept, pending, before it exits 130."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time

from tests.conftest import readlist_exe, run_process
from tests.drills.hostile_server import HostileServer


def _child_with_default_sigint() -> None:
    # A parent (pytest, xdist) may ignore SIGINT, and an ignored signal stays ignored in the child.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_during_add_keeps_the_references_pending_with_their_tags_and_note() -> None:
    with HostileServer("hang") as server:
        env = {**os.environ, "READLIST_ARXIV_API": server.url + "/api/query", "READLIST_HTTP_TIMEOUT": "30"}
        child = subprocess.Popen(
            [*readlist_exe(), "add", "2101.03961", "arXiv:1706.03762v5", "--tag", "later", "--note", "my note"],
            env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            preexec_fn=_child_with_default_sigint,
        )  # fmt: skip
        try:
            end = time.monotonic() + 20
            while server.hits == 0 and time.monotonic() < end:
                time.sleep(0.05)
            assert server.hits == 1, "readlist never asked arXiv"
            time.sleep(0.2)  # waiting on the answer now
            child.send_signal(signal.SIGINT)
            _, err = child.communicate(timeout=10)
        finally:
            if child.poll() is None:
                child.kill()
    assert child.returncode == 130, (child.returncode, err)
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == (
        "readlist: interrupted; kept as pending: 2101.03961 1706.03762 (run `readlist refresh` later)"
    )
    kept = {r["id"]: r for r in json.loads(run_process("list", "--json").stdout)}
    assert set(kept) == {"2101.03961", "1706.03762"}
    for record in kept.values():
        assert record["pending"] is True and record["tags"] == ["later"] and record["notes"] == "my note"
    assert kept["1706.03762"]["version"] == "v5"
