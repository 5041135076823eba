"""The readlist benchmark: ``python -m tests.benchmark`` (see run.py). Not a test suite."""
