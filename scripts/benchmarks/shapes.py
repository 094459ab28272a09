"""Inputs of one shape at growing sizes: the time per line of each stage of
``cleaner.clean`` (read: decode and split; the rule chain; build: the model), and the
process's peak memory, each size in a fresh process. A stage whose time per line grows
with the size is super-linear somewhere.

``cleaner.clean`` is ``Cleaner.scan`` (read, then the rules) followed by ``build``; they are
timed apart here, and the read alone once before (so the rules' time is the scan's less
the read's). Renders are timed after the peak is taken: the peak is that of cleaning.
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

from .common import current_rss_mb, measure_child, peak_rss_mb, provenance

#: name: (what a line is, the text of line ``n``; "" is a blank line)
SHAPES = {
    "short lines": ("a short unpunctuated line, each a paragraph of the body", lambda n: f"line {n}"),
    "Getty, blank": ("a bare photo credit then a blank line, again and again (both removed)", lambda n: "" if n % 2 else "Getty"),
    "prose": ("a sentence of prose then a blank line", lambda n: "" if n % 2 else f"Sentence {n} of the article, the army said on Monday."),
}
FLAT_SIZES = (10_000, 100_000, 1_000_000)
#: Targets of issue 13: (shape, lines, seconds, MB of peak RSS or None)
TARGETS = (("short lines", 2_000_000, 10.0, 100.0), ("Getty, blank", 600_000, 1.0, None))


def write_shape(name: str, lines: int, directory: Path) -> Path:
    """The input, written once in chunks (building it in memory would count in no one's
    peak, but a benchmark that needs 1 GB to build its inputs is a poor guest)."""
    path = directory / f"{name.replace(', ', '-').replace(' ', '-')}-{lines}.txt"
    if not path.is_file():
        line = SHAPES[name][1]
        with open(path, "w", encoding="utf-8") as stream:
            for start in range(0, lines, 10_000):
                stream.write("".join(line(number) + "\n" for number in range(start, min(lines, start + 10_000))))
    return path


def measure_shape(path: str) -> dict:
    from cleaner import Cleaner
    from cleaner.build import build
    from cleaner.render import render

    data = Path(path).read_bytes()
    cleaner = Cleaner(max_bytes=len(data) + 1)
    cleaner.clean(b"Warm up: the patterns compile on first use. A second sentence.\n\nAnd a paragraph.")
    gc.collect()
    before = current_rss_mb()
    clock = time.perf_counter
    started = clock()
    reading = cleaner.read(data)
    read = clock() - started
    lines = len(reading.lines.texts)
    del reading
    started = clock()
    document, reading = cleaner.scan(data)
    scan = clock() - started
    started = clock()
    article = build(document, reading)
    built = clock() - started
    peak = peak_rss_mb()
    del document, reading
    gc.collect()
    held = current_rss_mb() - before  # what the Article itself keeps
    renders = {}
    for fmt in ("md", "json"):
        started = clock()
        render(article, fmt)
        renders[fmt] = clock() - started
    return {"lines": lines, "bytes": len(data), "read": read, "rules": scan - read, "build": built, "clean": scan + built, "renders": renders, "rss_before_mb": before, "peak_mb": peak, "article_mb": held}


MEASURES = {"shape": lambda path: measure_shape(path)}


def section(scratch: Path, flat_sizes: tuple[int, ...] = FLAT_SIZES, with_targets: bool = True) -> str:
    when = provenance()
    results: dict[tuple[str, int], dict] = {}

    def measure(name: str, lines: int) -> dict:
        if (name, lines) not in results:
            print(f"shapes: {name}, {lines:,} lines…", file=sys.stderr)
            results[name, lines] = measure_child("shape", path=str(write_shape(name, lines, scratch)))
        return results[name, lines]

    lines_out = [
        "## Input shapes: linear, flat",
        "",
        when,
        "",
        "Each input is one shape repeated; each size cleaned in a fresh process (`cleaner.clean` with `max_bytes` raised). Times are microseconds per input line:"
        " read (decode, normalise, split, unwrap), the rule chain, build (the model); renders after. Peak RSS is the process's"
        " (interpreter and cleaner ~30 MB, and the input's bytes, included: the column before it); `Article` is what the result alone keeps.",
        "",
    ]
    for name, (description, _) in SHAPES.items():
        lines_out += [f"### {name}: {description}", "", "| lines | MB | read µs | rules µs | build µs | clean µs/line | clean s | md µs | json µs | RSS before MB | peak RSS MB | `Article` MB |", "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for size in flat_sizes:
            lines_out.append(_row(measure(name, size)))
        smallest, largest = measure(name, flat_sizes[0]), measure(name, flat_sizes[-1])
        growth = (largest["clean"] / largest["lines"]) / (smallest["clean"] / smallest["lines"])
        lines_out += ["", f"Per-line cost of clean, {flat_sizes[-1]:,} lines against {flat_sizes[0]:,}: {growth:.2f}x (flat is 1.0).", ""]
    if not with_targets:
        return "\n".join(lines_out)
    lines_out += ["### Targets", "", "| input | lines | MB | clean s | target s | peak RSS MB | target MB | met |", "|---|---:|---:|---:|---:|---:|---:|---|"]
    for name, size, seconds, megabytes in TARGETS:
        result = measure(name, size)
        met = result["clean"] <= seconds and (megabytes is None or result["peak_mb"] <= megabytes)
        lines_out.append(
            f"| {name} | {size:,} | {result['bytes'] / 1e6:.1f} | {result['clean']:.1f} | {seconds:g} | {result['peak_mb']:.0f} | {'' if megabytes is None else f'{megabytes:g}'} | {'yes' if met else '**no**'} |"
        )
    return "\n".join(lines_out)


def _row(result: dict) -> str:
    per_line = {stage: result[stage] / result["lines"] * 1e6 for stage in ("read", "rules", "build", "clean")}
    renders = {fmt: seconds / result["lines"] * 1e6 for fmt, seconds in result["renders"].items()}
    return (
        f"| {result['lines']:,} | {result['bytes'] / 1e6:.1f} | {per_line['read']:.2f} | {per_line['rules']:.1f} | {per_line['build']:.2f} | {per_line['clean']:.1f} | {result['clean']:.2f}"
        f" | {renders['md']:.2f} | {renders['json']:.2f} | {result['rss_before_mb']:.0f} | {result['peak_mb']:.0f} | {result['article_mb']:.0f} |"
    )
