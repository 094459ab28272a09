"""Where the rule chain spends its time: each rule's time per line, on the benchmark texts
and on the input shapes, and the functions (and regular-expression calls) inside
``cleaner/rules/`` that take it. For the rules' authors: docs/rules-hot-path.md reads it.

Each rule is timed by wrapping its ``apply`` in the configured ``Cleaner`` (the chain
itself runs as ``Cleaner.scan`` runs it); what ``scan`` spends outside the rules is the
read and the ``Scan``'s set-up. The profile (cProfile) inflates small calls, so its
shares are a guide to where, the timers to how much.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from collections import Counter
from pathlib import Path

from .common import measure_child, provenance
from .shapes import SHAPES, write_shape
from .throughput import build_corpus, load_texts, stream_texts

CORPUS = 2_000
WARM_UP = 500
SHAPE_LINES = 100_000


def _timed_cleaner(max_bytes: int | None = None):
    from cleaner import Cleaner

    cleaner = Cleaner() if max_bytes is None else Cleaner(max_bytes=max_bytes)
    spent: Counter[str] = Counter()

    def timed(rule):
        def apply(scan):
            started = time.perf_counter()
            rule.apply(scan)
            spent[rule.name] += time.perf_counter() - started

        return dataclasses.replace(rule, apply=apply)

    cleaner.rules = tuple(timed(rule) for rule in cleaner.rules)
    return cleaner, spent


def measure_rules(texts: list[bytes]) -> dict:
    cleaner, spent = _timed_cleaner(max_bytes=max(map(len, texts)) + 1)
    from cleaner.build import build

    for text in texts[:WARM_UP]:  # the patterns each line length needs compile on first use
        cleaner.clean(text)
    spent.clear()
    lines = 0
    scan_time = build_time = 0.0
    for text in texts[WARM_UP:]:
        started = time.perf_counter()
        document, reading = cleaner.scan(text)
        scanned = time.perf_counter()
        build(document, reading)
        scan_time += scanned - started
        build_time += time.perf_counter() - scanned
        lines += len(document.lines)
    return {"lines": lines, "documents": len(texts) - WARM_UP, "rules": dict(spent), "scan": scan_time, "build": build_time}


def measure_corpus(dump: str) -> dict:
    texts = [text.encode("utf-8") for text, _ in zip(stream_texts(Path(dump)), range(CORPUS + WARM_UP))]
    return measure_rules(texts)


def measure_shape_rules(path: str) -> dict:
    data = Path(path).read_bytes()
    return measure_rules([b"Warm up. A sentence of prose here.\n\nAnother, said the army."] * WARM_UP + [data])


def profile_rules(dump: str, top: int = 20) -> dict:
    """The functions of cleaner/rules by own time, and the builtins (regex calls, splits…)
    they call, with who calls them: shares of the whole clean."""
    import cProfile
    import pstats

    from cleaner import Cleaner

    cleaner = Cleaner()
    texts = [text.encode("utf-8") for text, _ in zip(stream_texts(Path(dump)), range(CORPUS + WARM_UP))]
    for text in texts[:WARM_UP]:
        cleaner.clean(text)
    lines = 0
    profiler = cProfile.Profile()
    for text in texts[WARM_UP:]:
        profiler.enable()
        article = cleaner.clean(text)
        profiler.disable()
        lines += article.source.lines
    stats = pstats.Stats(profiler).stats
    total = sum(entry[2] for entry in stats.values())
    package = str(Path(__import__("cleaner").__file__).parent)

    def name(key) -> str:
        file, line, function = key
        if file == "~":
            return function
        if file.startswith(package):
            return f"{Path(file).relative_to(package).as_posix()}:{line} {function}"
        return f"{Path(file).name}:{line} {function}"

    ours = [(key, entry) for key, entry in stats.items() if key[0].startswith(str(Path(package) / "rules"))]
    ours.sort(key=lambda item: item[1][2], reverse=True)
    functions = [{"function": name(key), "calls": entry[1], "own": entry[2] / total, "cumulative": entry[3] / total, "own_us_per_line": entry[2] / lines * 1e6} for key, entry in ours[:top]]
    builtins = [(key, entry) for key, entry in stats.items() if key[0] == "~"]
    builtins.sort(key=lambda item: item[1][2], reverse=True)
    called = []
    for key, entry in builtins[:8]:
        callers = sorted(entry[4].items(), key=lambda item: item[1][2], reverse=True)[:4]
        called.append({"builtin": name(key), "calls": entry[1], "own": entry[2] / total, "callers": [(name(caller), data[2] / total) for caller, data in callers]})
    return {"lines": lines, "functions": functions, "builtins": called}


MEASURES = {
    "rules-corpus": lambda dump: measure_corpus(dump),
    "rules-shape": lambda path: measure_shape_rules(path),
    "rules-profile": lambda dump: profile_rules(dump),
}


def section(data: Path, scratch: Path) -> str:
    when = provenance()
    _, dump = build_corpus(load_texts(data), CORPUS + WARM_UP, scratch)
    print("rules: the benchmark texts…", file=sys.stderr)
    runs = {"benchmark texts": measure_child("rules-corpus", dump=str(dump))}
    for shape in SHAPES:
        print(f"rules: {shape}, {SHAPE_LINES:,} lines…", file=sys.stderr)
        runs[shape] = measure_child("rules-shape", path=str(write_shape(shape, SHAPE_LINES, scratch)))
    print("rules: profile…", file=sys.stderr)
    profile = measure_child("rules-profile", dump=str(dump))
    names = list(runs["benchmark texts"]["rules"])
    lines = [
        "## The rule chain, rule by rule",
        "",
        when,
        "",
        f"Microseconds per input line of each rule, timed around the rule in `Cleaner.scan`: on {CORPUS:,} benchmark texts (after {WARM_UP} to warm up:"
        f" patterns compile on first use), and on {SHAPE_LINES:,} lines of each input shape. 'read and set-up' is the rest of `scan`; build makes the model.",
        "",
        "| rule | " + " | ".join(runs) + " |",
        "|---|" + "---:|" * len(runs),
    ]
    for rule in names:
        lines.append(f"| {rule} | " + " | ".join(f"{run['rules'].get(rule, 0) / run['lines'] * 1e6:.2f}" for run in runs.values()) + " |")
    lines.append("| **all rules** | " + " | ".join(f"**{sum(run['rules'].values()) / run['lines'] * 1e6:.2f}**" for run in runs.values()) + " |")
    lines.append("| read and set-up | " + " | ".join(f"{(run['scan'] - sum(run['rules'].values())) / run['lines'] * 1e6:.2f}" for run in runs.values()) + " |")
    lines.append("| build | " + " | ".join(f"{run['build'] / run['lines'] * 1e6:.2f}" for run in runs.values()) + " |")
    lines.append("| rules' share of clean | " + " | ".join(f"{sum(run['rules'].values()) / (run['scan'] + run['build']):.0%}" for run in runs.values()) + " |")
    corpus = runs["benchmark texts"]
    lines += [
        "",
        f"The benchmark texts: {corpus['documents']:,} documents, {corpus['lines']:,} lines ({corpus['lines'] / corpus['documents']:.0f} a document).",
        "",
        f"Functions of `cleaner/rules/` by own time (cProfile over the same texts, {profile['lines']:,} lines; shares of the whole clean):",
        "",
        "| function | calls | own | with callees | own µs a line |",
        "|---|---:|---:|---:|---:|",
    ]
    for entry in profile["functions"]:
        lines.append(f"| `{entry['function']}` | {entry['calls']:,} | {entry['own']:.1%} | {entry['cumulative']:.1%} | {entry['own_us_per_line']:.2f} |")
    lines += ["", "Built-in calls (regular expressions, string methods) by own time, and who calls them:", "", "| built-in | calls | own | main callers (their share of it) |", "|---|---:|---:|---|"]
    for entry in profile["builtins"]:
        callers = "; ".join(f"`{caller}` {share:.1%}" for caller, share in entry["callers"])
        lines.append(f"| `{entry['builtin']}` | {entry['calls']:,} | {entry['own']:.1%} | {callers} |")
    return "\n".join(lines)
