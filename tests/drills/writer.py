"""A writer for the SIGKILL drill: ``python -m tests.drills.writer SEED``.

Loops writes through the real Library (so through Store.transaction) on the
library of ``$READLIST_HOME``, and prints one line per write only after the
write has returned: ``add ID``, ``note ID TOKEN`` or ``tag ID TAG``. The drill
kills it at random moments and checks that every printed write is on disk.
"""

from __future__ import annotations

import random
import sys

from readlist.core.config import load_settings
from readlist.core.library import Library


def main(seed: int) -> None:
    rng = random.Random(seed)
    library = Library(load_settings())
    ids = sorted(dict(library.snapshot().papers))
    print("ready", flush=True)
    serial = 0
    while True:
        serial += 1
        token = f"s{seed}n{serial}"
        roll = rng.random()
        if roll < 0.4 or not ids:
            paper, _ = library.add_manual(
                title=f"Drill paper {token}", authors=["Ada Lovelace"], abstract="x" * 1200, tags=["drill"]
            )
            ids.append(paper.id)
            print(f"add {paper.id}", flush=True)
        elif roll < 0.7:
            paper_id = rng.choice(ids)
            library.append_note(paper_id, f"note {token}")
            print(f"note {paper_id} {token}", flush=True)
        else:
            paper_id = rng.choice(ids)
            library.tag(paper_id, [token])
            print(f"tag {paper_id} {token}", flush=True)


if __name__ == "__main__":
    main(int(sys.argv[1]))
