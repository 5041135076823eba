"""The benchmark is run with `python -m tests.benchmark`, never collected by pytest."""

collect_ignore_glob = ["*.py"]
