"""Files attached to papers: the ``files/`` folder, PDF text extraction and arXiv PDF downloads.

* :mod:`.folder` copies a file into ``files/`` beside the resolved library.json under a name made from
  the paper's citation key, moves removed files to ``files/.trash/`` and back.
* :mod:`.extract` reads a PDF's text page by page in a child process (:mod:`.worker`) with a time and a
  memory limit, and keeps the text per file hash in the cache.
* :mod:`.download` fetches arXiv PDFs through readlist's one HTTP client, at arXiv's pace.

Nothing here imports pypdfium2: only the child process does.
"""
