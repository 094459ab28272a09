"""Evaluation of cleaner on the shared benchmarks: a tool beside the product, not part
of the package users install. ``scripts/evaluate.py`` is its command line."""
