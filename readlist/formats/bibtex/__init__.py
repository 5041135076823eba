"""The BibTeX format itself: the ``.bib`` scanner, the entry model and LaTeX text.

`import bibtex` and `export bibtex` are ``readlist.formats.bibtex_import`` and ``bibtex_export``.
"""
