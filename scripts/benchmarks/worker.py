"""Where a batch worker's time goes: ``cleaner batch --jobs 1`` (the worker runs in the
command's own process) on files and on a JSONL dump, all four formats, with a timer
around each step of a record: what share is ``Cleaner.clean`` and the renders asked for,
and what share is the rest (reading, hashing, JSON, the manifest). Timers, not a
profiler: cProfile would inflate the many small calls of the rules and skew the shares."""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

from .common import measure_child, provenance
from .throughput import FORMATS, build_corpus, load_texts

RECORDS = 2_000
TARGET_SHARE = 0.8
#: Steps timed in the command's own process, not in the worker: the writer of the per-file outputs.
OUTSIDE = ("write the output files (parent)",)


def measure_worker(source: str, out: str) -> dict:
    import cleaner.batch.runner as runner
    import cleaner.batch.worker as worker
    from cleaner.cli import main
    from cleaner.pipeline import Cleaner

    spent: Counter[str] = Counter()
    calls: Counter[str] = Counter()

    def timed(name, function, key=None):
        def wrapper(*args, **kwargs):
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                label = name if key is None else f"{name} {key(*args)}"
                spent[label] += time.perf_counter() - started
                calls[label] += 1

        return wrapper

    Cleaner.clean = timed("clean", Cleaner.clean)
    worker.render_with = timed("render", worker.render_with, key=lambda article, fmt, options: fmt.value)
    worker.render_json = timed("render", worker.render_json, key=lambda article, **_: "json")
    worker.read_input = timed("read the input file", worker.read_input)
    worker.output_record = timed("JSONL output record", worker.output_record)
    worker.manifest.entry = timed("manifest line", worker.manifest.entry)
    runner.process_chunk = timed("worker (process_chunk)", runner.process_chunk)
    runner.write_files = timed("write the output files (parent)", runner.write_files)
    sys.argv = ["cleaner", "batch", source, "--out", out, "--to", ",".join(FORMATS), "--jobs", "1"]
    started = time.perf_counter()
    try:
        main()
    except SystemExit as exit:
        if exit.code:
            raise
    total = time.perf_counter() - started
    return {"total": total, "spent": dict(spent), "calls": dict(calls)}


MEASURES = {"worker": lambda source, out: measure_worker(source, out)}


def section(data: Path, scratch: Path) -> str:
    when = provenance()
    tree, dump = build_corpus(load_texts(data), RECORDS, scratch)
    results = {}
    for label, source in (("files", tree), ("JSONL", dump)):
        print(f"worker: batch of {RECORDS:,} {label} records…", file=sys.stderr)
        results[label] = measure_child("worker", source=str(source), out=str(scratch / f"worker-{label}"))
    lines = [
        "## Batch worker: time in cleaning and rendering",
        "",
        when,
        "",
        f"`cleaner batch --jobs 1 --to {','.join(FORMATS)}` on {RECORDS:,} records of the benchmark texts, a timer around each step;"
        " seconds, and the share of the worker's time (`process_chunk`). The target: at least"
        f" {TARGET_SHARE:.0%} of a worker's time in `clean` and the renders asked for.",
        "",
        "| step | files: s | share | JSONL: s | share |",
        "|---|---:|---:|---:|---:|",
    ]
    steps = sorted({step for result in results.values() for step in result["spent"] if step not in OUTSIDE}, key=lambda step: -max(result["spent"].get(step, 0) for result in results.values()))
    for step in steps:
        cells = []
        for result in results.values():
            seconds = result["spent"].get(step)
            worker = result["spent"]["worker (process_chunk)"]
            cells += ["", ""] if seconds is None else [f"{seconds:.2f}", f"{seconds / worker:.0%}"]
        lines.append(f"| {step} | {' | '.join(cells)} |")
    for step in OUTSIDE:
        lines.append(f"| outside the worker: {step} | {results['files']['spent'].get(step, 0):.2f} | | {results['JSONL']['spent'].get(step, 0):.2f} | |")
    lines.append(f"| the whole command | {results['files']['total']:.2f} | | {results['JSONL']['total']:.2f} | |")
    lines += ["", "| | files | JSONL |", "|---|---:|---:|"]
    shares = {label: _useful(result) / result["spent"]["worker (process_chunk)"] for label, result in results.items()}
    lines.append(f"| share of the worker in clean + renders (target >= {TARGET_SHARE:.0%}) | {shares['files']:.0%} | {shares['JSONL']:.0%} |")
    lines.append(f"| met | {'yes' if shares['files'] >= TARGET_SHARE else '**no**'} | {'yes' if shares['JSONL'] >= TARGET_SHARE else '**no**'} |")
    lines.append(f"| per record: worker, ms | {results['files']['spent']['worker (process_chunk)'] / RECORDS * 1000:.2f} | {results['JSONL']['spent']['worker (process_chunk)'] / RECORDS * 1000:.2f} |")
    return "\n".join(lines)


def _useful(result: dict) -> float:
    return sum(seconds for step, seconds in result["spent"].items() if step == "clean" or step.startswith("render"))
