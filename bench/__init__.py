"""The performance benchmark of issue 8: `python bench/run.py` (see bench/README.md)."""
