"""The README's ranked month, reproducible: ``python -m tests.rank.demo DIR`` writes the documents.

It writes, from the test corpus (text written for readlist's tests):

* ``catalog.json``: an arXiv catalog for the loopback stub (``../shared/acceptance/arxiv_stub.py
  --catalog``): the library's 22 papers and the month's 40 picks, with their abstracts;
* ``library.sh``: the ``readlist add`` commands that build the library (tags and statuses);
* ``zeta-alpha.md``, ``potw.md``: the month's picks as Markdown lists, in each curator's order;
* ``hf-daily.json``: the Hugging Face picks with their upvotes, as the daily-papers API answers.

Then ``sh library.sh`` and three ``readlist pull --from ...`` fill a library whose
``readlist suggestions --explain`` is the capture in the README.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from tests.rank import corpus


def write(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    catalog = []
    for paper_id, title, _, _, abstract in corpus.LIBRARY:
        catalog.append(_entry(paper_id, title, abstract, "2026-01-10"))
    for key, title, _, abstract in corpus.SUGGESTIONS:
        catalog.append(_entry(key, title, abstract, "2026-10-05"))
    (folder / "catalog.json").write_text(json.dumps(catalog, indent=1), encoding="utf-8")
    lines = ["#!/bin/sh", "set -e"]
    for paper_id, _, status, tags, _ in corpus.LIBRARY:
        lines.append(f"readlist add {paper_id} --status {status}" + "".join(f" --tag {t}" for t in tags))
    (folder / "library.sh").write_text("\n".join(lines) + "\n", encoding="utf-8")
    by_key = {key: title for key, title, _, _ in corpus.SUGGESTIONS}
    second = [k for k in corpus.CURATOR_ORDER if k in corpus.SECOND_CURATOR]
    for name, keys in (("zeta-alpha.md", corpus.CURATOR_ORDER), ("potw.md", second)):
        items = [f"{i}. [{by_key[k]}](https://arxiv.org/abs/{k})" for i, k in enumerate(keys, 1)]
        (folder / name).write_text(f"# Picks of {corpus.MONTH}\n\n" + "\n".join(items) + "\n", encoding="utf-8")
    daily = [
        {
            "paper": {"id": key, "title": by_key[key], "upvotes": votes, "authors": [{"name": "B. Author"}]},
            "publishedAt": f"{corpus.MONTH}-14T09:00:00.000Z",
            "title": by_key[key],
        }
        for key, votes in corpus.UPVOTES.items()
    ]
    (folder / "hf-daily.json").write_text(json.dumps(daily, indent=1), encoding="utf-8")


def _entry(paper_id: str, title: str, abstract: str, day: str) -> dict[str, object]:
    return {
        "id": paper_id,
        "title": title,
        "authors": ["A. Writer", "B. Author"],
        "summary": abstract,
        "published": f"{day}T12:00:00Z",
        "versions": [f"{day}T12:00:00Z"],
        "primary_category": "cs.LG",
        "categories": ["cs.LG"],
    }


if __name__ == "__main__":
    write(Path(sys.argv[1]))
