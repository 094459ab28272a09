"""The sections of ``scripts/benchmark.py``: each measures one thing and writes its part
of ``docs/performance.md`` (see that script)."""
